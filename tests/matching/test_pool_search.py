"""Pool search's pure parts: which evidence a query lets count, the narrowed pool, the hit selection."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.matching.engine import (
    CandidateSpec,
    EvidenceSpec,
    MatchParams,
    RequiredSpec,
    pool_from_specs,
    score_pool_results,
)
from apps.matching.pool_search import PoolQuery, evidence_mask, pool_subset, select_hits

TODAY = date(2026, 6, 1)


def _ev(pid, source="verified", issued=date(2025, 1, 1), level=None, expires=None, revoked=False):
    return EvidenceSpec(
        text=f"p{pid}", phrase_id=pid, source=source, issued=issued, level=level, expires=expires, revoked=revoked
    )


def _pool():
    return pool_from_specs(
        [
            CandidateSpec("1", [_ev(1), _ev(2, source="self", issued=None)]),
            CandidateSpec("2", []),
            CandidateSpec("3", [_ev(1, issued=date(2015, 1, 1), level=6), _ev(2, source="unverified", level=4)]),
            CandidateSpec("4", [_ev(1, expires=date(2026, 1, 1)), _ev(2, revoked=True)]),
        ]
    )


def test_verified_only_keeps_live_verified_credentials():
    keep = evidence_mask(_pool(), PoolQuery(skills=("a",), verified_only=True), TODAY)
    assert keep.tolist() == [True, False, True, False, False, False]


def test_min_level_leaves_out_evidence_without_a_level():
    keep = evidence_mask(_pool(), PoolQuery(skills=("a",), min_level=5), TODAY)
    assert keep.tolist() == [False, False, True, False, False, False]


def test_within_years_leaves_out_old_and_undated_evidence():
    keep = evidence_mask(_pool(), PoolQuery(skills=("a",), within_years=3), TODAY)
    assert keep.tolist() == [True, False, False, True, True, True]


def test_pool_subset_keeps_every_candidate_and_maps_descriptions():
    pool = _pool()
    keep = np.array([False, True, False, True, True, False])
    sub = pool_subset(pool, keep)
    assert list(sub.keys) == ["1", "2", "3", "4"]
    assert sub.offsets.tolist() == [0, 1, 1, 2, 3]
    assert sub.phrase.tolist() == [2, 2, 1]
    assert [d["text"] for d in sub.describe(np.array([0, 2]))] == ["p2", "p1"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"skills": ()},
        {"skills": ("a",), "mode": "some"},
        {"skills": ("a",), "min_level": 9},
        {"skills": ("a",), "within_years": 0},
    ],
)
def test_query_refuses_what_it_cannot_mean(kwargs):
    with pytest.raises(ValueError):
        PoolQuery(**kwargs)


def test_query_round_trips_through_its_dict():
    q = PoolQuery(skills=("SQL", "Python"), mode="any", verified_only=True, min_level=4, within_years=5)
    assert PoolQuery.from_dict(q.as_dict()) == q


def _vectors():
    rng = np.random.default_rng(0)
    v = rng.normal(size=(4, 8)).astype(np.float32)
    return {i: v[i] / np.linalg.norm(v[i]) for i in range(4)}


def test_all_of_needs_every_skill_and_any_of_one():
    required = [RequiredSpec("a", 1, must_have=True), RequiredSpec("b", 2, must_have=True)]
    cands = [
        CandidateSpec("10", [_ev(1), _ev(2)]),
        CandidateSpec("11", [_ev(1)]),
        CandidateSpec("12", [_ev(3)]),
    ]
    results = score_pool_results(
        required=required,
        pool=pool_from_specs(cands),
        vectors_of=lambda ids: np.stack([_vectors()[i] for i in ids.tolist()]),
        params=MatchParams(as_of=TODAY.isoformat()),
    )
    all_hits = select_hits(results, skills=["a", "b"], mode="all", covered_threshold=0.5)
    any_hits = select_hits(results, skills=["a", "b"], mode="any", covered_threshold=0.5)
    assert [h.candidate_id for h in all_hits] == [10]
    assert [h.candidate_id for h in any_hits] == [10, 11]
    assert [h.rank for h in any_hits] == [1, 2]
    assert any_hits[1].covered == ["a"]


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 4), min_size=1, max_size=8),
    data=st.data(),
)
def test_pool_subset_is_the_per_candidate_filter(sizes, data):
    specs = [CandidateSpec(str(c), [_ev(c * 10 + k) for k in range(n)]) for c, n in enumerate(sizes)]
    pool = pool_from_specs(specs)
    keep = np.array(
        data.draw(st.lists(st.booleans(), min_size=len(pool.phrase), max_size=len(pool.phrase))), dtype=bool
    )
    sub = pool_subset(pool, keep)
    for c in range(pool.size):
        before = pool.phrase[pool.offsets[c] : pool.offsets[c + 1]]
        kept = before[keep[pool.offsets[c] : pool.offsets[c + 1]]]
        assert sub.phrase[sub.offsets[c] : sub.offsets[c + 1]].tolist() == kept.tolist()
