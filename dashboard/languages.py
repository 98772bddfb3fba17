"""English and Spanish: which language a public page is in, the redirect a first
visit gets, the language switch and the `hreflang` alternates (README "Languages").

A public page's language is its URL's: `/countries/GTM/` is English and
`/es/countries/GTM/` Spanish, so a page, its ETag and its cache entry always belong
to one language. Only an unprefixed page depends on the reader: one who prefers
Spanish (the switch's cookie, else the browser's Accept-Language) is redirected to
the /es/ page, and the English answer says so with `Vary: Accept-Language, Cookie`.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import trans_real
from django.views.decorators.http import require_GET

from dashboard.middleware import PUBLIC_NAMESPACES

# Views whose URL the reader (or another site) picked on purpose, in a language:
# an embed's snippet and a feed subscription are never redirected.
NOT_NEGOTIATED = {
    "dashboard:embed_map",
    "dashboard:embed_staffing",
    "timeline:embed_timeline",
    "timeline:feed",
}


def _codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def bare_path(path: str) -> str:
    """The path without its language prefix: '/es/countries/' -> '/countries/'."""
    for code in _codes():
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def localized_path(path: str, code: str) -> str:
    """The same page in language `code`: English unprefixed, others under /<code>/."""
    bare = bare_path(path)
    return bare if code == settings.LANGUAGE_CODE else f"/{code}{bare}"


def preferred_language(request: HttpRequest) -> str:
    """The switch's cookie if set, else the first supported Accept-Language entry."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in _codes():
        return cookie
    header = request.headers.get("Accept-Language", "")
    for code, _quality in trans_real.parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def _public_view(request: HttpRequest) -> str | None:
    """The view name of a public page at this path, or None."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    # The JSON API has one address and no language (outside i18n_patterns): a
    # client preferring Spanish must not be sent to a /es/api/… that does not exist.
    if match.namespace == "api":
        return None
    return match.view_name if match.namespace in PUBLIC_NAMESPACES else None


class LanguageRedirectMiddleware:
    """Activate the URL's language; send a reader who prefers Spanish to /es/."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Before LocaleMiddleware, so that the page cache (next) resolves /es/ URLs:
        # i18n_patterns only match the active language's prefix.
        from_path = translation.get_language_from_path(request.path_info)
        translation.activate(from_path or settings.LANGUAGE_CODE)
        if from_path or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        view = _public_view(request)
        if view is None or view in NOT_NEGOTIATED:
            return self.get_response(request)
        wanted = preferred_language(request)
        if wanted != settings.LANGUAGE_CODE:
            response: HttpResponse = HttpResponseRedirect(
                localized_path(request.get_full_path(), wanted)
            )
        else:
            response = self.get_response(request)
        # Added outside the page cache, which stores the English page unvaried.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


@require_GET
def switch_language(request: HttpRequest, code: str) -> HttpResponse:
    """Remember the reader's language in a cookie and open `next` in it.

    A link rather than Django's POST `set_language`: a form would need a CSRF token,
    which would keep every public page out of the caches.
    """
    if code not in _codes():
        return HttpResponseBadRequest("Unknown language.")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith("/"):
        target = "/"
    response = HttpResponseRedirect(localized_path(target, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.SESSION_COOKIE_SECURE,
    )
    add_never_cache_headers(response)
    return response


def language_links(request: HttpRequest) -> dict[str, object]:
    """The switch's links and the hreflang alternates for the current page.

    Each keeps the path and the query string (the filters). Embeds link straight to
    the other language's URL: a cookie set inside another site's frame is not sent.
    """
    current = translation.get_language() or settings.LANGUAGE_CODE
    full = request.get_full_path()
    match = getattr(request, "resolver_match", None)
    public = match is not None and match.namespace in PUBLIC_NAMESPACES
    direct = public and match.view_name in NOT_NEGOTIATED
    links = []
    for code, name in settings.LANGUAGES:
        url = localized_path(full, code)
        query = urlencode({"next": url})
        switch = f"{reverse('switch_language', args=[code])}?{query}"
        links.append(
            {
                "code": code,
                "name": name,
                "url": request.build_absolute_uri(url),
                "href": url if direct else switch,
                "current": code == current,
            }
        )
    return {
        "language_links": links,
        "hreflang_default": request.build_absolute_uri(
            localized_path(full, settings.LANGUAGE_CODE)
        ),
        "is_public_page": public,
    }
