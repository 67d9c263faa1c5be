"""Badges shared by their address: fetched through the SSRF-safe fetcher from a local fixture server
(network use turned on for the test, the server's host allowed), verified as a file is, stored with
where they came from; the seeker page and the API; refusals in words."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from apps.accounts.services import api_key_create
from apps.credentials.byurl import CredentialFetchError, credential_fetch
from apps.credentials.models import Credential
from tests.fixture_server import fixture_server

from ..factories import make_candidate

OB3 = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "credentials" / "1edtech-dcpv-testfixtures"
OB3_SIMPLE = OB3 / "ob30" / "simple.json"
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def network(settings):
    """The product's network switch on, plain http and the fixture server's loopback address allowed."""
    settings.TSUMIKI_FETCH_ENABLED = True
    settings.TSUMIKI_FETCH_ALLOW_HTTP = True
    settings.TSUMIKI_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    return settings


@pytest.fixture
def badges_test(monkeypatch):
    """badges.test resolves to the fixture server's loopback address (the fetcher still checks it)."""
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host == "badges.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


class Https:
    """URLs of a TLS fixture server under the name badges.test (hosted assertions are fetched over https)."""

    def __init__(self, server):
        self.server = server

    def url(self, path: str) -> str:
        return self.server.url(path, host="badges.test", scheme="https")


def hosted_ob2(server) -> dict[str, tuple[int, dict, bytes]]:
    """A hosted Open Badges 2.0 assertion, its BadgeClass and Issuer, all on the fixture server."""
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": server.url("/public/assertions/a1"),
        "recipient": {"type": "email", "hashed": False, "identity": "sam@example.com"},
        "issuedOn": "2025-03-01T00:00:00Z",
        "badge": server.url("/public/badges/b1"),
        "verification": {"type": "hosted"},
    }
    badge = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "BadgeClass",
        "id": server.url("/public/badges/b1"),
        "name": "Data Wrangling",
        "description": "Cleans and joins data sets.",
        "image": server.url("/img.png"),
        "criteria": {"narrative": "Clean a messy data set with SQL."},
        "issuer": server.url("/public/issuers/i1"),
        "alignment": [{"targetName": "SQL", "targetUrl": "http://data.europa.eu/esco/skill/sql"}],
    }
    issuer = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Issuer",
        "id": server.url("/public/issuers/i1"),
        "name": "Local Badge Works",
        "url": server.url("/"),
        "email": "badges@example.com",
    }
    page = (
        "<!doctype html><html><head><title>Data Wrangling</title>"
        '<link rel="alternate" type="application/ld+json" href="/public/assertions/a1"></head><body>badge</body></html>'
    )
    return {
        "/public/assertions/a1": (200, JSON, json.dumps(assertion).encode()),
        "/public/badges/b1": (200, JSON, json.dumps(badge).encode()),
        "/public/issuers/i1": (200, JSON, json.dumps(issuer).encode()),
        "/badges/a1": (200, {"Content-Type": "text/html; charset=utf-8"}, page.encode()),
        "/plain-page": (200, {"Content-Type": "text/html"}, b"<html><body>no badge here</body></html>"),
        "/gone": (404, {}, b"not found"),
    }


def test_fetch_follows_a_badge_page_to_its_assertion(network):
    with fixture_server() as server:
        server.routes.update(hosted_ob2(server))
        got = credential_fetch(server.url("/badges/a1"), max_bytes=100_000)
        assert got.url == server.url("/public/assertions/a1") and json.loads(got.data)["type"] == "Assertion"
        for path, reason in (("/plain-page", "html"), ("/gone", "status")):
            with pytest.raises(CredentialFetchError) as e:
                credential_fetch(server.url(path), max_bytes=100_000)
            assert e.value.reason == reason
        with pytest.raises(CredentialFetchError) as e:
            credential_fetch(server.url("/public/assertions/a1"), max_bytes=10)
        assert e.value.reason == "too_large"


