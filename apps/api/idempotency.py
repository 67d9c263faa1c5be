"""``Idempotency-Key`` on POST: a retried request gets the first response again and changes nothing.

The first request with a key claims it (apps.api.services.idempotency_begin) after authentication,
permissions and throttling; its response (any status below 500) is stored and replayed byte for
byte to later requests with the same key and the same method, path and body. The same key with a
different request is a 422; a retry while the first request still runs is a 409. A 5xx, or an
exception anywhere after the claim (in the view, its exception handler, rendering or storing the
answer), releases the key so the client can retry. Except a 5xx that says the work was done and
saved (a ``Problem`` with ``keeps_idempotency``, e.g. a match run saved while the broker is down): it
is stored and replayed like a success, so a retry returns that first run instead of making another.
Keys live per organization for TSUMIKI_IDEMPOTENCY_TTL seconds (default 24 h).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, RawPostDataException
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from .errors import Conflict, Problem
from .services import (
    IdempotencyInProgress,
    IdempotencyMismatch,
    idempotency_begin,
    idempotency_complete,
    idempotency_release,
)

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
KEY_PATTERN = r"^[!-~]{1,255}$"  # 1-255 visible ASCII characters (a UUID is typical)
_KEY_RE = re.compile(KEY_PATTERN)
# Response headers worth replaying (the body and status are always replayed).
_KEPT_HEADERS = ("Content-Type", "Location", "Retry-After")


class _Replay(APIException):
    """Carries a stored response out of ``initial`` (DRF has no other way to short-circuit there)."""

    def __init__(self, response: HttpResponse):
        super().__init__()
        self.response = response


def _fingerprint(request) -> str:
    try:
        body = request._request.body
    except (RawPostDataException, RequestDataTooBig):  # streamed, or above DATA_UPLOAD_MAX_MEMORY_SIZE
        body = json.dumps(request.data, sort_keys=True, default=str).encode()
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.get_full_path().encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


if TYPE_CHECKING:  # what the mixin is mixed into: the type checker sees the view's methods
    from rest_framework.views import APIView as _ViewBase
else:
    _ViewBase = object


class IdempotencyMixin(_ViewBase):
    """For API views (mixed in before the DRF view class, see apps.api.mixins.ApiViewMixin)."""

    _idempotency_record = None

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self._idempotency_record = None
        key = request.headers.get(HEADER)
        organization = getattr(request, "organization", None)
        if request.method != "POST" or key is None or organization is None:
            return
        if not _KEY_RE.match(key):
            raise Problem(
                f"{HEADER} must be 1 to 255 visible ASCII characters (a UUID, for instance).",
                errors={HEADER: ["invalid"]},
            )
        try:
            outcome = idempotency_begin(
                organization=organization,
                key=key,
                method=request.method,
                path=request.get_full_path(),
                fingerprint=_fingerprint(request),
            )
        except IdempotencyMismatch as e:
            raise Problem(
                f"This {HEADER} was already used for a different request ({e}); use a new key for a new request.",
                status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
                errors={HEADER: ["reused with a different request"]},
            ) from None
        except IdempotencyInProgress:
            raise Conflict(
                f"A request with this {HEADER} is still being processed; retry later.",
                errors={HEADER: ["in progress"]},
            ) from None
        if outcome.replay is not None:
            stored = outcome.replay
            response = HttpResponse(bytes(stored.response_body or b""), status=stored.response_status)
            for name, value in stored.response_headers.items():
                response[name] = value
            response[REPLAY_HEADER] = "true"
            raise _Replay(response)
        self._idempotency_record = outcome.claimed

    _idempotency_keep_5xx = False

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return exc.response
        self._idempotency_keep_5xx = bool(getattr(exc, "keeps_idempotency", False))
        try:
            return super().handle_exception(exc)
        except BaseException:
            self._idempotency_forget()
            raise

    def finalize_response(self, request, response, *args, **kwargs):
        try:
            response = super().finalize_response(request, response, *args, **kwargs)
            record = self._idempotency_record
            if record is None:
                return response
            if response.status_code >= 500 and not self._idempotency_keep_5xx:
                self._idempotency_forget()
                return response
            if isinstance(response, Response):
                response.render()  # rendered once here; Django's handler will not render it again
            headers = {h: response[h] for h in _KEPT_HEADERS if response.has_header(h)}
            idempotency_complete(record=record, status=response.status_code, body=response.content, headers=headers)
            self._idempotency_record = None
            return response
        except BaseException:
            # Rendering or storing failed (the client will get a 500): the key must not stay claimed.
            self._idempotency_forget()
            raise

    def _idempotency_forget(self) -> None:
        record, self._idempotency_record = self._idempotency_record, None
        if record is not None:
            idempotency_release(record=record)
