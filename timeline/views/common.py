"""Helpers shared by the timeline app's pages."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from typing import Any

from django.http import HttpRequest
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.views.decorators.http import condition

from timeline.models import StatisticsState


def figure_script(figure: dict[str, Any], element_id: str) -> SafeString:
    """A figure as a `<script type="application/json">` block that charts.js draws."""
    return json_script(figure, element_id)


def statistics_state() -> dict[str, StatisticsState]:
    """Context for the "statistics as of" note every page shows."""
    return {"stats_state": StatisticsState.current()}


# A new deployment may change templates: its pages must not match old ETags.
_STARTED = str(int(time.time()))


def _etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    """Changes with the data, the statistics, the day and the deployment."""
    state = StatisticsState.current()
    url = hashlib.blake2b(request.get_full_path().encode(), digest_size=8).hexdigest()
    return f"{state.cache_key}-{dt.date.today():%Y%m%d}-{_STARTED}-{url}"


# Conditional GET: a repeat visit with an unchanged page costs one indexed read.
conditional_page = condition(etag_func=_etag)
