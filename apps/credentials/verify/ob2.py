"""Open Badges 2.0: hosted and signed assertions, BadgeClass/Issuer resolution, revocation lists (no Django).

Hosted verification means fetching the assertion from its own id and finding the same document there;
signed verification means a JWS (RS256) by a CryptographicKey the issuer publishes. Where the needed
document cannot be read (offline), the check says so and the status stays 'unverified'.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlparse

from .dates import window
from .encoding import EncodingError, b64url_decode
from .keys import KeyError_, key_from_pem
from .options import VerifyOptions
from .result import VerificationResult
from .safeload import InputError, load_json_text
from .signatures import SignatureError, verify_jws_alg
from .summary import as_list, node_id, summarize_ob2

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
OB_CONTEXTS = {OB2_CONTEXT, "https://w3id.org/openbadges/v1"}
NOT_ASSERTIONS = {
    "BadgeClass",
    "Issuer",
    "Profile",
    "CryptographicKey",
    "RevocationList",
    "Endorsement",
    "Criteria",
    "Evidence",
    "Image",
    "AlignmentObject",
    "Extension",
}


def _types(node: Any) -> list[str]:
    return [t for t in as_list(node.get("type") if isinstance(node, dict) else None) if isinstance(t, str)]


def looks_like_ob2(data: dict[str, Any]) -> bool:
    ctx = [c for c in as_list(data.get("@context")) if isinstance(c, str)]
    return (
        any("openbadges" in c for c in ctx)
        or bool({"Assertion", *NOT_ASSERTIONS} & set(_types(data)))
        or ("recipient" in data and "badge" in data)
    )


def _fetch(ref: Any, opts: VerifyOptions) -> dict[str, Any] | None:
    if isinstance(ref, dict):
        return ref
    doc = opts.resolve(ref) if isinstance(ref, str) else None
    return doc if isinstance(doc, dict) else None


def _structure(a: dict[str, Any], result: VerificationResult) -> bool:
    problems = []
    ctx = [c for c in as_list(a.get("@context")) if isinstance(c, str)]
    if OB2_CONTEXT not in ctx:
        problems.append(f"@context {ctx or None} does not include {OB2_CONTEXT}")
    types = _types(a)
    if types and set(types) & NOT_ASSERTIONS and "Assertion" not in types:
        problems.append(f"this is an OB 2.0 {types[0]}, not a badge assertion")
    elif "Assertion" not in types:
        problems.append(f"type {types or None} is not Assertion")
    recipient = a.get("recipient")
    if not isinstance(recipient, dict) or not recipient.get("identity") or not recipient.get("type"):
        problems.append("recipient (type and identity) is missing")
    if not a.get("badge"):
        problems.append("badge is missing")
    verification = a.get("verification") or a.get("verify")
    if not isinstance(verification, dict) or verification.get("type") not in (
        "hosted",
        "HostedBadge",
        "signed",
        "SignedBadge",
    ):
        problems.append("verification (hosted or signed) is missing")
    if problems:
        result.add("structure", False, "; ".join(problems))
        return False
    result.add("structure", True, "OB 2.0 Assertion")
    return True


def check_recipient(recipient: Any, emails: tuple[str, ...], result: VerificationResult) -> None:
    """Match the (possibly salted-hash) recipient identity against the candidate's email addresses."""
    if not isinstance(recipient, dict) or not emails:
        return
    identity, salt = str(recipient.get("identity", "")), str(recipient.get("salt") or "")
    candidates = [e.strip().lower() for e in emails if e]
    if recipient.get("hashed"):
        algo, _, digest = identity.partition("$")
        if algo.lower() not in ("sha256", "md5"):
            result.add("recipient", None, f"unsupported identity hash {algo!r}")
            return
        fn = hashlib.sha256 if algo.lower() == "sha256" else hashlib.md5
        match = any(fn((e + salt).encode()).hexdigest() == digest.lower() for e in candidates)
    else:
        match = identity.strip().lower() in candidates
    result.add(
        "recipient",
        match,
        "recipient identity matches the candidate's email"
        if match
        else "recipient identity does not match the candidate's email",
    )


def _issuer_origin_rules(assertion_id: str, issuer: dict[str, Any] | None, result: VerificationResult) -> bool:
    """Hosted assertions must live where the issuer says (verification.allowedOrigins / startsWith)."""
    rules = issuer.get("verification") if isinstance(issuer, dict) else None
    if not isinstance(rules, dict):
        host = urlparse(assertion_id).hostname
        issuer_host = urlparse(node_id(issuer) or "").hostname if issuer else None
        if issuer_host and host and host != issuer_host:
            result.add("issuer", False, f"hosted assertion on {host} but issuer is {issuer_host}")
            return False
        return True
    starts = [s for s in as_list(rules.get("startsWith")) if isinstance(s, str)]
    origins = [s for s in as_list(rules.get("allowedOrigins")) if isinstance(s, str)]
    host = urlparse(assertion_id).hostname or ""
    if starts and not any(assertion_id.startswith(s) for s in starts):
        result.add("issuer", False, f"assertion id {assertion_id} does not start with the issuer's {starts}")
        return False
    if origins and host not in origins:
        result.add("issuer", False, f"assertion host {host} is not in the issuer's allowedOrigins {origins}")
        return False
    return True


