"""Editors give the Spanish text in the admin: the event and mission change forms,
the announcement form and its preview; the history records it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from missions.models import Mission
from tests.admin_support import changed, open_form
from tests.factories import make_event, make_mission
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db
ANNOUNCE = "/admin/timeline/policyevent/announce/"


def _announcement(brigade: Mission, **overrides) -> dict:
    return {
        "date": "2026-02-13",
        "kind": "termination",
        "title": "Guatemala announces phase-out of Cuban medical brigade",
        "summary": "The health ministry will end the brigade gradually.",
        "title_es": "Guatemala anuncia el retiro de la brigada médica cubana",
        "summary_es": "El ministerio de salud pondrá fin a la brigada poco a poco.",
        "affected_country": brigade.country_id,
        "source_url": "https://www.prensalibre.com/guatemala/medicos",
        "source_publisher": "Prensa Libre",
        "reason": "Health ministry statement",
        "_action": "draft",
        **overrides,
    }


def test_announcement_form_saves_both_languages(editor_client, brigade):
    form = _announcement(brigade)
    response = editor_client.post(ANNOUNCE, form, follow=True)
    event = PolicyEvent.objects.get()
    assert (event.title_es, event.summary_es) == (form["title_es"], form["summary_es"])
    version = event.history.latest()
    assert (version.title_es, version.summary_es) == (event.title_es, event.summary_es)
    # The preview shows the English and, apart, the Spanish pages' text.
    html = response.content.decode()
    english, spanish = html.split('id="spanish-heading"', 1)
    assert f": {event.title}</h3>" in english and event.title_es not in english
    assert f": {event.title_es}</h3>" in spanish
    assert f"<p>{event.summary_es}</p>" in spanish
    assert f'id="event-{event.pk}-es"' in spanish


def test_announcement_without_spanish_previews_the_english_marked(
    editor_client, brigade
):
    form = _announcement(brigade, title_es="", summary_es="")
    html = editor_client.post(ANNOUNCE, form, follow=True).content.decode()
    spanish = html.split('id="spanish-heading"', 1)[1]
    assert f'<span lang="en">{form["title"]}</span></h3>' in spanish
    assert "Spanish pages show the English, marked as English" in spanish
    assert PolicyEvent.objects.get().title_es == ""


def test_announcement_form_refuses_a_too_long_spanish_title(editor_client, brigade):
    response = editor_client.post(ANNOUNCE, _announcement(brigade, title_es="x" * 301))
    assert response.status_code == 200
    assert "at most 300 characters" in response.content.decode()
    assert not PolicyEvent.objects.exists()


def test_event_change_form_saves_the_spanish_text_in_the_history(editor_client):
    event = make_event(is_published=False)
    url = reverse("admin:timeline_policyevent_change", args=[event.pk])
    fields = open_form(editor_client, url, "policyevent_form")
    assert "title_es" in fields and "summary_es" in fields
    data = changed(
        fields,
        title_es="Fin del convenio",
        summary_es="Algo pasó.",
        change_reason="Spanish text added",
    )
    assert editor_client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert (event.title_es, event.summary_es) == ("Fin del convenio", "Algo pasó.")
    version = event.history.latest()
    assert version.title_es == "Fin del convenio"
    assert version.history_change_reason == "Spanish text added"
    assert version.prev_record.title_es == ""


def test_mission_change_form_saves_the_spanish_name_in_the_history(editor_client):
    mission = make_mission(name="Cuban Medical Brigade")
    url = reverse("admin:missions_mission_change", args=[mission.pk])
    data = changed(
        open_form(editor_client, url, "mission_form"),
        name_es="Brigada Médica Cubana",
        summary_es="Llegó en 1998.",
        change_reason="Spanish name added",
    )
    assert editor_client.post(url, data).status_code == 302
    mission.refresh_from_db()
    assert (mission.name_es, mission.summary_es) == (
        "Brigada Médica Cubana",
        "Llegó en 1998.",
    )
    assert mission.history.latest().name_es == "Brigada Médica Cubana"


def test_two_missions_of_a_country_cannot_share_a_spanish_name(editor_client):
    first = make_mission(name="Brigade A", name_es="Brigada")
    second = make_mission(country=first.country, name="Brigade B")
    url = reverse("admin:missions_mission_change", args=[second.pk])
    data = changed(
        open_form(editor_client, url, "mission_form"),
        name_es="Brigada",
        change_reason="Spanish name",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Another mission in this country has this Spanish name." in (
        response.content.decode()
    )
    second.refresh_from_db()
    assert second.name_es == ""


def test_admin_search_finds_spanish_text(editor_client):
    make_event(title="Brigade leaves", title_es="La brigada se retira")
    url = reverse("admin:timeline_policyevent_changelist") + "?q=retira"
    assert "Brigade leaves" in editor_client.get(url).content.decode()
