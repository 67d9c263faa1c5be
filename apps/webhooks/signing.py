"""Webhook signatures, no Django: ``Tsumiki-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`` over
``f"{t}.{body}"`` with the endpoint's secret (the scheme Stripe made familiar). docs/api.md shows a
receiver doing the same check; tests/webhooks/test_webhooks.py's receiver uses ``verify`` below."""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Tsumiki-Signature"
DEFAULT_TOLERANCE = 300  # seconds a receiver should accept between signing and receipt


def sign(*, secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The value of the signature header for ``body`` sent at ``timestamp`` (now by default)."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def verify(
    *, secret: str, body: bytes, header: str, tolerance: int = DEFAULT_TOLERANCE, now: float | None = None
) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` and is at most ``tolerance`` seconds old.
    Several ``v1`` entries may be present (secret rotation); any one matching is enough."""
    parts = [p.split("=", 1) for p in header.split(",") if "=" in p]
    stamps = [v for k, v in parts if k.strip() == "t"]
    macs = [v.strip() for k, v in parts if k.strip() == "v1"]
    if len(stamps) != 1 or not stamps[0].strip().isdigit() or not macs:
        return False
    t = int(stamps[0])
    if abs((time.time() if now is None else now) - t) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, m) for m in macs)
