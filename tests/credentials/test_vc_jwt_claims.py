"""VC-JWT ``exp``/``nbf``: exp stands for the credential's expiry, nbf for its start (VC-JWT); both bound the
validity window, a disagreement with the credential's own dates is reported, and a claim that is not a
NumericDate fails the structure check — never a crash."""

from __future__ import annotations

import base64
import json

import pytest

from apps.credentials.verify import VerifyOptions, verify_bytes, verify_object

from .vcjwt import NOW, VC_V1, Signer, ts, vc


@pytest.fixture
def signer():
    return Signer()


def _verify(token: str):
    return verify_object(token, options=VerifyOptions(now=NOW))


def _check(result, name):
    found = [c for c in result.checks if c.name == name]
    assert found, result.checks
    return found[-1]


def test_signed_jwt_without_time_claims_verifies(signer):
    result = _verify(signer.sign(vc(signer.did), kid=signer.kid))
    assert result.status == "verified", result.checks
    assert result.format == "vc-jwt"
    assert "key source: did:key" in _check(result, "key").detail


def test_exp_in_the_past_is_expired_with_the_validity_check(signer):
    token = signer.sign({**vc(signer.did), "exp": ts("2025-01-31T00:00:00")}, kid=signer.kid)
    result = _verify(token)
    assert result.status == "expired"
    validity = _check(result, "validity")
    assert "EXPIRED on 2025-01-31T00:00:00Z (JWT exp)" in validity.detail


def test_exp_in_the_future_keeps_it_verified_and_is_shown(signer):
    result = _verify(signer.sign({**vc(signer.did), "exp": ts("2030-01-01T00:00:00")}, kid=signer.kid))
    assert result.status == "verified", result.checks
    assert "valid until 2030-01-01T00:00:00Z (JWT exp)" in _check(result, "validity").detail


def test_nbf_in_the_future_fails_validity_like_a_future_valid_from(signer):
    result = _verify(signer.sign({**vc(signer.did), "nbf": ts("2027-01-01T00:00:00")}, kid=signer.kid))
    assert result.status == "failed"
    assert result.failing_check == "validity"
    assert "JWT nbf 2027-01-01T00:00:00Z is in the future (not yet valid)" in _check(result, "validity").detail
    # The JSON-LD situation it mirrors: validFrom in the future gives the same status and failing check.
    same = _verify(signer.sign(vc(signer.did, validFrom="2027-01-01T00:00:00Z"), kid=signer.kid))
    assert (same.status, same.failing_check) == (result.status, result.failing_check)


def test_vcdm_1_1_claims_stand_for_missing_members(signer):
    """VC-JWT 1.1: iss, jti and nbf stand for issuer, id and issuanceDate when the vc claim leaves them out."""
    inner = {"@context": [VC_V1], "type": ["VerifiableCredential"], "credentialSubject": {"id": "did:example:h"}}
    payload = {
        "iss": signer.did,
        "jti": "urn:uuid:1",
        "nbf": ts("2020-01-01T00:00:00"),
        "exp": ts("2025-06-01T00:00:00"),
        "vc": inner,
    }
    result = _verify(signer.sign(payload, kid=signer.kid))
    assert result.status == "expired", result.checks
    assert (
        "issued 2020-01-01T00:00:00Z (JWT nbf); EXPIRED on 2025-06-01T00:00:00Z (JWT exp)"
        in _check(result, "validity").detail
    )


@pytest.mark.parametrize("claim", ["exp", "nbf", "iat"])
@pytest.mark.parametrize("value", ["2030-01-01T00:00:00Z", "1700000000", True, None, {"t": 1}, [1], 1e300, 10**30])
def test_time_claim_that_is_not_a_numeric_date_fails_structure(signer, claim, value):
    result = _verify(signer.sign({**vc(signer.did), claim: value}, kid=signer.kid))
    assert result.status == "failed"
    assert result.failing_check == "structure"
    assert f"JWT {claim} claim must be a NumericDate" in _check(result, "structure").detail


def test_non_finite_exp_fails_structure_not_crash(signer):
    # Python's json writes (and reads) NaN/Infinity; a JWT carrying them must still get a clear answer.
    token = signer.sign({**vc(signer.did), "exp": float("inf"), "nbf": float("nan")}, kid=signer.kid)
    result = _verify(token)
    assert result.status == "failed" and result.failing_check == "structure"
    detail = _check(result, "structure").detail
    assert "JWT exp claim" in detail and "JWT nbf claim" in detail


