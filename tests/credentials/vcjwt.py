"""Build VC-JWTs for tests with keys generated in the test (Ed25519, EdDSA): did:key ``kid`` or embedded ``jwk``."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
NOW = datetime(2026, 6, 1, tzinfo=UTC)  # the 'now' the tests verify at
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def b58(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def ts(text: str) -> int:
    """A NumericDate from an ISO date-time."""
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


class Signer:
    """A fresh Ed25519 key: its did:key, its JWK, and compact JWS signing."""

    def __init__(self) -> None:
        self.private = ed25519.Ed25519PrivateKey.generate()
        self.raw = self.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.multikey = "z" + b58(b"\xed\x01" + self.raw)
        self.did = f"did:key:{self.multikey}"
        self.kid = f"{self.did}#{self.multikey}"
        self.jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url(self.raw)}

    def sign(self, payload: dict[str, Any], *, kid: str | None = None, jwk: Any = None) -> str:
        header: dict[str, Any] = {"alg": "EdDSA", "typ": "JWT"}
        if kid is not None:
            header["kid"] = kid
        if jwk is not None:
            header["jwk"] = jwk
        signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}"
        return f"{signing_input}.{b64url(self.private.sign(signing_input.encode()))}"


def vc(issuer: str, **members: Any) -> dict[str, Any]:
    """A minimal VCDM 2.0 credential (valid from 2020) with extra or replaced members."""
    doc: dict[str, Any] = {
        "@context": [VC_V2],
        "type": ["VerifiableCredential"],
        "id": "urn:uuid:4a3c2f7e-0d3b-4f8e-9c55-1f0b8a2d6e11",
        "issuer": issuer,
        "validFrom": "2020-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:holder"},
    }
    doc.update(members)
    return {k: v for k, v in doc.items() if v is not None}
