"""Fixtures for the dashboard tests: a job, a small pool, and a finished match run."""

from __future__ import annotations

import pytest

from apps.accounts.models import Membership, Role, User
from apps.matching.models import MatchRun, RunStatus
from apps.matching.services import match_run_start

from ..factories import credential, make_candidate, make_job

PASSWORD = "pw-tsumiki-123"


def make_user(username: str, organization, role: str) -> User:
    """A user with a saved password and a membership. Not UserFactory: its ``organization``/``role``
    are factory Params, which factory_boy strips before ``_create`` (so every user became a recruiter
    of a fresh organization), and its password is set after the save and never stored."""
    user = User.objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(user=user, organization=organization, role=role)
    return user


@pytest.fixture
def recruiter(org):
    return make_user("rita", org, Role.RECRUITER)


@pytest.fixture
def seeker(org):
    return make_user("sam", org, Role.SEEKER)


@pytest.fixture
def job(org):
    return make_job(
        org,
        [
            {"name": "SQL", "required": True, "weight": 2.0},
            {"name": "Python programming", "weight": 1.0},
            {"name": "data visualisation", "weight": 1.0, "min_level": 5},
        ],
        title="Data analyst",
        job_id="job-da",
    )


@pytest.fixture
def pool(org, seeker):
    """Three candidates: a strong verified one (with a degree), a partial one linked to the seeker
    account, and one with nothing relevant."""
    strong = make_candidate(
        org,
        cid="c-strong",
        name="Ada Lovelace",
        credentials=[
            credential("SQL for Analysts", ["SQL", "data visualisation"], issuer="Open Data Academy"),
            credential("Python Foundations", ["Python programming"], issuer="PyLearn", verified=False),
        ],
        degrees=[{"title": "BSc Mathematics", "level": {"framework": "EQF", "value": 6}}],
    )
    partial = make_candidate(
        org,
        cid="c-partial",
        name="Sam Seeker",
        user=seeker,
        credentials=[credential("Relational databases badge", ["SQL"], issuer="Badge Works")],
    )
    none = make_candidate(org, cid="c-none", name="Carl Cook", skills=["cooking"])
    return {"strong": strong, "partial": partial, "none": none}


def run_match_now(job, user, capture) -> MatchRun:
    """Start a run and execute it (eager Celery) by running the on-commit hook."""
    with capture(execute=True):
        run = match_run_start(job=job, user=user)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    return run


@pytest.fixture
def finished_run(job, pool, recruiter, django_capture_on_commit_callbacks):
    return run_match_now(job, recruiter, django_capture_on_commit_callbacks)


@pytest.fixture
def other_recruiter(other_org):
    return make_user("otto", other_org, Role.RECRUITER)


@pytest.fixture
def rclient(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def sclient(client, seeker):
    client.force_login(seeker)
    return client


@pytest.fixture
def taxonomy(db, tmp_path):
    from .taxonomy import import_tiny_taxonomy

    return import_tiny_taxonomy(tmp_path)


@pytest.fixture
def japanese_catalog():
    from .i18n import ensure_japanese_catalog

    ensure_japanese_catalog()
