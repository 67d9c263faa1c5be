"""Public-key resolution for credential proofs (no Django).

Where a key may come from, in the order tried: operator-registered keys (trusted by configuration),
``did:key`` (the key is the identifier), ``did:web`` (the DID document, read through ``Resolver``: a local
file in tests and offline use, HTTPS with a short timeout only where the operator allows the network),
a multikey in the fragment of the issuer's own URL (the form 1EdTech's conformance credentials use),
and JWKs embedded in a JOSE header. Each result names its ``source`` (did:key, did:web, registered issuer key,
published key document, embedded multikey, embedded JWK) and how it was found (``basis``). A key the credential
carries itself is ``embedded``: it proves the file is intact, not who issued it — unless something outside the
file names the same key for the issuer (``confirm_embedded``: the issuer's did:key, its did:web DID document or
https issuer profile, or a key the operator registered), and then it is that source's key.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from .encoding import EncodingError, b64url_decode, multikey_decode

PublicKey = ed25519.Ed25519PublicKey | rsa.RSAPublicKey | ec.EllipticCurvePublicKey
Resolver = Callable[[str], Any]  # URL → parsed JSON document, or None when not available


class KeyError_(ValueError):
    """The verification method cannot be resolved to a usable key (name avoids shadowing builtins.KeyError)."""


class KeyUnavailable(KeyError_):
    """The key may well exist but cannot be read here (offline, unsupported DID method): 'cannot check'."""


SOURCE_REGISTERED = "registered issuer key"
SOURCE_DID_KEY = "did:key"
SOURCE_DID_WEB = "did:web"
SOURCE_PUBLISHED = "issuer-published key document"
SOURCE_EMBEDDED_MULTIKEY = "embedded multikey"
SOURCE_EMBEDDED_JWK = "embedded JWK"


@dataclass
class ResolvedKey:
    key: PublicKey
    controller: str  # who the key speaks for (a DID, an issuer URL)
    basis: str  # how the key was found, shown in the check detail
    source: str = ""  # one of the SOURCE_* names
    embedded: bool = False  # carried by the credential itself: proves integrity, not who issued it

    def describe(self) -> str:
        """The key check's detail: which key source was used, and how."""
        return f"key source: {self.source or 'unknown'} ({self.basis})"


def key_from_multikey(text: str) -> PublicKey:
    kind, raw = multikey_decode(text)
    if kind == "Ed25519":
        return ed25519.Ed25519PublicKey.from_public_bytes(raw)
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)


def key_from_jwk(jwk: Mapping[str, Any]) -> PublicKey:
    """A public key from a JWK (RSA, EC P-256/384, OKP Ed25519); private members are ignored."""
    if not isinstance(jwk, Mapping):
        raise KeyError_("JWK is not an object")
    kty = jwk.get("kty")
    try:
        if kty == "RSA":
            n = int.from_bytes(b64url_decode(jwk["n"]), "big")
            e = int.from_bytes(b64url_decode(jwk["e"]), "big")
            return rsa.RSAPublicNumbers(e, n).public_key()
        if kty == "EC":
            curve = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1()}.get(str(jwk.get("crv")))
            if curve is None:
                raise KeyError_(f"unsupported EC curve {jwk.get('crv')!r}")
            x = int.from_bytes(b64url_decode(jwk["x"]), "big")
            y = int.from_bytes(b64url_decode(jwk["y"]), "big")
            return ec.EllipticCurvePublicNumbers(x, y, curve).public_key()
        if kty == "OKP" and jwk.get("crv") == "Ed25519":
            return ed25519.Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
    except (KeyError, TypeError, ValueError, EncodingError) as exc:
        raise KeyError_(f"malformed JWK: {exc}") from exc
    raise KeyError_(f"unsupported JWK key type {kty!r}")


