"""The events admin: adding sourced events, and publishing or unpublishing them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from missions.models import Mission
from tests.admin_support import opened_version
from tests.factories import (
    make_country,
    make_event,
    make_mission,
    make_source,
)
from timeline.models import EventEffect, PolicyEvent

pytestmark = pytest.mark.django_db


def _event_form(**overrides) -> dict:
    data = {
        "title": "Guatemala ends the agreement",
        "kind": PolicyEvent.Kind.TERMINATION,
        "summary": "The government said it would not renew.",
        "figures": "",
        "date": "2025-11-01",
        "date_precision": "month",
        "actor_organisation": "",
        "change_reason": "Checked against the source",
    }
    data.update(overrides)
    return data


def test_editor_can_add_an_event_with_a_source(editor_client):
    country, source = make_country(), make_source()
    response = editor_client.post(
        reverse("admin:timeline_policyevent_add"),
        _event_form(
            affected_countries=[country.pk],
            sources=[source.pk],
        ),
        follow=True,
    )
    assert response.redirect_chain, "the form was not accepted"
    event = PolicyEvent.objects.get()
    assert list(event.sources.all()) == [source]
    assert list(event.affected_countries.all()) == [country]
    assert not event.is_published  # a new event is a draft


def test_event_without_a_source_is_refused_in_plain_words(editor_client):
    response = editor_client.post(
        reverse("admin:timeline_policyevent_add"), _event_form()
    )
    assert response.status_code == 200
    assert "Cite at least one source" in response.content.decode()
    assert not PolicyEvent.objects.exists()


def test_publish_action_applies_the_event_effect(publisher_client):
    mission = make_mission(status=Mission.Status.ACTIVE)
    draft = make_event(
        is_published=False, date=dt.date(2025, 11, 3), countries=[mission.country]
    )
    draft.affected_missions.add(mission)
    EventEffect.objects.create(event=draft, new_status=Mission.Status.ENDED)
    other = make_event(is_published=False)
    response = publisher_client.post(
        reverse("admin:timeline_policyevent_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk, other.pk]},
        follow=True,
    )
    assert "2 event(s) published." in response.content.decode()
    assert PolicyEvent.objects.published().count() == 2
    assert draft.history.latest().history_user.username == "publisher"
    mission.refresh_from_db()
    assert mission.status == Mission.Status.ENDED


def test_publish_action_refuses_a_mission_of_another_country(publisher_client):
    mission = make_mission(status=Mission.Status.ACTIVE)
    draft = make_event(is_published=False, countries=[make_country(name="Jamaica")])
    draft.affected_missions.add(mission)
    EventEffect.objects.create(event=draft, new_status=Mission.Status.ENDED)
    response = publisher_client.post(
        reverse("admin:timeline_policyevent_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert f"{mission.name} is in {mission.country.name}, not in the affected" in html
    assert "0 event(s) published." in html
    draft.refresh_from_db()
    mission.refresh_from_db()
    assert not draft.is_published and mission.status == Mission.Status.ACTIVE


def test_unpublish_action_hides_events(publisher_client):
    event = make_event(is_published=True)
    publisher_client.post(
        reverse("admin:timeline_policyevent_changelist"),
        {"action": "unpublish_selected", "_selected_action": [event.pk]},
    )
    event.refresh_from_db()
    assert not event.is_published
    assert event.history.latest().history_change_reason.startswith("Unpublished")


def test_editor_cannot_publish(editor_client):
    draft = make_event(is_published=False)
    url = reverse("admin:timeline_policyevent_changelist")
    page = editor_client.get(url).content.decode()
    assert "Publish selected events" not in page
    editor_client.post(
        url, {"action": "publish_selected", "_selected_action": [draft.pk]}
    )
    change = reverse("admin:timeline_policyevent_change", args=[draft.pk])
    data = _event_form(
        title=draft.title,
        sources=[draft.sources.get().pk],
        record_version=opened_version(editor_client, change, "policyevent_form"),
    )
    response = editor_client.post(change, {**data, "is_published": "on"})
    assert response.status_code == 302  # the edit is saved, the flag ignored
    assert not PolicyEvent.objects.published().exists()
