"""Template filters shared by every page: unknown counts, partial dates, statuses."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from countries.citations import citation, filter_title
from countries.dates import format_partial_date, is_dated
from countries.localized import local_html, local_text, text_in
from countries.m49 import area_name

register = template.Library()


@register.filter
def count(value: int | None) -> str:
    """A head count with thousands separators; None is 'unknown', never zero."""
    if value is None:
        return _("unknown")
    return intcomma(value)


@register.filter
def partial_date(value: dt.date | None, precision: str) -> str:
    """Show a date at its precision: {{ r.as_of|partial_date:r.as_of_precision }}."""
    return format_partial_date(value, precision) or _("unknown")


@register.filter(name="area_name")
def area_name_filter(value: str) -> str:
    """An M49 region or sub-region name in the active language."""
    return area_name(value)


@register.filter(name="is_dated")
def is_dated_filter(as_of: dt.date | None, today: dt.date | None = None) -> bool:
    """True when a figure is more than two years old (`countries.dates.is_dated`)."""
    return is_dated(as_of, today)


@register.inclusion_tag("includes/sort_header.html", takes_context=True)
def sort_header(
    context: dict, key: str, label: str, first: str = "", num: bool = False
) -> dict:
    """A column header that sorts its table by `key` and says how it is sorted.

    A click on the sorted column reverses it; on another column it sorts that one,
    descending first when `first` is "-". Filters are kept; the page is not.
    """
    request = context["request"]
    current = request.GET.get("sort") or "country"
    if current == key:
        aria, target = "ascending", f"-{key}"
    elif current == f"-{key}":
        aria, target = "descending", key
    else:
        aria, target = "", f"{first}{key}"
    query = request.GET.copy()
    for name in ("page", "format"):
        query.pop(name, None)
    query["sort"] = target
    kept = [(k, v) for k in query for v in query.getlist(k) if v]
    return {"label": label, "aria": aria, "href": "?" + urlencode(kept), "num": num}


@register.filter
def usd(value: int | None) -> str:
    """A large sum of US dollars in words a reader can quote: 'USD 4.9 billion'."""
    if value is None:
        return _("unknown")
    if value >= 1_000_000_000:
        amount = number_format(value / 1_000_000_000, 1)
        return _("USD %(amount)s billion") % {"amount": amount}
    if value >= 1_000_000:
        amount = number_format(value / 1_000_000, 1)
        return _("USD %(amount)s million") % {"amount": amount}
    return f"USD {intcomma(value)}"


@register.simple_tag
def view_title(filterset: object, subject: str) -> str:
    """The view's name with its active filters: "Cuban medical missions in Africa"."""
    return filter_title(filterset, subject)  # type: ignore[arg-type]


@register.inclusion_tag("includes/cite.html", takes_context=True)
def cite(context: dict, title: str) -> dict:
    """A "Cite this" block for the current view: its full URL (filters and year
    included), today's date as the access date and the data version."""
    request = context["request"]
    state = context.get("stats_state")
    return citation(
        title=title,
        url=request.build_absolute_uri(),
        accessed=dt.date.today(),
        data_version=getattr(state, "data_version", None),
    )


@register.simple_tag(takes_context=True)
def absolute(context: dict, path: str, query: str = "") -> str:
    """This site's full address for a path and query: for embed snippets."""
    return context["request"].build_absolute_uri(path + (f"?{query}" if query else ""))


# Data text in the page's language (countries.localized).


@register.simple_tag(name="localized")
def localized_tag(obj: object, field: str) -> SafeString:
    """{% localized event "title" %}: the Spanish text on a Spanish page where an
    editor gave it, else the English, in `<span lang="en">` on a Spanish page."""
    return local_html(obj, field)


@register.filter(name="local")
def local_filter(obj: object, field: str) -> str:
    """{{ event|local:"title" }}: the same choice as plain text, for attributes and
    <title>, where markup cannot go."""
    return local_text(obj, field)


@register.simple_tag(name="text_in")
def text_in_tag(text: str, language: str) -> SafeString:
    """{% text_in e.title e.title_lang %}: text already chosen (a chart's row),
    marked with its language when that is not the page's."""
    return text_in(text, language or "en")


@register.simple_tag
def js_messages() -> SafeString:
    """The words our scripts write into the page, in the active language, as JSON
    (`window.trackerText` in static/js/*.js reads them; English is the fallback)."""
    messages = {
        "open": _("Open") + " →",
        "openSource": _("Open source") + " ↗",
        "pointDetails": _("Point details"),
        "close": _("Close"),
        "chartFailed": _(
            "The chart could not be drawn; the table below has the same data."
        ),
        "notReady": _("The chart is not ready; try again in a moment."),
        "preparing": _("Preparing the %(format)s…"),
        "downloaded": _("Downloaded %(file)s."),
        "imageFailed": _("The image could not be made: %(error)s"),
        "copied": _("Copied to the clipboard."),
        "pressCopy": _("Press Ctrl+C (or ⌘C) to copy the selected text."),
        "mapFailed": _(
            "The map for %(year)s could not be loaded (%(error)s). Still showing "
            "%(shown)s."
        ),
        "showing": _("Showing %(year)s"),
        "play": _("Play"),
        "pause": _("Pause"),
    }
    return json_script(messages, "tracker-text")
