"""The JSON API under /api/, outside any language prefix: /api/ documents it and
/api/v1/ serves it."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api import views

app_name = "api"
urlpatterns = [
    path("", views.docs, name="docs"),
    path("v1/", views.Index.as_view(), name="index"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/countries/", views.CountryList.as_view(), name="countries"),
    path("v1/countries/<str:iso3>/", views.CountryHistory.as_view(), name="country"),
    path("v1/missions/", views.MissionList.as_view(), name="missions"),
    path(
        "v1/staffing-reports/",
        views.StaffingReportList.as_view(),
        name="staffing_reports",
    ),
    path("v1/events/", views.EventList.as_view(), name="events"),
    path(
        "v1/reported-totals/",
        views.ReportedTotalList.as_view(),
        name="reported_totals",
    ),
    path(
        "v1/statistics/areas/",
        views.AreaStatisticList.as_view(),
        name="area_statistics",
    ),
    path("v1/statistics/series/", views.SeriesList.as_view(), name="series"),
]
