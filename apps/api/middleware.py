"""The API's outer guard: whatever goes wrong with a request under /api/, the client hears a
problem+json answer (apps.api.errors), never an HTML or plain-text page, with DEBUG on or off.

It is the first middleware (config.settings.base.MIDDLEWARE), so that it sees every answer, including
the ones Django makes itself before or after the view: a disallowed Host, a 404 or 500 page, the
DEBUG technical pages, a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a client that hung up mid-body.
Before the request goes on it also refuses, cheaply and with a precise answer:

- a body whose Content-Length is over the view's limit (413; apps.api.parsers.body_limit), so a
  20 MB upload is not read at all;
- a query parameter holding a NUL character (400 naming it; PostgreSQL cannot compare text with it);

and it serves ``POST /api/v1/jobs`` as ``/api/v1/jobs/``: APPEND_SLASH cannot redirect a POST (Django
raises under DEBUG and a 301 would turn it into a GET), so a missing final slash is forgiven instead.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from apps.core.inputs import text_problem

from .errors import PROBLEM_CONTENT_TYPE, django_problem, problem_response

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
# Headers of Django's own answer worth keeping on the problem that replaces it.
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")
_DETAILS = {
    400: "The request could not be understood.",
    403: "Forbidden.",
    404: "No API endpoint at this path. See /api/docs/ for the list of endpoints.",
    405: "Method not allowed.",
    413: "The request body is too large.",
    500: "Internal server error. It was logged; try again later.",
}


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _is_json(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


def _instance(request: HttpRequest) -> str:
    return request.get_full_path()[:2000]


def _view_of(path: str):
    try:
        return resolve(path).func
    except Resolver404:
        return None


class ApiGuardMiddleware:
    """See the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api_request(request):
            return self.get_response(request)
        response = self._refuse(request) or self.get_response(request)
        return self._as_problem(request, response)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        """Exceptions that escape a view (DRF handles its own): answered here so that the DEBUG
        technical page is never rendered for them. Others go on to Django's logging and 500."""
        if not is_api_request(request):
            return None
        problem = django_problem(exc)
        if problem is not None:
            if isinstance(exc, SuspiciousOperation):
                logging.getLogger("django.security").warning("%s: %s", type(exc).__name__, exc)
            return problem_response(problem.status_code, str(problem.detail), instance=_instance(request))
        if isinstance(exc, Http404):
            return problem_response(404, "Not found.", instance=_instance(request))
        if isinstance(exc, PermissionDenied):
            return problem_response(403, "Forbidden.", instance=_instance(request))
        return None

    # --- before the view --------------------------------------------------------------------------
    def _refuse(self, request: HttpRequest) -> HttpResponse | None:
        path = request.path_info
        view = _view_of(path)
        if not path.endswith("/") and view is None:
            slashed = _view_of(path + "/")
            if slashed is not None:
                request.path_info = path + "/"
                request.path = request.path + "/"
                view = slashed
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return problem_response(400, "Content-Length must be a number of bytes.", instance=_instance(request))
        if length:
            limit = _limit(view)
            if length > limit:
                return problem_response(
                    413,
                    f"The body is {length} bytes; this endpoint accepts at most {limit}.",
                    instance=_instance(request),
                )
        try:
            params = list(request.GET.lists())
        except SuspiciousOperation as e:  # more than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters
            return problem_response(400, str(e), instance=_instance(request))
        for name, values in params:
            for value in (name, *values):
                if problem := text_problem(value):
                    return problem_response(
                        400,
                        f"query parameter {name!r}: {problem}",
                        instance=_instance(request),
                        errors={name: [problem]},
                        field=name,
                    )
        return None

    # --- after the view ---------------------------------------------------------------------------
    def _as_problem(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code < 400 or _is_json(response):
            return response
        status = response.status_code
        if status >= 500:
            log.error("API %s %s answered %s as %s", request.method, request.path, status, response.get("Content-Type"))
        problem = problem_response(status, _DETAILS.get(status, "The request failed."), instance=_instance(request))
        for header in _KEPT_HEADERS:
            if response.has_header(header):
                problem[header] = response[header]
        return problem


def _limit(view) -> int:
    """The body limit of the view a path resolves to (DRF views carry their class and, for viewset
    actions, the action's ``max_body_setting``); TSUMIKI_API_MAX_BODY_BYTES otherwise."""
    name = None
    if view is not None:
        name = (getattr(view, "initkwargs", None) or {}).get("max_body_setting")
        name = name or getattr(getattr(view, "cls", None), "max_body_setting", None)
    return int(getattr(settings, name or "TSUMIKI_API_MAX_BODY_BYTES"))


__all__ = ["ApiGuardMiddleware", "PROBLEM_CONTENT_TYPE", "is_api_request"]
