"""CSV downloads name their columns in the page's language: the stable snake_case
identifiers at the English (unprefixed) URLs, which scripts rely on, and Spanish
words at /es/. The data package keeps the import format in any language."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.utils import translation

from dashboard.downloads import MAP_CSV_HEADER, STAFFING_CSV_HEADER, TOTALS_CSV_HEADER
from dashboard.services.data_package import data_package_build
from missions.views import MISSION_CSV_HEADER
from tests.language_support import get_in
from tests.pages_data import make_host
from timeline.views import EVENT_CSV_HEADER

pytestmark = pytest.mark.django_db

DOWNLOADS = {
    "/?format=csv": MAP_CSV_HEADER,
    "/countries/DOM/?format=csv": STAFFING_CSV_HEADER,
    "/about/?format=csv": TOTALS_CSV_HEADER,
    "/missions/?format=csv": MISSION_CSV_HEADER,
    "/timeline/?format=csv": EVENT_CSV_HEADER,
}
ENGLISH = {
    "/?format=csv": "iso3,country,year_shown,status,best_known_headcount,counts_what,"
    "as_of,over_two_years_old,last_mission,source_publisher,source_url",
    "/countries/DOM/?format=csv": "point,date,date_precision,mission_or_event,"
    "workers,doctors,source_publisher,source_url",
    "/about/?format=csv": "year,series,workers,source_publisher,source_url",
    "/missions/?format=csv": "iso3,country,region,mission,kind,status,start,end,"
    "headcount,headcount_basis,headcount_as_of,headcount_source_publisher,"
    "headcount_source_url,latest_workers,latest_doctors,as_of,source_publisher,"
    "source_url,mission_es",
    "/timeline/?format=csv": "date,title,kind,affected_iso3,actor,summary,figures,"
    "source_urls,publishers,title_es,summary_es",
}


@pytest.fixture
def host():
    return make_host("DOM", "Dominican Republic")


def _header(client, path: str, language: str) -> list[str]:
    response = get_in(client, path, language)
    assert response.status_code == 200, path
    text = b"".join(response.streaming_content).decode()
    return next(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("path", DOWNLOADS)
def test_english_urls_keep_the_snake_case_headers(client, host, path):
    assert _header(client, path, "en") == ENGLISH[path].split(",")


@pytest.mark.parametrize("path", DOWNLOADS)
def test_spanish_urls_give_spanish_headers(client, host, path):
    spanish = _header(client, path, "es")
    english = ENGLISH[path].split(",")
    assert len(spanish) == len(english) == len(DOWNLOADS[path])
    with translation.override("es"):
        assert spanish == [str(column) for column in DOWNLOADS[path]]
    # Every column is translated, and no two share a name.
    assert not set(spanish) & set(english) and len(set(spanish)) == len(spanish)


def test_spanish_map_csv_words(client, host):
    header = _header(client, "/?format=csv", "es")
    assert header[:5] == [
        "Código ISO3",
        "País",
        "Año mostrado",
        "Estado",
        "Mejor cifra conocida de personal",
    ]


def test_the_data_package_keeps_the_import_headers_in_spanish(host):
    with translation.override("es"):
        package = data_package_build()
    with zipfile.ZipFile(io.BytesIO(bytes(package.content))) as archive:
        first = archive.read("countries.csv").decode().splitlines()[0]
        missions = archive.read("missions.csv").decode().splitlines()[0]
    assert first.startswith("iso3,m49,name,name_es,region,")
    assert missions.startswith("iso3,country,region,subregion,mission_name,")
