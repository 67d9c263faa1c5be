"""Body parsers. Every JSON body of the API is read by ``JSONParser`` (apps.core.inputs.loads: finite
numbers, bounded depth, valid Unicode without NUL), so no view ever sees a value the database or the
JSON renderer cannot hold. JSON lines arrive as raw text, parsed line by line by the service so errors
can name the line."""

from __future__ import annotations

from django.conf import settings
from rest_framework.parsers import BaseParser
from rest_framework.parsers import JSONParser as _DRFJSONParser

from apps.core.inputs import InputError, check_lines, decode, loads

from .errors import Problem, input_problem


def _read(stream, parser_context) -> bytes:
    """The body, never more than the view's limit (apps.api.middleware refuses a larger Content-Length
    first; this also bounds a body whose length was not announced)."""
    if stream is None:
        return b""
    view = (parser_context or {}).get("view")
    limit = body_limit(view)
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise Problem(f"The body is larger than {limit} bytes.", status_code=413)
    return data


def body_limit(view) -> int:
    """The largest body ``view`` accepts: its ``max_body_setting`` (a setting's name), else
    TSUMIKI_API_MAX_BODY_BYTES."""
    name = getattr(view, "max_body_setting", None) or "TSUMIKI_API_MAX_BODY_BYTES"
    return int(getattr(settings, name))


class JSONParser(_DRFJSONParser):
    """``application/json`` under the rules of apps.core.inputs; a refusal is a 400 naming the field."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = _read(stream, parser_context)
        if not data.strip():
            return {}
        try:
            return loads(data)
        except InputError as e:
            raise input_problem(e) from None


class JsonLinesParser(BaseParser):
    """``application/x-ndjson`` (also ``application/jsonl``): returns the decoded text."""

    media_type = "application/x-ndjson"

    # the text itself, not a mapping: the view reads it line by line (DRF's stubs expect a mapping)
    def parse(self, stream, media_type=None, parser_context=None) -> str:  # type: ignore[override]
        data = _read(stream, parser_context)
        try:
            return check_lines(decode(data))
        except InputError as e:
            raise input_problem(e) from None


class JsonlParser(JsonLinesParser):
    media_type = "application/jsonl"


class PlainTextParser(JsonLinesParser):
    media_type = "text/plain"
