"""API-wide views."""

from __future__ import annotations

from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView


class EndpointNotFoundView(APIView):
    """Any unknown path below /api/v1/: a problem+json 404 instead of Django's HTML page, so API
    clients get one error shape everywhere (apps.api.errors)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    schema = None  # not an endpoint: keep it out of the OpenAPI schema

    def _not_found(self, request, *args, **kwargs):
        raise NotFound("No API endpoint at this path. See /api/docs/ for the list of endpoints.")

    get = post = put = patch = delete = head = options = _not_found