def test_bad_exp_type_is_reported_even_when_the_signature_fails(signer):
    token = signer.sign({**vc(signer.did), "exp": "soon"}, kid=signer.kid)
    head, payload, sig = token.split(".")
    forged = f"{head}.{payload}.{sig[:-4]}AAAA"
    result = verify_bytes(forged.encode(), options=VerifyOptions(now=NOW))
    assert result.status == "failed"
    names = {c.name for c in result.checks if c.ok is False}
    assert {"proof", "structure"} <= names


def test_exp_disagreeing_with_valid_until_is_reported_and_the_earlier_applies(signer):
    token = signer.sign(
        {**vc(signer.did, validUntil="2030-01-01T00:00:00Z"), "exp": ts("2025-01-01T00:00:00")}, kid=signer.kid
    )
    result = _verify(token)
    assert result.status == "expired"
    detail = _check(result, "validity").detail
    assert "JWT exp 2025-01-01T00:00:00Z disagrees with validUntil 2030-01-01T00:00:00Z" in detail
    assert "EXPIRED on 2025-01-01T00:00:00Z (JWT exp)" in detail
    # …and the other way round: the credential's own expiry still counts when exp is later.
    token = signer.sign(
        {**vc(signer.did, validUntil="2025-01-01T00:00:00Z"), "exp": ts("2030-01-01T00:00:00")}, kid=signer.kid
    )
    result = _verify(token)
    assert result.status == "expired"
    assert "disagrees with validUntil" in _check(result, "validity").detail


def test_exp_disagreeing_with_expiration_date_in_vcdm_1_1(signer):
    inner = {
        "@context": [VC_V1],
        "type": ["VerifiableCredential"],
        "issuer": signer.did,
        "issuanceDate": "2020-01-01T00:00:00Z",
        "expirationDate": "2031-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:h"},
    }
    result = _verify(signer.sign({"vc": inner, "exp": ts("2030-01-01T00:00:00")}, kid=signer.kid))
    assert result.status == "verified", result.checks  # both in the future; the mismatch is still said
    detail = _check(result, "validity").detail
    assert "JWT exp 2030-01-01T00:00:00Z disagrees with expirationDate 2031-01-01T00:00:00Z" in detail
    assert "valid until 2030-01-01T00:00:00Z (JWT exp)" in detail


def test_nbf_disagreeing_with_valid_from_is_reported(signer):
    result = _verify(signer.sign({**vc(signer.did), "nbf": ts("2021-01-01T00:00:00")}, kid=signer.kid))
    assert result.status == "verified", result.checks
    assert (
        "JWT nbf 2021-01-01T00:00:00Z disagrees with validFrom 2020-01-01T00:00:00Z"
        in _check(result, "validity").detail
    )


def test_matching_claims_to_the_second_are_not_a_disagreement(signer):
    payload = {
        **vc(signer.did, validFrom="2020-01-01T00:00:00.250Z", validUntil="2030-01-01T00:00:00Z"),
        "nbf": ts("2020-01-01T00:00:00"),
        "exp": ts("2030-01-01T00:00:00"),
    }
    result = _verify(signer.sign(payload, kid=signer.kid))
    assert result.status == "verified"
    assert "disagree" not in _check(result, "validity").detail


def test_exp_before_nbf_fails_validity(signer):
    payload = {**vc(signer.did), "nbf": ts("2021-01-01T00:00:00"), "exp": ts("2020-06-01T00:00:00")}
    result = _verify(signer.sign(payload, kid=signer.kid))
    assert result.status == "failed" and result.failing_check == "validity"
    assert "JWT exp 2020-06-01T00:00:00Z is before JWT nbf 2021-01-01T00:00:00Z" in _check(result, "validity").detail


def test_changing_exp_after_signing_fails_the_proof(signer):
    token = signer.sign({**vc(signer.did), "exp": ts("2025-01-01T00:00:00")}, kid=signer.kid)
    head, payload, sig = token.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body["exp"] = ts("2035-01-01T00:00:00")
    forged = base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")
    result = _verify(f"{head}.{forged}.{sig}")
    assert result.status == "failed" and result.failing_check == "proof"


def test_clr_inner_jwt_gets_the_same_checks(signer):
    """A CLR's inner VC-JWT goes through the same verifier: an expired inner credential is 'expired'."""
    inner = signer.sign({**vc(signer.did), "exp": ts("2025-01-31T00:00:00")}, kid=signer.kid)
    clr = vc(
        signer.did,
        type=["VerifiableCredential", "ClrCredential"],
        credentialSubject={"type": ["ClrSubject"], "verifiableCredential": [inner]},
    )
    clr["@context"] = [*clr["@context"], "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"]
    result = verify_object(clr, options=VerifyOptions(now=NOW))
    assert [i.status for i in result.inner] == ["expired"]
