"""What a cached shortlist request reads: four queries (the session; the user with their membership; the job
with its latest finished run; the issuers the filter offers with this recruiter's reveals), and the job and
run read in one statement are the rows the ORM reads (apps.matching.selectors.job_latest_finished_run,
config.sqlrows)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.dashboard import selectors
from apps.matching.models import MatchRun, RunStatus
from apps.matching.selectors import job_latest_finished_run, latest_run

from ..factories import make_job
from .conftest import run_match_now

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_a_cached_shortlist_page_makes_four_queries(rclient, job, finished_run, django_assert_num_queries):
    path = reverse("dashboard:shortlist", kwargs={"job_id": job.id})
    first = rclient.get(path)  # fills the shortlist cache
    # the session; the user with their membership; the job with its latest finished run; the issuers the
    # filter offers with this recruiter's reveals
    with django_assert_num_queries(4):
        second = rclient.get(path)
    assert second.status_code == 200 and second.context["rows"] == first.context["rows"]


def test_the_job_and_its_latest_finished_run_are_the_orms_rows(
    org, job, recruiter, pool, django_capture_on_commit_callbacks
):
    older = run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    newer = run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    MatchRun.objects.create(
        organization=org, job=job, status=RunStatus.RUNNING, parameters={"k": [1, 2]}, started_at=timezone.now()
    )  # newest, not finished
    got_job, got_run = job_latest_finished_run(organization_id=org.pk, job_id=job.pk)
    assert got_run.pk == newer.pk != older.pk
    assert got_run.pk == latest_run(job=job, finished=True).pk
    # every field as the ORM converts it (datetimes, JSON, booleans: SQLite returns text and integers)
    assert fields(got_job) == fields(type(job).objects.get(pk=job.pk))
    assert fields(got_run) == fields(MatchRun.objects.get(pk=newer.pk))
    assert isinstance(got_run.parameters, dict) and got_run.finished_at.tzinfo is not None
    assert got_run.job is got_job and not got_job._state.adding and got_job._state.db == "default"


def test_another_organizations_job_and_a_job_without_a_finished_run(org, other_org, job):
    assert job_latest_finished_run(organization_id=other_org.pk, job_id=job.pk) == (None, None)
    assert job_latest_finished_run(organization_id=org.pk, job_id=2**63) == (None, None)
    got_job, got_run = job_latest_finished_run(organization_id=org.pk, job_id=job.pk)
    assert got_job == job and got_run is None
    other_job = make_job(other_org, ["SQL"], title="Theirs", job_id="theirs")
    assert job_latest_finished_run(organization_id=org.pk, job_id=other_job.pk) == (None, None)


def test_issuers_and_reveals_are_read_together(rclient, org, other_org, job, pool, recruiter, finished_run):
    from apps.matching.selectors import pool_issuers_and_reveals

    from ..factories import credential, make_candidate
    from .conftest import make_user

    make_candidate(other_org, cid="theirs", credentials=[credential("Theirs", ["SQL"], issuer="Elsewhere Inc")])
    rosa = make_user("rosa", org, Role.RECRUITER)
    rclient.post(reverse("dashboard:reveal", kwargs={"job_id": job.id, "candidate_id": pool["strong"].id}))
    issuers, revealed = pool_issuers_and_reveals(organization_id=org.pk, job_id=job.pk, user_id=recruiter.pk)
    assert [i.name for i in issuers] == ["Badge Works", "Open Data Academy", "PyLearn"]  # by name, this org's only
    assert [i.id for i in issuers] == [i.id for i in selectors.pool_issuers(organization=org)]
    assert revealed == {pool["strong"].id}
    assert pool_issuers_and_reveals(organization_id=org.pk, job_id=job.pk, user_id=rosa.pk)[1] == set()  # per person
    assert pool_issuers_and_reveals(organization_id=other_org.pk, job_id=job.pk, user_id=rosa.pk) == (
        [(i.id, i.name) for i in selectors.pool_issuers(organization=other_org)],
        set(),
    )
