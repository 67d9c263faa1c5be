"""A match run sent through Redis to a real worker process stores exactly the in-process scores."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from apps.matching.engine import MatchParams
from apps.matching.models import MatchRun, RunStatus
from apps.matching.selectors import job_required_specs, pool_specs, ranks_attach
from apps.matching.services import candidates_score, match_run_start
from tests.factories import OrganizationFactory, credential, make_candidate, make_job

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _wait(run_id: int, timeout: float = 120) -> MatchRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = MatchRun.objects.get(id=run_id)
        if run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED):
            return run
        time.sleep(0.3)
    raise AssertionError(f"run {run_id} still {run.status} after {timeout}s")


def test_worker_scores_equal_in_process_scores(celery_workers):
    assert connection.vendor == "postgresql"
    org = OrganizationFactory(slug="it-org")
    job = make_job(org, [{"name": "SQL", "required": True}, "data analysis", {"name": "Python", "weight": 2}])
    make_candidate(
        org,
        cid="strong",
        credentials=[
            credential("Data analytics badge", ["SQL", "data analysis"]),
            credential("Python 101", ["Python programming"]),
        ],
    )
    make_candidate(
        org, cid="partial", credentials=[credential("Spreadsheet basics", ["spreadsheets"])], skills=["SQL queries"]
    )
    # a degree's title adds nothing (its learning outcomes would be evidence: the degree here names none)
    make_candidate(org, cid="none", degrees=[{"title": "BSc Computer Science"}])
    celery_workers(1)

    run = match_run_start(job=job)  # autocommit: the task is sent at once, through Redis
    run = _wait(run.id)
    assert run.status == RunStatus.SUCCEEDED, run.error
    stored = {
        s.candidate.external_id: s for s in ranks_attach(run=run, scores=list(run.scores.select_related("candidate")))
    }
    assert set(stored) == {"strong", "partial", "none"}

    specs, texts = pool_specs(organization_id=org.id)
    required = job_required_specs(job=job)
    texts.update({r.phrase_id: r.name for r in required})
    expected = candidates_score(required=required, candidates=specs, texts=texts, params=MatchParams(**run.parameters))
    ext = {str(c.id): c.external_id for c in org.candidates.all()}
    for rank, res in enumerate(expected, start=1):
        got = stored[ext[res.key]]
        assert got.rank == rank
        assert got.score == pytest.approx(res.score, abs=1e-6)
        assert got.must_have_met == res.must_have_met
        assert got.explanation["matches"] == res.matches
    assert stored["strong"].rank == 1
    assert stored["none"].score == 0.0  # a degree's title alone adds nothing
