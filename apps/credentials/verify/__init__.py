"""Credential parsing and verification without Django: Open Badges 2.0/3.0, CLR 2.0, VC-JWT, EDC (ELM v3).

Use ``verify_bytes(data, options=VerifyOptions(...))`` or ``verify_object(obj)``; both return a
``VerificationResult`` (checks + status) and never raise on bad input.
"""

from __future__ import annotations

from .core import verify_bytes, verify_object
from .options import VerifyOptions, load_documents_map
from .result import FAILED, REVOKED, UNVERIFIED, VERIFIED, Check, Skill, VerificationResult
from .safeload import DEFAULT_MAX_BYTES

EXPIRED = "expired"
STATUSES = (VERIFIED, UNVERIFIED, FAILED, EXPIRED, REVOKED)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "STATUSES",
    "Check",
    "Skill",
    "VerificationResult",
    "VerifyOptions",
    "load_documents_map",
    "verify_bytes",
    "verify_object",
]
