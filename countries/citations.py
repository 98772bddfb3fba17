"""What a shared or cited view is called, and how to cite it.

Pure helpers over a bound FilterSet and plain values: a title naming the active
filters ("Cuban medical missions in Africa, active") for the page title and share
tags, and a citation (text and BibTeX) with the view's full URL, access date and
data version.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import FilterSet

from countries.filtersets import flat_choices

SITE_NAME = gettext_lazy("Cuban Medical Missions Tracker")
# Filters that place the view ("in Africa"); the rest qualify it ("active").
_PLACES = ("country", "subregion", "region")
_NOT_NAMED = {"sort", "page", "format"}


def _shown(filterset: FilterSet, name: str, value: Any) -> str:
    """The option's label; choices may be grouped (`<optgroup>`)."""
    choices = flat_choices(filterset.filters[name].extra.get("choices") or [])
    return str(choices.get(value, value))


def filter_title(filterset: FilterSet | None, subject: str) -> str:
    """`subject` followed by the active filters, in the words of their options.

    Only valid filters are named: an invalid form gives the subject alone."""
    if filterset is None or not filterset.is_bound or not filterset.is_valid():
        return subject
    data = filterset.form.cleaned_data
    place = next((n for n in _PLACES if data.get(n)), None)
    words = []
    if place:
        words.append(
            _("in %(place)s") % {"place": _shown(filterset, place, data[place])}
        )
    qualifiers = []
    for name, value in data.items():
        if value in (None, "") or name in _NOT_NAMED or name in _PLACES:
            continue
        if name == "year_min":
            qualifiers.append(_("from %(year)s") % {"year": value})
        elif name == "year_max":
            qualifiers.append(_("to %(year)s") % {"year": value})
        elif name == "year":
            words.append(_("in %(year)s") % {"year": value})
        elif name == "q":
            qualifiers.append(_("matching “%(text)s”") % {"text": value})
        else:
            shown = _shown(filterset, name, value)
            qualifiers.append(shown[:1].lower() + shown[1:])
    title = " ".join([subject, *words])
    return ", ".join([title, *qualifiers])


_BIBTEX_SPECIAL = re.compile(r"([{}\\&%$#_^~])")


def _bibtex_text(value: str) -> str:
    """Text safe inside a BibTeX field: specials escaped, braces balanced."""
    return _BIBTEX_SPECIAL.sub(r"\\\1", value)


def citation(
    *, title: str, url: str, accessed: dt.date, data_version: int | None
) -> dict[str, str]:
    """The citation of one view: a sentence and a BibTeX entry."""
    version = (
        _("data version unknown")
        if data_version is None
        else _("data version %(version)s") % {"version": data_version}
    )
    text = _("%(site)s, “%(title)s”, %(url)s (%(version)s), accessed %(date)s.") % {
        "site": SITE_NAME,
        "title": title,
        "url": url,
        "version": version,
        "date": dateformat.format(accessed, _("j F Y")),
    }
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40].strip("-")
    key = f"cmmt-{slug or 'view'}-{accessed:%Y%m%d}"
    # Outside the f-strings below, where makemessages can find it.
    accessed_word = _("accessed")
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  title = {{{{{_bibtex_text(title)}}}}},",
            f"  author = {{{{{SITE_NAME}}}}},",
            f"  howpublished = {{\\url{{{url}}}}},",
            f"  url = {{{url}}},",
            f"  urldate = {{{accessed.isoformat()}}},",
            f"  year = {{{accessed.year}}},",
            f"  note = {{{_bibtex_text(version.capitalize())}; "
            f"{accessed_word} {accessed.isoformat()}}}",
            "}",
        ]
    )
    return {"text": text, "bibtex": bibtex, "url": url, "version": version}
