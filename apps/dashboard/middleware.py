"""With DEBUG on (``make run``), Django answers a missing page with its technical 404 (URL patterns and
settings on screen). A demo or a walk-through must see the site's own 404 instead, in its layout and
language: this middleware swaps it in. Set TSUMIKI_DEBUG_404=True to see Django's page while developing.
Without DEBUG it is not loaded at all (Django's handler404, apps.dashboard.views.errors, does the work)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse


class SiteErrorPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not settings.DEBUG or getattr(settings, "TSUMIKI_DEBUG_404", False):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and not getattr(response, "site_error_page", False)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            from .views.errors import page_not_found

            return page_not_found(request)
        return response
