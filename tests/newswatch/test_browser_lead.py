"""End-to-end: a new editor opens a news lead and drafts the announcement from it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from newswatch.models import Feed, Lead
from tests.browser_support import Visit
from tests.conftest import editors_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long and unguessable password"
TITLE = "Honduras despide a la brigada médica cubana tras diez años"
URL = "https://diario.example.hn/salud/brigada"


@pytest.fixture
def newcomer(db) -> User:
    user = User.objects.create_user("newcomer", password=PASSWORD, is_staff=True)
    user.groups.add(editors_group())
    return user


@pytest.fixture
def lead(hosts) -> Lead:
    feed = Feed.objects.create(name="Diario", url="https://diario.example.hn/rss")
    lead = Lead.objects.create(
        feed=feed,
        url=URL,
        title=TITLE,
        title_key="honduras despide",
        publisher="Diario de Honduras",
        published_at=dt.datetime(2026, 11, 27, 14, tzinfo=dt.UTC),
        language="es",
        matched="brigada médica cubana",
    )
    lead.countries.set([hosts["HND"], hosts["CUB"]])
    return lead


def test_a_new_editor_drafts_an_announcement_from_a_lead(
    browser, live_server, newcomer, lead
):
    visit = Visit(browser, live_server)
    page = visit.page
    visit.open("/admin/login/")
    page.fill("#id_username", "newcomer")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#content-main")
    page.click("text=Leads")
    page.click(f"text={TITLE}")
    page.wait_for_selector("text=not cited yet")
    page.click("text=Draft an announcement")
    page.wait_for_selector("#id_source_url")
    visit.shot("editor-draft-from-lead")
    assert page.input_value("#id_source_url") == URL
    assert page.input_value("#id_source_publisher") == "Diario de Honduras"
    assert page.input_value("#id_title") == TITLE
    assert page.input_value("#id_source_title") == TITLE
    assert page.input_value("#id_source_published") == "2026-11-27"
    assert page.locator("#id_affected_country option:checked").inner_text() == (
        "Honduras"
    )
    assert page.locator("#id_actor_countries option:checked").inner_text() == "Cuba"
    page.fill("#id_date", "2026-11-27")
    page.select_option("#id_kind", "termination")
    page.fill("#id_summary", "Honduras ends the agreement after ten years.")
    page.click("button[value=draft]")
    page.wait_for_selector(".preview-banner")
    lead.refresh_from_db()
    assert lead.state == Lead.State.DRAFTED
    visit.assert_clean()
