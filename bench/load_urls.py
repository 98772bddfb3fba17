"""The site's URLs plus `/__trivial__/`, the load benchmark's ceiling: the same
middleware as every page, no database, no template."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("__trivial__/", trivial), *site_urlpatterns]
