"""Credential status: BitstringStatusList / StatusList2021, 1EdTech revocation list (no Django).

Lists are read through ``VerifyOptions.resolve`` (a local file in tests, HTTPS with a short timeout in
production). A list that cannot be read leaves the status unknown (check ``ok=None``, overall 'unverified');
a list that is forged, expired or malformed fails the check.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING, Any

from .dates import parse_datetime
from .encoding import EncodingError, b64url_decode
from .summary import as_dict, as_list, node_id

if TYPE_CHECKING:
    from .options import VerifyOptions
    from .result import VerificationResult

MAX_LIST_BYTES = 16 * 1024 * 1024  # a status list of 131,072 entries is 16 KB; this bounds decompression bombs
BITSTRING_ENTRY = {"BitstringStatusListEntry", "StatusList2021Entry"}
BITSTRING_LIST = {"BitstringStatusListCredential", "StatusList2021Credential"}


def _types(node: Any) -> list[str]:
    return [t for t in as_list(node.get("type") if isinstance(node, dict) else None) if isinstance(t, str)]


def _decode_list(encoded: Any) -> bytes:
    if not isinstance(encoded, str) or not encoded:
        raise EncodingError("encodedList missing")
    body = encoded[1:] if encoded[0] == "u" else encoded  # BitstringStatusList: multibase base64url; 2021: bare
    raw = b64url_decode(body)
    inflater = zlib.decompressobj(wbits=47)  # gzip or zlib header
    try:
        out = inflater.decompress(raw, MAX_LIST_BYTES)
    except zlib.error as exc:
        raise EncodingError(f"encodedList is not GZIP data: {exc}") from exc
    if inflater.unconsumed_tail:
        raise EncodingError("encodedList inflates beyond the limit")
    return out


def check_status(cred: dict[str, Any], result: VerificationResult, opts: VerifyOptions, *, verify_list: Any) -> None:
    """Add one ``status`` check per credentialStatus entry. ``verify_list`` verifies a status-list credential."""
    for entry in as_list(cred.get("credentialStatus")):
        if not isinstance(entry, dict):
            result.add("status", False, "credentialStatus entry is not an object")
            continue
        types = _types(entry)
        if BITSTRING_ENTRY & set(types):
            _bitstring(cred, entry, result, opts, verify_list)
        elif "1EdTechRevocationList" in types:
            _revocation_list(cred, entry, result, opts)
        else:
            result.uncertain = True
            result.add("status", None, f"status type {types or '?'} is not supported; revocation not checked")


def _bitstring(
    cred: dict[str, Any], entry: dict[str, Any], result: VerificationResult, opts: VerifyOptions, verify_list: Any
) -> None:
    url = entry.get("statusListCredential")
    try:
        given: Any = entry.get("statusListIndex")
        index = int(given)
        if index < 0:
            raise ValueError
    except (TypeError, ValueError):
        result.add("status", False, f"statusListIndex {entry.get('statusListIndex')!r} is not a non-negative integer")
        return
    purpose = entry.get("statusPurpose", "revocation")
    doc = opts.resolve(url) if isinstance(url, str) else None
    if not isinstance(doc, dict):
        result.uncertain = True
        result.add("status", None, f"status list {url} not available; revocation not checked")
        return
    if not BITSTRING_LIST & set(_types(doc)):
        result.add("status", False, f"status list {url} is not a BitstringStatusListCredential (type {_types(doc)})")
        return
    inner = verify_list(doc)
    if inner.status in ("failed", "expired", "revoked"):
        why = inner.failing_check or inner.status
        detail = next((c.detail for c in inner.checks if c.name == why), inner.status)
        result.add("status", False, f"status list {url} does not verify ({why}: {detail})")
        return
    now = opts.current_time()
    valid_until = parse_datetime(doc.get("validUntil") or doc.get("expirationDate"))
    if valid_until and valid_until < now:
        result.add("status", False, f"status list {url} expired on {valid_until.date()}")
        return
    subject = as_dict(doc.get("credentialSubject"))
    list_purpose = subject.get("statusPurpose", purpose)
    if list_purpose != purpose:
        result.add("status", False, f"status list purpose {list_purpose!r} differs from the entry's {purpose!r}")
        return
    try:
        bits = _decode_list(subject.get("encodedList"))
    except EncodingError as exc:
        result.add("status", False, f"status list {url} cannot be decoded: {exc}")
        return
    if index >= len(bits) * 8:
        result.add("status", False, f"statusListIndex {index} is beyond the list ({len(bits) * 8} entries)")
        return
    set_ = bits[index // 8] >> (7 - index % 8) & 1
    if inner.status != "verified":
        result.uncertain = True
    if set_:
        result.revoked = True
        result.add(
            "status",
            True,
            f"{purpose}: entry {index} of {url} is SET — credential {purpose.upper()}".replace(
                "REVOCATION", "REVOKED"
            ).replace("SUSPENSION", "SUSPENDED"),
        )
    else:
        result.add("status", True, f"{purpose}: entry {index} of {url} is clear (list {inner.status})")


def _revocation_list(
    cred: dict[str, Any], entry: dict[str, Any], result: VerificationResult, opts: VerifyOptions
) -> None:
    url = entry.get("id")
    doc = opts.resolve(url) if isinstance(url, str) else None
    if not isinstance(doc, dict):
        result.uncertain = True
        result.add("status", None, f"1EdTech revocation list {url} not available; revocation not checked")
        return
    revoked = {node_id(r) for r in as_list(doc.get("revokedCredentials") or doc.get("revokedAssertions"))}
    if cred.get("id") in revoked:
        result.revoked = True
        result.add("status", True, f"credential {cred.get('id')} is listed as REVOKED in {url}")
    else:
        result.add("status", True, f"not listed in revocation list {url}")
