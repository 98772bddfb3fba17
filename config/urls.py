"""Top-level URLs: the public pages, then the editors' admin."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from config.health import healthz
from dashboard.languages import switch_language


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico on pages that name no icon, such as the admin."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


admin.site.site_header = "Cuban Medical Missions Tracker: editors"
admin.site.site_title = "Missions Tracker admin"

# The public pages, embeds and feed in English at their old URLs and in Spanish under
# /es/ (the same paths after the prefix). The admin, /healthz and the switch itself
# stay unprefixed: they have one address each.
urlpatterns = i18n_patterns(
    path("", include("dashboard.urls")),
    path("", include("timeline.urls")),
    path("missions/", include("missions.urls")),
    prefix_default_language=False,
)
urlpatterns += [
    path("language/<str:code>/", switch_language, name="switch_language"),
    # The JSON API stays outside any language prefix: keep it a separate include.
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
]