def verify_ob2(
    assertion: dict[str, Any], opts: VerifyOptions, *, jws: str | None = None, recipient_emails: tuple[str, ...] = ()
) -> VerificationResult:
    """Verify an OB 2.0 assertion (``jws`` is the compact JWS it came in, for signed badges)."""
    result = VerificationResult(format="ob2", credential=assertion)
    badge = _fetch(assertion.get("badge"), opts)
    issuer = _fetch(badge.get("issuer"), opts) if badge else None
    summarize_ob2(assertion, badge, issuer, result)
    if not _structure(assertion, result):
        return result
    if badge is None:
        result.add("badge", None, f"BadgeClass {assertion.get('badge')} not available; title, skills unknown")
    elif "BadgeClass" not in _types(badge):
        result.add("badge", False, f"badge {node_id(badge)} is not a BadgeClass")
    if badge is not None and issuer is None:
        result.add("issuer", None, f"Issuer profile {badge.get('issuer')} not available")
    elif issuer is not None and not {"Issuer", "Profile"} & set(_types(issuer)):
        result.add("issuer", False, f"issuer {node_id(issuer)} is not an Issuer/Profile (type {_types(issuer)})")
    verification = assertion.get("verification") or assertion.get("verify") or {}
    vtype = verification.get("type")
    assertion_id = str(assertion.get("id", ""))
    if vtype in ("signed", "SignedBadge"):
        _signed(assertion, verification, issuer, jws, opts, result)
    else:
        if jws:
            result.add("proof", False, "a JWS-signed assertion must declare verification type 'signed'")
        elif _issuer_origin_rules(assertion_id, issuer, result):
            hosted = opts.resolve(assertion_id)
            if not isinstance(hosted, dict):
                result.uncertain = True
                result.add("proof", None, f"hosted assertion {assertion_id} could not be fetched; not checked")
            elif hosted == assertion:
                result.add("proof", True, f"the assertion hosted at {assertion_id} is identical")
                result.proven = True
            else:
                result.add("proof", False, f"the assertion hosted at {assertion_id} differs from this one")
    window(
        result,
        start=assertion.get("issuedOn"),
        end=assertion.get("expires"),
        now=opts.current_time(),
        start_name="issuedOn",
        end_name="expires",
    )
    _revocation(assertion_id, issuer, opts, result)
    check_recipient(assertion.get("recipient"), recipient_emails, result)
    return result


def _signed(
    assertion: dict[str, Any],
    verification: dict[str, Any],
    issuer: dict[str, Any] | None,
    jws: str | None,
    opts: VerifyOptions,
    result: VerificationResult,
) -> None:
    if not jws:
        result.add("proof", False, "verification type is 'signed' but no JWS signature came with the assertion")
        return
    creator = verification.get("creator")
    key_doc = _fetch(creator, opts)
    if key_doc is None:
        result.uncertain = True
        result.add("key", None, f"CryptographicKey {creator} not available; signature not checked")
        return
    try:
        key = key_from_pem(str(key_doc.get("publicKeyPem", "")))
    except KeyError_ as exc:
        result.add("key", False, f"{creator}: {exc}")
        return
    owner = key_doc.get("owner")
    issuer_id = node_id(issuer) if issuer else None
    if issuer_id and owner != issuer_id:
        result.add("key", False, f"key {creator} is owned by {owner}, not by the issuer {issuer_id}")
        return
    published = [node_id(k) for k in as_list(issuer.get("publicKey"))] if issuer else []
    if issuer and published and creator not in published:
        result.add("key", False, f"issuer {issuer_id} does not publish key {creator}")
        return
    result.add("key", True, f"key source: issuer-published key (OB 2.0 CryptographicKey {creator} owned by {owner})")
    header = load_json_text(b64url_decode(jws.split(".")[0]).decode("utf-8"))
    try:
        h, p, s = jws.split(".")
        verify_jws_alg(str(header.get("alg")), key, b64url_decode(s), f"{h}.{p}".encode())
    except (SignatureError, EncodingError, ValueError) as exc:
        result.add("proof", False, f"JWS: {exc}")
        return
    result.add("proof", True, f"JWS {header.get('alg')} signature verifies")
    if issuer is None:
        result.uncertain = True
    else:
        result.proven = True


def _revocation(
    assertion_id: str, issuer: dict[str, Any] | None, opts: VerifyOptions, result: VerificationResult
) -> None:
    ref = issuer.get("revocationList") if isinstance(issuer, dict) else None
    if not ref:
        return
    rl = _fetch(ref, opts)
    if rl is None:
        result.uncertain = True
        result.add("status", None, f"revocation list {ref} not available; revocation not checked")
        return
    for entry in as_list(rl.get("revokedAssertions")):
        rid = entry if isinstance(entry, str) else node_id(entry) if isinstance(entry, dict) else None
        if rid == assertion_id:
            reason = entry.get("revocationReason") if isinstance(entry, dict) else None
            result.revoked = True
            result.add("status", True, f"REVOKED by the issuer's revocation list{': ' + reason if reason else ''}")
            return
    result.add("status", True, f"not in the issuer's revocation list {node_id(rl) or ref}")


def parse_ob2_jws(token: str) -> dict[str, Any] | None:
    """The assertion in an OB 2.0 signed badge JWS payload, or None if the payload is not one."""
    try:
        payload = load_json_text(b64url_decode(token.split(".")[1]).decode("utf-8"))
    except (InputError, EncodingError, UnicodeDecodeError, IndexError):
        return None
    return payload if isinstance(payload, dict) and looks_like_ob2(payload) and "vc" not in payload else None
