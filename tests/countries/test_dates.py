"""Dates known to the year or month are shown at that precision, never as 1 January."""

import datetime as dt

import pytest
from django.template import Context, Template

from countries.dates import Precision, format_partial_date, parse_partial_date


@pytest.mark.parametrize(
    ("text", "shown"),
    [("1998", "1998"), ("2026-02", "Feb 2026"), ("2026-02-13", "13 Feb 2026")],
)
def test_renders_at_its_precision(text, shown):
    date, precision = parse_partial_date(text)
    assert format_partial_date(date, precision) == shown


def test_year_precision_is_not_shown_as_first_of_january():
    date, precision = parse_partial_date("1998")
    assert precision == Precision.YEAR
    assert "1 Jan" not in format_partial_date(date, precision)


@pytest.mark.parametrize(
    "text", ["98", "2026-13", "2026-02-30", "13/02/2026", "", "2026-2"]
)
def test_rejects_malformed_dates(text):
    with pytest.raises(ValueError):
        parse_partial_date(text)


def test_template_filters_show_unknown_not_zero():
    html = Template(
        "{% load countries_tags %}{{ none|count }} {{ zero|count }} {{ big|count }} "
        "{{ d|partial_date:'month' }}"
    ).render(Context({"none": None, "zero": 0, "big": 29255, "d": dt.date(2026, 2, 1)}))
    assert html == "unknown 0 29,255 Feb 2026"
