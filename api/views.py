"""The read-only JSON API: each list filtered by its page's FilterSet, and one
country's whole history in one call.

DRF's generic views, not function views: they are what drf-spectacular reads to
write the OpenAPI document, and each does exactly one list or one object.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api import serializers as s
from countries.models import Country
from dashboard.filtersets import HostFilterSet
from dashboard.hosts import sort_rows
from dashboard.models import (
    AreaStatistic,
    CountryStatistic,
    SeriesPoint,
)
from missions.filtersets import (
    MissionFilterSet,
    ReportedTotalFilterSet,
    StaffingReportFilterSet,
)
from missions.models import Mission, ReportedTotal, StaffingReport
from timeline.filtersets import EventFilterSet
from timeline.models import PolicyEvent

ENDPOINTS = {
    "countries": "api:countries",
    "missions": "api:missions",
    "staffing_reports": "api:staffing_reports",
    "events": "api:events",
    "reported_totals": "api:reported_totals",
    "area_statistics": "api:area_statistics",
    "series": "api:series",
    "schema": "api:schema",
}
BAD_FILTERS = OpenApiResponse(description="A filter's value is not valid")
NO_PAGE = OpenApiResponse(description="No such page")
TOO_MANY = OpenApiResponse(description="Rate limit reached: see Retry-After")


def _responses(ok, **more) -> dict:
    """A list's answers: its rows, a 400 for bad filters, a 404 past the last page
    and a 429 past the rate limit."""
    return {200: ok, 400: BAD_FILTERS, 404: NO_PAGE, 429: TOO_MANY, **more}


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    """The API's documentation: Swagger UI over the OpenAPI document, from our own
    static files."""
    return render(request, "api/docs.html", {})


class Index(generics.GenericAPIView):
    """The lists this API offers."""

    @extend_schema(responses={200: dict[str, str], 429: TOO_MANY})
    def get(self, request: Request) -> Response:
        links = {k: reverse(v, request=request) for k, v in ENDPOINTS.items()}
        return Response(links)


@extend_schema(responses=_responses(s.MissionSerializer(many=True)))
class MissionList(generics.ListAPIView):
    """Missions, filtered and sorted as on the missions page (/missions/): the same
    parameters give the same rows in the same order."""

    queryset = Mission.objects.for_table().prefetch_related("sources")
    serializer_class = s.MissionSerializer
    filterset_class = MissionFilterSet


@extend_schema(responses=_responses(s.ReportSerializer(many=True)))
class StaffingReportList(generics.ListAPIView):
    """Every staffing figure, newest first, by host area, country, mission or year."""

    queryset = StaffingReport.objects.select_related("mission", "source").order_by(
        "-as_of", "-pk"
    )
    serializer_class = s.ReportSerializer
    filterset_class = StaffingReportFilterSet


@extend_schema(responses=_responses(s.EventSerializer(many=True)))
class EventList(generics.ListAPIView):
    """Published events, newest first, filtered as on the timeline (/timeline/)."""

    queryset = PolicyEvent.objects.published().for_list().newest_first()
    serializer_class = s.EventSerializer
    filterset_class = EventFilterSet


@extend_schema(responses=_responses(s.ReportedTotalSerializer(many=True)))
class ReportedTotalList(generics.ListAPIView):
    """Worldwide totals as sources claim them, each with its source; conflicting
    claims are all kept. Oldest year first."""

    queryset = ReportedTotal.objects.select_related("source").order_by(
        "year", "metric", "source__publisher", "pk"
    )
    serializer_class = s.ReportedTotalSerializer
    filterset_class = ReportedTotalFilterSet


@extend_schema(responses=_responses(s.AreaStatisticSerializer(many=True)))
class AreaStatisticList(generics.ListAPIView):
    """Totals for the world and each UN M49 area, from the latest refresh."""

    queryset = AreaStatistic.objects.order_by("level", "name", "pk")
    serializer_class = s.AreaStatisticSerializer
    filter_backends: list = []


@extend_schema(responses=_responses(s.SeriesPointSerializer(many=True)))
class SeriesList(generics.ListAPIView):
    """Yearly series: our sums of staffing figures, totals claimed by sources, and
    counts of published events; never added together."""

    queryset = SeriesPoint.objects.select_related("source").order_by(
        "basis", "metric", "year", "pk"
    )
    serializer_class = s.SeriesPointSerializer
    filter_backends: list = []


@extend_schema(responses=_responses(s.CountryRowSerializer(many=True)))
class CountryList(generics.GenericAPIView):
    """Host countries as the home page lists them for the same parameters (status,
    best-known headcount, `year` for a past year), each with its latest figure and
    latest published event."""

    queryset = Mission.objects.all()
    serializer_class = s.CountryRowSerializer
    filterset_class = HostFilterSet

    def get(self, request: Request) -> Response:
        filterset = HostFilterSet(request.query_params, queryset=self.get_queryset())
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        year = filterset.past_year()
        sort = filterset.form.cleaned_data.get("sort") or ""
        rows = sort_rows(filterset.host_rows(request), sort)
        page = self.paginate_queryset(rows)
        _add_latest(page, filterset.qs, year)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def _add_latest(rows: list[dict[str, Any]], missions, year: int | None) -> None:
    """Each row's newest figure (of these missions) and newest published event,
    as they stood at the end of `year` when given: four queries for a page."""
    iso3s = [r["iso3"] for r in rows]
    reports = StaffingReport.objects.filter(
        mission__in=missions.order_by().values("pk")
    )
    events = PolicyEvent.objects.published()
    if year:
        reports, events = reports.in_years(last=year), events.in_years(last=year)
    figures = {r.mission.country_id: r for r in reports.newest_in_countries(iso3s)}
    latest_events = events.newest_in_countries(iso3s)
    for row in rows:
        row["latest_figure"] = figures.get(row["iso3"])
        row["latest_event"] = latest_events.get(row["iso3"])


@extend_schema(responses={200: s.CountryHistorySerializer, 404: None, 429: TOO_MANY})
class CountryHistory(generics.GenericAPIView):
    """One country's whole history in one call: its missions, every staffing
    figure (oldest first) and every published event (oldest first), each with its
    sources; the number of queries does not grow with the number of rows."""

    serializer_class = s.CountryHistorySerializer
    queryset = Country.objects.all()

    def get(self, request: Request, iso3: str) -> Response:
        country = _get_country_or_404(iso3)
        history = {
            "country": country,
            "statistics": CountryStatistic.objects.select_related("headcount_source")
            .filter(country=country)
            .first(),
            "missions": Mission.objects.for_country_page(country.iso3).with_country(),
            "staffing_reports": StaffingReport.objects.for_country(country.iso3),
            "events": PolicyEvent.objects.of_country(country.iso3),
        }
        return Response(self.get_serializer(history).data)


def _get_country_or_404(iso3: str) -> Country:
    """The country with this ISO3 code (any case); unknown or malformed codes 404."""
    if len(iso3) != 3 or not iso3.isalpha():
        raise Http404("No country has this code.")
    try:
        return Country.objects.get(iso3=iso3.upper())
    except Country.DoesNotExist:
        raise Http404("No country has this code.") from None
