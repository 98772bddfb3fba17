"""The admin announcement flow, the freshness page and duplicate warnings, by role."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from missions.models import SOURCE_URL_MESSAGE, Mission, Source, StaffingReport
from tests.factories import (
    make_country,
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


def _field_errors(html: str, field: str) -> str:
    """The text of one field's row on the redisplayed form (its errors first)."""
    row = html.split(f'field-{field}">', 1)[1].split('class="form-row', 1)[0]
    return unescape(row.split("</ul>", 1)[0])


def _counts() -> tuple[int, ...]:
    models = (PolicyEvent, EventEffect, Source, StaffingReport, Mission.history.model)
    return tuple(model.objects.count() for model in models)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"workers": "300"},
            "doctors",
            "Doctors cannot outnumber all medical workers.",
        ),
        ({"source_url": "ftp://example.org/x"}, "source_url", "http:// or https://"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "http:// or https://"),
        ({"date": "2026-13"}, "date", "not a real date"),
        ({"date": "13/02/2026"}, "date", "is not a date of the form"),
        (
            {"date": str(dt.date.today().year + 1)},
            "date",
            "This date is in the future.",
        ),
        ({"source_publisher": ""}, "source_publisher", "Name the publisher"),
        ({"figure_mission": ""}, "figure_mission", "Choose the mission this figure"),
        ({"reason": ""}, "reason", "This field is required."),
        ({"kind": ""}, "kind", "This field is required."),
        (
            {"affected_missions": None},
            "affected_missions",
            "Choose the missions this status applies to.",
        ),
        (
            {"affected_missions": None, "new_status": "", "end": "2026-12"},
            "affected_missions",
            "Choose the missions this end date applies to.",
        ),
        (
            {"workers": None, "doctors": None},
            "figure_mission",
            "Give at least one count for this figure, or clear the mission.",
        ),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(
    publisher_client, brigade, overrides, field, message
):
    before = _counts()
    response = publisher_client.post(ANNOUNCE, _form(brigade, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in _field_errors(html, field)
    assert "Nothing has been saved" in html
    assert 'value="Guatemala announces phase-out of Cuban medical brigade"' in html
    assert _counts() == before


def test_kind_starts_empty(editor_client):
    html = editor_client.get(ANNOUNCE).content.decode()
    kind = html.split('name="kind"', 1)[1].split("</select>", 1)[0]
    first = kind.split("<option", 2)[1]
    assert 'value=""' in first and "selected" in first
    assert "selected" not in kind.split("<option", 2)[2]


@pytest.fixture
def honduras_mission() -> Mission:
    honduras = make_country(iso3="HND", name="Honduras")
    return make_mission(country=honduras, name="Tripartite health agreement")


@pytest.mark.parametrize("field", ["affected_missions", "figure_mission"])
def test_a_mission_of_another_country_is_refused(
    publisher_client, brigade, honduras_mission, field
):
    value = (
        [honduras_mission.pk] if field == "affected_missions" else honduras_mission.pk
    )
    before = _counts()
    response = publisher_client.post(ANNOUNCE, _form(brigade, **{field: value}))
    errors = _field_errors(response.content.decode(), field)
    assert "Tripartite health agreement is in Honduras" in errors
    assert "not in the affected country (Guatemala)" in errors
    assert _counts() == before


def test_missions_without_an_affected_country_name_their_country(
    publisher_client, brigade
):
    response = publisher_client.post(ANNOUNCE, _form(brigade, affected_country=""))
    errors = _field_errors(response.content.decode(), "affected_missions")
    assert "Brigada Medica Cubana is in Guatemala" in errors
    assert not PolicyEvent.objects.exists()


def test_reactivating_an_ended_mission_asks_for_confirmation(publisher_client, brigade):
    Mission.objects.filter(pk=brigade.pk).update(status="ended")
    form = _form(
        brigade, new_status="active", figure_mission=None, workers=None, doctors=None
    )
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
    assert 'name="confirm_duplicate"' in html
    assert PolicyEvent.objects.count() == 1
    publisher_client.post(ANNOUNCE, {**_form(brigade), "confirm_duplicate": "on"})
    assert PolicyEvent.objects.count() == 2


def test_the_duplicate_box_is_shown_only_for_a_duplicate(publisher_client, brigade):
    assert (
        'name="confirm_duplicate"'
        not in publisher_client.get(ANNOUNCE).content.decode()
    )
    response = publisher_client.post(ANNOUNCE, _form(brigade, workers="300"))
    assert 'name="confirm_duplicate"' not in response.content.decode()


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


PICKERS = {
    "affected_country": ("policyevent", "affected_countries"),
    "actor_countries": ("policyevent", "actor_countries"),
    "affected_missions": ("policyevent", "affected_missions"),
    "figure_mission": ("eventeffect", "figure_mission"),
}


def test_countries_and_missions_are_picked_by_typing(editor_client):
    html = editor_client.get(ANNOUNCE).content.decode()
    for name, (model, field) in PICKERS.items():
        select = re.search(f'<select[^>]*name="{name}"[^>]*>', html)[0]
        assert "admin-autocomplete" in select, name
        assert f'data-model-name="{model}"' in select
        assert f'data-field-name="{field}"' in select
    assert "/static/admin/js/autocomplete.js" in html


@pytest.mark.parametrize(
    ("name", "term", "found"),
    [
        ("actor_countries", "guat", "Guatemala"),
        ("affected_country", "GTM", "Guatemala"),
        ("affected_missions", "guatemala", "Brigada Medica Cubana (GTM)"),
        ("figure_mission", "brigada", "Brigada Medica Cubana (GTM)"),
    ],
)
def test_an_editor_s_typing_finds_the_country_or_mission(
    editor_client, brigade, name, term, found
):
    model, field = PICKERS[name]
    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "timeline",
            "model_name": model,
            "field_name": field,
            "term": term,
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [found]


def test_the_form_adds_no_inline_script_or_style(editor_client, brigade):
    """The site's CSP allows scripts and styles from files only."""
    html = editor_client.get(ANNOUNCE).content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all("src=" in tag for tag in scripts), scripts
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"<[^>]*\son[a-z]+=", html)  # no inline handlers


def test_a_chosen_mission_is_shown_again_after_an_error(publisher_client, brigade):
    response = publisher_client.post(ANNOUNCE, _form(brigade, workers="300"))
    html = response.content.decode()
    select = html.split('name="figure_mission"', 1)[1].split("</select>", 1)[0]
    assert f'value="{brigade.pk}" selected>Brigada Medica Cubana (GTM)' in select


def test_the_preview_names_the_acting_country(editor_client, brigade):
    cuba = make_country(iso3="CUB", name="Cuba")
    form = _form(brigade, kind="statement", actor_countries=[cuba.pk])
    html = editor_client.post(ANNOUNCE, form, follow=True).content.decode()
    assert "Statement by Cuba · Affects Guatemala" in _text(html)


def _text(html: str) -> str:
    return " ".join(unescape(strip_tags(html)).split())


def test_the_preview_says_an_older_event_keeps_the_newer_status(editor_client, brigade):
    Mission.objects.filter(pk=brigade.pk).update(
        status="ended", status_as_of=dt.date(2026, 3, 7)
    )
    form = _form(brigade, date="2026-03-05", new_status="ended")
    html = editor_client.post(ANNOUNCE, form, follow=True).content.decode()
    expected = "Brigada Medica Cubana (Guatemala): status Ended (since 7 Mar 2026) kept"
    assert f"{expected}: this event is older" in _text(html)


def test_the_preview_lists_a_status_change_and_an_end(editor_client, brigade):
    form = _form(brigade, new_status="ended", end="2026-02")
    html = editor_client.post(ANNOUNCE, form, follow=True).content.decode()
    assert "status Active → Ended, end Feb 2026" in _text(html)
