"""`stats_state` on every page, for the freshness note in the header and footer."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from dashboard.models import StatisticsState


def statistics_state(request: HttpRequest) -> dict[str, object]:
    """The statistics state, read once per request and only if a template uses it."""
    state = getattr(request, "stats_state", None)
    if state is not None:
        return {"stats_state": state}
    return {"stats_state": SimpleLazyObject(StatisticsState.current)}
