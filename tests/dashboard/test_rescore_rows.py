"""A rescore writes only the changed candidate's row per open run: the new run reads its full run's other
rows as they stood, every earlier run (a pinned snapshot) still reads the old row, and pruning old rescore
runs deletes the rows nobody reads any more, never one a kept run reads."""

from __future__ import annotations

import pytest
from django.test import override_settings

from apps.candidates.rights import candidate_erase
from apps.candidates.services import candidates_create
from apps.core.interchange import parse_candidate
from apps.matching.models import MatchRun, MatchScore
from apps.matching.selectors import ranks_of, run_order
from apps.matching.services import candidate_rescore
from tests.factories import credential

pytestmark = pytest.mark.django_db


def _gain(org, cid: str, skills: list[str], capture) -> int:
    """The candidate ``cid`` imports a credential with ``skills``; returns the one rescore run's id."""
    candidates_create(organization=org, docs=[parse_candidate({"id": cid, "credentials": [credential("New", skills)]})])
    cand = org.candidates.get(external_id=cid)
    with capture(execute=True):
        (run_id,) = candidate_rescore(candidate=cand)
    return run_id


def _view(run: MatchRun) -> list[tuple[int, float, int]]:
    ranks = ranks_of(run=run, candidate_ids=None)
    return [(c, s, ranks[c]) for c, s in run.rows().order_by(*run_order(run)).values_list("candidate_id", "score")]


def test_a_rescore_writes_one_row_and_every_earlier_run_reads_what_it_read(
    org, job, pool, finished_run, django_capture_on_commit_callbacks
):
    before_rows = MatchScore.objects.count()
    first = _view(finished_run)
    r1 = MatchRun.objects.get(id=_gain(org, "c-none", ["SQL"], django_capture_on_commit_callbacks))
    assert MatchScore.objects.count() == before_rows + 1  # the candidate's new row, nothing copied
    after_r1 = _view(r1)
    r2 = MatchRun.objects.get(
        id=_gain(org, "c-none", ["SQL", "Python programming", "data visualisation"], django_capture_on_commit_callbacks)
    )
    assert MatchScore.objects.count() == before_rows + 2
    # each run reads its own version: the finished run and the first rescore did not move
    assert _view(finished_run) == first
    assert _view(r1) == after_r1
    assert _view(r1) != first and _view(r2) != _view(r1)
    assert [c for c, _, _ in _view(r2)][0] == pool["none"].id  # Carl now covers everything: first
    assert r2.rows_from_id == finished_run.id and r2.based_on_id == r1.id
    assert {len(_view(r)) for r in (finished_run, r1, r2)} == {finished_run.pool_size} == {r2.pool_size}


@override_settings(TSUMIKI_RESCORE_RUNS_KEPT=1)
def test_pruning_deletes_the_rows_only_pruned_runs_read(
    org, job, pool, finished_run, django_capture_on_commit_callbacks
):
    first = _view(finished_run)
    rows = MatchScore.objects.count()
    r1 = _gain(org, "c-none", ["SQL"], django_capture_on_commit_callbacks)
    r2 = _gain(org, "c-none", ["SQL", "Python programming"], django_capture_on_commit_callbacks)
    assert not MatchRun.objects.filter(id=r1).exists()
    # r1's row (closed by r2) is gone; the full run's own row and r2's row remain
    assert MatchScore.objects.count() == rows + 1
    assert _view(finished_run) == first
    latest = MatchRun.objects.get(id=r2)
    assert len(_view(latest)) == latest.pool_size == finished_run.pool_size


def test_erasure_keeps_every_versions_pool_size(org, job, pool, finished_run, django_capture_on_commit_callbacks):
    r1 = MatchRun.objects.get(id=_gain(org, "c-none", ["SQL"], django_capture_on_commit_callbacks))
    for who in ("none", "partial"):
        candidate_erase(candidate=pool[who])
    for run in (finished_run, r1):
        run.refresh_from_db()
        assert run.pool_size == run.rows().count() == 1
