"""Recent changes: corrections to published figures, missions and events."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from timeline.changes import recent_changes
from timeline.views.common import conditional_page

SHOWN = 100


@require_GET
@conditional_page
def changes(request: HttpRequest) -> HttpResponse:
    """The newest public changes, with old and new values, reason and source."""
    return render(request, "timeline/changes.html", {"changes": recent_changes(SHOWN)})
