"""Body parsers for bulk import: JSON lines arrive as raw text, parsed line by line by the service so
errors can name the line."""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser


class JsonLinesParser(BaseParser):
    """``application/x-ndjson`` (also ``application/jsonl``): returns the decoded text."""

    media_type = "application/x-ndjson"

    def parse(self, stream, media_type=None, parser_context=None) -> str:
        data = stream.read() if stream is not None else b""
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise ParseError(f"The body must be UTF-8 text (invalid byte at offset {e.start}).") from None


class JsonlParser(JsonLinesParser):
    media_type = "application/jsonl"


class PlainTextParser(JsonLinesParser):
    media_type = "text/plain"
