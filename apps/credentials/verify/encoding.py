"""Byte encodings used by credential proofs: base58btc, multibase, multicodec keys, base64url (no Django)."""

from __future__ import annotations

import base64

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}

# multicodec prefixes (varint-encoded) of the public keys we can check
ED25519_PUB = b"\xed\x01"
P256_PUB = b"\x80\x24"


class EncodingError(ValueError):
    """A value is not validly encoded."""


def b58decode(text: str) -> bytes:
    """Decode base58btc (Bitcoin alphabet)."""
    if len(text) > 4096:  # keys and signatures are short; refuse pathological input before the O(n²) loop
        raise EncodingError("base58 value too long")
    num = 0
    for ch in text:
        if ch not in _B58_INDEX:
            raise EncodingError(f"invalid base58 character {ch!r}")
        num = num * 58 + _B58_INDEX[ch]
    body = num.to_bytes((num.bit_length() + 7) // 8, "big") if num else b""
    pad = len(text) - len(text.lstrip("1"))
    return b"\x00" * pad + body


def b64url_decode(text: str) -> bytes:
    """Decode unpadded (or padded) base64url, strictly."""
    if not isinstance(text, str):
        raise EncodingError("base64url value must be a string")
    stripped = text.rstrip("=")
    if len(stripped) % 4 == 1:
        raise EncodingError("invalid base64url length")
    try:
        return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except (ValueError, TypeError) as exc:
        raise EncodingError(f"invalid base64url: {exc}") from exc


def multibase_decode(text: str) -> bytes:
    """Decode a multibase string: 'z' base58btc, 'u' base64url, 'm' base64 — the ones credentials use."""
    if not isinstance(text, str) or not text:
        raise EncodingError("multibase value must be a non-empty string")
    prefix, body = text[0], text[1:]
    if prefix == "z":
        return b58decode(body)
    if prefix == "u":
        return b64url_decode(body)
    if prefix == "m":
        try:
            return base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
        except ValueError as exc:
            raise EncodingError(f"invalid base64: {exc}") from exc
    raise EncodingError(f"unsupported multibase prefix {prefix!r}")


def multikey_decode(text: str) -> tuple[str, bytes]:
    """Decode a multibase multikey (e.g. ``z6Mk…``) to (key type, raw public key bytes)."""
    raw = multibase_decode(text)
    if raw.startswith(ED25519_PUB) and len(raw) == 34:
        return "Ed25519", raw[2:]
    if raw.startswith(P256_PUB) and len(raw) == 35:
        return "P-256", raw[2:]
    raise EncodingError("unsupported or malformed multikey (only Ed25519 and P-256 are known)")
