"""Shared fixtures. Unit tests run eagerly on SQLite; integration tests (marked) use the real services."""

from __future__ import annotations

import os

import pytest

from apps.accounts.models import Role

from .factories import OrganizationFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture
def org(db):
    return OrganizationFactory(slug="acme", name="Acme")


@pytest.fixture
def other_org(db):
    return OrganizationFactory(slug="other", name="Other Co")


@pytest.fixture
def recruiter(org):
    return UserFactory(username="rita", organization=org, role=Role.RECRUITER)


@pytest.fixture
def seeker(org):
    return UserFactory(username="sam", organization=org, role=Role.SEEKER)


@pytest.fixture(autouse=True)
def _fresh_vector_cache():
    """Each test database starts empty, so cached vectors/indexes keyed by phrase id must not leak."""
    from django.core.cache import cache

    from apps.skills import selectors, vocabulary

    cache.clear()  # e.g. the shortlist's issuer choices, keyed by organization id (ids repeat across tests)
    vocabulary.clear_cache()
    selectors._index = None
    selectors._lookup = None
    yield
