"""The seeker upload page shows each verification check and adds the credential to the seeker's profile."""

from __future__ import annotations

import re

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
    for label in ("Signature", "Issuer&#x27;s key", "Issuer", "Validity dates"):
        assert f"<td>{label}</td>" in html
    assert "Intact, issuer not confirmed" in html  # the key is in the file only
    assert Credential.objects.filter(candidate__external_id="me-1", verification_status="intact").count() == 1


def test_upload_page_failed_credential_not_added(seeker_client):
    bad = (ROOT / "1edtech-dcpv-testfixtures/ob30/simple-err-proof-value.json").read_text()
    r = seeker_client.post(reverse("dashboard:seeker_upload"), {"text": bad})
    assert r.status_code == 200 and "was not added" in r.content.decode()
    assert not Credential.objects.filter(candidate__external_id="me-1").exists()


def test_upload_page_garbage_is_a_message_in_plain_words(seeker_client):
    r = seeker_client.post(
        reverse("dashboard:seeker_upload"), {"text": '{"type": ["VerifiableCredential"], "name": "cut'}
    )
    html = r.content.decode()
    assert r.status_code == 400 and "broken or cut off" in html
    # never the parser's own words
    assert "column" not in html and "char " not in html and "Expecting" not in html


def test_upload_failure_in_japanese(seeker_client):
    from ..dashboard.i18n import ensure_japanese_catalog

    ensure_japanese_catalog()
    r = seeker_client.post(reverse("dashboard:seeker_upload"), {"text": "{{{{ nope"}, HTTP_ACCEPT_LANGUAGE="ja")
    html = r.content.decode()
    assert 'lang="ja"' in html and "broken or cut off" not in html and "JSON" in html


def test_reupload_with_the_same_id_asks_before_replacing(seeker_client):
    url = reverse("dashboard:seeker_upload")
    good = (ROOT / "1edtech-dcpv-testfixtures/ob30/simple.json").read_text()
    expired = (ROOT / "1edtech-dcpv-testfixtures/ob30/simple-err-expired.json").read_text()
    seeker_client.post(url, {"text": good})
    mine = Credential.objects.filter(candidate__external_id="me-1")
    before = [c.verification_status for c in mine]
    assert before in (["verified"], ["intact"])  # signed with a key the file carries
    r = seeker_client.post(url, {"text": expired})
    html = r.content.decode()
    assert "Replace the credential you already have?" in html
    assert f"badge-status-{before[0]}" in html and "badge-status-expired" in html
    assert "Added 1 credential" not in html
    assert [c.verification_status for c in mine.all()] == before  # nothing replaced yet
    payload = html.split('name="payload" value="', 1)[1].split('"', 1)[0]
    r = seeker_client.post(url, {"payload": payload, "confirm_replace": "yes"})
    assert "Replaced 1 credential on your profile." in r.content.decode()
    assert [c.verification_status for c in mine.all()] == ["expired"]


def test_reupload_confirmation_with_a_broken_payload_is_a_message(seeker_client):
    r = seeker_client.post(reverse("dashboard:seeker_upload"), {"payload": "@@not base64@@", "confirm_replace": "yes"})
    assert r.status_code == 400 and "Upload the file again" in r.content.decode()


def test_home_links_to_upload(seeker_client):
    assert reverse("dashboard:seeker_upload") in seeker_client.get(reverse("dashboard:seeker_home")).content.decode()


def test_upload_while_the_model_loads_waits_for_it_instead_of_loading_it(seeker_client, settings, monkeypatch):
    import time

    from apps.skills import warmup

    settings.TSUMIKI_WARM_START = True
    monkeypatch.setattr(warmup, "_state", warmup.WarmupState(status=warmup.LOADING, started=time.monotonic() - 4))
    url = reverse("dashboard:seeker_upload")
    good = (ROOT / "1edtech-dcpv-testfixtures/ob30/simple.json").read_text()
    r = seeker_client.post(url, {"text": good})
    html = r.content.decode()
    # the seconds so far: 4 when the request is quick, more on a busy machine
    waited = re.search(r"still loading \((\d+) s so far\)", html)
    assert waited is not None and 4 <= int(waited.group(1)) <= 30, html[:300]
    assert not Credential.objects.filter(candidate__external_id="me-1").exists()
    payload = html.split('name="payload" value="', 1)[1].split('"', 1)[0]
    warmup._state.status = warmup.READY
    r = seeker_client.post(url, {"payload": payload})
    assert "Added 1 credential to your profile." in r.content.decode()
    assert Credential.objects.filter(candidate__external_id="me-1").count() == 1
