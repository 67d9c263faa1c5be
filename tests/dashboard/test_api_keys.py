"""Recruiter settings page for API keys: create (secret shown once), list (never the secret or hash),
revoke, audit, organization isolation, roles, the query budget and Japanese."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.audit import API_KEY_CREATED, API_KEY_REVOKED
from apps.accounts.models import ApiKey, AuditEvent
from apps.accounts.services import api_key_create

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:api_keys")
JOBS_API = "/api/v1/jobs/"


def revoke_url(key) -> str:
    return reverse("dashboard:api_key_revoke", kwargs={"key_id": key.id})


def create(client, name="ATS sync", scopes=("read",)):
    return client.post(URL, {"name": name, "scopes": list(scopes)})


def raw_key_in(html: str) -> str:
    m = re.search(r'id="new-api-key"[^>]*value="(tsk_[^"]+)"', html)
    assert m, "the new key is not on the page"
    return m.group(1)


def test_create_shows_the_key_once_and_it_authenticates(rclient, org, recruiter, job):
    resp = create(rclient, scopes=["read", "write"])
    assert resp.status_code == 200
    html = resp.content.decode()
    raw = raw_key_in(html)
    assert html.count(raw) == 1
    assert "it will not be shown again" in html
    assert "no-store" in resp["Cache-Control"]
    key = ApiKey.objects.get(organization=org)
    assert key.name == "ATS sync" and key.scopes == ["read", "write"] and raw.startswith(f"tsk_{key.prefix}_")
    # not kept anywhere the browser could get it back from
    assert raw not in str(dict(rclient.session))
    assert raw not in rclient.get(URL).content.decode()

    api = Client()
    resp = api.get(JOBS_API, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert resp.status_code == 200, resp.content
    assert "Data analyst" in resp.content.decode()
    key.refresh_from_db()
    assert key.last_used_at is not None

    event = AuditEvent.objects.get(action=API_KEY_CREATED)
    assert event.organization == org and event.actor_user == recruiter and event.object_id == str(key.id)
    assert event.details == {"prefix": key.prefix, "name": "ATS sync", "scopes": ["read", "write"]}
    assert raw not in str(event.details) and key.key_hash not in str(event.details)


def test_list_shows_keys_without_secret_or_hash(rclient, org, other_org):
    key, raw = api_key_create(organization=org, scopes=["read"], name="Reporting")
    other, _ = api_key_create(organization=other_org, scopes=["write"], name="Their key")
    resp = rclient.get(URL)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Reporting" in html and f"tsk_{key.prefix}_…" in html and "Never" in html
    assert raw not in html and key.key_hash not in html
    assert raw.split("_")[-1] not in html  # not even the secret part
    assert "Their key" not in html and other.prefix not in html
    assert 'id="new-api-key"' not in html


def test_create_needs_a_name_and_a_scope(rclient, org):
    resp = create(rclient, scopes=[])
    assert resp.status_code == 400 and "Choose at least one scope." in resp.content.decode()
    resp = create(rclient, name="  ")
    assert resp.status_code == 400
    resp = rclient.post(URL, {"name": "x", "scopes": ["admin"]})
    assert resp.status_code == 400
    assert not ApiKey.objects.exists() and not AuditEvent.objects.filter(action=API_KEY_CREATED).exists()


def test_create_and_revoke_need_csrf(recruiter, org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(recruiter)
    assert create(client).status_code == 403
    key, _ = api_key_create(organization=org, scopes=["read"], name="k")
    assert client.post(revoke_url(key)).status_code == 403
    key.refresh_from_db()
    assert key.revoked_at is None and ApiKey.objects.count() == 1


def test_revoke_makes_the_key_fail(rclient, org, recruiter):
    key, raw = api_key_create(organization=org, scopes=["read"], name="Old sync")
    api = Client()
    assert api.get(JOBS_API, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200

    html = rclient.get(URL).content.decode()
    assert revoke_url(key) in html and "This cannot be undone." in html
    assert rclient.get(revoke_url(key)).status_code == 405  # only a POST revokes
    resp = rclient.post(revoke_url(key), follow=True)
    assert resp.redirect_chain == [(URL, 302)]
    html = resp.content.decode()
    assert "revoked" in html and revoke_url(key) not in html
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert api.get(JOBS_API, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401

    event = AuditEvent.objects.get(action=API_KEY_REVOKED)
    assert event.actor_user == recruiter and event.object_id == str(key.id)
    # revoking twice changes nothing and logs nothing more
    first = key.revoked_at
    rclient.post(revoke_url(key))
    key.refresh_from_db()
    assert key.revoked_at == first and AuditEvent.objects.filter(action=API_KEY_REVOKED).count() == 1


def test_other_organizations_keys_are_404(rclient, other_org):
    other, raw = api_key_create(organization=other_org, scopes=["read"], name="Theirs")
    assert rclient.post(revoke_url(other)).status_code == 404
    assert rclient.post(reverse("dashboard:api_key_revoke", kwargs={"key_id": 999999})).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
    assert Client().get(JOBS_API, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_seekers_get_403(sclient, org):
    key, _ = api_key_create(organization=org, scopes=["read"], name="k")
    assert sclient.get(URL).status_code == 403
    assert create(sclient).status_code == 403
    assert sclient.post(revoke_url(key)).status_code == 403
    key.refresh_from_db()
    assert key.revoked_at is None and ApiKey.objects.count() == 1


def test_anonymous_goes_to_login(client):
    resp = client.get(URL)
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("dashboard:login"))


def test_nav_link_for_recruiters_only(rclient, client, seeker):
    assert f'href="{URL}" aria-current="page"' in rclient.get(URL).content.decode()
    assert URL in rclient.get(reverse("dashboard:jobs")).content.decode()
    client.force_login(seeker)
    assert URL not in client.get(reverse("dashboard:seeker_home")).content.decode()


def test_list_query_budget(rclient, org, django_assert_num_queries):
    for i in range(5):
        api_key_create(organization=org, scopes=["read", "write"], name=f"key {i}")
    rclient.get(URL)  # warm up
    with django_assert_num_queries(3):  # session, user with membership (apps.accounts.backends), keys
        resp = rclient.get(URL)
    assert resp.content.decode().count("tsk_") == 5


def test_page_in_japanese(rclient, org, japanese_catalog):
    api_key_create(organization=org, scopes=["read"], name="k")
    rclient.post("/i18n/setlang/", {"language": "ja", "next": URL})
    html = rclient.get(URL).content.decode()
    assert "APIキー" in html and "キーを作成" in html and "失効させる…" in html
    assert "他のシステムが" in html and "元に戻すことはできません。" in html and "未使用" in html
    resp = create(rclient)
    assert "二度と表示されません" in resp.content.decode()
