"""Ranks are counted from a run's order when read (apps.matching.selectors), never stored: ties broken by
candidate id, a filtered page keeps each row's rank in the whole run, keyset pages walk every row once in
both directions, and a run's own ``must_have_first`` decides the order."""

from __future__ import annotations

import pytest

from apps.matching.models import MatchRun, MatchScore, RunStatus
from apps.matching.selectors import after_key, rank_key, ranks_attach, ranks_of, run_order, run_scores
from tests.factories import make_candidate, make_job

pytestmark = pytest.mark.django_db

# (score, must_have_met) per candidate, in creation order: ties on score, and a high score missing a must-have
ROWS = [(50.0, True), (80.0, False), (50.0, True), (70.0, True), (50.0, True), (90.0, False), (70.0, True)]


def _run(org, *, must_have_first: bool = True) -> tuple[MatchRun, list[int]]:
    job = make_job(org, ["SQL"])
    cands = [make_candidate(org, cid=f"r{i}") for i in range(len(ROWS))]
    run = MatchRun.objects.create(
        organization=org,
        job=job,
        status=RunStatus.SUCCEEDED,
        pool_size=len(ROWS),
        parameters={"as_of": "2026-02-15", "must_have_first": must_have_first},
    )
    MatchScore.objects.bulk_create(
        [
            MatchScore(run=run, candidate=c, score=s, must_have_met=m, covered_skills="|sql|" if i % 2 else "|")
            for i, (c, (s, m)) in enumerate(zip(cands, ROWS, strict=True))
        ]
    )
    return run, [c.id for c in cands]


def _expected(ids: list[int], *, must_have_first: bool) -> list[int]:
    """The engine's order (kernel.rank_order) written out: must-haves first or not, score, candidate id."""
    rows = list(zip(ids, ROWS, strict=True))
    if must_have_first:
        return [c for c, _ in sorted(rows, key=lambda r: (not r[1][1], -r[1][0], r[0]))]
    return [c for c, _ in sorted(rows, key=lambda r: (-r[1][0], not r[1][1], r[0]))]


@pytest.mark.parametrize("must_have_first", [True, False])
def test_ranks_follow_the_run_order_with_ties_broken_by_candidate_id(org, must_have_first):
    run, ids = _run(org, must_have_first=must_have_first)
    expected = _expected(ids, must_have_first=must_have_first)
    assert list(run.scores.order_by(*run_order(run)).values_list("candidate_id", flat=True)) == expected
    assert ranks_of(run=run, candidate_ids=None) == {c: i for i, c in enumerate(expected, start=1)}
    # the three tied at 50.0 keep the order of their ids
    tied = [c for c in expected if dict(zip(ids, ROWS, strict=True))[c][0] == 50.0]
    assert tied == sorted(tied)


def test_a_filtered_page_keeps_each_rows_rank_in_the_whole_run(org):
    run, ids = _run(org)
    expected = _expected(ids, must_have_first=True)
    rows = list(run_scores(run=run, has_skill="sql"))
    ranks_attach(run=run, scores=rows)
    whole = {c: i for i, c in enumerate(expected, start=1)}
    assert [r.rank for r in rows] == [whole[r.candidate_id] for r in rows]
    assert [r.rank for r in rows] == sorted(r.rank for r in rows) and len(rows) < len(ids)
    # a single row, anywhere: the same rank
    worst = MatchScore.objects.get(run=run, candidate_id=expected[-1])
    assert ranks_attach(run=run, scores=[worst])[0].rank == len(ids) == run.rank_of(expected[-1])


@pytest.mark.parametrize("must_have_first", [True, False])
def test_keyset_conditions_walk_every_row_once_in_both_directions(org, must_have_first):
    run, ids = _run(org, must_have_first=must_have_first)
    expected = _expected(ids, must_have_first=must_have_first)
    for k, cid in enumerate(expected):
        key = rank_key(MatchScore.objects.get(run=run, candidate_id=cid))
        after = run.scores.filter(after_key(run, key)).order_by(*run_order(run))
        before = run.scores.filter(after_key(run, key, before=True)).order_by(*run_order(run, reverse=True))
        assert list(after.values_list("candidate_id", flat=True)) == expected[k + 1 :]
        assert list(before.values_list("candidate_id", flat=True)) == expected[:k][::-1]
