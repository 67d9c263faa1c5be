"""Errors in one shape: RFC 9457 problem+json, with field-level detail for validation errors.

Every API view raises DRF exceptions (or ``Problem``) and this handler renders them; views never
build error bodies themselves, so clients can rely on ``type``/``title``/``status``/``detail``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import JsonResponse, UnreadablePostError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from apps.core.inputs import InputError

PROBLEM_CONTENT_TYPE = "application/problem+json"

_TITLES = {
    status.HTTP_400_BAD_REQUEST: "Invalid request",
    status.HTTP_401_UNAUTHORIZED: "Not authenticated",
    status.HTTP_403_FORBIDDEN: "Forbidden",
    status.HTTP_404_NOT_FOUND: "Not found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "Method not allowed",
    status.HTTP_406_NOT_ACCEPTABLE: "Not acceptable",
    status.HTTP_409_CONFLICT: "Conflict",
    status.HTTP_412_PRECONDITION_FAILED: "Precondition failed",
    status.HTTP_413_REQUEST_ENTITY_TOO_LARGE: "Request too large",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "Unsupported media type",
    status.HTTP_422_UNPROCESSABLE_ENTITY: "Unprocessable content",
    status.HTTP_429_TOO_MANY_REQUESTS: "Too many requests",
    status.HTTP_500_INTERNAL_SERVER_ERROR: "Internal server error",
    status.HTTP_503_SERVICE_UNAVAILABLE: "Service unavailable",
}


class Problem(exceptions.APIException):
    """An API error with RFC 9457 extension members (``errors``, ``line``, ``field``...)."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    default_detail = "Invalid request."

    def __init__(self, detail: str, *, status_code: int = 400, **extensions: Any):
        super().__init__(detail)
        self.status_code = status_code
        self.extensions = {k: v for k, v in extensions.items() if v is not None}


class Conflict(Problem):
    def __init__(self, detail: str, **extensions: Any):
        super().__init__(detail, status_code=status.HTTP_409_CONFLICT, **extensions)


def input_problem(err: InputError, *, prefix: str = "") -> Problem:
    """A 400 naming the field (and the line, for JSON lines) of input that breaks a rule of
    apps.core.inputs or apps.core.interchange. ``prefix`` locates the record inside a bigger body,
    e.g. ``[3]`` for a list item."""
    path = err.field or ""
    if prefix:
        path = f"{prefix}{path}" if path.startswith("[") else (f"{prefix}.{path}" if path else prefix)
    detail = f"{path}: {err.message}" if path else err.message
    if err.line is not None:
        detail = f"line {err.line}: {detail}"
    return Problem(detail, errors={path or "non_field_errors": [err.message]}, line=err.line, field=path or None)


interchange_problem = input_problem


def django_problem(exc: BaseException) -> Problem | None:
    """The problem for an exception Django raises while reading a request (a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE, a disallowed host, a client that hung up), or None."""
    if isinstance(exc, RequestDataTooBig):
        return Problem("The request body is too large.", status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, UnreadablePostError):
        return Problem("The request body could not be read completely.")
    if isinstance(exc, SuspiciousOperation | BadRequest):
        return Problem("The request was refused as malformed.")
    if isinstance(exc, InputError):
        return input_problem(exc)
    return None


def problem_response(status_code: int, detail: str, *, instance: str | None = None, **extensions: Any) -> JsonResponse:
    """A problem+json response outside DRF (middleware, Django's error handlers)."""
    body = {"type": "about:blank", "title": _TITLES.get(status_code, "Error"), "status": status_code, "detail": detail}
    body.update({k: v for k, v in extensions.items() if v is not None})
    if instance is not None:
        body["instance"] = instance
    return JsonResponse(
        body, status=status_code, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def flatten_errors(data: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation errors as ``{"skills[0].name": ["..."]}``: one level, one shape, the
    same spelling as the interchange errors (``interchange_problem``)."""
    if isinstance(data, dict):
        out: dict[str, list[str]] = {}
        for key, value in data.items():
            key = str(key)
            path = f"{prefix}[{key}]" if key.isdigit() else (f"{prefix}.{key}" if prefix else key)
            out.update(flatten_errors(value, path))
        return out
    if isinstance(data, list) and any(isinstance(item, dict | list) for item in data):
        out = {}
        for i, item in enumerate(data):
            if item:  # DRF puts {} for list items without errors
                out.update(flatten_errors(item, f"{prefix}[{i}]"))
        return out
    items = data if isinstance(data, list) else [data]
    return {prefix or "non_field_errors": [str(m) for m in items]}


def problem_exception_handler(exc, context):
    exc = django_problem(exc) or exc
    response = exception_handler(exc, context)
    if response is None:
        return None
    body: dict = {
        "type": "about:blank",
        "title": _TITLES.get(response.status_code, "Error"),
        "status": response.status_code,
    }
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        body["detail"] = "One or more fields are invalid."
        body["errors"] = flatten_errors(data if isinstance(data, dict) else {"non_field_errors": data})
    elif isinstance(data, dict) and "detail" in data:
        body["detail"] = str(data["detail"])
    else:
        body["detail"] = str(data)
    if isinstance(exc, Problem):
        body.update(exc.extensions)
    if request := context.get("request"):
        body["instance"] = request.get_full_path()
    headers = {k: v for k, v in response.items() if k.lower() in ("www-authenticate", "retry-after", "allow")}
    return Response(body, status=response.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)
