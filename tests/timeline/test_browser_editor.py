"""End-to-end, as a new editor would: record Guatemala's announcement and publish it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.browser_support import Visit
from tests.factories import make_mission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long and unguessable password"
TITLE = "Guatemala announces phase-out of Cuban medical brigade"


@pytest.fixture
def guatemala(brigade):
    """Guatemala before the announcement, with its statistics computed."""
    from dashboard.services import statistics_refresh

    statistics_refresh()
    # A long name: a plain select as wide as its longest option ran off the form.
    long_name = "Tripartite health cooperation agreement " * 5
    make_mission(country=brigade.country, name=long_name.strip(), status="ended")
    return brigade


@pytest.fixture
def publisher_account(publisher) -> User:
    publisher.username = "newcomer"
    publisher.set_password(PASSWORD)
    publisher.save()
    return publisher


def _log_in(visit: Visit) -> None:
    visit.open("/admin/login/")
    visit.page.fill("#id_username", "newcomer")
    visit.page.fill("#id_password", PASSWORD)
    visit.page.click("input[type=submit]")
    visit.page.wait_for_selector("#content-main")


def _fill_announcement(visit: Visit) -> None:
    page = visit.page
    page.fill("#id_date", "2026-02-13")
    page.select_option("#id_kind", "termination")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "The health ministry will end the brigade during 2026.")
    visit.pick("affected_country", "guate", "Guatemala")
    visit.pick("actor_countries", "guate", "Guatemala")
    page.fill("#id_source_url", "https://www.prensalibre.com/guatemala/medicos-cubanos")
    page.fill("#id_source_publisher", "Prensa Libre")
    visit.pick("affected_missions", "brigada", "Brigada Medica Cubana (GTM)")
    page.select_option("#id_new_status", "phasing-out")
    visit.pick("figure_mission", "brigada", "Brigada Medica Cubana (GTM)")
    page.fill("#id_workers", "412")
    page.fill("#id_doctors", "333")
    page.fill("#id_reason", "Health ministry statement of 13 Feb 2026")


def _assert_fits_the_form(visit: Visit, name: str) -> None:
    fieldset = visit.page.locator(f".field-{name}").bounding_box()
    widget = visit.page.locator(f"#id_{name} + .select2").bounding_box()
    assert widget["x"] + widget["width"] <= fieldset["x"] + fieldset["width"], name


def test_editor_records_and_publishes_the_guatemala_announcement(
    browser, live_server, guatemala, publisher_account
):
    visit = Visit(browser, live_server)
    _log_in(visit)
    visit.open("/admin/timeline/policyevent/announce/")
    assert visit.page.locator("#id_confirm_duplicate").count() == 0
    _fill_announcement(visit)
    for name in ("affected_country", "affected_missions", "figure_mission"):
        _assert_fits_the_form(visit, name)
    visit.shot("editor-announcement-form")
    visit.page.click("button[value=draft]")
    visit.page.wait_for_selector(".preview-banner")
    assert "Draft preview: not public" in visit.page.inner_text(".preview-banner")
    visit.shot("editor-draft-preview")
    preview = visit.page.url

    visit.open("/timeline/")
    assert TITLE not in visit.page.content()

    visit.page.goto(preview)
    visit.page.click(".publish-form button")
    visit.page.wait_for_selector(".preview-banner")
    assert "Published" in visit.page.inner_text(".preview-banner")

    visit.open("/timeline/")
    assert TITLE in visit.page.inner_text("main")
    assert "Termination by Guatemala" in visit.page.inner_text("main")
    visit.open("/countries/GTM/")
    main = visit.page.inner_text("main")
    assert "Phasing out" in main and "412" in main and "333" in main
    visit.open("/")
    assert "412" in visit.page.inner_text("main")
    visit.shot("editor-dashboard-after-publish")
    assert visit.errors == []
