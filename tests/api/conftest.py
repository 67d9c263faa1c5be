"""Fixtures for the REST API tests: API clients authenticated with organization keys."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from apps.accounts.models import Organization
from apps.accounts.services import api_key_create


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache, which outlives each test's database."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_for() -> Callable[..., APIClient]:
    """``client_for(org, scopes=("read", "write"))``: an APIClient sending a fresh key of ``org``."""

    def make(org: Organization, scopes: tuple[str, ...] = ("read", "write")) -> APIClient:
        _, raw = api_key_create(organization=org, scopes=list(scopes))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return make


@pytest.fixture
def api(org, client_for) -> APIClient:
    """A read/write client of the ``org`` fixture's organization."""
    return client_for(org)


def job_body(**overrides) -> dict:
    """A valid interchange job for POST /api/v1/jobs/."""
    body = {
        "id": "job-data-1",
        "title": "Data analyst",
        "description": "SQL and Python for reporting",
        "skills": [
            {"name": "SQL", "weight": 2.0, "required": True},
            {"name": "python programming", "weight": 1.0, "min_level": 5},
        ],
    }
    body.update(overrides)
    return body


def assert_problem(response, status: int) -> dict:
    """The response is an RFC 9457 problem with this status; returns its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body
