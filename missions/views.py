"""Public pages about missions."""

from __future__ import annotations

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from missions.models import Mission


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Host countries by region with each mission's status and latest figure."""
    missions = Mission.objects.for_overview()
    regions = [
        (r, list(ms)) for r, ms in groupby(missions, key=lambda m: m.country.region)
    ]
    return render(request, "missions/home.html", {"regions": regions})
