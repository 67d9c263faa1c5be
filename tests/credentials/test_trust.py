"""A forged credential never counts as verified: a VC-JWT signed with a freshly made key embedded in its own
header, claiming "University of Oxford", is "intact, issuer not confirmed" in the verifier, in the seeker's
list, in the API and in scores; the issuer's name is shown as confirmed only when its id is; a did:key issuer
is shown as its key (apps.credentials.trust and its uses)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from apps.candidates.models import Candidate
from apps.credentials.models import Credential
from apps.credentials.trust import issuer_shown
from apps.matching.engine import DEFAULT_STRENGTH
from apps.matching.models import MatchScore
from apps.matching.services import match_run_start
from tests.factories import make_job

from .vcjwt import Signer, vc

OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OXFORD = {"id": "https://www.ox.ac.uk/", "type": ["Profile"], "name": "University of Oxford"}


def badge(issuer, *, skill: str = "SQL") -> dict:
    return vc(
        issuer,
        **{
            "@context": ["https://www.w3.org/ns/credentials/v2", OB3],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "achievement": {
                    "id": "https://www.ox.ac.uk/achievements/sql",
                    "type": ["Achievement"],
                    "name": f"{skill} for data analysis",
                    "criteria": {"narrative": "A written exam."},
                    "alignment": [{"type": ["Alignment"], "targetName": skill, "targetUrl": "https://example.org/s"}],
                },
            },
        },
    )


def forged_oxford() -> str:
    """The forgery: a key made a moment ago, put in the JOSE header of the credential it signs."""
    signer = Signer()
    return signer.sign(badge(OXFORD), jwk=signer.jwk)


@pytest.fixture
def seeker_client(client, seeker, org):
    Candidate.objects.create(organization=org, external_id="me-1", user=seeker, name="Me", consent_given=True)
    client.force_login(seeker)
    return client


def _upload(client, token: str):
    return client.post(reverse("dashboard:seeker_upload"), {"file": SimpleUploadedFile("oxford.jwt", token.encode())})


@pytest.mark.django_db
def test_forged_oxford_credential_is_intact_in_the_seeker_list(seeker_client):
    r = _upload(seeker_client, forged_oxford())
    assert r.status_code == 200
    upload_page = r.content.decode()
    assert "Intact, issuer not confirmed" in upload_page
    assert "✓ Verified" not in upload_page
    assert "“University of Oxford” (issuer not confirmed)" in upload_page
    cred = Credential.objects.get(candidate__external_id="me-1")
    assert cred.verification_status == "intact"
    home = seeker_client.get(reverse("dashboard:seeker_home")).content.decode()
    assert "Intact, issuer not confirmed" in home and "✓ Verified" not in home
    assert "“University of Oxford” (issuer not confirmed)" in home


@pytest.mark.django_db
def test_forged_oxford_credential_in_japanese(seeker_client):
    _upload(seeker_client, forged_oxford())
    home = seeker_client.get(reverse("dashboard:seeker_home"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "改ざんなし・発行者未確認" in home
    assert "「University of Oxford」（発行者未確認）" in home


@pytest.mark.django_db
def test_forged_credential_never_scores_with_the_verified_strength(
    seeker_client, org, settings, django_capture_on_commit_callbacks
):
    """The same credential counts with the 'intact' strength while only the file vouches for its key, and
    with the verified one once the operator registers Oxford's key."""
    signer = Signer()
    token = signer.sign(badge(OXFORD), jwk=signer.jwk)
    _upload(seeker_client, token)
    job = make_job(org, ["SQL"])
    with django_capture_on_commit_callbacks(execute=True):
        run = match_run_start(job=job)
    [row] = MatchScore.objects.filter(run=run)
    [match] = row.explanation["matches"]
    assert match["source_kind"] == "intact"
    assert row.verified_share == 0.0
    intact_credit = match["credit"]

    settings.CREDENTIALS_REGISTERED_KEYS = {"https://www.ox.ac.uk/#key-1": signer.jwk}
    Credential.objects.all().delete()
    _upload(seeker_client, token)
    assert Credential.objects.get().verification_status == "verified"
    with django_capture_on_commit_callbacks(execute=True):
        run = match_run_start(job=job)
    [row] = MatchScore.objects.filter(run=run)
    [match] = row.explanation["matches"]
    assert match["source_kind"] == "verified" and row.verified_share > 0
    ratio = DEFAULT_STRENGTH["intact"] / DEFAULT_STRENGTH["verified"]
    assert intact_credit == pytest.approx(match["credit"] * ratio, abs=1e-3)
    assert DEFAULT_STRENGTH["unverified"] < DEFAULT_STRENGTH["intact"] < DEFAULT_STRENGTH["verified"]


