"""One entry point: bytes (or a parsed object) in, a VerificationResult out — never an exception (no Django)."""

from __future__ import annotations

import logging
from typing import Any

from .edc import is_edc, is_jades, verify_edc, verify_jades
from .ob2 import looks_like_ob2, parse_ob2_jws, verify_ob2
from .options import VerifyOptions
from .result import VerificationResult
from .safeload import InputError, Payload, read_payload
from .vc import looks_like_vc, verify_jwt, verify_vc

log = logging.getLogger(__name__)


def verify_bytes(
    data: bytes, *, options: VerifyOptions | None = None, recipient_emails: tuple[str, ...] = ()
) -> VerificationResult:
    """Verify a credential file's bytes: JSON, compact JWT, baked PNG/SVG, JAdES-sealed EDC."""
    opts = options or VerifyOptions()
    try:
        payload = read_payload(data, max_bytes=opts.max_bytes)
    except InputError as exc:
        result = VerificationResult(format="unknown")
        result.add("input", False, str(exc))
        return result
    return verify_payload(payload, options=opts, recipient_emails=recipient_emails)


def verify_object(
    data: dict[str, Any] | str, *, options: VerifyOptions | None = None, recipient_emails: tuple[str, ...] = ()
) -> VerificationResult:
    """Verify an already-parsed credential (a JSON object, or a compact JWT string)."""
    payload = Payload(container="jwt", jwt=data) if isinstance(data, str) else Payload(container="json", data=data)
    return verify_payload(payload, options=options or VerifyOptions(), recipient_emails=recipient_emails)


def verify_payload(
    payload: Payload, *, options: VerifyOptions, recipient_emails: tuple[str, ...] = ()
) -> VerificationResult:
    try:
        result = _dispatch(payload, options, recipient_emails)
    except RecursionError:
        result = VerificationResult(format="unknown")
        result.add("input", False, "credential nested too deeply; refused")
    except Exception as exc:  # last line of defence: a verifier bug must read as 'failed', not as a 500
        log.exception("credential verification crashed")
        result = VerificationResult(format="unknown")
        result.add("internal", False, f"could not be verified ({exc.__class__.__name__}: {exc})")
    if payload.container in ("png", "svg"):
        result.checks.insert(0, result.checks[0].__class__("input", True, f"baked {payload.container.upper()}"))
    return result


def _dispatch(payload: Payload, opts: VerifyOptions, emails: tuple[str, ...]) -> VerificationResult:
    if payload.jwt is not None:
        assertion = parse_ob2_jws(payload.jwt)
        if assertion is not None:
            return verify_ob2(assertion, opts, jws=payload.jwt, recipient_emails=emails)
        return verify_jwt(payload.jwt, opts)
    data = payload.data or {}
    # The EDC issuer portal's "uploadable" form wraps the credential: {"credential": {...}}.
    if isinstance(data.get("credential"), dict) and len(data) <= 2 and "@context" not in data:
        data = data["credential"]
    if is_jades(data):
        return verify_jades(data, opts)
    if is_edc(data):
        return verify_edc(data, opts)
    if looks_like_vc(data):
        return verify_vc(data, opts)
    if looks_like_ob2(data):
        return verify_ob2(data, opts, recipient_emails=emails)
    if isinstance(data.get("recipient"), str) and "badge" in data:
        # Open Badges 1.0 (pre-JSON-LD, e.g. Mozilla Backpack era): no proof this verifier can check.
        result = VerificationResult(format="ob1", credential=data)
        result.title = data["badge"].get("name") if isinstance(data.get("badge"), dict) else None
        result.add("structure", None, "Open Badges 1.x assertion (legacy, superseded by 2.0); not verifiable here")
        return result
    result = VerificationResult(format="unknown", credential=data)
    result.add("structure", False, "not a recognised credential (Open Badges 2.0/3.0, CLR 2.0, VC, EDC)")
    return result
