"""/data/: the whole dataset as a versioned download, and how to cite a version.

The packages are built by the statistics refresh (`dashboard.services.data_package`),
never here: these views only read stored bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_safe

from countries.citations import citation
from dashboard.data_export import FILES
from dashboard.models import DataPackage
from dashboard.services.data_package import KEPT_VERSIONS

# What each file holds, for the page (datapackage.json describes them in full).
FILE_NOTES = {
    "countries.csv": _("every country with its UN M49 regions and map point"),
    "missions.csv": _("missions and their dated, sourced staffing figures"),
    "events.csv": _("published policy events, one source each"),
    "aggregates.csv": _("worldwide totals as claimed by sources"),
    "event_sources.csv": _("every source of every event"),
}
# A version's file never changes (its name carries the version): browsers may keep it.
FILE_MAX_AGE = 24 * 60 * 60


def _get_package_or_404(filename: str) -> DataPackage:
    package = DataPackage.objects.listing().filter(filename=filename).first()
    if package is None:
        raise Http404("No data package of that name is kept.")
    return package


def _file_url(request: HttpRequest, package: DataPackage) -> str:
    path = reverse("dashboard:data_file", args=[package.filename])
    return request.build_absolute_uri(path)


def version_citation(request: HttpRequest, package: DataPackage) -> dict[str, str]:
    """The citation of one version: its file's address and its data version."""
    title = gettext("Cuban medical missions dataset, version %(version)s of %(date)s")
    return citation(
        title=title
        % {"version": package.data_version, "date": package.created_at.date()},
        url=_file_url(request, package),
        accessed=dt.date.today(),
        data_version=package.data_version,
    )


def _files(package: DataPackage | None) -> list[dict[str, Any]]:
    if package is None:
        return []
    # In the zip's order: PostgreSQL's jsonb does not keep the keys' order.
    names = [name for name in FILES if name in package.rows]
    return [
        {"name": name, "rows": package.rows[name], "note": FILE_NOTES[name]}
        for name in names
    ]


@require_GET
def data_page(request: HttpRequest) -> HttpResponse:
    """The current data package, its files and citation, and the older versions."""
    packages = list(DataPackage.objects.listing()[:KEPT_VERSIONS])
    current = packages[0] if packages else None
    ctx = {
        "package": current,
        "older": packages[1:],
        "files": _files(current),
        "citation": version_citation(request, current) if current else None,
        "kept": KEPT_VERSIONS,
    }
    return render(request, "dashboard/data.html", ctx)


@require_safe
def data_latest(request: HttpRequest) -> HttpResponse:
    """A stable address for scripts: redirects to the current version's file."""
    current = DataPackage.objects.listing().first()
    if current is None:
        raise Http404("No data package has been built yet.")
    return HttpResponseRedirect(reverse("dashboard:data_file", args=[current.filename]))


@require_safe
def data_file(request: HttpRequest, filename: str) -> HttpResponse:
    """One version's zip, with its hash as ETag (304 when the client has it) and
    the data page as the address to cite."""
    package = _get_package_or_404(filename)
    response = get_conditional_response(request, etag=quote_etag(package.sha256))
    if response is None:
        content = DataPackage.objects.values_list("content", flat=True).get(
            pk=package.pk
        )
        response = HttpResponse(bytes(content), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = quote_etag(package.sha256)
    page = request.build_absolute_uri(reverse("dashboard:data"))
    response["Link"] = f'<{page}>; rel="cite-as"'
    patch_cache_control(response, public=True, max_age=FILE_MAX_AGE)
    return response