@pytest.mark.django_db
def test_api_says_intact_and_that_the_issuer_is_not_confirmed(seeker_client, org):
    from rest_framework.test import APIClient

    from apps.accounts.services import api_key_create

    _upload(seeker_client, forged_oxford())
    _, raw = api_key_create(organization=org, scopes=["read"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    [cand] = api.get("/api/v1/candidates/").json()["results"]
    [cred] = cand["credentials"] if "credentials" in cand else api.get(cand["url"]).json()["credentials"]
    assert cred["verification_status"] == "intact"
    assert "issuer not confirmed" in cred["verification_meaning"]
    assert cred["issuer"] == "University of Oxford" and cred["issuer_confirmed"] is False


@pytest.mark.django_db
def test_a_did_key_issuer_is_shown_as_its_key(seeker_client):
    signer = Signer()
    token = signer.sign(badge({"id": signer.did, "type": ["Profile"], "name": "University of Oxford"}), kid=signer.kid)
    page = _upload(seeker_client, token).content.decode()
    cred = Credential.objects.get()
    assert cred.verification_status == "verified"  # the key is the issuer's id
    home = seeker_client.get(reverse("dashboard:seeker_home")).content.decode()
    for html in (page, home):
        assert f"did:key:{signer.multikey[:8]}…{signer.multikey[-4:]}" in html
        assert "calls itself “University of Oxford” (not confirmed)" in html


def test_issuer_display_rules():
    assert issuer_shown(name="Uni", identifier="https://uni.example/", status="verified").label == "Uni"
    assert issuer_shown(name="Uni", identifier="https://uni.example/", status="intact").claimed_name == "Uni"
    assert issuer_shown(name="Uni", identifier="https://uni.example/", status="intact").label == ""
    did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    shown = issuer_shown(name="Uni", identifier=did, status="verified")
    assert (shown.label, shown.claimed_name, shown.confirmed) == ("did:key:z6MkhaXg…2doK", "Uni", True)


@given(
    name=st.text(max_size=40),
    identifier=st.one_of(st.text(max_size=60), st.just("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")),
    status=st.sampled_from(["verified", "intact", "unverified", "failed", "expired", "revoked", ""]),
)
def test_a_name_is_only_ever_shown_as_confirmed_for_a_verified_non_did_key_issuer(name, identifier, status):
    shown = issuer_shown(name=name, identifier=identifier, status=status)
    name_confirmed = bool(shown.label) and shown.claimed_name is None and not shown.label.startswith("did:key:")
    if name_confirmed:
        assert status == "verified" and not identifier.strip().startswith("did:key:")


def test_forged_token_is_intact_in_the_verify_command(tmp_path):
    import io

    from django.core.management import call_command

    path = tmp_path / "oxford.jwt"
    path.write_text(forged_oxford())
    out = io.StringIO()
    call_command("verify_credential", str(path), stdout=out)
    line = json.loads(out.getvalue())
    assert line["status"] == "intact" and line["issuer"] == "University of Oxford"


# ---------------------------------------------------------------- issuer documents fetched over the network


@pytest.fixture
def issuer_site(monkeypatch, settings):
    """An HTTPS server for the host issuer.test (resolved to 127.0.0.1), reached through the product's
    fetcher: network use on, issuer.test allowed as a test host, the server's CA trusted."""
    import socket

    from tests.fixture_server import fixture_server

    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host == "issuer.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with fixture_server(tls_names=["issuer.test"]) as server:
        settings.TSUMIKI_FETCH_ENABLED = True
        settings.TSUMIKI_FETCH_ALLOWED_HOSTS = ["issuer.test"]
        settings.TSUMIKI_FETCH_CA_BUNDLE = server.ca_file
        yield server


def _serve(server, path: str, doc: dict) -> None:
    server.routes[path] = (200, {"Content-Type": "application/json"}, json.dumps(doc).encode())


@pytest.mark.django_db
def test_embedded_key_listed_in_the_fetched_issuer_profile_is_verified(seeker_client, issuer_site):
    signer = Signer()
    issuer = f"https://issuer.test:{issuer_site.port}/issuer"
    _serve(
        issuer_site,
        "/issuer",
        {
            "id": issuer,
            "type": "Profile",
            "name": "Example University",
            "verificationMethod": [{"id": f"{issuer}#k", "type": "JsonWebKey", "publicKeyJwk": signer.jwk}],
        },
    )
    token = signer.sign(badge({"id": issuer, "type": ["Profile"], "name": "Example University"}), jwk=signer.jwk)
    _upload(seeker_client, token)
    cred = Credential.objects.get()
    assert cred.verification_status == "verified"
    key = next(c for c in cred.verification_checks if c["name"] == "key")
    assert f"listed in the issuer profile {issuer}" in key["detail"]
    assert [r.path for r in issuer_site.requests] == ["/issuer"]
    home = seeker_client.get(reverse("dashboard:seeker_home")).content.decode()
    assert '<span class="issuer-confirmed">Example University</span>' in home


@pytest.mark.django_db
def test_a_profile_listing_another_key_leaves_the_forgery_intact(seeker_client, issuer_site):
    issuer = f"https://issuer.test:{issuer_site.port}/issuer"
    real_key = Signer().jwk
    _serve(
        issuer_site, "/issuer", {"id": issuer, "verificationMethod": [{"id": f"{issuer}#k", "publicKeyJwk": real_key}]}
    )
    forger = Signer()
    _upload(seeker_client, forger.sign(badge({"id": issuer, "name": "Example University"}), jwk=forger.jwk))
    assert Credential.objects.get().verification_status == "intact"


@pytest.mark.django_db
def test_did_web_issuer_document_fetched_through_the_fetcher(seeker_client, issuer_site):
    signer = Signer()
    did = f"did:web:issuer.test%3A{issuer_site.port}"
    _serve(
        issuer_site,
        "/.well-known/did.json",
        {
            "id": did,
            "verificationMethod": [
                {"id": f"{did}#key-1", "type": "Multikey", "controller": did, "publicKeyMultibase": signer.multikey}
            ],
            "assertionMethod": [f"{did}#key-1"],
        },
    )
    _upload(seeker_client, signer.sign(badge({"id": did, "name": "Example University"}), kid=f"{did}#key-1"))
    cred = Credential.objects.get()
    assert cred.verification_status == "verified", cred.verification_checks
    assert "/.well-known/did.json" in [r.path for r in issuer_site.requests]


@pytest.mark.django_db
def test_with_network_use_off_no_issuer_document_is_fetched(seeker_client, issuer_site, settings):
    settings.TSUMIKI_FETCH_ENABLED = False
    signer = Signer()
    issuer = f"https://issuer.test:{issuer_site.port}/issuer"
    _serve(
        issuer_site,
        "/issuer",
        {"id": issuer, "verificationMethod": [{"id": f"{issuer}#k", "publicKeyJwk": signer.jwk}]},
    )
    _upload(seeker_client, signer.sign(badge({"id": issuer, "name": "Example University"}), jwk=signer.jwk))
    assert Credential.objects.get().verification_status == "intact"
    assert issuer_site.requests == []
