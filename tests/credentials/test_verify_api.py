"""POST /api/v1/credentials/upload/: file, JSON or JWT → verify and import for a candidate of the caller's org."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apps.accounts.services import api_key_create
from apps.credentials.models import Credential
from tests.api.conftest import assert_problem
from tests.factories import make_candidate

from .test_verify_fixtures import ROOT, issuer_keys_registered

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not ROOT.is_dir(), reason="../shared/data/credentials not present"),
]
URL = "/api/v1/credentials/upload/"
SIMPLE = ROOT / "1edtech-dcpv-testfixtures/ob30/simple.json"


@pytest.fixture
def api(org):
    _, raw = api_key_create(organization=org, scopes=["read", "write"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_json_upload_imports_for_candidate(api, org):
    cand = make_candidate(org, cid="c-42")
    r = api.post(f"{URL}?candidate=c-42", data=SIMPLE.read_bytes(), content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    # The key is in the file only (issuer URL#multikey): the file is intact, the issuer not confirmed.
    assert body["status"] == "intact" and body["format"] == "ob3"
    assert "issuer not confirmed" in body["meaning"]
    assert {c["name"] for c in body["checks"]} >= {"proof", "key", "issuer"}
    assert Credential.objects.filter(candidate=cand, verification_status="intact").count() == 1


def test_json_upload_with_the_issuer_key_registered_is_verified(api, org, settings):
    settings.CREDENTIALS_REGISTERED_KEYS = issuer_keys_registered(json.loads(SIMPLE.read_text()))
    cand = make_candidate(org, cid="c-43")
    r = api.post(f"{URL}?candidate=c-43", data=SIMPLE.read_bytes(), content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "verified"
    assert "registered issuer key" in next(c["detail"] for c in r.json()["checks"] if c["name"] == "key")
    assert Credential.objects.filter(candidate=cand, verification_status="verified").count() == 1


def test_file_upload_png(api, org):
    cand = make_candidate(org)
    png = (ROOT / "1edtech-dcpv-testfixtures/ob30/simple-json.png").read_bytes()
    r = api.post(
        URL, data={"file": SimpleUploadedFile("b.png", png, "image/png"), "candidate": str(cand.pk)}, format="multipart"
    )
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "intact"


def test_jwt_text_verify_only(api):
    raw = json.loads((ROOT / "1edtech-dcpv-testfixtures/clr20/simple.jwt.json").read_text())["raw"]
    r = api.post(URL, data=raw, content_type="text/plain")
    assert r.status_code == 200 and r.json()["status"] == "intact"  # JWK in the JOSE header only


def test_failed_credential_is_reported_not_imported(api, org):
    cand = make_candidate(org)
    bad = (ROOT / "1edtech-dcpv-testfixtures/ob30/simple-err-proof-value.json").read_bytes()
    r = api.post(f"{URL}?candidate={cand.pk}", data=bad, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "failed" and r.json()["imported"] == []
    assert not Credential.objects.filter(candidate=cand).exists()


def test_garbage_and_deep_json_are_failed_not_500(api):
    for body in (b"not json at all", b"[" * 10000, b"\x89PNG\r\n\x1a\nxx"):
        r = api.post(URL, data=body, content_type="application/json")
        assert r.status_code == 200 and r.json()["status"] == "failed"


def test_other_org_candidate_is_404(api, other_org):
    cand = make_candidate(other_org)
    r = api.post(f"{URL}?candidate={cand.pk}", data=SIMPLE.read_bytes(), content_type="application/json")
    assert_problem(r, 404)


def test_oversized_file_413(api, settings):
    settings.CREDENTIALS_MAX_UPLOAD_BYTES = 100
    r = api.post(URL, data={"file": SimpleUploadedFile("b.json", b" " * 200, "application/json")}, format="multipart")
    assert_problem(r, 413)


def test_requires_auth(client):
    assert client.post(URL, data=b"{}", content_type="application/json").status_code in (401, 403)
