"""Views that other sites may frame: only these leave the frame ban.

Every other response keeps `frame-ancestors 'none'` and `X-Frame-Options: DENY`;
an embeddable view gets `frame-ancestors *` and no X-Frame-Options. The rest of
the Content-Security-Policy stays as strict as on every page (no inline script
or style)."""

from __future__ import annotations

from collections.abc import Callable

from csp.decorators import csp_replace
from django.views.decorators.clickjacking import xframe_options_exempt


def embeddable(view: Callable) -> Callable:
    """Allow any site to frame this view."""
    return xframe_options_exempt(csp_replace({"frame-ancestors": ["*"]})(view))
