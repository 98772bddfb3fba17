"""Bulk upload in the admin: events and staffing figures, checked as import_dataset."""

from __future__ import annotations

import datetime as dt

import pytest
import tablib
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from import_export.exceptions import ImportError as RowImportError

from countries.models import Country
from missions.models import SOURCE_URL_MESSAGE, Mission, Source, StaffingReport
from missions.resources import StaffingReportResource
from tests.factories import make_country, make_mission, make_report, make_source
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db

EVENTS_URL = "/admin/timeline/policyevent/import/"
REPORTS_URL = "/admin/missions/staffingreport/import/"
EVENTS_HEADER = (
    "date,title,kind,actor,affected_iso3,summary,figures,source_url,publisher,published"
)
EVENTS_CSV = f"""{EVENTS_HEADER}
2026-01-06,Guatemala notifies Cuba of the end of the programme,termination,GTM,GTM,\
"The foreign ministry sent a note ending the brigade.",,\
https://news.example.org/gtm-note,Example News,2026-01-06
2026-02,Honduras reviews its agreement,statement,HND;CARICOM,HND,\
"The health ministry said it would review the terms.",about 170 workers,\
https://news.example.org/hnd-review,Example Daily,2026-02
"""
MISSIONS_HEADER = (
    "iso3,country,region,subregion,mission_name,kind,start,end,status,status_as_of,"
    "as_of,workers,doctors,other_staff,source_url,publisher,published,notes"
)


@pytest.fixture
def countries() -> None:
    for iso3, name in (("GTM", "Guatemala"), ("HND", "Honduras"), ("BRA", "Brazil")):
        make_country(iso3=iso3, name=name)


def _upload(client: Client, url: str, text: str, name: str = "upload.csv"):
    """The preview step: post the file as the upload page's form does."""
    upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(url, {"resource": "0", "format": "0", "import_file": upload})


def _confirm(client: Client, preview, url: str):
    """The confirm step: post the hidden form the preview page offers."""
    form = preview.context["confirm_form"]
    return client.post(url.replace("/import/", "/process_import/"), form.initial)


def _import_types(preview) -> list[str]:
    return [row.import_type for row in preview.context["result"].rows]


def _row_errors(preview) -> list[tuple[int, str]]:
    return [
        (line, str(error.error))
        for line, errors in preview.context["result"].row_errors()
        for error in errors
    ]


def _mission_row(mission: Mission, source_url: str, **values: str) -> str:
    fields = {
        "iso3": mission.country_id,
        "country": "",
        "region": "",
        "subregion": "",
        "mission_name": mission.name,
        "kind": mission.kind,
        "start": "",
        "end": "",
        "status": "active",
        "status_as_of": "",
        "as_of": "2025-01-01",
        "workers": "100",
        "doctors": "80",
        "other_staff": "",
        "source_url": source_url,
        "publisher": "Example News",
        "published": "2025-01-02",
        "notes": "",
    }
    fields.update(values)
    return ",".join(fields.values())


def test_editor_uploads_events_as_drafts(editor_client: Client, countries) -> None:
    preview = _upload(editor_client, EVENTS_URL, EVENTS_CSV)

    assert preview.status_code == 200
    assert _import_types(preview) == ["new", "new"]
    assert preview.content.decode().count('<td class="import-type">\n') == 2
    assert b"New" in preview.content and b"Confirm import" in preview.content
    assert PolicyEvent.objects.count() == 0  # the preview writes nothing

    response = _confirm(editor_client, preview, EVENTS_URL)

    assert response.status_code == 302
    events = PolicyEvent.objects.order_by("date")
    assert [e.is_published for e in events] == [False, False]
    guatemala, honduras = events
    assert guatemala.date == dt.date(2026, 1, 6)
    assert honduras.date_precision == "month"
    assert honduras.actor_organisation == "CARICOM"
    assert {c.iso3 for c in honduras.actor_countries.all()} == {"HND"}
    assert honduras.sources.get().publisher == "Example Daily"
    first = guatemala.history.earliest()
    assert first.history_change_reason == "bulk upload"
    assert first.history_user.username == "editor"


def test_publisher_uploads_published_events(
    editor: User, editor_client: Client, countries
) -> None:
    editor.user_permissions.add(Permission.objects.get(codename="publish_policyevent"))
    preview = _upload(editor_client, EVENTS_URL, EVENTS_CSV)
    _confirm(editor_client, preview, EVENTS_URL)

    assert PolicyEvent.objects.filter(is_published=True).count() == 2


