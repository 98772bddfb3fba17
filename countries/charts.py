"""What every figure on the site shares: a Plotly figure is a dict, drawn in one
small style. Pure helpers, no queries; the apps' `charts.py` modules build on them."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from countries.localized import per_language

Figure = dict[str, Any]
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"}
# plotly.js decodes numeric entities and a few named ones (&amp; &lt; &gt;) but not
# &quot;, so quotes are written as numeric entities.
_PLOTLY_ENTITIES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"}
)


def base_layout(**extra: Any) -> dict[str, Any]:
    """A small layout shared by every figure (the default template adds ~6 KB)."""
    return {
        "template": "none",
        "font": FONT,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"align": "left"},
        "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
    } | extra


def short_label(text: str, length: int = 36) -> str:
    """Legend entries do not wrap: keep them short enough for a phone."""
    return text if len(text) <= length else text[: length - 1] + "…"


def number_text(value: int | None) -> str:
    """A count with the active language's thousands separator; None is 'unknown'."""
    if value is None:
        return _("unknown")
    return _grouped(value)


def _with_separators(value: int) -> str:
    return number_format(value, force_grouping=True)


# Kept per language: a chart of 100 points formats hundreds.
_grouped = per_language(_with_separators, size=4096)


def figure_script(figure: Any, element_id: str) -> SafeString:
    """A figure as Django's `json_script` writes it, with the same escapes of <, >
    and &, made with `str.replace`: `json_script`'s `str.translate` took 6 ms on a
    120 KB figure, and the map of 247 host countries is twice that."""
    text = json.dumps(figure, cls=DjangoJSONEncoder)
    text = text.replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")
    return format_html(
        '<script id="{}" type="application/json">{}</script>',
        element_id,
        mark_safe(text),  # noqa: S308  (escaped above, as json_script escapes)
    )


def plotly_text(value: object) -> str:
    """Escape user text for a figure's hover text, legend or title.

    plotly.js reads a subset of HTML there, so markup must arrive as entities, and
    only entities it decodes: Django's `escape` writes `&quot;`, which readers saw
    literally. Every chart function passes user strings through this one."""
    return str(value).translate(_PLOTLY_ENTITIES)


def publishers_line(names: list[str], shown: int = 6) -> str:
    """'Sources: A, B, C and 12 more.' for a chart's source line; names in order,
    duplicates dropped."""
    names = list(dict.fromkeys(n for n in names if n))
    if not names:
        return _("Source: Cuban Medical Missions Tracker (no sourced figure shown).")
    head = ", ".join(names[:shown])
    if len(names) > shown:
        return _("Sources: %(names)s and %(n)s more.") % {
            "names": head,
            "n": len(names) - shown,
        }
    return ngettext("Source: %(names)s.", "Sources: %(names)s.", len(names)) % {
        "names": head
    }