def test_off_by_default_and_private_addresses_refused(settings):
    with fixture_server({"/x": (200, JSON, b"{}")}) as server:
        with pytest.raises(CredentialFetchError) as e:
            credential_fetch(server.url("/x"), max_bytes=1000)
        assert e.value.reason == "disabled"
        settings.TSUMIKI_FETCH_ENABLED = True
        settings.TSUMIKI_FETCH_ALLOW_HTTP = True
        with pytest.raises(CredentialFetchError) as e:  # loopback, not allowed: never requested
            credential_fetch(server.url("/x"), max_bytes=1000)
        assert e.value.reason == "refused"
    assert server.requests == []


@pytest.mark.django_db
def test_seeker_adds_a_hosted_badge_by_its_address(client, org, network, badges_test):
    from tests.dashboard.conftest import make_user

    seeker = make_user("sam", org, "seeker")
    me = make_candidate(org, cid="c-sam", user=seeker)
    client.force_login(seeker)
    network.TSUMIKI_FETCH_ALLOWED_HOSTS = ["badges.test"]
    with fixture_server(tls_names=["badges.test"]) as tls:
        network.TSUMIKI_FETCH_CA_BUNDLE = tls.ca_file
        server = Https(tls)
        tls.routes.update(hosted_ob2(server))
        r = client.post("/me/credentials/upload/", {"url": server.url("/badges/a1")})
        page = r.content.decode()
        assert r.status_code == 200, page
        assert "Added 1 credential to your profile." in page and "Fetched from" in page
    cred = Credential.objects.get(candidate=me)
    assert cred.title == "Data Wrangling" and cred.source_url == server.url("/public/assertions/a1")
    assert cred.format == "ob2" and cred.verification_status != "failed"
    checks = {c["name"]: c["ok"] for c in cred.verification_checks}
    assert checks.get("proof") is True  # the assertion hosted at its own id is the same document
    assert "fetched from" in client.get("/me/").content.decode()


@pytest.mark.django_db
def test_seeker_page_explains_a_refused_address(client, org, settings):
    from tests.dashboard.conftest import make_user

    seeker = make_user("sam", org, "seeker")
    make_candidate(org, cid="c-sam", user=seeker)
    client.force_login(seeker)
    r = client.post("/me/credentials/upload/", {"url": "https://badges.example.com/a/1"})
    assert r.status_code == 400 and "switched off on this server" in r.content.decode()
    settings.TSUMIKI_FETCH_ENABLED = True
    r = client.post("/me/credentials/upload/", {"url": "http://10.0.0.1/badge.json"})
    assert r.status_code == 400 and "cannot be fetched" in r.content.decode()


@pytest.mark.django_db
@pytest.mark.skipif(not OB3_SIMPLE.is_file(), reason="../shared/data/credentials not present")
def test_api_imports_an_ob3_credential_by_url(org, network):
    cand = make_candidate(org, cid="c-1")
    _, raw = api_key_create(organization=org, scopes=["read", "write"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    with fixture_server({"/creds/simple.json": (200, JSON, OB3_SIMPLE.read_bytes())}) as server:
        url = server.url("/creds/simple.json")
        r = api.post(f"/api/v1/credentials/upload/?candidate={cand.id}&url={url}")
        assert r.status_code == 201, r.content
        r404 = api.post(f"/api/v1/credentials/upload/?url={server.url('/nope')}")
        assert r404.status_code == 422 and r404.json()["field"] == "url"
    cred = Credential.objects.get(candidate=cand)
    assert cred.source_url == url and cred.format == "ob3"


@pytest.mark.django_db
def test_api_by_url_while_switched_off(org):
    _, raw = api_key_create(organization=org, scopes=["read", "write"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    r = api.post("/api/v1/credentials/upload/?url=https://badges.example.com/a/1")
    assert r.status_code == 403 and r["Content-Type"].startswith("application/problem+json")
    assert "switched off" in r.json()["detail"] and r.json()["field"] == "url"
