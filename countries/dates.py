"""Dates known only to the year or month: parsing, storing and showing them honestly.

A partial date is stored as a real date (the first day of its period, so it sorts)
plus a precision; it is always shown at that precision, never as a made-up 1 January.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import models
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from countries.localized import per_language


class Precision(models.TextChoices):
    """How much of a stored date is known."""

    YEAR = "year", _("Year")
    MONTH = "month", _("Month")
    DAY = "day", _("Day")


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(text: str) -> tuple[dt.date, str]:
    """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD` into (date, precision), or ValueError."""
    match = _PARTIAL_DATE.match(text.strip())
    if not match:
        raise ValueError(
            f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"
        )
    year, month, day = match.groups()
    try:
        date = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date ({exc})") from None
    if day:
        return date, Precision.DAY
    return date, Precision.MONTH if month else Precision.YEAR


def format_partial_date(date: dt.date | None, precision: str) -> str:
    """Show a date at its precision in the active language: '1998', 'Feb 2026' or
    '13 Feb 2026' ('feb 2026', '13 feb 2026' in Spanish); '' if None."""
    if date is None:
        return ""
    if precision == Precision.YEAR:
        return str(date.year)
    return _formatted(date, precision)


def _in_language(date: dt.date, precision: str) -> str:
    # Django date-format strings, translated: Spanish writes months in lower case.
    if precision == Precision.MONTH:
        return dateformat.format(date, pgettext("partial date: month", "M Y"))
    return dateformat.format(date, pgettext("partial date: day", "j M Y"))


# Kept per language: a page of 250 host countries formats as many dates, and
# Django's date formatting was most of a row's cost.
_formatted = per_language(_in_language, size=4096)


def iso_partial_date(date: dt.date | None, precision: str) -> str:
    """Write a date back at its precision, as the dataset does: '1998', '2026-02'."""
    if date is None:
        return ""
    if precision == Precision.YEAR:
        return f"{date.year:04d}"
    if precision == Precision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def starts_in_future(date: dt.date | None, today: dt.date | None = None) -> bool:
    """True when even the first day a partial date stands for is after today."""
    return date is not None and date > (today or dt.date.today())


DATED_AFTER_DAYS = 2 * 365


def is_dated(as_of: dt.date | None, today: dt.date | None = None) -> bool:
    """True when a figure is more than two years old; None (unknown) is not dated."""
    if as_of is None:
        return False
    return ((today or dt.date.today()) - as_of).days > DATED_AFTER_DAYS
