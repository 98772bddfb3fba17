"""The words around a staffing chart: its title, unit, source line and a summary
that states what the figures show. Pure functions over the chart's own rows
(see `dashboard.staffing`); every number quoted comes from a figure. The summary is
HTML: a mission name or event title quoted in English on a Spanish page (no Spanish
text given) is marked `lang="en"`, as elsewhere (`countries.localized`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from countries.charts import number_text
from countries.localized import page_language, text_in
from dashboard.staffing import EXPLAINING_KINDS

METRIC_NOUNS = {
    "workers": gettext_lazy("health workers (all staff)"),
    "doctors": gettext_lazy("doctors"),
}


def staffing_title(country: str, figures: Sequence[dict[str, Any]]) -> str:
    """'Cuban medical staff in Guatemala, 1998–2026'."""
    years = sorted(r["as_of"][:4] for r in figures)
    if not years:
        return _("Cuban medical staff in %(country)s") % {"country": country}
    period = years[0] if years[0] == years[-1] else f"{years[0]}–{years[-1]}"
    return _("Cuban medical staff in %(country)s, %(period)s") % {
        "country": country,
        "period": period,
    }


def unit_line(figures: Sequence[dict[str, Any]]) -> str:
    """What the y axis counts, saying where a series counts doctors only."""
    workers = any(r["workers"] is not None for r in figures)
    doctors = any(r["doctors"] is not None for r in figures)
    if workers and doctors:
        return _(
            "People counted by each source: circles count all staff, "
            "squares doctors only."
        )
    if doctors:
        return _("Doctors counted by each source (doctors only).")
    return _("People counted by each source (all staff).")


def source_line(figures: Sequence[dict[str, Any]]) -> str:
    """'Sources: Prensa Libre, La Hora, …', newest figure's publisher first."""
    newest_first = sorted(figures, key=lambda r: r["as_of"], reverse=True)
    names = list(dict.fromkeys(r["publisher"] for r in newest_first))
    if not names:
        return ""
    return ngettext("Source: %(names)s.", "Sources: %(names)s.", len(names)) % {
        "names": ", ".join(names)
    }


def _main_series(figures: Sequence[dict[str, Any]]) -> tuple[str, str] | None:
    """The mission and count with the most figures (all staff before doctors on
    a tie, then the one that runs latest): the one the summary describes."""
    counts: dict[tuple[str, str], list[str]] = {}
    for row in figures:
        for metric in METRIC_NOUNS:
            if row[metric] is not None:
                counts.setdefault((row["mission"], metric), []).append(row["as_of"])
    if not counts:
        return None
    return max(
        counts,
        key=lambda k: (len(counts[k]), k[1] == "workers", max(counts[k])),
    )


def _by_date(rows: list[dict[str, Any]], metric: str) -> list[tuple[str, str, int]]:
    """(as_of, as_of_text, value) per date; the larger value where sources
    disagree, quoted as a range."""
    dated: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: r["as_of"]):
        dated.setdefault(row["as_of"], []).append(row)
    return [
        (day, rs[0]["as_of_text"], max(r[metric] for r in rs))
        for day, rs in dated.items()
    ]


def _value(rows: list[dict[str, Any]], metric: str, as_of: str) -> str:
    values = sorted({r[metric] for r in rows if r["as_of"] == as_of})
    return "–".join(number_text(v) for v in values)


def _trend(points: list[tuple[str, str, int]], rows, metric: str) -> str:
    first, last = points[0], points[-1]
    peak = max(points, key=lambda p: p[2])

    def at(p: tuple[str, str, int]) -> str:
        return f"{_value(rows, metric, p[0])} ({p[1]})"

    if len(points) == 1:
        return _("one figure: %(first)s") % {"first": at(first)}
    if peak not in (first, last):
        words = {"first": at(first), "peak": at(peak), "last": at(last)}
        if peak[2] > first[2]:
            return _("grew from %(first)s to %(peak)s; %(last)s") % words
        return _("changed from %(first)s to %(peak)s; %(last)s") % words
    words = {"first": at(first), "last": at(last)}
    if last[2] > first[2]:
        return _("grew from %(first)s to %(last)s") % words
    if last[2] < first[2]:
        return _("fell from %(first)s to %(last)s") % words
    return _("%(first)s and again %(last)s") % words


def _explaining_event(
    points: list[tuple[str, str, int]], groups: Sequence[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The latest event, of a kind that changes a mission, dated after the last
    figure that differs from the latest one and not after the latest: it may
    explain the latest change."""
    latest = points[-1]
    changed = [p for p in points if p[2] != latest[2]]
    if not changed:
        return None
    after, until = changed[-1][0], latest[0]
    found = [
        (g, e)
        for g in groups
        for e in g["events"]
        if after < e["date"] <= until and e.get("kind") in EXPLAINING_KINDS
    ]
    return found[-1] if found else None


def _html(template: str, **values: Any) -> SafeString:
    """A translated sentence with `%(name)s` placeholders, as HTML: the sentence and
    each value escaped, values already marked up (`text_in`) kept."""
    escaped = {name: conditional_escape(value) for name, value in values.items()}
    return mark_safe(escape(template) % escaped)


def staffing_summary(
    figures: Sequence[dict[str, Any]], groups: Sequence[dict[str, Any]]
) -> SafeString:
    """What the chart shows, in words: the main series' first, peak and latest
    figures, the event that may explain the latest change, and what else is drawn."""
    main = _main_series(figures)
    if main is None:
        n = sum(len(g["events"]) for g in groups)
        return conditional_escape(
            ngettext(
                "No sourced staffing figure; %(n)s event shown.",
                "No sourced staffing figure; %(n)s events shown.",
                n,
            )
            % {"n": n}
        )
    mission, metric = main
    rows = [r for r in figures if r["mission"] == mission and r[metric] is not None]
    points = _by_date(rows, metric)
    # Rows without a language (not from `figure_row`) are taken as the page's.
    named = text_in(mission, rows[0].get("mission_lang") or page_language())
    text = format_html(
        "{}, {}: {}", named, METRIC_NOUNS[metric], _trend(points, rows, metric)
    )
    found = _explaining_event(points, groups)
    if found:
        group, event = found
        text += _html(
            _(", after event %(number)s, “%(title)s” (%(date)s)"),
            number=group["number"],
            title=text_in(event["title"], event.get("title_lang") or page_language()),
            date=group["date_text"],
        )
    text += "."
    others = {
        (r["mission"], m) for r in figures for m in METRIC_NOUNS if r[m] is not None
    } - {main}
    if others:
        text += " " + escape(
            ngettext(
                "%(n)s other series drawn; the table lists every figure.",
                "%(n)s other series drawn; the table lists every figure.",
                len(others),
            )
            % {"n": len(others)}
        )
    disputed = _disputed_dates(figures)
    if disputed:
        text += " " + escape(
            ngettext(
                "Sources disagree on %(n)s date, drawn side by side.",
                "Sources disagree on %(n)s dates, drawn side by side.",
                disputed,
            )
            % {"n": disputed}
        )
    # Every part above is escaped HTML.
    return mark_safe(text)


def _disputed_dates(figures: Sequence[dict[str, Any]]) -> int:
    seen: dict[tuple[str, str], set] = {}
    for row in figures:
        key = (row["mission"], row["as_of"])
        seen.setdefault(key, set()).add((row["workers"], row["doctors"]))
    return sum(1 for values in seen.values() if len(values) > 1)