def test_reupload_skips_unchanged_events(editor_client: Client, countries) -> None:
    _confirm(editor_client, _upload(editor_client, EVENTS_URL, EVENTS_CSV), EVENTS_URL)
    history = PolicyEvent.history.count()

    preview = _upload(editor_client, EVENTS_URL, EVENTS_CSV)

    assert _import_types(preview) == ["skip", "skip"]
    assert preview.content.decode().count("Skipped") == 2
    _confirm(editor_client, preview, EVENTS_URL)
    assert PolicyEvent.objects.count() == 2
    assert Source.objects.count() == 2
    assert PolicyEvent.history.count() == history


def test_reupload_updates_changed_event_without_publishing(
    editor_client: Client, countries
) -> None:
    _confirm(editor_client, _upload(editor_client, EVENTS_URL, EVENTS_CSV), EVENTS_URL)
    PolicyEvent.objects.filter(kind="termination").update(is_published=True)
    changed = EVENTS_CSV.replace("about 170 workers", "about 172 workers")

    preview = _upload(editor_client, EVENTS_URL, changed)

    assert _import_types(preview) == ["skip", "update"]
    _confirm(editor_client, preview, EVENTS_URL)
    assert PolicyEvent.objects.get(figures="about 172 workers").is_published is False
    assert PolicyEvent.objects.get(kind="termination").is_published is True
    assert PolicyEvent.objects.count() == 2


def test_bad_staffing_rows_are_listed_by_line_and_nothing_is_written(
    editor_client: Client, countries
) -> None:
    mission = make_mission(country=Country.objects.get(iso3="BRA"))
    make_report(mission=mission)
    counts = (
        Mission.objects.count(),
        StaffingReport.objects.count(),
        Source.objects.count(),
    )
    url = "https://news.example.org/bra"
    text = "\n".join(
        [
            MISSIONS_HEADER,
            _mission_row(mission, url, workers="5", doctors="9"),
            _mission_row(mission, url, iso3="ZZZ", as_of="2024-01-01"),
            _mission_row(mission, url, as_of="2024-13-45"),
            _mission_row(mission, "", as_of="2023-01-01"),
            _mission_row(mission, url, as_of="2022-01-01"),  # a good row
        ]
    )

    preview = _upload(editor_client, REPORTS_URL, text)

    errors = _row_errors(preview)
    assert errors == [
        (2, "doctors (9) exceed workers (5)"),
        (3, "unknown ISO code 'ZZZ'"),
        (4, "as_of '2024-13-45' is not a real date (month must be in 1..12)"),
        (5, "source_url is missing"),
    ]
    assert "Line number: 2 - doctors (9) exceed workers (5)" in preview.content.decode()
    assert "confirm_form" not in preview.context
    assert b"Confirm import" not in preview.content
    after = (
        Mission.objects.count(),
        StaffingReport.objects.count(),
        Source.objects.count(),
    )
    assert after == counts


def test_confirming_a_bad_file_writes_nothing(countries) -> None:
    """Even a forged confirm (no preview) rolls the whole file back."""
    mission = make_mission(country=make_country(iso3="CHL", name="Chile"))
    url = "https://news.example.org/chl"
    text = "\n".join(
        [
            MISSIONS_HEADER,
            _mission_row(mission, url, as_of="2022-01-01"),
            _mission_row(mission, url, workers="5", doctors="9"),
        ]
    )
    dataset = tablib.Dataset().load(text, format="csv")

    with pytest.raises(RowImportError):
        StaffingReportResource().import_data(dataset, dry_run=False)

    assert StaffingReport.objects.count() == 0
    assert Source.objects.count() == 0


def test_line_numbers_count_quoted_line_breaks(
    editor_client: Client, countries
) -> None:
    mission = make_mission(country=make_country(iso3="CHL", name="Chile"))
    url = "https://news.example.org/chl"
    text = "\n".join(
        [
            MISSIONS_HEADER,
            _mission_row(mission, url, notes='"two\nlines"'),
            _mission_row(mission, url, as_of="2024-01-01", workers="-1"),
        ]
    )

    preview = _upload(editor_client, REPORTS_URL, text)

    assert _row_errors(preview) == [(4, "workers (-1) is negative")]


