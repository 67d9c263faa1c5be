"""Engine behaviour with hand-made vectors (no model): strengths, freshness, concepts, degrees."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from apps.matching.engine import (
    CandidateSpec,
    EvidenceSpec,
    MatchParams,
    RequiredSpec,
    freshness,
    score_candidates,
)

E = np.eye(4, dtype=np.float32)
VECS = {1: E[0], 2: E[1], 3: E[0] * 0.6 + E[2] * 0.8, 4: E[3]}  # 3 is close-ish (cos 0.6) to 1
P = MatchParams(as_of="2026-01-01")


def ev(pid, source="verified", **kw):
    return EvidenceSpec(text=f"p{pid}", phrase_id=pid, source=source, credential=kw.pop("credential", "Badge"), **kw)


def run(required, cands, params=P, related=None):
    return {
        r.key: r
        for r in score_candidates(required=required, candidates=cands, vectors=VECS, params=params, related=related)
    }


def test_strength_orders_sources():
    req = [RequiredSpec("sql", 1)]
    res = run(req, [CandidateSpec(s, [ev(1, s)]) for s in ("verified", "unverified", "experience", "self")])
    scores = [res[k].score for k in ("verified", "unverified", "experience", "self")]
    assert scores == sorted(scores, reverse=True) and scores[0] == 100.0 and scores[-1] == 50.0


def test_explanation_names_evidence_and_missing():
    req = [RequiredSpec("sql", 1, weight=3), RequiredSpec("python", 2, must_have=True)]
    res = run(req, [CandidateSpec("a", [ev(1, credential="SQL badge", issuer="Uni")])])["a"]
    assert res.score == pytest.approx(75.0)
    assert res.missing == ["python"] and res.must_have_met is False and res.must_have_missing == ["python"]
    (m,) = res.matches
    assert (m["required"], m["matched"], m["source"], m["issuer"], m["credit"]) == (
        "sql",
        "p1",
        "SQL badge",
        "Uni",
        1.0,
    )


def test_expired_and_revoked_count_nothing():
    req = [RequiredSpec("sql", 1)]
    res = run(
        req, [CandidateSpec("exp", [ev(1, expires=date(2025, 1, 1))]), CandidateSpec("rev", [ev(1, revoked=True)])]
    )
    assert res["exp"].score == 0 and res["rev"].score == 0


def test_freshness_decays_after_three_years_to_floor():
    today = date(2026, 1, 1)
    assert freshness(ev(1, issued=date(2024, 1, 1)), P, today) == 1.0
    assert 0.6 < freshness(ev(1, issued=date(2020, 1, 1)), P, today) < 1.0
    assert freshness(ev(1, issued=date(1990, 1, 1)), P, today) == 0.6


def test_same_concept_gets_full_credit_and_sibling_is_damped():
    req = [RequiredSpec("r", 1, concept=10)]
    same = run(req, [CandidateSpec("a", [ev(3, concept=10)])])["a"]
    sibling = run(req, [CandidateSpec("a", [ev(3, concept=11)])])["a"]
    plain = run(req, [CandidateSpec("a", [ev(3)])])["a"]
    assert same.score == 100.0 and same.matches[0]["similarity"] == 1.0
    assert sibling.score < plain.score
    related = run(req, [CandidateSpec("a", [ev(3, concept=11)])], related={(11, 10)})["a"]
    assert related.score == pytest.approx(100 * P.related_concept_credit, abs=0.01)


def test_min_level_below_is_discounted_by_how_far_below():
    req = [RequiredSpec("r", 1, min_level=6)]
    res = run(
        req,
        [
            CandidateSpec("hi", [ev(1, level=7)]),
            CandidateSpec("at", [ev(1, level=6)]),
            CandidateSpec("one-below", [ev(1, level=5)]),
            CandidateSpec("lo", [ev(1, level=4)]),
            CandidateSpec("far", [ev(1, level=1)]),
            CandidateSpec("unk", [ev(1)]),
        ],
    )
    # at or above: full; 1 - level_step (0.2) per level short, never under below_level_fit (0.4);
    # unknown: unknown_level_fit, neutral by default
    assert res["hi"].score == res["at"].score == 100
    assert (res["one-below"].score, res["lo"].score, res["far"].score) == (80, 60, 40)
    assert res["unk"].score == 100
    assert res["lo"].matches[0]["factors"]["level"] == 0.6


def test_no_required_skills_is_an_error():
    with pytest.raises(ValueError, match="no required skills"):
        score_candidates(required=[], candidates=[], vectors=VECS, params=P)


def test_candidate_without_evidence_ranks_last_with_zero():
    res = score_candidates(
        required=[RequiredSpec("r", 1)],
        candidates=[CandidateSpec("empty", []), CandidateSpec("has", [ev(1)])],
        vectors=VECS,
        params=P,
    )
    assert [r.key for r in res] == ["has", "empty"] and res[1].score == 0 and res[1].missing == ["r"]


def test_evidence_many_builds_what_the_constructor_builds():
    from datetime import date

    import pytest

    from apps.matching.engine import EvidenceSpec, evidence_many

    common = dict(source="verified", credential="Badge", issuer="X", issued=date(2024, 5, 1), level=5, hours=40.0)
    built = evidence_many([("sql", 3), ("python", 7)], **common)
    expected = [EvidenceSpec(text="sql", phrase_id=3, **common), EvidenceSpec(text="python", phrase_id=7, **common)]
    assert built == expected and [hash(e) for e in built] == [hash(e) for e in expected]
    assert [repr(e) for e in built] == [repr(e) for e in expected]
    with pytest.raises(AttributeError):
        built[0].text = "other"  # still frozen
    with pytest.raises(TypeError):
        evidence_many([("sql", 3)], source="self", colour="red")
    with pytest.raises(TypeError):
        evidence_many([("sql", 3)], credential="no source")
