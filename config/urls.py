"""Top-level URLs: the public pages, then the editors' admin."""

from django.contrib import admin
from django.urls import include, path

from config.health import healthz

admin.site.site_header = "Cuban Medical Missions Tracker: editors"
admin.site.site_title = "Missions Tracker admin"

urlpatterns = [
    path("", include("timeline.urls")),
    path("missions/", include("missions.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
