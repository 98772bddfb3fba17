"""Top-level URLs: the public pages, then the editors' admin."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from config.health import healthz


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico on pages that name no icon, such as the admin."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


admin.site.site_header = "Cuban Medical Missions Tracker: editors"
admin.site.site_title = "Missions Tracker admin"

urlpatterns = [
    path("", include("dashboard.urls")),
    path("", include("timeline.urls")),
    path("missions/", include("missions.urls")),
    # The JSON API stays outside any language prefix: keep it a separate include.
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
]
