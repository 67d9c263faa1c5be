"""Verifiable Credentials: Open Badges 3.0, CLR 2.0, endorsements — JSON-LD Data Integrity and VC-JWT (no Django).

Proofs: DataIntegrityProof ``eddsa-rdfc-2022`` (and its draft name ``eddsa-2022``) and Ed25519Signature2020,
both over RDFC-1.0 canonical N-Quads (``jsonld.canonize``) with contexts bundled in the project; VC-JWT with
RS256/ES256/EdDSA. Other suites (ecdsa-sd-2023, BBS…) are reported as not checkable, never as verified.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from .dates import numeric_date, window
from .encoding import EncodingError, b64url_decode, multibase_decode
from .jsonld import ContextError, canonize, known_context, undefined_terms
from .keys import (
    SOURCE_EMBEDDED_JWK,
    KeyError_,
    KeyUnavailable,
    ResolvedKey,
    confirm_embedded,
    key_from_jwk,
    resolve,
    same_key,
)
from .options import VerifyOptions
from .result import VerificationResult
from .safeload import InputError, load_json_text
from .signatures import SignatureError, verify_ed25519, verify_jws_alg
from .status import check_status
from .summary import as_list, node_id, summarize_vc

VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
FORMAT_BY_TYPE = {
    "ClrCredential": "clr2",
    "OpenBadgeCredential": "ob3",
    "AchievementCredential": "ob3",
    "EndorsementCredential": "ob3",
}
SUBJECT_TYPE = {
    "ClrCredential": "ClrSubject",
    "OpenBadgeCredential": "AchievementSubject",
    "AchievementCredential": "AchievementSubject",
    "EndorsementCredential": "EndorsementSubject",
}
# OB 3.0 / CLR 2.0 schema: the class each property's objects must declare (1EdTech JSON Schemas).
PROPERTY_TYPE = {
    "achievement": "Achievement",
    "creator": "Profile",
    "source": "Profile",
    "parentOrg": "Profile",
    "evidence": "Evidence",
    "result": "Result",
    "resultDescription": "ResultDescription",
    "otherIdentifier": "IdentifierEntry",
    "alignment": "Alignment",
    "endorser": "Profile",
}
MAX_CLR_INNER = 200
NOT_CONFIRMED = (
    "issuer not confirmed: the credential carries this key itself, which proves the file is intact, not who "
    "issued it; nothing outside the file (the issuer's did:key, did:web document or issuer profile, or a key "
    "the operator registered) names it"
)
JWT_TIME_CLAIMS = ("exp", "nbf", "iat")
ED25519_SUITES = {"eddsa-rdfc-2022", "eddsa-2022"}


def _types(node: Any) -> list[str]:
    return [t for t in as_list(node.get("type") if isinstance(node, dict) else None) if isinstance(t, str)]


def detect_format(cred: dict[str, Any]) -> str:
    types = _types(cred)
    for t, fmt in FORMAT_BY_TYPE.items():
        if t in types:
            return fmt
    if "EuropeanDigitalCredential" in types:
        return "edc"
    return "vc"


# ---------------------------------------------------------------- structure


def check_structure(cred: dict[str, Any], result: VerificationResult) -> bool:
    """Required VC members and OB/CLR class typing; adds ``structure`` (and ``context``) checks."""
    problems: list[str] = []
    ctx = as_list(cred.get("@context"))
    if not ctx or ctx[0] not in (VC_V1, VC_V2):
        problems.append(f"first @context must be {VC_V2} or {VC_V1} (got {ctx[0] if ctx else 'none'!r})")
    types = _types(cred)
    if "VerifiableCredential" not in types:
        problems.append(f"type {types} lacks VerifiableCredential")
    if not node_id(cred.get("issuer")):
        problems.append("issuer (with an id) is missing")
    if not as_list(cred.get("credentialSubject")):
        problems.append("credentialSubject is missing")
    fmt = detect_format(cred)
    if fmt in ("ob3", "clr2"):
        main = next(t for t in FORMAT_BY_TYPE if t in types)
        for subject in as_list(cred.get("credentialSubject")):
            want = SUBJECT_TYPE[main]
            if isinstance(subject, dict) and want not in _types(subject):
                problems.append(f"credentialSubject type {_types(subject)} is not {want}")
            if isinstance(subject, dict):
                for ident in as_list(subject.get("identifier")):
                    if isinstance(ident, dict) and "IdentityObject" not in _types(ident):
                        problems.append(f"credentialSubject.identifier type {_types(ident)} is not IdentityObject")
        issuer = cred.get("issuer")
        if isinstance(issuer, dict) and issuer.get("type") is not None and "Profile" not in _types(issuer):
            problems.append(f"issuer type {_types(issuer)} is not Profile")
        problems += _nested_types(cred)
    unknown = [c for c in ctx if isinstance(c, str) and not known_context(c)]
    if unknown:
        result.add("context", None, f"context(s) not bundled, JSON-LD cannot be processed offline: {unknown}")
    if problems:
        result.add("structure", False, "; ".join(problems[:6]))
        return False
    result.add("structure", True, f"{fmt} credential, type {types}")
    return True


def _nested_types(cred: dict[str, Any]) -> list[str]:
    problems = []
    stack: list[tuple[Any, str]] = [(cred, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, list):
            stack.extend((v, path) for v in node)
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key in ("proof", "verifiableCredential", "endorsement", "@context"):
                continue  # proofs have their own types; inner credentials are verified on their own
            want = PROPERTY_TYPE.get(key)
            if want:
                for obj in as_list(value):
                    if isinstance(obj, dict) and obj.get("type") is not None and want not in _types(obj):
                        problems.append(f"{path}{key} type {_types(obj)} is not {want}")
            stack.append((value, f"{path}{key}."))
    return problems


# ---------------------------------------------------------------- proofs


def _key_for(method: object, opts: VerifyOptions) -> ResolvedKey:
    return resolve(method, resolver=opts.resolve, registered=opts.registered_keys)


def _verify_ed25519_proof(cred: dict[str, Any], proof: dict[str, Any], opts: VerifyOptions) -> ResolvedKey:
    """Check one Ed25519 Data Integrity proof; raises (SignatureError, KeyError_, ContextError, EncodingError)."""
    if proof.get("proofPurpose") != "assertionMethod":
        raise SignatureError(f"proofPurpose {proof.get('proofPurpose')!r} is not assertionMethod")
    key = _key_for(proof.get("verificationMethod"), opts)
    signature = multibase_decode(proof.get("proofValue") or "")
    if len(signature) != 64:
        raise SignatureError("proofValue is not a 64-byte Ed25519 signature")
    unsecured = {k: v for k, v in cred.items() if k != "proof"}
    config = {k: v for k, v in proof.items() if k not in ("proofValue", "jws", "signatureValue")}
    config["@context"] = cred.get("@context")
    message = hashlib.sha256(canonize(config).encode()).digest() + hashlib.sha256(canonize(unsecured).encode()).digest()
    verify_ed25519(key.key, signature, message)
    return key


def check_proofs(cred: dict[str, Any], result: VerificationResult, opts: VerifyOptions) -> ResolvedKey | None:
    """Check every embedded proof. A supported proof that fails fails the credential; unsupported ones are noted."""
    proofs = [p for p in as_list(cred.get("proof")) if isinstance(p, dict)]
    if not proofs:
        result.add("proof", None, "no proof: the credential is unsigned")
        return None
    good: ResolvedKey | None = None
    for proof in proofs:
        ptype, suite = proof.get("type"), proof.get("cryptosuite")
        label = f"{ptype}/{suite}" if suite else str(ptype)
        supported = ptype == "Ed25519Signature2020" or (
            ptype == "DataIntegrityProof" and isinstance(suite, str) and suite in ED25519_SUITES
        )
        if not supported:
            result.add("proof", None, f"{label}: proof suite not supported; not checked")
            continue
        try:
            key = _verify_ed25519_proof(cred, proof, opts)
        except KeyUnavailable as exc:
            result.uncertain = True
            result.add("key", None, f"{label}: {exc}")
            continue
        except KeyError_ as exc:
            result.add("key", False, f"{label}: {exc}")
            continue
        except ContextError as exc:
            # No bundled context = no canonical form; that is "cannot check", not "forged".
            result.add("proof", None, f"{label}: {exc}")
            continue
        except (SignatureError, EncodingError) as exc:
            result.add("proof", False, f"{label}: {exc}")
            continue
        method = proof.get("verificationMethod")
        if key.embedded:
            result.add("key", None, f"{method}: {key.describe()}; {NOT_CONFIRMED}")
        else:
            result.add("key", True, f"{method}: {key.describe()}")
        result.add("proof", True, f"{label}: signature over the RDFC-1.0 canonical form verifies")
        good = good or key
    if good is not None:
        dropped = undefined_terms({k: v for k, v in cred.items() if k != "proof"})
        if dropped:
            result.add(
                "structure", False, f"terms not defined by the contexts (a proof cannot protect them): {dropped[:8]}"
            )
    return good


def check_issuer(issuer_id: str | None, key: ResolvedKey, result: VerificationResult, opts: VerifyOptions) -> None:
    """The key must speak for the issuer: same DID, or the issuer URL itself."""
    controller = key.controller
    if issuer_id and issuer_id.startswith("urn:") and controller != issuer_id:
        # A urn:uuid issuer names no place where its keys are published: the signature holds, but nothing
        # ties the signing key to this issuer.
        result.uncertain = True
        result.add("issuer", None, f"issuer {issuer_id} is a URN; the signing key ({controller}) cannot be tied to it")
        return
    if issuer_id and controller.split("#", 1)[0] == issuer_id.split("#", 1)[0]:
        if key.embedded:
            # The signature holds, so the file is as it was signed; but the key came with the file.
            result.add("issuer", None, f"not confirmed: only the credential itself says its key is {issuer_id}'s")
            result.intact = True
            return
        result.add("issuer", True, f"signing key belongs to the issuer {issuer_id}")
        result.proven = True
    else:
        result.add("issuer", False, f"signing key controller {controller} is not the issuer {issuer_id}")


# ---------------------------------------------------------------- whole credentials


def verify_vc(
    cred: dict[str, Any],
    opts: VerifyOptions,
    *,
    depth: int = 0,
    jwt_key: ResolvedKey | None = None,
    check_status_lists: bool = True,
    jwt_claims: dict[str, Any] | None = None,
) -> VerificationResult:
    """Verify a JSON-LD VC (or the credential of an already-checked VC-JWT, whose key is ``jwt_key`` and whose
    parsed ``nbf``/``exp`` claims, ``jwt_claims``, bound the validity window with the credential's own dates)."""
    result = VerificationResult(format=detect_format(cred), credential=cred)
    try:
        summarize_vc(cred, result)
    except Exception as exc:  # a malformed optional member must not hide the verification result
        result.add("summary", None, f"could not read all fields: {exc}")
    structure_ok = check_structure(cred, result)
    key = jwt_key
    if jwt_key is None:
        key = check_proofs(cred, result, opts)
    if key is not None and structure_ok:
        check_issuer(result.issuer_id, key, result, opts)
    window(
        result,
        start=cred.get("validFrom", cred.get("issuanceDate")),
        end=cred.get("validUntil", cred.get("expirationDate")),
        now=opts.current_time(),
        start_name="validFrom" if "validFrom" in cred or VC_V2 in as_list(cred.get("@context")) else "issuanceDate",
        end_name="validUntil" if "validUntil" in cred else "expirationDate",
        start_required=VC_V2 not in as_list(cred.get("@context")),
        claims=jwt_claims,
    )
    if check_status_lists and cred.get("credentialStatus") is not None:
        check_status(
            cred, result, opts, verify_list=lambda doc: verify_vc(doc, opts, depth=depth + 1, check_status_lists=False)
        )
    if result.format == "clr2" and depth < 2:
        _verify_inner(cred, result, opts, depth)
    return result


def _verify_inner(cred: dict[str, Any], result: VerificationResult, opts: VerifyOptions, depth: int) -> None:
    inner_creds = []
    for subject in as_list(cred.get("credentialSubject")):
        if isinstance(subject, dict):
            inner_creds += as_list(subject.get("verifiableCredential"))
    for item in inner_creds[:MAX_CLR_INNER]:
        if isinstance(item, str):
            result.inner.append(verify_jwt(item, opts, depth=depth + 1))
        elif isinstance(item, dict):
            result.inner.append(verify_vc(item, opts, depth=depth + 1))
    if result.inner:
        statuses = [i.status for i in result.inner]
        counts = {s: statuses.count(s) for s in sorted(set(statuses))}
        # Each inner credential carries its own status (and is imported on its own); a bad one does not
        # change what the CLR's own proof says, so this check is informational when some fail.
        result.add(
            "inner",
            True if "failed" not in counts else None,
            f"{len(statuses)} inner credential(s), each verified on its own: {counts}",
        )


def verify_jwt(token: str, opts: VerifyOptions, *, depth: int = 0) -> VerificationResult:
    """Verify a compact VC-JWT (VCDM 1.1 ``vc`` claim or VC-JOSE payload); OB 2.0 signed assertions go to ob2."""
    result = VerificationResult(format="vc-jwt")
    parts = token.split(".")
    try:
        if len(parts) != 3:
            raise InputError("a compact JWS has three parts")
        header = load_json_text(b64url_decode(parts[0]).decode("utf-8"))
        payload = load_json_text(b64url_decode(parts[1]).decode("utf-8"))
        signature = b64url_decode(parts[2])
        if not isinstance(header, dict) or not isinstance(payload, dict):
            raise InputError("JWS header and payload must be JSON objects")
    except (InputError, EncodingError, UnicodeDecodeError) as exc:
        result.add("structure", False, f"not a valid compact JWS: {exc}")
        return result
    cred: dict[str, Any] = payload["vc"] if isinstance(payload.get("vc"), dict) else payload
    if "@context" not in cred:
        result.add("structure", False, "JWT payload holds no verifiable credential")
        return result
    cred = copy.deepcopy(cred)
    # VC-JWT 1.1: registered claims stand for credential members the issuer may have left out.
    if payload.get("iss") and not cred.get("issuer"):
        cred["issuer"] = payload["iss"]
    if payload.get("jti") and not cred.get("id"):
        cred["id"] = payload["jti"]
    claims, claim_problems = _time_claims(payload)
    alg = header.get("alg")
    key, key_check = _jwt_key(header, node_id(cred.get("issuer")) or "", opts)
    sig_ok = False
    if key is not None:
        try:
            verify_jws_alg(str(alg), key.key, signature, f"{parts[0]}.{parts[1]}".encode())
            sig_ok = True
        except SignatureError as exc:
            inner = verify_vc(cred, opts, depth=depth, jwt_key=None, check_status_lists=False, jwt_claims=claims)
            result = _adopt(inner, "vc-jwt")
            result.add("key", *key_check)
            result.add("proof", False, f"JWS {alg}: {exc}")
            _report_claim_types(result, claim_problems)
            return result
    inner = verify_vc(cred, opts, depth=depth, jwt_key=key if sig_ok else None, jwt_claims=claims)
    result = _adopt(inner, inner.format + "-jwt" if inner.format != "vc" else "vc-jwt")
    # verify_vc recorded the embedded-proof checks, if any; state the JOSE ones first.
    if sig_ok or key is None:
        result.checks = [c for c in result.checks if c.name not in ("proof", "key")]
    result.checks.insert(0, _check("key", *key_check))
    if key_check[0] is None and not (sig_ok and key is not None and key.embedded):
        result.uncertain = True  # no usable key: never 'verified'; an embedded one leaves it 'intact' at most
    if sig_ok:
        result.checks.insert(1, _check("proof", True, f"JWS {alg} signature verifies"))
        if payload.get("iss") and payload["iss"] != node_id(cred.get("issuer")):
            result.add("issuer", False, f"JWT iss {payload['iss']} differs from the credential issuer")
    elif key is None:
        result.failed = result.failed or key_check[0] is False
        result.checks.insert(1, _check("proof", None, "JWS signature not checked: no usable key"))
    _report_claim_types(result, claim_problems)
    return result


def _jwt_key(
    header: dict[str, Any], issuer_id: str, opts: VerifyOptions
) -> tuple[ResolvedKey | None, tuple[bool | None, str]]:
    """The key a VC-JWT is checked with, and the key check (ok, detail naming the key source).

    A ``kid`` that resolves (registered key, did:key, did:web, published key document) is used first; a ``jwk``
    in the header is the fallback. An embedded JWK is the issuer's only when something outside the file names
    the same key for the issuer (``keys.confirm_embedded``); otherwise its check is 'not confirmed' (None)."""
    kid = header.get("kid") if isinstance(header.get("kid"), str) and header.get("kid") else None
    jwk = header.get("jwk") if isinstance(header.get("jwk"), dict) else None
    if header.get("jwk") is not None and jwk is None:
        return None, (False, "JOSE header jwk is not a JSON object")
    kid_note = ""
    if kid is not None:
        try:
            key = resolve(kid, resolver=opts.resolve, registered=opts.registered_keys)
        except KeyError_ as exc:  # KeyUnavailable included
            if jwk is None:
                return None, (None if isinstance(exc, KeyUnavailable) else False, str(exc))
            # A kid is often an opaque label beside the JWK it names; fall back to the JWK and say so.
            kid_note = f"; kid {kid} not resolvable here ({exc})"
        else:
            if jwk is not None:
                try:
                    same = same_key(key_from_jwk(jwk), key.key)
                except KeyError_:
                    same = False
                if not same:
                    return None, (False, f"the JOSE header's jwk is not the key its kid {kid} names ({key.describe()})")
            if key.embedded:
                return key, (None, f"{kid}: {key.describe()}; {NOT_CONFIRMED}")
            return key, (True, f"{kid}: {key.describe()}")
    if jwk is None:
        return None, (None, "JOSE header names no key (kid) and embeds none (jwk); issuer key not available")
    try:
        embedded = ResolvedKey(
            key_from_jwk(jwk), issuer_id, "JWK in the JOSE header", SOURCE_EMBEDDED_JWK, embedded=True
        )
    except KeyError_ as exc:
        return None, (False, f"JOSE header jwk: {exc}")
    key = confirm_embedded(embedded, resolver=opts.resolve, registered=opts.registered_keys)
    if key.embedded:
        return key, (None, f"{key.describe()}{kid_note}; {NOT_CONFIRMED}")
    return key, (True, f"{key.describe()}{kid_note}")


def _time_claims(payload: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The JWT's NumericDate claims (exp, nbf, iat) parsed, and what is wrong with those that are not numbers."""
    claims, problems = {}, []
    for name in JWT_TIME_CLAIMS:
        if name not in payload:
            continue
        moment = numeric_date(payload[name])
        if moment is None:
            shown = repr(payload[name])
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            problems.append(
                f"JWT {name} claim must be a NumericDate (a JSON number of seconds since "
                f"1970-01-01T00:00:00Z), got {shown}"
            )
        else:
            claims[name] = moment
    return claims, problems


def _report_claim_types(result: VerificationResult, problems: list[str]) -> None:
    """Malformed JWT time claims fail the (one) structure check, keeping what it said about the credential."""
    if not problems:
        return
    result.failed = True
    found = next((c for c in result.checks if c.name == "structure"), None)
    if found is None:
        result.add("structure", False, "; ".join(problems))
    elif found.ok is False:
        found.detail = "; ".join([*problems, found.detail])
    else:
        found.ok, found.detail = False, "; ".join([*problems, f"otherwise {found.detail}"])


def _check(name: str, ok: bool | None, detail: str) -> Any:
    from .result import Check

    return Check(name, ok, detail)


def _adopt(inner: VerificationResult, fmt: str) -> VerificationResult:
    inner.format = fmt
    return inner


def looks_like_vc(data: dict[str, Any]) -> bool:
    return "VerifiableCredential" in _types(data) or any(c in (VC_V1, VC_V2) for c in as_list(data.get("@context")))


def jwt_header(token: str) -> dict[str, Any]:
    try:
        value = json.loads(b64url_decode(token.split(".")[0]))
        return value if isinstance(value, dict) else {}
    except (ValueError, EncodingError):
        return {}
