"""Signature checks: Ed25519, ECDSA P-256/384 (JOSE raw r||s), RSA PKCS#1 v1.5 and PSS (no Django)."""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from .keys import PublicKey

JWS_ALGS = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"}


class SignatureError(ValueError):
    """The signature does not verify, or the algorithm does not fit the key."""


def verify_ed25519(key: PublicKey, signature: bytes, message: bytes) -> None:
    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise SignatureError("key is not an Ed25519 key")
    try:
        key.verify(signature, message)
    except InvalidSignature as exc:
        raise SignatureError("Ed25519 signature does not match") from exc


def verify_jws_alg(alg: str, key: PublicKey, signature: bytes, message: bytes) -> None:
    """Verify a JOSE signature; the algorithm must match the key type (no 'none', no alg confusion)."""
    if alg not in JWS_ALGS:
        raise SignatureError(f"unsupported JWS algorithm {alg!r}")
    bits = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}
    try:
        if alg == "EdDSA":
            verify_ed25519(key, signature, message)
            return
        digest = bits[alg[2:]]
        if alg.startswith(("RS", "PS")):
            if not isinstance(key, rsa.RSAPublicKey):
                raise SignatureError(f"{alg} needs an RSA key")
            pad = (
                padding.PKCS1v15()
                if alg.startswith("RS")
                else padding.PSS(mgf=padding.MGF1(digest), salt_length=padding.PSS.DIGEST_LENGTH)
            )
            key.verify(signature, message, pad, digest)
            return
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise SignatureError(f"{alg} needs an EC key")
        size = (key.curve.key_size + 7) // 8
        if len(signature) != 2 * size:
            raise SignatureError("ECDSA signature has the wrong length")
        der = encode_dss_signature(int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big"))
        key.verify(der, message, ec.ECDSA(digest))
    except InvalidSignature as exc:
        raise SignatureError(f"{alg} signature does not match") from exc
