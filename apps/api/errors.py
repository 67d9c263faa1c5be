"""Errors in one shape: RFC 9457 problem+json, with field-level detail for validation errors."""
from __future__ import annotations

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


def problem_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    title = {
        status.HTTP_400_BAD_REQUEST: "Invalid request",
        status.HTTP_401_UNAUTHORIZED: "Not authenticated",
        status.HTTP_403_FORBIDDEN: "Forbidden",
        status.HTTP_404_NOT_FOUND: "Not found",
        status.HTTP_405_METHOD_NOT_ALLOWED: "Method not allowed",
        status.HTTP_409_CONFLICT: "Conflict",
        status.HTTP_429_TOO_MANY_REQUESTS: "Too many requests",
    }.get(response.status_code, "Error")
    body: dict = {"type": "about:blank", "title": title, "status": response.status_code}
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        body["detail"] = "One or more fields are invalid."
        body["errors"] = data if isinstance(data, dict) else {"non_field_errors": data}
    elif isinstance(data, dict) and "detail" in data:
        body["detail"] = str(data["detail"])
    else:
        body["detail"] = str(data)
    if request := context.get("request"):
        body["instance"] = request.get_full_path()
    headers = {k: v for k, v in response.items() if k.lower() in ("www-authenticate", "retry-after", "allow")}
    return Response(body, status=response.status_code, headers=headers, content_type="application/problem+json")
