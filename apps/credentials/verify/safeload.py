"""Turn uploaded bytes into a credential payload safely: size limit, JSON depth limit, baked PNG/SVG (no Django).

Everything here refuses bad input with ``InputError`` (a clear message), never with an unexpected exception:
``apps.credentials.verify.core.verify_bytes`` turns it into a failed ``structure`` check.
"""

from __future__ import annotations

import html
import json
import re
import struct
import zlib
from dataclasses import dataclass
from typing import Any

from apps.core.inputs import InputError as CoreInputError
from apps.core.inputs import check_nesting

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_JSON_DEPTH = 64
# An iTXt chunk holds one credential; a few MB of inflated text is already far beyond any real badge.
MAX_INFLATED_BYTES = 8 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JWT_RE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


class InputError(ValueError):
    """The input cannot be read as a credential at all."""


@dataclass
class Payload:
    """What was found in the input: a JSON object, a compact JWS/JWT string, and where it came from."""

    container: str  # json | jwt | png | svg
    data: dict[str, Any] | None = None
    jwt: str | None = None


def _depth_ok(value: Any, limit: int) -> bool:
    """Iterative depth check (recursion would itself be the crash we are guarding against)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return True


def load_json_text(text: str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON text with a nesting limit; InputError on anything that is not valid JSON."""
    try:
        check_nesting(text, max_depth)
    except CoreInputError as exc:
        raise InputError(str(exc)) from None
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"not valid JSON: {exc}") from exc
    if not _depth_ok(value, max_depth):
        raise InputError(f"JSON nested deeper than {max_depth} levels; refused")
    return value


def _png_text_chunks(data: bytes) -> dict[str, str]:
    """The iTXt/tEXt chunks of a PNG, inflating compressed iTXt with a hard output limit (decompression bombs)."""
    if not data.startswith(PNG_SIGNATURE):
        raise InputError("not a PNG file")
    out: dict[str, str] = {}
    pos = len(PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length:
            raise InputError("truncated PNG chunk")
        pos += 12 + length
        if ctype == b"iTXt":
            keyword, _, rest = body.partition(b"\x00")
            if len(rest) < 2:
                continue
            compressed, _method = rest[0], rest[1]
            rest = rest[2:]
            _lang, _, rest = rest.partition(b"\x00")
            _tkey, _, text = rest.partition(b"\x00")
            if compressed:
                inflater = zlib.decompressobj()
                try:
                    text = inflater.decompress(text, MAX_INFLATED_BYTES)
                except zlib.error as exc:
                    raise InputError(f"corrupt compressed iTXt chunk: {exc}") from exc
                if inflater.unconsumed_tail:
                    raise InputError("PNG iTXt chunk inflates beyond the limit (decompression bomb); refused")
            out[keyword.decode("latin-1")] = text.decode("utf-8", "replace")
        elif ctype == b"tEXt":
            keyword, _, text = body.partition(b"\x00")
            out[keyword.decode("latin-1")] = text.decode("latin-1")
        elif ctype == b"IEND":
            break
    return out


def _from_text(text: str, container: str, *, max_depth: int) -> Payload:
    text = text.strip()
    if JWT_RE.match(text):
        return Payload(container=container, jwt=text)
    if text.startswith(("{", "[")):
        value = load_json_text(text, max_depth=max_depth)
        if isinstance(value, dict):
            return Payload(container=container, data=value)
        raise InputError("JSON value is not an object")
    if text.startswith(("http://", "https://")):
        raise InputError(f"the badge holds only a URL ({text[:200]}); hosted badges must be fetched first")
    raise InputError("not JSON and not a compact JWT")


_SVG_CREDENTIAL_RE = re.compile(
    r"<openbadges:(credential|assertion)\b([^>]*?)(/>|>(.*?)</openbadges:\1>)", re.DOTALL | re.IGNORECASE
)
_VERIFY_ATTR_RE = re.compile(r"""verify\s*=\s*(["'])(.*?)\1""", re.DOTALL)


def _svg_payload(text: str, *, max_depth: int) -> Payload:
    """The baked credential of an SVG: ``<openbadges:credential|assertion>`` CDATA body or its ``verify`` attribute.

    Regular expressions, not an XML parser, on purpose: no entity expansion (billion laughs), no DTDs."""
    match = _SVG_CREDENTIAL_RE.search(text)
    if not match:
        raise InputError("SVG holds no <openbadges:credential> or <openbadges:assertion> element (not baked)")
    attrs, inner = match.group(2), match.group(4) or ""
    inner = inner.strip()
    if inner.startswith("<![CDATA[") and inner.endswith("]]>"):
        inner = inner[9:-3]
    elif inner:
        inner = html.unescape(inner)
    if inner.strip():
        return _from_text(inner, "svg", max_depth=max_depth)
    verify = _VERIFY_ATTR_RE.search(attrs)
    if verify:
        return _from_text(html.unescape(verify.group(2)), "svg", max_depth=max_depth)
    raise InputError("SVG badge element is empty")


def read_payload(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_depth: int = MAX_JSON_DEPTH) -> Payload:
    """Find the credential in raw bytes (JSON, JWT text, ``{"raw": JWT}`` wrapper, baked PNG or SVG)."""
    if len(data) > max_bytes:
        raise InputError(f"file is {len(data)} bytes, over the {max_bytes}-byte limit; refused")
    if not data.strip():
        raise InputError("empty input")
    if data.startswith(PNG_SIGNATURE):
        chunks = _png_text_chunks(data)
        for key in ("openbadgecredential", "openbadges"):
            if key in chunks:
                return _from_text(chunks[key], "png", max_depth=max_depth)
        raise InputError("PNG holds no 'openbadgecredential' or 'openbadges' iTXt chunk (not baked)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text, PNG or SVG") from exc
    stripped = text.lstrip()
    if stripped.startswith("<"):
        if "<svg" in stripped[:4096].lower():
            return _svg_payload(text, max_depth=max_depth)
        raise InputError("XML documents other than baked SVG are not supported (e.g. ELM v2 XML)")
    payload = _from_text(stripped, "json", max_depth=max_depth)
    # A JWT kept as JSON ``{"raw": "<compact JWT>"}`` (how the shared fixtures store .jwt files).
    if (
        payload.data is not None
        and isinstance(payload.data.get("raw"), str)
        and JWT_RE.match(payload.data["raw"].strip())
        and not payload.data.get("@context")
    ):
        return Payload(container="jwt", jwt=payload.data["raw"].strip())
    if payload.jwt:
        payload.container = "jwt"
    return payload
