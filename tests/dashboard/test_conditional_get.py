"""Public pages answer a repeat visit with 304 until the data or statistics change."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dashboard.middleware import code_version
from dashboard.services import statistics_refresh
from tests.factories import make_country, make_mission, make_report

pytestmark = pytest.mark.django_db
PAGES = [
    "/", "/missions/", "/timeline/", "/countries/GTM/", "/about/", "/changes/",
    "/missions/?format=csv", "/?format=csv", "/timeline/?format=csv", "/timeline/feed/",
]  # fmt: skip


@pytest.fixture
def report():
    mission = make_mission(country=make_country(iso3="GTM", name="Guatemala"))
    report = make_report(mission=mission, workers=420, doctors=336)
    statistics_refresh()
    return report


@pytest.mark.parametrize("path", PAGES)
def test_repeat_visit_is_304_until_an_edit(client, report, path):
    first = client.get(path)
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    report.workers = 412
    report.save()
    statistics_refresh()
    again = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag


def test_each_filtered_view_has_its_own_etag(client, report):
    assert client.get("/")["ETag"] != client.get("/?region=americas")["ETag"]


def test_dashboard_shows_the_new_figure_after_the_edit(client, report):
    etag = client.get("/")["ETag"]
    report.workers = 412
    report.save()
    statistics_refresh()
    response = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert "412" in response.content.decode()


def test_every_process_of_one_release_sends_the_same_etag():
    """Gunicorn runs several processes; each must compute the same ETag, or about
    half of all revalidations miss (each process stamped its own start time)."""
    code = "from dashboard.middleware import code_version; print(code_version())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    other = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert other.stdout.strip() == code_version()
