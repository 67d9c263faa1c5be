"""Rate limits per API key: 429 problem+json with Retry-After, counted per key."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_per_minute(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_key": "3/minute"}}
    yield
    cache.clear()


def test_a_key_over_its_rate_gets_429_with_retry_after(org, client_for, three_per_minute):
    client = client_for(org)
    assert [client.get("/api/v1/jobs/").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/v1/jobs/")
    problem = assert_problem(response, 429)
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in problem["detail"].lower()
    # another key of the same organization has its own budget
    assert client_for(org).get("/api/v1/jobs/").status_code == 200