def key_from_pem(pem: str) -> PublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError) as exc:
        raise KeyError_(f"malformed PEM public key: {exc}") from exc
    if not isinstance(key, ed25519.Ed25519PublicKey | rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        raise KeyError_("unsupported PEM key type")
    return key


def key_from_method(method: Mapping[str, Any]) -> PublicKey:
    """A key from a DID-document verification method (multibase, JWK, PEM or base58)."""
    if method.get("publicKeyMultibase"):
        return key_from_multikey(method["publicKeyMultibase"])
    if method.get("publicKeyJwk"):
        return key_from_jwk(method["publicKeyJwk"])
    if method.get("publicKeyPem"):
        return key_from_pem(method["publicKeyPem"])
    raise KeyError_("verification method carries no supported public key")


def did_web_url(did: str) -> str:
    """The HTTPS URL of a did:web DID document (did:web:host:path → https://host/path/did.json)."""
    parts = did.split("#", 1)[0].split(":")
    if len(parts) < 3 or parts[0] != "did" or parts[1] != "web" or not parts[2]:
        raise KeyError_(f"malformed did:web {did!r}")
    host = unquote(parts[2])
    path = "/".join(unquote(p) for p in parts[3:])
    return f"https://{host}/{path}/did.json" if path else f"https://{host}/.well-known/did.json"


def _find_method(doc: Mapping[str, Any], method_id: str, relationship: str) -> Mapping[str, Any] | None:
    """The verification method ``method_id`` of a DID document, authorised for ``relationship``."""
    did = doc.get("id", "")

    def full(i: str) -> str:
        return f"{did}{i}" if i.startswith("#") else i

    allowed = doc.get(relationship)
    if not isinstance(allowed, list):
        return None
    pool = [m for m in doc.get("verificationMethod", []) if isinstance(m, Mapping)]
    for ref in allowed:
        if isinstance(ref, Mapping) and full(ref.get("id", "")) == method_id:
            return ref
        if isinstance(ref, str) and full(ref) == method_id:
            for m in pool:
                if full(m.get("id", "")) == method_id:
                    return m
    return None


def resolve(
    method_id: object,
    *,
    resolver: Resolver,
    registered: Mapping[str, Any] | None = None,
    relationship: str = "assertionMethod",
) -> ResolvedKey:
    """Resolve a verification method id to a public key, or raise KeyError_ saying why not."""
    if not isinstance(method_id, str) or not method_id:
        raise KeyError_("proof has no verificationMethod")
    registered = registered or {}
    if method_id in registered:
        return ResolvedKey(
            _spec_key(registered[method_id]),
            method_id.split("#", 1)[0],
            f"registered by the operator as {method_id}",
            SOURCE_REGISTERED,
        )
    base, _, fragment = method_id.partition("#")
    if ":" not in base:
        raise KeyError_(f"verificationMethod {method_id!r} has no scheme")
    scheme = base.split(":", 1)[0].lower()
    try:
        if base.startswith("did:key:"):
            mk = base[len("did:key:") :]
            if fragment and fragment != mk:
                raise KeyError_("did:key fragment does not match the key")
            return ResolvedKey(key_from_multikey(mk), base, "the key is the identifier", SOURCE_DID_KEY)
        if base.startswith("did:web:"):
            url = did_web_url(base)
            doc = resolver(url)
            if not isinstance(doc, Mapping):
                raise KeyUnavailable(f"DID document for {base} not available ({url})")
            if doc.get("id") != base:
                raise KeyError_(f"DID document id {doc.get('id')!r} does not match {base}")
            method = _find_method(doc, method_id, relationship)
            if method is None:
                raise KeyError_(f"{method_id} is not an {relationship} of {base}")
            return ResolvedKey(key_from_method(method), base, f"DID document {url}", SOURCE_DID_WEB)
        if base.startswith("did:"):
            raise KeyUnavailable(f"DID method {base.split(':')[1]!r} is not supported")
        if scheme == "urn":
            raise KeyUnavailable(f"{method_id} is a URN: only an operator-registered key can resolve it")
        if scheme in ("http", "https"):
            if fragment.startswith("z6Mk") or fragment.startswith("zDn"):
                # 1EdTech conformance form: the issuer URL with the multikey as fragment. The controller
                # document is not fetched, so the binding rests on the URL matching the issuer (issuer check).
                embedded = ResolvedKey(
                    key_from_multikey(fragment),
                    base,
                    "multikey in the fragment of the issuer URL",
                    SOURCE_EMBEDDED_MULTIKEY,
                    embedded=True,
                )
                return confirm_embedded(embedded, resolver=resolver, registered=registered)
            doc = resolver(method_id) or resolver(base)
            if isinstance(doc, Mapping):
                method = doc if doc.get("id") == method_id else None
                if method is None:
                    for m in doc.get("verificationMethod", []) or doc.get(relationship, []) or []:
                        if isinstance(m, Mapping) and m.get("id") == method_id:
                            method = m
                if method is not None:
                    return ResolvedKey(
                        key_from_method(method),
                        method.get("controller", base),
                        f"key document {base}",
                        SOURCE_PUBLISHED,
                    )
            raise KeyUnavailable(f"key {method_id} not available (not registered, not fetchable offline)")
        raise KeyError_(f"unknown verificationMethod scheme {scheme!r}")
    except EncodingError as exc:
        raise KeyError_(f"malformed key in {method_id}: {exc}") from exc
    except ValueError as exc:
        if isinstance(exc, KeyError_):
            raise
        raise KeyError_(f"invalid key in {method_id}: {exc}") from exc


def _spec_key(spec: Any) -> PublicKey:
    """A registered key: PEM, multikey or JWK."""
    if isinstance(spec, str) and "BEGIN" in spec:
        return key_from_pem(spec)
    return key_from_multikey(spec) if isinstance(spec, str) else key_from_jwk(spec)


def _public_bytes(key: PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def same_key(a: PublicKey, b: PublicKey) -> bool:
    return _public_bytes(a) == _public_bytes(b)


def registered_match(key: ResolvedKey, registered: Mapping[str, Any] | None) -> ResolvedKey:
    """An embedded key that the operator also registered for the same controller (issuer) counts as that
    registered key; otherwise ``key`` unchanged."""
    if not key.embedded or not registered:
        return key
    controller = key.controller.split("#", 1)[0]
    mine = _public_bytes(key.key)
    for method_id, spec in registered.items():
        if not isinstance(method_id, str) or method_id.split("#", 1)[0] != controller:
            continue
        try:
            other = _spec_key(spec)
        except (KeyError_, EncodingError, ValueError):
            continue
        if _public_bytes(other) == mine:  # same_key, without re-encoding ``key`` each time
            return ResolvedKey(
                key.key, key.controller, f"{key.basis}, registered by the operator as {method_id}", SOURCE_REGISTERED
            )
    return key


def _listed_methods(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The key-bearing entries of a DID document or issuer profile that may sign assertions."""
    found: list[Mapping[str, Any]] = []
    for name in ("assertionMethod", "verificationMethod", "publicKey"):
        value = doc.get(name)
        for entry in value if isinstance(value, list) else [value]:
            if isinstance(entry, Mapping):
                found.append(entry)
    return found


def confirm_embedded(key: ResolvedKey, *, resolver: Resolver, registered: Mapping[str, Any] | None) -> ResolvedKey:
    """An embedded key confirmed from outside the credential, or ``key`` unchanged (still embedded).

    The key's controller is the issuer the credential names. It is confirmed when the operator registered
    the same key for that issuer, when the issuer is a did:key of that very key, or when the issuer's own
    published document lists it: the did:web DID document, or the https issuer profile fetched from the
    issuer's id (its ``id`` must be that URL)."""
    key = registered_match(key, registered)
    if not key.embedded:
        return key
    controller = key.controller.split("#", 1)[0]
    mine = _public_bytes(key.key)
    try:
        if controller.startswith("did:key:"):
            if _public_bytes(key_from_multikey(controller[len("did:key:") :])) == mine:
                return ResolvedKey(key.key, controller, f"{key.basis}, the issuer's own did:key", SOURCE_DID_KEY)
            return key
        if controller.startswith("did:web:"):
            url, source, what = did_web_url(controller), SOURCE_DID_WEB, "DID document"
        elif controller.startswith("https://"):
            url, source, what = controller, SOURCE_PUBLISHED, "issuer profile"
        else:
            return key
    except (KeyError_, EncodingError, ValueError):
        return key
    doc = resolver(url)
    if not isinstance(doc, Mapping) or doc.get("id") != controller:
        return key
    for method in _listed_methods(doc):
        try:
            if _public_bytes(key_from_method(method)) == mine:
                return ResolvedKey(key.key, controller, f"{key.basis}, listed in the {what} {url}", source)
        except (KeyError_, EncodingError, ValueError):
            continue
    return key


def load_local_json(path: str) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
