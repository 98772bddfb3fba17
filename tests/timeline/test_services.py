"""Announcements: the event, its source and its effect, saved all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from dashboard.models import CountryStatistic, SeriesPoint
from dashboard.services import statistics_refresh
from missions.models import Mission, Source, StaffingReport
from tests.factories import make_country, make_source
from timeline.models import EventEffect, PolicyEvent
from timeline.services import (
    EffectInput,
    EventInput,
    SourceInput,
    announcement_publish,
    announcement_save,
)

pytestmark = pytest.mark.django_db
GUATEMALA_URL = "https://www.prensalibre.com/guatemala/comunitario/medicos-cubanos"


def _inputs(brigade: Mission, **effect) -> dict:
    event = EventInput(
        date=dt.date(2026, 2, 13),
        date_precision="day",
        kind=PolicyEvent.Kind.TERMINATION,
        title="Guatemala announces phase-out of Cuban medical brigade",
        summary="The health ministry will end the brigade gradually during 2026.",
        affected_countries=[brigade.country],
        affected_missions=[brigade],
    )
    fields = {
        "new_status": Mission.Status.PHASING_OUT,
        "figure_mission": brigade,
        "workers": 412,
        "doctors": 333,
        **effect,
    }
    return {
        "event_data": event,
        "source_data": SourceInput(url=GUATEMALA_URL, publisher="Prensa Libre"),
        "effect_data": EffectInput(**fields),
        "reason": "Health ministry statement",
    }


def test_draft_changes_nothing_public(brigade, editor):
    event = announcement_save(**_inputs(brigade), user=editor, publish=False)
    assert not event.is_published
    brigade.refresh_from_db()
    assert brigade.status == Mission.Status.ACTIVE
    assert not StaffingReport.objects.filter(workers=412).exists()
    assert PolicyEvent.objects.published().count() == 0


def test_draft_changes_no_statistic(
    brigade, editor, django_capture_on_commit_callbacks
):
    statistics_refresh()
    before = CountryStatistic.objects.get(country=brigade.country)
    with django_capture_on_commit_callbacks(execute=True):  # the refresh runs
        announcement_save(**_inputs(brigade), user=editor, publish=False)
    after = CountryStatistic.objects.get(country=brigade.country)
    assert after.computed_at > before.computed_at  # refreshed, yet unchanged:
    assert (after.status, after.headcount) == (before.status, before.headcount)
    assert SeriesPoint.objects.events_in(2026) == 0


def test_publishing_applies_the_status_and_adds_the_figure(brigade, editor, publisher):
    event = announcement_save(**_inputs(brigade), user=editor, publish=False)
    announcement_publish(event=event, user=publisher, reason="Checked against source")
    brigade.refresh_from_db()
    assert brigade.status == Mission.Status.PHASING_OUT
    assert brigade.status_as_of == dt.date(2026, 2, 13)
    report = StaffingReport.objects.get(workers=412)
    assert (report.doctors, report.source.url) == (333, GUATEMALA_URL)
    assert report.as_of == dt.date(2026, 2, 13) and not report.needs_review
    event.refresh_from_db()
    assert event.is_published and event.effect.applied_at is not None
    assert brigade.history.first().history_change_reason == "Checked against source"


def test_publishing_twice_applies_the_effect_once(brigade, publisher):
    event = announcement_save(**_inputs(brigade), user=publisher, publish=True)
    announcement_publish(event=event, user=publisher, reason="again")
    assert StaffingReport.objects.filter(workers=412).count() == 1


def test_editors_cannot_publish(brigade, editor):
    with pytest.raises(PermissionDenied):
        announcement_save(**_inputs(brigade), user=editor, publish=True)
    assert PolicyEvent.objects.count() == 0 and Source.objects.count() == 1


def test_a_failure_in_any_part_saves_nothing(brigade, publisher):
    counts = (
        PolicyEvent.objects.count(),
        Source.objects.count(),
        EventEffect.objects.count(),
    )
    with pytest.raises((ValidationError, IntegrityError)):
        announcement_save(
            **_inputs(brigade, workers=300, doctors=333), user=publisher, publish=True
        )
    assert (
        PolicyEvent.objects.count(),
        Source.objects.count(),
        EventEffect.objects.count(),
    ) == counts
    brigade.refresh_from_db()
    assert brigade.status == Mission.Status.ACTIVE


def test_a_draft_figure_follows_the_staffing_report_rule(brigade, editor):
    with pytest.raises(ValidationError) as excinfo:
        announcement_save(
            **_inputs(brigade, workers=300, doctors=333), user=editor, publish=False
        )
    assert excinfo.value.message_dict == {
        "doctors": ["Doctors cannot outnumber all medical workers."]
    }
    assert not PolicyEvent.objects.exists() and not EventEffect.objects.exists()


def test_an_existing_source_is_reused_not_duplicated(brigade, publisher):
    existing = make_source(url=GUATEMALA_URL, publisher="Prensa Libre")
    event = announcement_save(**_inputs(brigade), user=publisher, publish=True)
    assert list(event.sources.all()) == [existing]
    assert Source.objects.filter(url=GUATEMALA_URL).count() == 1


def test_a_figure_far_from_the_latest_is_flagged_for_review(brigade, publisher):
    announcement_save(
        **_inputs(brigade, workers=100, doctors=90), user=publisher, publish=True
    )
    assert StaffingReport.objects.get(workers=100).needs_review


def test_future_event_is_refused(brigade, publisher):
    inputs = _inputs(brigade)
    inputs["event_data"].date = dt.date.today() + dt.timedelta(days=30)
    with pytest.raises(ValidationError, match="future"):
        announcement_save(**inputs, user=publisher, publish=False)
    assert PolicyEvent.objects.count() == 0


@pytest.fixture
def ended_brigade(brigade) -> Mission:
    """The brigade, ended as of 7 Mar 2026 by an earlier publication."""
    Mission.objects.filter(pk=brigade.pk).update(
        status=Mission.Status.ENDED, status_as_of=dt.date(2026, 3, 7)
    )
    brigade.refresh_from_db()
    return brigade


@pytest.mark.parametrize("status", [Mission.Status.ENDED, Mission.Status.SUSPENDED])
def test_an_older_event_keeps_the_newer_status_and_its_date(
    ended_brigade, publisher, status
):
    history = ended_brigade.history.count()
    inputs = _inputs(ended_brigade, new_status=status, workers=None, doctors=None)
    inputs["event_data"].date = dt.date(2026, 3, 5)
    announcement_save(**inputs, user=publisher, publish=True)
    ended_brigade.refresh_from_db()
    assert ended_brigade.status == Mission.Status.ENDED
    assert ended_brigade.status_as_of == dt.date(2026, 3, 7)
    assert ended_brigade.history.count() == history  # no empty history row


def test_a_newer_event_moves_the_status_date_forward(ended_brigade, publisher):
    inputs = _inputs(
        ended_brigade, new_status=Mission.Status.ACTIVE, workers=None, doctors=None
    )
    inputs["event_data"].date = dt.date(2026, 3, 9)
    announcement_save(**inputs, user=publisher, publish=True)
    ended_brigade.refresh_from_db()
    assert ended_brigade.status == Mission.Status.ACTIVE
    assert ended_brigade.status_as_of == dt.date(2026, 3, 9)


def test_a_status_already_held_on_that_date_writes_no_history(ended_brigade, publisher):
    history = ended_brigade.history.count()
    inputs = _inputs(
        ended_brigade, new_status=Mission.Status.ENDED, workers=None, doctors=None
    )
    inputs["event_data"].date = dt.date(2026, 3, 7)
    announcement_save(**inputs, user=publisher, publish=True)
    assert ended_brigade.history.count() == history


def test_a_mission_of_another_country_is_refused(brigade, publisher):
    inputs = _inputs(brigade)
    inputs["event_data"].affected_countries = [make_country(name="Honduras")]
    with pytest.raises(ValidationError, match="Brigada Medica Cubana is in Guatemala"):
        announcement_save(**inputs, user=publisher, publish=False)
    assert not PolicyEvent.objects.exists() and Source.objects.count() == 1


def test_a_draft_with_a_mission_of_another_country_is_not_published(
    brigade, editor, publisher
):
    """Drafts saved before the check: publishing refuses rather than applies."""
    event = announcement_save(**_inputs(brigade), user=editor, publish=False)
    event.affected_countries.set([make_country(name="Honduras")])
    with pytest.raises(ValidationError, match="is in Guatemala"):
        announcement_publish(event=event, user=publisher, reason="Checked")
    event.refresh_from_db()
    brigade.refresh_from_db()
    assert not event.is_published and brigade.status == Mission.Status.ACTIVE
