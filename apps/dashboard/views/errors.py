"""Error pages in the site's own layout and language (config.urls names them as Django's handlers).

Pages under /api/ answer problem+json instead, like every other API error (apps.api.errors): an API
client must never get HTML. The 500 page renders with as little as possible (no database read beyond
what the request already holds) and falls back to plain text if even that fails.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
_API_TITLES = {400: "Invalid request", 403: "Forbidden", 404: "Not found", 500: "Server error"}


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _problem(request: HttpRequest, status: int, detail: str) -> JsonResponse:
    body = {
        "type": "about:blank",
        "title": _API_TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def _page(request: HttpRequest, status: int, title: str, message: str, *, hint: str = "") -> HttpResponse:
    response = render(
        request,
        "dashboard/error.html",
        {"status": status, "title": title, "message": message, "hint": hint},
        status=status,
    )
    response.site_error_page = True  # read by SiteErrorPagesMiddleware: already ours
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _problem(request, 404, "No API resource at this address. The endpoints are listed at /api/docs/.")
    return _page(
        request,
        404,
        _("Page not found"),
        _("There is no page at this address. It may have moved, or the link may be mistyped."),
        hint=_("If you followed a link inside Tsumiki, the job or candidate may belong to another organization."),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _problem(request, 403, "This key or account may not do that.")
    return _page(
        request,
        403,
        _("No access"),
        _("Your account does not have access to this page."),
        hint=_("Ask an administrator of your organization if you need it."),
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _problem(request, 400, "The request could not be understood.")
    return _page(request, 400, _("Bad request"), _("The browser sent something Tsumiki could not understand."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: most often a form left open across a logout or a server restart."""
    return _page(
        request,
        403,
        _("This form has expired"),
        _("The page was open too long or you signed in again elsewhere, so the form was not sent."),
        hint=_("Go back, reload the page and send the form again. Nothing was changed."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _problem(request, 500, "Something went wrong on the server. The error has been logged.")
    try:
        return _page(
            request,
            500,
            _("Something went wrong"),
            _("Tsumiki could not show this page because of an error on the server. The error has been logged."),
            hint=_("Try again in a moment. If it keeps happening, tell your administrator what you were doing."),
        )
    except Exception:  # the layout itself failed (e.g. the database is gone): plain text still says it
        log.exception("the 500 page could not be rendered")
        return HttpResponse(
            "Something went wrong on the server. Please try again in a moment.",
            status=500,
            content_type="text/plain; charset=utf-8",
        )
