"""The map's colours meet WCAG 1.4.11 (3:1 for graphics), computed from the chart's
own constants, and the status badges that share them stay readable (4.5:1)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from dashboard.charts import LAND_COLOUR, LEGEND_ORDER, STATUS_COLOURS
from missions.models import Mission

INK, WHITE = "#1b1f24", "#ffffff"


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    low, high = sorted([luminance(a), luminance(b)])
    return (high + 0.05) / (low + 0.05)


def _legend_colours() -> list[tuple[str, str]]:
    return [
        ("land", LAND_COLOUR) if s is None else (s, STATUS_COLOURS[s])
        for s in LEGEND_ORDER
    ]


def test_every_status_fill_is_3_to_1_against_the_land():
    for status, colour in STATUS_COLOURS.items():
        assert contrast(colour, LAND_COLOUR) >= 3, status


def test_every_legend_entry_is_3_to_1_against_its_neighbours():
    entries = _legend_colours()
    assert {s for s, _ in entries} == {*Mission.Status.values, "land"}
    for (a, colour_a), (b, colour_b) in zip(entries, entries[1:], strict=False):
        assert contrast(colour_a, colour_b) >= 3, (a, b)


def test_current_statuses_are_stronger_than_ended():
    ended = luminance(STATUS_COLOURS[Mission.Status.ENDED])
    for status in [Mission.Status.ACTIVE, Mission.Status.SUSPENDED]:
        assert luminance(STATUS_COLOURS[status]) < ended / 2, status


def test_badges_share_the_map_colours_and_their_text_stays_readable():
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    variables = dict(re.findall(r"--([a-z-]+): (#[0-9a-f]{6})", css))
    assert variables["land"] == LAND_COLOUR
    for status, colour in STATUS_COLOURS.items():
        assert variables[status] == colour, status
        rule = re.search(rf"\.status-{status} \{{([^}}]*)\}}", css).group(1)
        text = INK if "var(--ink)" in rule else WHITE
        assert contrast(text, colour) >= 4.5, status
