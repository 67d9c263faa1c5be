"""Who may call the API: keys with scopes, revoked keys, sessions of recruiters (not seekers)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.accounts.services import api_key_create, api_key_revoke, user_create
from tests.factories import make_job

from .conftest import assert_problem, job_body

pytestmark = pytest.mark.django_db


def test_no_key_is_401_problem():
    response = APIClient().get("/api/v1/jobs/")
    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"
    assert body["instance"] == "/api/v1/jobs/"


@pytest.mark.parametrize("header", ["Bearer tsk_nope_nope", "Bearer not-a-key", "Bearer a b"])
def test_invalid_key_is_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert_problem(client.get("/api/v1/candidates/"), 401)


def test_revoked_key_is_401(org):
    key, raw = api_key_create(organization=org, scopes=["read", "write"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/jobs/").status_code == 200
    api_key_revoke(key=key)
    body = assert_problem(client.get("/api/v1/jobs/"), 401)
    assert "revoked" in body["detail"]


def test_read_only_key_can_read_but_not_write(org, client_for):
    client = client_for(org, scopes=("read",))
    assert client.get("/api/v1/jobs/").status_code == 200
    body = assert_problem(client.post("/api/v1/jobs/", job_body(), format="json"), 403)
    assert "'write' scope" in body["detail"]
    assert_problem(client.post("/api/v1/candidates/", {"id": "c-1"}, format="json"), 403)


def test_write_only_key_cannot_read(org, client_for):
    assert_problem(client_for(org, scopes=("write",)).get("/api/v1/jobs/"), 403)


def test_recruiter_session_is_accepted_and_seeker_refused(org):
    # Users come from the service, not UserFactory: the factory's Params swallow organization and
    # role (see the report), so its "seeker" would be a recruiter of another organization.
    recruiter = user_create(username="rita", password="pw-tsumiki-123", organization=org, role=Role.RECRUITER)
    seeker = user_create(username="sam", password="pw-tsumiki-123", organization=org, role=Role.SEEKER)
    make_job(org, ["SQL"], title="Visible to the recruiter")
    client = APIClient()
    client.force_login(recruiter)
    response = client.get("/api/v1/jobs/")
    assert response.status_code == 200
    assert [j["title"] for j in response.json()["results"]] == ["Visible to the recruiter"]
    client = APIClient()
    client.force_login(seeker)
    assert_problem(client.get("/api/v1/jobs/"), 403)
