"""Keys a credential carries itself (JWK in the JOSE header, multikey in the issuer URL's fragment) prove only
that the file is intact: "intact, issuer not confirmed", unless something outside the file names the same key
for the issuer (did:key issuer, did:web document, issuer profile, registered key). Every key check names the key
source it used."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from apps.accounts.services import api_key_create
from apps.credentials.management.commands.verify_credential import options_from_settings
from apps.credentials.models import Credential
from apps.credentials.verify import VerifyOptions, verify_bytes, verify_object
from tests.factories import make_candidate

from .test_verify_fixtures import EXPECTED, ROOT, fixture_options
from .vcjwt import NOW, Signer, vc

pytestmark = pytest.mark.skipif(not ROOT.is_dir(), reason="../shared/data/credentials not present")
ISSUER = "https://example.edu/issuers/565049"
SIMPLE_LD = "1edtech-dcpv-testfixtures/ob30/simple.json"  # eddsa-rdfc-2022, multikey in the issuer URL fragment
SIMPLE_JWT = "1edtech-dcpv-testfixtures/clr20/simple.jwt.json"  # RS256, JWK in the JOSE header
DID_WEB = "dcc-vc-test-fixtures/verifiableCredentials/v1/bothSignatureTypes/didWeb/oidf-noStatus-noExpiry.json"


@pytest.fixture
def signer():
    return Signer()


def _key(result):
    [check] = [c for c in result.checks if c.name == "key"][:1]
    return check


def _opts(**kw):
    return VerifyOptions(now=NOW, **kw)


# ---------------------------------------------------------------- the verifier


def test_embedded_jwk_alone_is_intact_not_verified(signer):
    result = verify_object(signer.sign(vc(ISSUER), jwk=signer.jwk), options=_opts())
    assert result.status == "intact", result.checks
    assert result.failing_check == "key"
    key = _key(result)
    assert key.ok is None
    assert "key source: embedded JWK" in key.detail and "issuer not confirmed" in key.detail
    # The signature is still checked: integrity holds, only the tie to the issuer is missing.
    assert any(c.name == "proof" and c.ok for c in result.checks)
    assert any(c.name == "issuer" and c.ok is None for c in result.checks)


def test_tampered_jwt_with_embedded_key_fails(signer):
    head, payload, sig = signer.sign(vc(ISSUER), jwk=signer.jwk).split(".")
    other = Signer().sign(vc(ISSUER, validFrom="2021-01-01T00:00:00Z"), jwk=signer.jwk).split(".")[1]
    result = verify_object(f"{head}.{other}.{sig}", options=_opts())
    assert result.status == "failed" and result.failing_check == "proof"


def test_embedded_jwk_registered_for_the_issuer_is_verified(signer):
    result = verify_object(
        signer.sign(vc(ISSUER), jwk=signer.jwk), options=_opts(registered_keys={f"{ISSUER}#key-1": signer.jwk})
    )
    assert result.status == "verified", result.checks
    assert "key source: registered issuer key" in _key(result).detail
    assert f"{ISSUER}#key-1" in _key(result).detail


def test_key_registered_for_another_issuer_does_not_count(signer):
    result = verify_object(
        signer.sign(vc(ISSUER), jwk=signer.jwk),
        options=_opts(registered_keys={"https://other.example/issuer#key-1": signer.jwk}),
    )
    assert result.status == "intact" and "key source: embedded JWK" in _key(result).detail


def test_did_key_issuer_is_verified(signer):
    result = verify_object(signer.sign(vc(signer.did), kid=signer.kid), options=_opts())
    assert result.status == "verified", result.checks
    assert "key source: did:key" in _key(result).detail


def test_embedded_jwk_of_a_did_key_issuer_is_that_key(signer):
    result = verify_object(signer.sign(vc(signer.did), jwk=signer.jwk), options=_opts())
    assert result.status == "verified", result.checks
    assert "the issuer's own did:key" in _key(result).detail


def test_resolvable_kid_is_preferred_over_the_jwk(signer):
    result = verify_object(signer.sign(vc(signer.did), kid=signer.kid, jwk=signer.jwk), options=_opts())
    assert result.status == "verified", result.checks
    assert "key source: did:key" in _key(result).detail


def test_jwk_that_is_not_the_kid_key_fails(signer):
    result = verify_object(signer.sign(vc(signer.did), kid=signer.kid, jwk=Signer().jwk), options=_opts())
    assert result.status == "failed" and result.failing_check == "key"


def test_opaque_kid_beside_a_jwk_falls_back_to_the_jwk(signer):
    result = verify_object(signer.sign(vc(ISSUER), kid="key-1", jwk=signer.jwk), options=_opts())
    assert result.status == "intact", result.checks
    assert "key source: embedded JWK" in _key(result).detail and "kid key-1" in _key(result).detail


def test_registered_key_by_kid(signer):
    kid = f"{ISSUER}#key-7"
    result = verify_object(signer.sign(vc(ISSUER), kid=kid), options=_opts(registered_keys={kid: signer.jwk}))
    assert result.status == "verified", result.checks
    assert "key source: registered issuer key" in _key(result).detail


def _profile(signer, issuer=ISSUER, **extra):
    method = {"id": f"{issuer}#key-1", "type": "JsonWebKey", "controller": issuer, "publicKeyJwk": signer.jwk}
    return {"id": issuer, "type": "Profile", "name": "Example University", "verificationMethod": [method], **extra}


def test_embedded_jwk_listed_in_the_issuer_profile_is_verified(signer):
    fetched = []

    def fetch(url):
        fetched.append(url)
        return _profile(signer) if url == ISSUER else None

    result = verify_object(signer.sign(vc(ISSUER), jwk=signer.jwk), options=_opts(fetcher=fetch))
    assert result.status == "verified", result.checks
    assert fetched == [ISSUER]
    assert f"listed in the issuer profile {ISSUER}" in _key(result).detail


@pytest.mark.parametrize(
    "profile",
    [
        lambda s: _profile(Signer()),  # another key
        lambda s: {**_profile(s), "id": "https://other.example/issuer"},  # a profile of someone else
        lambda s: None,  # not available
        lambda s: ["not", "an", "object"],
    ],
)
def test_a_profile_that_does_not_list_the_key_leaves_it_intact(signer, profile):
    result = verify_object(signer.sign(vc(ISSUER), jwk=signer.jwk), options=_opts(fetcher=lambda url: profile(signer)))
    assert result.status == "intact", result.checks


@pytest.mark.parametrize("name", [SIMPLE_LD, SIMPLE_JWT])
def test_fixture_with_embedded_key_is_intact(name):
    result = verify_bytes((ROOT / name).read_bytes(), options=fixture_options())
    assert result.status == "intact"
    assert result.failing_check == "key" and "key source: embedded" in _key(result).detail


def test_did_web_fixture_verified():
    result = verify_bytes((ROOT / DID_WEB).read_bytes(), options=fixture_options())
    assert result.status == "verified", result.checks
    assert all("key source: did:web" in c.detail for c in result.checks if c.name == "key" and c.ok)


def test_embedded_multikey_registered_for_the_issuer_is_verified():
    doc = json.loads((ROOT / SIMPLE_LD).read_text())
    method = (
        doc["proof"][0]["verificationMethod"] if isinstance(doc["proof"], list) else doc["proof"]["verificationMethod"]
    )
    issuer, multikey = method.split("#", 1)
    opts = replace(fixture_options(), registered_keys={f"{issuer}#main": multikey})
    result = verify_object(doc, options=opts)
    assert result.status == "verified", result.checks
    assert "key source: registered issuer key" in _key(result).detail


def test_every_intact_fixture_rests_on_an_embedded_key():
    """'intact' is only ever the status of a credential whose key check names a key it carries itself."""
    intact = [name for name, (expected, _) in EXPECTED.items() if expected == "intact"]
    for name in intact:
        result = verify_bytes((ROOT / name).read_bytes(), options=fixture_options())
        assert result.status == "intact", name
        assert any(c.name == "key" and c.ok is None and "embedded" in c.detail for c in result.checks), name
    assert SIMPLE_LD in intact and SIMPLE_JWT in intact


# ---------------------------------------------------------------- the setting, threaded to every verify path


def test_no_setting_trusts_embedded_keys():
    assert not hasattr(VerifyOptions(), "trust_embedded_keys")
    assert options_from_settings().fetcher is None  # tests run with the network off


def _command(*args):
    out = io.StringIO()
    call_command("verify_credential", str(ROOT / SIMPLE_LD), *args, stdout=out)
    return json.loads(out.getvalue())


def test_command_says_intact_and_what_it_means():
    line = _command()
    assert line["status"] == "intact"
    assert "issuer not confirmed" in line["meaning"]
    assert any(c["name"] == "key" and "issuer not confirmed" in c["detail"] for c in line["checks"])


@pytest.mark.django_db
def test_api_upload_stores_intact(org):
    cand = make_candidate(org, cid="c-7")
    _, raw = api_key_create(organization=org, scopes=["read", "write"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    r = client.post(
        "/api/v1/credentials/upload/?candidate=c-7",
        data=(ROOT / SIMPLE_LD).read_bytes(),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "intact"
    assert "issuer not confirmed" in r.json()["meaning"]
    key = next(c for c in r.json()["checks"] if c["name"] == "key")
    assert "key source: embedded multikey" in key["detail"]
    cred = Credential.objects.get(candidate=cand)
    assert cred.verification_status == "intact"
    assert any("key source:" in c["detail"] for c in cred.verification_checks if c["name"] == "key")
