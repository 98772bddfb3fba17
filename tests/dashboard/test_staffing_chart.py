"""The staffing chart (`dashboard.staffing`) and its words, on the real dataset's
figures for Guatemala, Venezuela and Brazil: honest lines, every figure reachable,
numbered events and a summary that states the finding."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from dashboard.staffing import (
    GAP_DAYS,
    MISSION_COLOURS,
    event_groups,
    event_levels,
    staffing_chart,
)
from dashboard.staffing_text import source_line, staffing_summary, unit_line
from dashboard.views import _staffing_rows
from missions.models import Mission, StaffingReport
from tests.colour_support import contrast
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db


def rows_of(iso3: str) -> tuple[list[dict], list[dict]]:
    reports = StaffingReport.objects.for_country(iso3)
    return _staffing_rows(reports, PolicyEvent.objects.of_country(iso3))


def _days(a: str, b: str) -> int:
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


def line_segments(figure: dict) -> list[tuple[str, str]]:
    """Every drawn segment (x0, x1) of every trace drawn with lines."""
    segments = []
    for trace in figure["data"]:
        if "lines" in trace["mode"]:
            xs = trace["x"]
            segments += [(a, b) for a, b in zip(xs, xs[1:], strict=False) if a and b]
    return segments


def figure_hovers(figure: dict) -> str:
    return " ".join(
        text
        for trace in figure["data"]
        if trace.get("yaxis") != "y2"
        for text in trace.get("hovertext", [])
    )


def test_guatemala_lines_join_only_figures_under_two_years_apart(real_data):
    figure = staffing_chart(*rows_of("GTM"))
    segments = line_segments(figure)
    assert segments, "figures a year apart are still joined"
    assert all(0 < _days(a, b) < GAP_DAYS for a, b in segments)
    # The 1998 and 2016 figures stand alone: nothing spans 1998-2016.
    assert not any(a < "2016" and b > "1999" for a, b in segments)


def test_venezuela_doctors_53_in_2003_and_11000_in_2026_are_not_joined(real_data):
    figure = staffing_chart(*rows_of("VEN"))
    assert all(_days(a, b) < GAP_DAYS for a, b in line_segments(figure))
    doctors = next(
        t for t in figure["data"] if t.get("name", "").startswith("Doctors only")
    )
    assert doctors["mode"] == "markers" and doctors["y"] == [53, 11000]


def test_disagreeing_figures_for_one_date_stand_side_by_side_unjoined(real_data):
    figure = staffing_chart(*rows_of("GTM"))
    reeve = [t for t in figure["data"] if "Henry Reeve" in t.get("name", "")]
    assert len(reeve) == 1 and sorted(reeve[0]["y"]) == [600, 688]
    assert len(set(reeve[0]["x"])) == 2  # side by side, not one on the other
    group = reeve[0]["legendgroup"]
    assert not [
        t
        for t in figure["data"]
        if t.get("legendgroup") == group and "lines" in t["mode"]
    ]
    assert all("Sources disagree" in h for h in reeve[0]["hovertext"])


def test_figures_that_would_cover_each_other_share_one_tooltip(real_data):
    figures, events = rows_of("GTM")
    figure = staffing_chart(figures, events)
    workers = next(
        t for t in figure["data"] if t.get("name", "").startswith("All staff: B")
    )
    last = workers["hovertext"][-1]
    assert "10 Feb 2026" in last and "23 Feb 2026" in last
    assert "Prensa Libre" in last and "CNN" in last
    assert len(workers["customdata"][-1]["links"]) == 2


@pytest.mark.parametrize("iso3", ["GTM", "VEN", "BRA"])
def test_every_figure_is_in_some_tooltip_with_count_basis_date_and_source(
    real_data, iso3
):
    figures, events = rows_of(iso3)
    hovers = figure_hovers(staffing_chart(figures, events))
    for row in figures:
        for metric, basis in (("workers", "all staff"), ("doctors", "doctors only")):
            if row[metric] is not None:
                said = f"{row[metric]:,} {basis}, {row['as_of_text']}"
                assert said in hovers
                assert row["publisher"].replace("'", "&#39;") in hovers


def test_figure_markers_link_to_their_sources_in_the_shared_shape(real_data):
    figure = staffing_chart(*rows_of("GTM"))
    for trace in figure["data"]:
        for custom in trace.get("customdata", []):
            for link in custom["links"]:
                if trace.get("yaxis") == "y2":
                    assert link["href"].startswith("/timeline/events/")
                    assert link["text"].endswith("→")
                else:
                    assert link["href"].startswith("http")
                    assert link["text"].endswith(" ↗")


def test_events_are_numbered_with_their_own_tooltips_and_close_ones_stack(
    real_data,
):
    figures, events = rows_of("GTM")
    trace = staffing_chart(figures, events)["data"][-1]
    assert trace["text"] == ["1", "2", "3", "4", "5", "6"]
    assert len(set(trace["hovertext"])) == 6
    # 6 Jan, 10 Feb and 13 Feb 2026 are pixels apart: each on its own row.
    assert len(set(trace["y"][3:])) == 3
    assert "Guatemala announces phase-out" in trace["hovertext"][4]
    assert "replacement plan" not in trace["hovertext"][4]


def test_events_of_one_date_share_a_number():
    event = {"date": "2018-11-14", "date_text": "14 Nov 2018", "kind": "other"}
    events = [
        event | {"id": 1, "title": "A", "url": "/timeline/events/1/"},
        event | {"id": 2, "title": "B", "url": "/timeline/events/2/"},
        {**event, "id": 3, "title": "C", "url": "/timeline/events/3/"}
        | {"date": "2018-11-23", "date_text": "23 Nov 2018"},
    ]
    groups = event_groups(events)
    assert [g["number"] for g in groups] == [1, 2]
    assert [e["title"] for e in groups[0]["events"]] == ["A", "B"]
    assert event_levels(groups, span_days=4000) == [0, 1]
    assert event_levels(groups, span_days=100) == [0, 0]


def test_guatemala_summary_states_the_finding(real_data):
    figures, events = rows_of("GTM")
    summary = staffing_summary(figures, event_groups(events))
    assert "grew from 19 (5 Nov 1998) to 440 (25 Aug 2020); 412 (23 Feb 2026)" in (
        summary
    )
    assert "“Guatemala announces phase-out of Cuban medical brigade”" in summary
    assert "Sources disagree on 1 date" in summary
    assert "select" not in summary.lower()


PHASE_OUT = "Guatemala announces phase-out of Cuban medical brigade"


def _summary_in(language: str, iso3: str = "GTM"):
    with translation.override(language):
        figures, events = rows_of(iso3)
        return staffing_summary(figures, event_groups(events))


def test_spanish_summary_marks_the_english_it_quotes(real_data):
    """The release has no Spanish titles or names: a Spanish page quotes the English
    ones, marked lang="en"; once editors give Spanish text, nothing is marked."""
    summary = _summary_in("es")
    assert f'«<span lang="en">{PHASE_OUT}</span>»' in summary
    assert summary.startswith('<span lang="en">')  # the mission's English name
    assert "lang=" not in _summary_in("en")
    PolicyEvent.objects.filter(title=PHASE_OUT).update(title_es="Guatemala anuncia")
    for mission in Mission.objects.filter(country_id="GTM"):
        mission.name_es = f"Misión {mission.pk}"
        mission.save()
    summary = _summary_in("es")
    assert "«Guatemala anuncia»" in summary and summary.startswith("Misión ")
    assert "lang=" not in summary


def test_venezuela_and_brazil_summaries_quote_their_own_figures(real_data):
    ven = staffing_summary(rows_of("VEN")[0], event_groups(rows_of("VEN")[1]))
    assert "fell from 29,255 (Apr 2010) to 14,000 (14 Jan 2026)" in ven
    figures, events = rows_of("BRA")
    bra = staffing_summary(figures, event_groups(events))
    assert "doctors: grew from 400 (24 Aug 2013) to 11,161 (Jun 2014); 8,300" in bra
    assert unit_line(figures) == "Doctors counted by each source (doctors only)."


def test_source_line_names_the_publishers_newest_first(real_data):
    line = source_line(rows_of("GTM")[0])
    assert line.startswith("Sources: Prensa Libre, CNN en Espanol")
    assert "La Hora" in line


def test_mission_colours_meet_three_to_one_against_white():
    assert all(contrast(c, "#ffffff") >= 3 for c in MISSION_COLOURS)


def test_country_page_shows_title_unit_sources_key_and_table_switch(client, real_data):
    response = client.get("/countries/GTM/")
    html = response.content.decode()
    assert "Cuban medical staff in Guatemala, 1998–2026" in html
    assert "circles count all staff, squares doctors only" in html
    assert "Sources: Prensa Libre" in html
    first = PolicyEvent.objects.of_country("GTM").first()
    key = '<li value="1"><span class="date">5 Nov 1998</span> — '
    assert f'{key}<a href="/timeline/events/{first.pk}/">' in html
    assert 'data-view="table" aria-pressed="false"' in html
    chart = html.split('id="chart-heading"')[1].split("</section>")[0]
    assert "<details" not in chart.replace(
        chart[chart.index('<div class="chart-strip"') :], ""
    )
    assert "Select a point" not in html
