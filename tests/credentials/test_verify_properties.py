"""Property tests for the credential parsers: whatever bytes, JSON or token arrive, the verifier answers
with named checks and never falls through to its last line of defence (the ``internal`` check that reads a
verifier bug as "failed"); nothing made up is ever verified; and a valid credential with any one value
changed is not verified any more."""

from __future__ import annotations

import base64
import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.credentials.verify import verify_bytes, verify_object

from .test_verify_fixtures import ROOT, fixture_options
from .test_verify_inputs import VALID, _leaves, _load, _set

pytestmark = pytest.mark.skipif(not ROOT.is_dir(), reason="../shared/data/credentials not present")

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
CONTEXTS = [
    "https://www.w3.org/2018/credentials/v1",
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
TYPES = ["VerifiableCredential", "OpenBadgeCredential", "ClrCredential", "AchievementCredential", "Assertion"]
PROOFS = ["Ed25519Signature2020", "DataIntegrityProof", "JsonWebSignature2020", "RsaSignature2018"]
credential_like = st.fixed_dictionaries(
    {},
    optional={
        "@context": st.lists(st.sampled_from(CONTEXTS), max_size=3) | json_values,
        "type": st.lists(st.sampled_from(TYPES), max_size=3) | json_values,
        "id": st.text(max_size=40) | json_values,
        "issuer": st.sampled_from(["did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "https://uni.example"])
        | st.fixed_dictionaries({"id": st.text(max_size=40), "name": st.text(max_size=20)})
        | json_values,
        "validFrom": st.sampled_from(["2024-01-01T00:00:00Z", "not a date", "9999-99-99"]) | json_values,
        "issuanceDate": st.sampled_from(["2024-01-01T00:00:00Z", "0000-00-00T00:00:00Z"]) | json_values,
        "expirationDate": json_values,
        "credentialSubject": st.fixed_dictionaries(
            {}, optional={"id": json_values, "achievement": json_values, "type": json_values}
        )
        | json_values,
        "proof": st.fixed_dictionaries(
            {"type": st.sampled_from(PROOFS) | json_values},
            optional={
                "cryptosuite": st.sampled_from(["eddsa-rdfc-2022", "eddsa-2022", "ecdsa-rdfc-2019"]) | json_values,
                "verificationMethod": json_values,
                "proofValue": st.text(max_size=40) | json_values,
                "jws": json_values,
                "proofPurpose": json_values,
                "created": json_values,
            },
        )
        | json_values,
        "credentialStatus": json_values,
        "badge": json_values,
        "recipient": json_values,
        "verification": json_values,
    },
)


def _assert_answered(result) -> None:
    names = [c.name for c in result.checks]
    assert result.checks, "no check at all"
    assert "internal" not in names, [(c.name, c.detail) for c in result.checks]
    assert result.status != "verified"


@FAST
@given(data=st.binary(max_size=400))
def test_any_bytes_are_answered_with_named_checks(data):
    _assert_answered(verify_bytes(data, options=fixture_options()))


@FAST
@given(doc=credential_like)
def test_any_credential_shaped_object_is_answered_and_never_verified(doc):
    _assert_answered(verify_object(doc, options=fixture_options()))
    raw = json.dumps(doc, allow_nan=True).encode()
    _assert_answered(verify_bytes(raw, options=fixture_options()))


def _b64(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode()


@FAST
@given(
    header=st.fixed_dictionaries(
        {"alg": st.sampled_from(["EdDSA", "ES256", "RS256", "none", "HS256"]) | json_values},
        optional={"kid": json_values, "jwk": json_values, "typ": json_values},
    )
    | json_values,
    payload=st.fixed_dictionaries({}, optional={"vc": credential_like, "iss": json_values, "nbf": json_values})
    | json_values,
    signature=st.binary(max_size=64),
)
def test_any_compact_token_is_answered_and_never_verified(header, payload, signature):
    token = ".".join(
        [_b64(json.dumps(header).encode()), _b64(json.dumps(payload, allow_nan=True).encode()), _b64(signature)]
    )
    _assert_answered(verify_object(token, options=fixture_options()))
    _assert_answered(verify_bytes(token.encode(), options=fixture_options()))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(VALID), pick=st.integers(min_value=0), value=json_values)
def test_a_valid_credential_with_one_value_changed_is_not_verified(name, pick, value):
    original = _load(name)
    paths = list(_leaves(original))
    path = paths[pick % len(paths)]
    doc = copy.deepcopy(original)
    _set(doc, path, value)
    if doc == original:
        return
    _assert_answered(verify_object(doc, options=fixture_options()))
