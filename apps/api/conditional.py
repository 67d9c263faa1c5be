"""ETags and conditional requests for API reads and updates.

Every 200 answer to GET/HEAD (and to PATCH/PUT, for the new state) carries a strong ``ETag``
computed from the response data, so it changes exactly when the representation does. A GET whose
``If-None-Match`` names the current ETag gets ``304 Not Modified`` with no body. A PATCH/PUT/DELETE
on a detail route with ``If-Match`` runs only when it names the current ETag of the object's GET
representation, else ``412 Precondition Failed`` (optimistic concurrency for HR systems that sync).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .errors import Problem

_WRITE_METHODS = ("PATCH", "PUT", "DELETE")


def etag_for(data) -> str:
    """A strong ETag for serializer data (key order and whitespace do not matter)."""
    raw = json.dumps(data, cls=JSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def _tags(header: str) -> list[str]:
    return [t.strip().removeprefix("W/") for t in header.split(",") if t.strip()]


def conditional_get(request, response: HttpResponse, tag: str) -> HttpResponse:
    """``response`` with its validator ``tag`` and caching headers, or a 304 Not Modified carrying those
    headers when the request's If-None-Match names the tag (or ``*``) and it is a GET or HEAD."""
    response["ETag"] = tag
    # Per-organization data: caches may keep it for this client only, revalidating every time.
    response.setdefault("Cache-Control", "private, no-cache")
    patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
    if request.method in ("GET", "HEAD"):
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match and (tag in _tags(if_none_match) or "*" in _tags(if_none_match)):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Vary"):
                not_modified[header] = response[header]
            return not_modified
    return response


if TYPE_CHECKING:  # what the mixin is mixed into: the type checker sees the view's methods
    from rest_framework.generics import GenericAPIView as _ViewBase
else:
    _ViewBase = object


class ConditionalMixin(_ViewBase):
    """For API views (mixed in before the DRF view class, see apps.api.mixins.ApiViewMixin)."""

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if_match = request.headers.get("If-Match")
        if if_match and request.method in _WRITE_METHODS and self._is_detail():
            tags = _tags(if_match)
            if "*" not in tags:
                current = etag_for(self.get_serializer(self.get_object()).data)
                if current not in tags:
                    raise Problem(
                        "The resource changed since you read it (If-Match does not name its current ETag); "
                        "GET it again and retry.",
                        status_code=412,
                    )

    # False for views whose serializer is not the object's representation (write-only data such as
    # demographics): there is no ETag to match, and If-Match is neither documented nor honoured.
    conditional_writes = True

    def _is_detail(self) -> bool:
        lookup = getattr(self, "lookup_url_kwarg", None) or getattr(self, "lookup_field", None)
        return bool(self.conditional_writes and lookup and lookup in self.kwargs and hasattr(self, "get_object"))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            response.status_code != 200
            or not isinstance(response, Response)
            or request.method not in ("GET", "HEAD", "PATCH", "PUT")
            or response.data is None
        ):
            return response
        return conditional_get(request, response, etag_for(response.data))