def test_each_reason_is_listed_on_its_own(editor_client: Client, countries) -> None:
    mission = make_mission(country=Country.objects.get(iso3="BRA"))
    text = "\n".join(
        [MISSIONS_HEADER, _mission_row(mission, "", doctors="900", publisher="")]
    )

    preview = _upload(editor_client, REPORTS_URL, text)

    assert _row_errors(preview) == [
        (2, "source_url is missing"),
        (2, "publisher is missing"),
        (2, "doctors (900) exceed workers (100)"),
    ]


@pytest.mark.parametrize("url", ["ftp://news.example.org/bra", "javascript:alert(1)"])
def test_a_source_url_that_is_not_a_web_address_is_refused(
    editor_client: Client, countries, url: str
) -> None:
    mission = make_mission(country=Country.objects.get(iso3="BRA"))
    events = EVENTS_CSV.replace("https://news.example.org/hnd-review", url)
    reports = "\n".join([MISSIONS_HEADER, _mission_row(mission, url)])

    for page, text, line in ((EVENTS_URL, events, 3), (REPORTS_URL, reports, 2)):
        preview = _upload(editor_client, page, text)
        assert _row_errors(preview) == [(line, f"source_url: {SOURCE_URL_MESSAGE}")]
        assert "confirm_form" not in preview.context

    assert not Source.objects.exists()
    assert not (PolicyEvent.objects.exists() or StaffingReport.objects.exists())


def test_missing_columns_are_reported_on_the_header_line(editor_client: Client) -> None:
    preview = _upload(editor_client, REPORTS_URL, "iso3,workers\nBRA,10\n")

    [(line, message)] = _row_errors(preview)
    assert line == 1 and message.startswith("missing required columns: mission_name")
    assert "confirm_form" not in preview.context


def test_staffing_row_updates_the_existing_report(
    editor_client: Client, countries
) -> None:
    source = make_source(url="https://news.example.org/bra")
    mission = make_mission(country=make_country(iso3="CUB", name="Cuba"))
    report = make_report(mission=mission, source=source, workers=100, doctors=80)
    text = "\n".join(
        [
            MISSIONS_HEADER,
            _mission_row(mission, source.url, workers="120", notes="Recount."),
        ]
    )

    preview = _upload(editor_client, REPORTS_URL, text)

    assert _import_types(preview) == ["update"]
    _confirm(editor_client, preview, REPORTS_URL)
    report.refresh_from_db()
    assert (report.workers, report.doctors, report.note) == (120, 80, "Recount.")
    assert StaffingReport.objects.count() == 1
    assert report.history.first().history_change_reason == "bulk upload"
    assert list(mission.sources.all()) == [source]


def test_staffing_row_creates_mission_and_source(
    editor_client: Client, countries
) -> None:
    text = (
        f"{MISSIONS_HEADER}\n"
        "HND,Honduras,Americas,Central America,Honduras brigade,bilateral_paid,"
        "2024-06,,active,2025-05,2025-05,172,150,,https://news.example.org/hnd,"
        'Example Daily,2025-05-20,"Mission: Contract. | Figure: Count."\n'
    )

    preview = _upload(editor_client, REPORTS_URL, text)
    assert _import_types(preview) == ["new"]
    _confirm(editor_client, preview, REPORTS_URL)

    report = StaffingReport.objects.get()
    assert report.mission.name == "Honduras brigade"
    assert report.mission.summary == "Contract."
    assert report.note == "Count."
    assert report.source.publisher == "Example Daily"
    assert list(report.mission.sources.all()) == [report.source]


def test_uploads_reuse_a_source_on_file_by_its_url(
    editor_client: Client, countries
) -> None:
    on_file = make_source(url="https://news.example.org/hnd-review", publisher="AFP")
    mission = make_mission(country=Country.objects.get(iso3="BRA"))
    reports = "\n".join([MISSIONS_HEADER, _mission_row(mission, on_file.url)])

    for url, text in ((REPORTS_URL, reports), (EVENTS_URL, EVENTS_CSV)):
        _confirm(editor_client, _upload(editor_client, url, text), url)

    assert StaffingReport.objects.get().source == on_file
    assert PolicyEvent.objects.get(kind="statement").sources.get() == on_file
    assert Source.objects.filter(url=on_file.url).count() == 1
    on_file.refresh_from_db()
    assert on_file.publisher == "AFP"  # reused as it is, not renamed by the rows


def test_import_needs_the_add_permission(client: Client) -> None:
    staff = User.objects.create_user("staff", is_staff=True)
    client.force_login(staff)

    assert client.get(EVENTS_URL).status_code == 403
