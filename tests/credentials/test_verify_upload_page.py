"""The seeker upload page shows each verification check and adds the credential to the seeker's profile."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.candidates.models import Candidate
from apps.credentials.models import Credential

from .test_verify_fixtures import ROOT

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not ROOT.is_dir(), reason="../shared/data/credentials not present"),
]


@pytest.fixture
def seeker_client(client, seeker, org):
    Candidate.objects.create(organization=org, external_id="me-1", user=seeker, name="Me")
    client.force_login(seeker)
    return client


def test_upload_page_lists_checks_and_imports(seeker_client):
    url = reverse("dashboard:seeker_upload")
    assert seeker_client.get(url).status_code == 200
    png = (ROOT / "1edtech-dcpv-testfixtures/ob30/simple-json.png").read_bytes()
    r = seeker_client.post(url, {"file": SimpleUploadedFile("badge.png", png, "image/png")})
    assert r.status_code == 200
    html = r.content.decode()
    for name in ("proof", "key", "issuer", "validity"):
        assert f"<td>{name}</td>" in html
    assert "Intact, issuer not confirmed" in html  # the key is in the file only
    assert Credential.objects.filter(candidate__external_id="me-1", verification_status="intact").count() == 1


def test_upload_page_failed_credential_not_added(seeker_client):
    bad = (ROOT / "1edtech-dcpv-testfixtures/ob30/simple-err-proof-value.json").read_text()
    r = seeker_client.post(reverse("dashboard:seeker_upload"), {"text": bad})
    assert r.status_code == 200 and "was not added" in r.content.decode()
    assert not Credential.objects.filter(candidate__external_id="me-1").exists()


def test_upload_page_garbage_is_a_message(seeker_client):
    r = seeker_client.post(reverse("dashboard:seeker_upload"), {"text": "{{{{ nope"})
    assert r.status_code == 200 and "not valid JSON" in r.content.decode()


def test_home_links_to_upload(seeker_client):
    assert reverse("dashboard:seeker_upload") in seeker_client.get(reverse("dashboard:seeker_home")).content.decode()
