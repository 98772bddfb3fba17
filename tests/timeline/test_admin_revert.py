"""History → Revert on events: only publishers move publication, and only through the
publish service, so a restored version never publishes or takes down an event alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from missions.models import Mission
from tests.admin_support import changed, open_form
from tests.factories import make_event, make_mission
from timeline.models import EventEffect, PolicyEvent
from timeline.services import announcement_publish

pytestmark = pytest.mark.django_db
FORM = "historicalpolicyevent_form"


def _revert_url(event: PolicyEvent, version) -> str:
    return reverse(
        "admin:timeline_policyevent_simple_history",
        args=[event.pk, version.history_id],
    )


def _revert(client, event: PolicyEvent, version, reason: str):
    """Open a version's revert form, give a reason and press Revert."""
    url = _revert_url(event, version)
    fields = open_form(client, url, FORM)
    return client.post(url, changed(fields, change_reason=reason), follow=True)


@pytest.fixture
def published_then_unpublished(publisher) -> tuple[PolicyEvent, Mission]:
    """An event published (its effect applied) and later taken down."""
    mission = make_mission(status=Mission.Status.ACTIVE)
    event = make_event(
        is_published=False, date=dt.date(2025, 11, 3), countries=[mission.country]
    )
    event.affected_missions.add(mission)
    announcement_publish(event=event, user=publisher, reason="Reviewed")
    event.refresh_from_db()
    event.is_published = False
    event._change_reason = "Taken down for a check"
    event.save()
    return event, mission


def test_editor_revert_to_a_published_version_keeps_the_event_a_draft(
    editor_client, published_then_unpublished
):
    event, _ = published_then_unpublished
    published = event.history.filter(is_published=True).latest()
    page = editor_client.get(_revert_url(event, published)).content.decode()
    assert "only publishers can publish" in page  # said before pressing Revert
    response = _revert(editor_client, event, published, "editor restores a version")
    assert response.status_code == 200
    event.refresh_from_db()
    assert not event.is_published
    latest = event.history.latest()
    assert latest.history_change_reason == "editor restores a version"
    assert not latest.is_published
    assert (
        event.title
        not in editor_client.get(reverse("timeline:event_list")).content.decode()
    )


def test_editor_revert_to_a_draft_version_keeps_the_event_public(editor_client):
    event = make_event(is_published=False)
    event.is_published = True
    event._change_reason = "Published"
    event.save()
    draft = event.history.filter(is_published=False).latest()
    _revert(editor_client, event, draft, "editor restores the draft")
    event.refresh_from_db()
    assert event.is_published
    assert all(
        row.is_published for row in event.history.filter(history_user__isnull=False)
    )


def test_publisher_revert_to_a_published_version_publishes_through_the_service(
    publisher_client, published_then_unpublished
):
    event, mission = published_then_unpublished
    EventEffect.objects.filter(event=event).delete()
    EventEffect.objects.create(event=event, new_status=Mission.Status.ENDED)
    published = event.history.filter(is_published=True).latest()
    page = publisher_client.get(_revert_url(event, published)).content.decode()
    assert "will publish the event" in page
    response = _revert(publisher_client, event, published, "Check done, back up")
    assert "published" in response.content.decode()
    event.refresh_from_db()
    assert event.is_published
    mission.refresh_from_db()
    assert mission.status == Mission.Status.ENDED  # the effect applied on publishing
    assert EventEffect.objects.get(event=event).applied_at is not None
    assert event.history.latest().history_change_reason == "Check done, back up"


def test_publisher_revert_to_a_draft_version_takes_the_event_down(publisher_client):
    event = make_event(is_published=False)
    announcement_publish(event=event, user=User.objects.get(), reason="Reviewed")
    draft = event.history.filter(is_published=False).earliest()
    _revert(publisher_client, event, draft, "Published too early")
    event.refresh_from_db()
    assert not event.is_published
    assert event.history.latest().history_change_reason == "Published too early"


def test_a_user_who_may_only_view_cannot_revert(client):
    viewer = User.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_policyevent"))
    client.force_login(viewer)
    event = make_event(title="Original title")
    event.title = "Corrected title"
    event._change_reason = "Typo"
    event.save()
    first = event.history.earliest()
    url = _revert_url(event, first)
    fields = open_form(client, url, FORM)
    response = client.post(url, changed(fields, change_reason="Sneaky revert"))
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.title == "Corrected title"


@pytest.mark.parametrize("path", ["abc/history/1/", "1/history/xyz/"])
def test_a_malformed_version_address_is_not_found(publisher_client, path):
    make_event()
    url = reverse("admin:timeline_policyevent_changelist") + path
    assert publisher_client.get(url).status_code == 404
