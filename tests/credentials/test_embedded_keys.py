"""Keys a credential carries itself (JWK in the JOSE header, multikey in the issuer URL's fragment): trusted by
default, not when TSUMIKI_TRUST_EMBEDDED_KEYS is off; every key check names the key source it used."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import pytest
from django.core.management import call_command
from django.test import override_settings
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


def _strict(**kw):
    return VerifyOptions(now=NOW, trust_embedded_keys=False, **kw)


# ---------------------------------------------------------------- the verifier, both modes


def test_embedded_jwk_trusted_by_default(signer):
    result = verify_object(signer.sign(vc(ISSUER), jwk=signer.jwk), options=VerifyOptions(now=NOW))
    assert result.status == "verified", result.checks
    assert _key(result).ok is True and "key source: embedded JWK" in _key(result).detail


def test_embedded_jwk_not_trusted_when_off(signer):
    result = verify_object(signer.sign(vc(ISSUER), jwk=signer.jwk), options=_strict())
    assert result.status == "unverified"
    assert result.failing_check == "key"
    key = _key(result)
    assert key.ok is None
    assert "key source: embedded JWK" in key.detail and "TSUMIKI_TRUST_EMBEDDED_KEYS" in key.detail
    # The signature is still checked: integrity holds, only the tie to the issuer is refused.
    assert any(c.name == "proof" and c.ok for c in result.checks)


def test_tampered_jwt_with_embedded_key_still_fails_when_off(signer):
    head, payload, sig = signer.sign(vc(ISSUER), jwk=signer.jwk).split(".")
    other = Signer().sign(vc(ISSUER, validFrom="2021-01-01T00:00:00Z"), jwk=signer.jwk).split(".")[1]
    result = verify_object(f"{head}.{other}.{sig}", options=_strict())
    assert result.status == "failed" and result.failing_check == "proof"


def test_embedded_jwk_registered_for_the_issuer_counts_when_off(signer):
    result = verify_object(
        signer.sign(vc(ISSUER), jwk=signer.jwk), options=_strict(registered_keys={f"{ISSUER}#key-1": signer.jwk})
    )
    assert result.status == "verified", result.checks
    assert "key source: registered issuer key" in _key(result).detail
    assert f"{ISSUER}#key-1" in _key(result).detail


def test_key_registered_for_another_issuer_does_not_count(signer):
    result = verify_object(
        signer.sign(vc(ISSUER), jwk=signer.jwk),
        options=_strict(registered_keys={"https://other.example/issuer#key-1": signer.jwk}),
    )
    assert result.status == "unverified" and "key source: embedded JWK" in _key(result).detail


def test_did_key_is_not_an_embedded_key(signer):
    result = verify_object(signer.sign(vc(signer.did), kid=signer.kid), options=_strict())
    assert result.status == "verified", result.checks
    assert "key source: did:key" in _key(result).detail


def test_resolvable_kid_is_preferred_over_the_jwk(signer):
    result = verify_object(signer.sign(vc(signer.did), kid=signer.kid, jwk=signer.jwk), options=_strict())
    assert result.status == "verified", result.checks
    assert "key source: did:key" in _key(result).detail


def test_jwk_that_is_not_the_kid_key_fails(signer):
    result = verify_object(
        signer.sign(vc(signer.did), kid=signer.kid, jwk=Signer().jwk), options=VerifyOptions(now=NOW)
    )
    assert result.status == "failed" and result.failing_check == "key"


def test_opaque_kid_beside_a_jwk_falls_back_to_the_jwk(signer):
    result = verify_object(signer.sign(vc(ISSUER), kid="key-1", jwk=signer.jwk), options=VerifyOptions(now=NOW))
    assert result.status == "verified", result.checks
    assert "key source: embedded JWK" in _key(result).detail and "kid key-1" in _key(result).detail


def test_registered_key_by_kid(signer):
    kid = f"{ISSUER}#key-7"
    result = verify_object(signer.sign(vc(ISSUER), kid=kid), options=_strict(registered_keys={kid: signer.jwk}))
    assert result.status == "verified", result.checks
    assert "key source: registered issuer key" in _key(result).detail


@pytest.mark.parametrize("name", [SIMPLE_LD, SIMPLE_JWT])
def test_fixture_with_embedded_key_both_modes(name):
    data = (ROOT / name).read_bytes()
    trusting = verify_bytes(data, options=fixture_options())
    assert trusting.status == "verified"
    assert "key source: embedded" in _key(trusting).detail
    strict = verify_bytes(data, options=replace(fixture_options(), trust_embedded_keys=False))
    assert strict.status == "unverified"
    assert strict.failing_check == "key" and "TSUMIKI_TRUST_EMBEDDED_KEYS" in _key(strict).detail


def test_did_web_fixture_verified_in_strict_mode():
    result = verify_bytes((ROOT / DID_WEB).read_bytes(), options=replace(fixture_options(), trust_embedded_keys=False))
    assert result.status == "verified", result.checks
    assert all("key source: did:web" in c.detail for c in result.checks if c.name == "key" and c.ok)


def test_embedded_multikey_registered_for_the_issuer_counts_when_off():
    doc = json.loads((ROOT / SIMPLE_LD).read_text())
    method = (
        doc["proof"][0]["verificationMethod"] if isinstance(doc["proof"], list) else doc["proof"]["verificationMethod"]
    )
    issuer, multikey = method.split("#", 1)
    opts = replace(fixture_options(), trust_embedded_keys=False, registered_keys={f"{issuer}#main": multikey})
    result = verify_object(doc, options=opts)
    assert result.status == "verified", result.checks
    assert "key source: registered issuer key" in _key(result).detail


def test_every_fixture_in_strict_mode():
    """Turning embedded keys off only ever turns 'verified' into 'unverified', and only where the key was one the
    credential carried itself; every other status stays as expected."""
    strict = replace(fixture_options(), trust_embedded_keys=False)
    changed = []
    for name, (expected, _) in EXPECTED.items():
        result = verify_bytes((ROOT / name).read_bytes(), options=strict)
        if result.status == expected:
            continue
        assert (expected, result.status) == ("verified", "unverified"), name
        assert any(c.name == "key" and c.ok is None and "embedded" in c.detail for c in result.checks), name
        changed.append(name)
    assert SIMPLE_LD in changed and SIMPLE_JWT in changed


# ---------------------------------------------------------------- the setting, threaded to every verify path


def test_setting_defaults_to_trusting():
    assert options_from_settings().trust_embedded_keys is True


@override_settings(TSUMIKI_TRUST_EMBEDDED_KEYS=False)
def test_setting_off_reaches_the_options():
    assert options_from_settings().trust_embedded_keys is False


def _command(*args):
    out = io.StringIO()
    call_command("verify_credential", str(ROOT / SIMPLE_LD), *args, stdout=out)
    return json.loads(out.getvalue())


def test_command_follows_the_setting():
    assert _command()["status"] == "verified"
    with override_settings(TSUMIKI_TRUST_EMBEDDED_KEYS=False):
        line = _command()
    assert line["status"] == "unverified"
    assert any(c["name"] == "key" and "TSUMIKI_TRUST_EMBEDDED_KEYS" in c["detail"] for c in line["checks"])


def test_command_flag_turns_embedded_keys_off():
    assert _command("--no-embedded-keys")["status"] == "unverified"


@pytest.mark.django_db
@pytest.mark.parametrize(("trust", "status"), [(True, "verified"), (False, "unverified")])
def test_api_upload_follows_the_setting(org, trust, status):
    cand = make_candidate(org, cid="c-7")
    _, raw = api_key_create(organization=org, scopes=["read", "write"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    with override_settings(TSUMIKI_TRUST_EMBEDDED_KEYS=trust):
        r = client.post(
            "/api/v1/credentials/upload/?candidate=c-7",
            data=(ROOT / SIMPLE_LD).read_bytes(),
            content_type="application/json",
        )
    assert r.status_code == 201, r.content
    assert r.json()["status"] == status
    key = next(c for c in r.json()["checks"] if c["name"] == "key")
    assert "key source: embedded multikey" in key["detail"]
    cred = Credential.objects.get(candidate=cand)
    assert cred.verification_status == status
    assert any("key source:" in c["detail"] for c in cred.verification_checks if c["name"] == "key")
