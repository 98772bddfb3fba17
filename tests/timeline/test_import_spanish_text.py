"""The optional Spanish columns: import_dataset, the admin's bulk upload and the
CSV downloads. A file without them keeps the Spanish text on file."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from countries.models import Country
from missions.models import Mission
from tests.factories import make_country, make_event, make_mission
from tests.import_support import run_import, write_csv
from tests.timeline.test_import_dataset import COUNTRY, EVENT, MISSION, import_errors
from tests.timeline.test_import_dataset import write_dataset as write_english
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db

EVENT_ES = {"title_es": "Guatemala anuncia el fin gradual", "summary_es": "En etapas."}
MISSION_ES = {
    "mission_name_es": "Brigada Médica Cubana",
    "mission_summary_es": "Comenzó tras el huracán Mitch.",
}


def write_dataset(folder, *, missions=None, events=None, countries=None):
    """The small dataset of test_import_dataset, with any Spanish columns the
    overrides name added to countries.csv, missions.csv and events.csv."""
    write_english(folder)
    for name, default, rows in (
        ("countries.csv", COUNTRY, countries),
        ("missions.csv", MISSION, missions),
        ("events.csv", EVENT, events),
    ):
        rows = [{**default, **row} for row in rows or [{}]]
        columns = list(dict.fromkeys(key for row in rows for key in row))
        write_csv(folder / name, rows, columns)
    return folder


def test_reads_the_spanish_columns(tmp_path):
    write_dataset(tmp_path, missions=[MISSION_ES], events=[EVENT_ES])
    run_import(tmp_path)
    event = PolicyEvent.objects.get()
    assert (event.title_es, event.summary_es) == tuple(EVENT_ES.values())
    mission = Mission.objects.get()
    assert (mission.name_es, mission.summary_es) == tuple(MISSION_ES.values())
    assert mission.history.latest().name_es == MISSION_ES["mission_name_es"]


def test_without_the_columns_new_rows_are_blank(tmp_path):
    write_dataset(tmp_path)
    run_import(tmp_path)
    assert PolicyEvent.objects.get().title_es == ""
    assert Mission.objects.get().name_es == ""


def test_without_the_columns_stored_spanish_text_is_kept(tmp_path):
    write_dataset(tmp_path / "es", missions=[MISSION_ES], events=[EVENT_ES])
    run_import(tmp_path / "es")
    write_dataset(tmp_path / "old")  # a release written before the columns
    assert "No changes." in run_import(tmp_path / "old")
    assert PolicyEvent.objects.get().title_es == EVENT_ES["title_es"]
    assert Mission.objects.get().name_es == MISSION_ES["mission_name_es"]


def test_a_blank_spanish_cell_clears_the_stored_text(tmp_path):
    write_dataset(tmp_path / "es", events=[EVENT_ES])
    run_import(tmp_path / "es")
    write_dataset(tmp_path / "blank", events=[{"title_es": "", "summary_es": ""}])
    output = run_import(tmp_path / "blank")
    assert "updated event" in output
    assert PolicyEvent.objects.get().title_es == ""


def test_a_too_long_spanish_title_is_refused_by_line(tmp_path):
    write_dataset(tmp_path, events=[{"title_es": "x" * 301}])
    message = import_errors(tmp_path)
    assert "events.csv line 2: title_es is longer than 300 characters" in message
    assert not PolicyEvent.objects.exists()


def test_rows_of_one_mission_must_agree_on_its_spanish_name(tmp_path):
    second = {**MISSION_ES, "as_of": "2025", "mission_name_es": "Otra"}
    write_dataset(tmp_path, missions=[MISSION_ES, second])
    message = import_errors(tmp_path)
    assert "missions.csv line 3: mission_name_es 'Otra' disagrees with line 2" in (
        message
    )


def test_two_missions_of_a_country_cannot_share_a_spanish_name(tmp_path):
    other = {**MISSION_ES, "mission_name": "Eye programme", "mission_summary_es": ""}
    write_dataset(tmp_path, missions=[MISSION_ES, other])
    message = import_errors(tmp_path)
    assert (
        "missions.csv line 3: mission_name_es 'Brigada Médica Cubana' is also the "
        f"Spanish name of {MISSION['mission_name']!r} (line 2)"
    ) in message
    assert not Mission.objects.exists()


# The admin's bulk upload of events.


def _events_csv(**spanish: str) -> str:
    rows = [{**EVENT, **spanish}]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _upload_and_confirm(client, text: str):
    url = "/admin/timeline/policyevent/import/"
    upload = SimpleUploadedFile("events.csv", text.encode(), content_type="text/csv")
    preview = client.post(url, {"resource": "0", "format": "0", "import_file": upload})
    assert preview.status_code == 200
    form = preview.context["confirm_form"]
    client.post(url.replace("/import/", "/process_import/"), form.initial)
    return preview


def test_bulk_upload_reads_the_spanish_columns(editor_client):
    make_country(iso3="GTM", name="Guatemala")
    preview = _upload_and_confirm(editor_client, _events_csv(**EVENT_ES))
    assert "title_es" in preview.content.decode()  # a preview column
    event = PolicyEvent.objects.get()
    assert (event.title_es, event.summary_es) == tuple(EVENT_ES.values())
    _upload_and_confirm(editor_client, _events_csv())  # no Spanish columns
    assert PolicyEvent.objects.get().title_es == EVENT_ES["title_es"]


def test_upload_page_lists_the_optional_columns(editor_client):
    html = editor_client.get("/admin/timeline/policyevent/import/").content.decode()
    assert "title_es" in html and "summary_es" in html
    html = editor_client.get("/admin/missions/staffingreport/import/").content.decode()
    assert "mission_name_es" in html and "mission_summary_es" in html


# The CSV downloads.


def _csv(client, url: str) -> list[dict]:
    response = client.get(url)
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_events_csv_carries_the_spanish_text(client):
    make_event(title="Brigade leaves", title_es="La brigada se va", summary_es="Sí.")
    (row,) = _csv(client, "/timeline/?format=csv")
    assert (row["title"], row["title_es"], row["summary_es"]) == (
        "Brigade leaves",
        "La brigada se va",
        "Sí.",
    )


def test_missions_csv_carries_the_spanish_name(client):
    make_mission(name="Cuban Medical Brigade", name_es="Brigada Médica Cubana")
    (row,) = _csv(client, "/missions/?format=csv")
    assert (row["mission"], row["mission_es"]) == (
        "Cuban Medical Brigade",
        "Brigada Médica Cubana",
    )


def test_reads_a_countrys_spanish_name_and_keeps_it_without_the_column(tmp_path):
    write_dataset(tmp_path / "es", countries=[{"name_es": "Guatemala (es)"}])
    run_import(tmp_path / "es")
    assert Country.objects.get().name_es == "Guatemala (es)"
    write_dataset(tmp_path / "old")  # countries.csv as it was before the column
    assert "No changes." in run_import(tmp_path / "old")
    assert Country.objects.get().name_es == "Guatemala (es)"
    write_dataset(tmp_path / "blank", countries=[{"name_es": ""}])
    assert "updated country" in run_import(tmp_path / "blank")
    assert Country.objects.get().name_es == ""


def test_a_too_long_spanish_country_name_is_refused_by_line(tmp_path):
    write_dataset(tmp_path, countries=[{"name_es": "x" * 101}])
    message = import_errors(tmp_path)
    assert "countries.csv line 2: name_es is longer than 100 characters" in message
