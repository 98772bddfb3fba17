"""The admin announcement flow, the freshness page and duplicate warnings, by role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from missions.models import SOURCE_URL_MESSAGE, Mission, Source, StaffingReport
from tests.factories import (
    make_event,
    make_mission,
    make_report,
    make_source,
)
from timeline.models import EventEffect, PolicyEvent

pytestmark = pytest.mark.django_db
ANNOUNCE = "/admin/timeline/policyevent/announce/"
URL = "https://www.prensalibre.com/guatemala/medicos-cubanos-se-van"


def _form(brigade: Mission, **overrides) -> dict:
    data = {
        "date": "2026-02-13",
        "kind": "termination",
        "title": "Guatemala announces phase-out of Cuban medical brigade",
        "summary": "The health ministry will end the brigade gradually.",
        "affected_country": brigade.country_id,
        "source_url": URL,
        "source_publisher": "Prensa Libre",
        "affected_missions": [brigade.pk],
        "new_status": "phasing-out",
        "figure_mission": brigade.pk,
        "workers": "412",
        "doctors": "333",
        "reason": "Health ministry statement",
        "_action": "draft",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_anonymous_is_sent_to_login(client):
    response = client.get(ANNOUNCE)
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_editor_sees_draft_but_not_publish(editor_client):
    html = editor_client.get(ANNOUNCE).content.decode()
    assert "Save as draft" in html and "Save and publish" not in html


def test_editor_saves_a_draft_and_previews_it(editor_client, brigade):
    response = editor_client.post(ANNOUNCE, _form(brigade), follow=True)
    event = PolicyEvent.objects.get()
    assert not event.is_published
    assert response.redirect_chain[-1][0].endswith(f"/{event.pk}/preview/")
    html = response.content.decode()
    assert "Draft preview: not public" in html and "Phasing out" in html
    assert "A publisher will review" in html
    brigade.refresh_from_db()
    assert brigade.status == "active"
    assert event.history.latest().history_change_reason == "Health ministry statement"


def test_editor_cannot_publish_even_by_forging_the_button(editor_client, brigade):
    response = editor_client.post(ANNOUNCE, _form(brigade, _action="publish"))
    assert response.status_code == 200
    assert "Only publishers can publish" in response.content.decode()
    assert not PolicyEvent.objects.exists()


def test_editor_cannot_publish_a_draft(editor_client, brigade):
    editor_client.post(ANNOUNCE, _form(brigade))
    event = PolicyEvent.objects.get()
    url = reverse("admin:timeline_policyevent_publish", args=[event.pk])
    assert editor_client.post(url, {"reason": "x"}).status_code == 403
    assert not PolicyEvent.objects.published().exists()


def test_publisher_publishes_and_the_effect_applies(publisher_client, brigade):
    response = publisher_client.post(ANNOUNCE, _form(brigade, _action="publish"))
    assert response.status_code == 302
    brigade.refresh_from_db()
    assert brigade.status == "phasing-out"
    assert StaffingReport.objects.filter(workers=412, doctors=333).exists()
    assert PolicyEvent.objects.published().count() == 1


def test_superuser_can_draft_and_publish(admin_client, brigade):
    assert "Save and publish" in admin_client.get(ANNOUNCE).content.decode()
    admin_client.post(ANNOUNCE, _form(brigade, _action="publish"))
    assert PolicyEvent.objects.published().count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"workers": "300"}, "Doctors cannot outnumber all medical workers."),
        ({"source_url": "ftp://example.org/x"}, "starting with http:// or https://"),
        ({"source_url": "javascript:alert(1)"}, "starting with http:// or https://"),
        ({"date": "2026-13"}, "not a real date"),
        ({"date": "13/02/2026"}, "is not a date of the form"),
        ({"date": str(dt.date.today().year + 1)}, "This date is in the future."),
        ({"source_publisher": ""}, "Name the publisher of this new source."),
        ({"figure_mission": ""}, "Choose the mission this figure is about."),
        ({"reason": ""}, "This field is required."),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(
    publisher_client, brigade, overrides, message
):
    response = publisher_client.post(ANNOUNCE, _form(brigade, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "Nothing has been saved" in html
    assert not PolicyEvent.objects.exists() and not EventEffect.objects.exists()
    assert Source.objects.count() == 1


def test_reactivating_an_ended_mission_asks_for_confirmation(publisher_client, brigade):
    Mission.objects.filter(pk=brigade.pk).update(status="ended")
    form = _form(brigade, new_status="active", workers=None, doctors=None)
    response = publisher_client.post(ANNOUNCE, form)
    assert "tick the box to confirm it is active again" in response.content.decode()
    assert not PolicyEvent.objects.exists()
    publisher_client.post(ANNOUNCE, {**form, "confirm_reactivation": "on"})
    assert PolicyEvent.objects.count() == 1


def test_a_duplicate_event_shows_the_existing_one(publisher_client, brigade):
    existing = make_event(
        date=dt.date(2026, 2, 13), kind="termination", countries=[brigade.country]
    )
    response = publisher_client.post(ANNOUNCE, _form(brigade))
    html = response.content.decode()
    link = reverse("admin:timeline_policyevent_change", args=[existing.pk])
    assert "is on file" in html and f"href='{link}'" in html
    assert PolicyEvent.objects.count() == 1
    publisher_client.post(ANNOUNCE, {**_form(brigade), "confirm_duplicate": "on"})
    assert PolicyEvent.objects.count() == 2


def test_a_known_source_url_is_reused(publisher_client, brigade):
    source = make_source(url=URL, publisher="Prensa Libre")
    response = publisher_client.post(
        ANNOUNCE, _form(brigade, source_publisher=""), follow=True
    )
    assert list(PolicyEvent.objects.get().sources.all()) == [source]
    assert Source.objects.filter(url=URL).count() == 1
    assert "was already on file; it was reused" in response.content.decode()


def test_a_sharply_different_figure_is_flagged(publisher_client, brigade):
    response = publisher_client.post(
        ANNOUNCE,
        _form(brigade, workers="90", doctors="80", _action="publish"),
        follow=True,
    )
    assert "flagged for review" in response.content.decode()
    assert StaffingReport.objects.get(workers=90).needs_review


def test_source_admin_points_to_the_source_on_file(editor_client):
    existing = make_source(url=URL)
    response = editor_client.post(
        reverse("admin:missions_source_add"),
        {"url": URL, "publisher": "Copy", "published_precision": "day"},
    )
    link = reverse("admin:missions_source_change", args=[existing.pk])
    assert "This URL is already on file" in response.content.decode()
    assert f'href="{link}"' in response.content.decode()


@pytest.mark.parametrize("url", ["ftp://example.org/x", "javascript:alert(1)"])
def test_source_admin_refuses_what_is_not_a_web_address(editor_client, url):
    response = editor_client.post(
        reverse("admin:missions_source_add"),
        {"url": url, "publisher": "Copy", "published_precision": "day"},
    )
    assert response.status_code == 200
    assert SOURCE_URL_MESSAGE in response.content.decode()
    assert not Source.objects.exists() and not Source.history.exists()


def test_freshness_lists_stale_active_missions_oldest_first(editor_client):
    today = dt.date.today()
    stale = make_mission(name="Stale brigade")
    make_report(mission=stale, as_of=today - dt.timedelta(days=400))
    older = make_mission(name="Never counted")
    fresh = make_mission(name="Fresh brigade")
    make_report(mission=fresh, as_of=today - dt.timedelta(days=10))
    checked = make_mission(name="Checked brigade", last_checked=today)
    make_report(mission=checked, as_of=today - dt.timedelta(days=900))
    make_mission(name="Ended brigade", status="ended")
    html = editor_client.get("/admin/timeline/policyevent/freshness/").content.decode()
    assert html.index("Never counted") < html.index("Stale brigade")
    for absent in ("Fresh brigade", "Checked brigade", "Ended brigade"):
        assert absent not in html
    wide = editor_client.get("/admin/timeline/policyevent/freshness/?days=5")
    assert "Fresh brigade" in wide.content.decode()
    bad = editor_client.get("/admin/timeline/policyevent/freshness/?days=soon")
    assert bad.status_code == 200 and "Stale brigade" in bad.content.decode()
    assert older  # listed first: no figure and no check at all


def test_mark_as_checked_records_the_day(editor_client):
    mission = make_mission()
    editor_client.post(
        reverse("admin:missions_mission_changelist"),
        {"action": "mark_checked", "_selected_action": [mission.pk]},
    )
    mission.refresh_from_db()
    assert mission.last_checked == dt.date.today()
