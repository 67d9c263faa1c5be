"""European Digital Credentials (ELM v3 JSON-LD) and their JAdES seals (no Django).

A JAdES seal is checked as far as it honestly can be offline: the JWS signature over the payload is
verified with the certificate carried in the seal (``x5c``). The certificate chain, the EU trusted lists and
the qualified timestamp are NOT checked, so a sealed EDC whose signature holds is reported 'unverified'
with that reason — never 'verified'. A signature that does not hold fails the credential.
"""

from __future__ import annotations

import base64
from typing import Any

from cryptography import x509

from .dates import window
from .encoding import EncodingError, b64url_decode
from .options import VerifyOptions
from .result import VerificationResult
from .safeload import InputError, load_json_text
from .signatures import SignatureError, verify_jws_alg
from .status import check_status
from .summary import as_list, node_id, summarize_edc

EDC_CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap"


def is_jades(data: dict[str, Any]) -> bool:
    return isinstance(data.get("payload"), str) and isinstance(data.get("signatures"), list)


def is_edc(data: dict[str, Any]) -> bool:
    types = as_list(data.get("type"))
    return "EuropeanDigitalCredential" in types or EDC_CONTEXT in as_list(data.get("@context"))


def verify_jades(envelope: dict[str, Any], opts: VerifyOptions) -> VerificationResult:
    """Unpack a JAdES JSON-serialised envelope, check its seal(s), then verify the EDC inside."""
    try:
        cred = load_json_text(envelope["payload"])
    except InputError as exc:
        result = VerificationResult(format="edc")
        result.add("structure", False, f"JAdES payload is not a JSON credential: {exc}")
        return result
    if not isinstance(cred, dict):
        result = VerificationResult(format="edc")
        result.add("structure", False, "JAdES payload is not a JSON object")
        return result
    result = verify_edc(cred, opts, sealed=True)
    for sig in envelope["signatures"][:4]:
        _check_seal(envelope["payload"], sig, result)
    return result


def _check_seal(payload: str, sig: Any, result: VerificationResult) -> None:
    if not isinstance(sig, dict) or not isinstance(sig.get("protected"), str):
        result.add("seal", False, "JAdES signature entry is malformed")
        return
    try:
        header = load_json_text(b64url_decode(sig["protected"]).decode("utf-8"))
        signature = b64url_decode(sig.get("signature", ""))
        chain = [x509.load_der_x509_certificate(base64.b64decode(c)) for c in as_list(header.get("x5c"))]
    except (InputError, EncodingError, UnicodeDecodeError, ValueError) as exc:
        result.add("seal", False, f"JAdES protected header unreadable: {exc}")
        return
    if not chain:
        result.uncertain = True
        result.add("seal", None, "JAdES seal carries no certificate (x5c); the seal's key cannot be found offline")
        return
    # b64=false (RFC 7797): the payload is signed as is, not base64url-encoded.
    if header.get("b64", True) is False:
        body = payload
    else:
        body = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    try:
        verify_jws_alg(
            str(header.get("alg")),
            # any certificate key type: verify_jws_alg refuses a key its algorithm does not take
            chain[0].public_key(),  # type: ignore[arg-type]
            signature,
            f"{sig['protected']}.{body}".encode(),
        )
    except SignatureError as exc:
        result.add("seal", False, f"JAdES seal signature does not verify: {exc}")
        return
    subject = chain[0].subject.rfc4514_string()
    result.uncertain = True
    result.add("seal", True, f"JAdES {header.get('alg')} signature verifies with the seal certificate ({subject})")
    result.add(
        "trust",
        None,
        "the seal certificate's chain, the EU trusted lists and the timestamp are not checked "
        "(needs the EU trust infrastructure); the seal is not treated as verified",
    )


def verify_edc(cred: dict[str, Any], opts: VerifyOptions, *, sealed: bool = False) -> VerificationResult:
    """Structure, validity and (where present) status of an ELM v3 credential; proof comes from its seal."""
    result = VerificationResult(format="edc", credential=cred)
    try:
        summarize_edc(cred, result)
    except Exception as exc:  # optional members in unexpected shapes must not hide the verdict
        result.add("summary", None, f"could not read all fields: {exc}")
    problems = []
    if "EuropeanDigitalCredential" not in as_list(cred.get("type")):
        problems.append(f"type {cred.get('type')} lacks EuropeanDigitalCredential")
    if not node_id(cred.get("issuer")):
        problems.append("issuer is missing")
    if not as_list(cred.get("credentialSubject")):
        problems.append("credentialSubject is missing")
    if problems:
        result.add("structure", False, "; ".join(problems))
    else:
        result.add("structure", True, "ELM v3 European Digital Credential")
    if not sealed:
        if cred.get("proof"):
            result.add("proof", None, "embedded proof on an EDC is not supported; not checked")
        else:
            result.add("proof", None, "unsigned EDC (no JAdES seal)")
    window(
        result,
        start=cred.get("validFrom", cred.get("issuanceDate")),
        end=cred.get("validUntil", cred.get("expirationDate")),
        now=opts.current_time(),
        start_name="validFrom",
        end_name="validUntil",
    )
    if cred.get("credentialStatus") is not None:
        check_status(cred, result, opts, verify_list=lambda doc: VerificationResult(format="edc"))
    return result
