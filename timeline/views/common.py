"""Helpers shared by the timeline app's pages."""

from __future__ import annotations

from typing import Any

from django.utils.html import json_script
from django.utils.safestring import SafeString

from timeline.models import StatisticsState


def figure_script(figure: dict[str, Any], element_id: str) -> SafeString:
    """A figure as a `<script type="application/json">` block that charts.js draws."""
    return json_script(figure, element_id)


def statistics_state() -> dict[str, StatisticsState]:
    """Context for the "statistics as of" note every page shows."""
    return {"stats_state": StatisticsState.current()}
