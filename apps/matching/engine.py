"""Matching engine: turns a job and candidate evidence into kernel arrays and explained results.

No Django here: callers (the ``rank`` command, match-run services, benchmarks) hand in plain
specs and the vectors of the phrases involved. Degrees never reach the engine: they add nothing.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np

from . import kernel

# How much an evidence source counts (DESIGN.md: verified credential > unverified > experience > self).
DEFAULT_STRENGTH = {"verified": 1.0, "unverified": 0.8, "experience": 0.7, "self": 0.5}


@dataclass(frozen=True)
class MatchParams:
    """Every number that shapes a score; stored with each run (MatchRun.parameters)."""

    sim_floor: float = 0.45
    sim_ceiling: float = 0.80
    same_concept_credit: float = 1.0
    related_concept_credit: float = 0.6
    distinct_concept_factor: float = 0.5
    strength: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_STRENGTH))
    fresh_years: float = 3.0
    decay_per_year: float = 0.05
    min_freshness: float = 0.6
    must_have_threshold: float = 0.5
    unknown_level_fit: float = 0.8
    below_level_fit: float = 0.5
    as_of: str = ""  # ISO date; empty means today

    def as_dict(self) -> dict:
        d = asdict(self)
        d["strength"] = dict(self.strength)
        return d

    def as_of_date(self) -> date:
        return date.fromisoformat(self.as_of) if self.as_of else date.today()


@dataclass(frozen=True)
class RequiredSpec:
    name: str
    phrase_id: int
    weight: float = 1.0
    must_have: bool = False
    min_level: int | None = None
    concept: int | None = None


@dataclass(frozen=True)
class EvidenceSpec:
    text: str
    phrase_id: int
    source: str  # verified | unverified | experience | self
    credential: str = ""  # title of the credential, or "self-declared" / the role
    credential_id: int | None = None
    issuer: str = ""
    issued: date | None = None
    expires: date | None = None
    revoked: bool = False
    level: int | None = None
    concept: int | None = None


@dataclass(frozen=True)
class CandidateSpec:
    key: str
    evidence: Sequence[EvidenceSpec]


@dataclass
class CandidateResult:
    key: str
    score: float
    must_have_met: bool
    matches: list[dict]
    missing: list[str]
    must_have_missing: list[str]
    verified_share: float

    def as_dict(self) -> dict:
        return asdict(self)


def freshness(ev: EvidenceSpec, params: MatchParams, today: date) -> float:
    """1.0 for recent evidence, decaying per year after ``fresh_years`` to a floor; 0 when expired
    or revoked."""
    if ev.revoked or (ev.expires is not None and ev.expires < today):
        return 0.0
    if ev.issued is None:
        return 1.0
    age = (today - ev.issued).days / 365.25
    if age <= params.fresh_years:
        return 1.0
    return max(params.min_freshness, 1.0 - params.decay_per_year * (age - params.fresh_years))


def credit_similarity(
    req_vecs: np.ndarray,
    ev_vecs: np.ndarray,
    req_concepts: Sequence[int | None],
    ev_concepts: Sequence[int | None],
    related: set[tuple[int, int]],
    params: MatchParams,
) -> tuple[np.ndarray, np.ndarray]:
    """(similarity, credit), both (m, p). Similarity is the cosine, raised to 1.0 for the same concept;
    credit is the calibrated similarity with taxonomy knowledge applied: same concept → full credit,
    narrower/broader → partial credit, two different confidently-resolved concepts → damped (a
    look-alike sibling skill is not the skill)."""
    sim = req_vecs @ ev_vecs.T if ev_vecs.size else np.zeros((len(req_vecs), 0), dtype=np.float32)
    credit = kernel.calibrate(sim, params.sim_floor, params.sim_ceiling)
    rc = np.array([-1 if c is None else c for c in req_concepts], dtype=np.int64)
    ec = np.array([-1 if c is None else c for c in ev_concepts], dtype=np.int64)
    if credit.size and (rc >= 0).any() and (ec >= 0).any():
        both = (rc[:, None] >= 0) & (ec[None, :] >= 0)
        same = both & (rc[:, None] == ec[None, :])
        rel = np.zeros_like(same)
        if related:
            for i, a in enumerate(rc):
                if a < 0:
                    continue
                for j, b in enumerate(ec):
                    if b >= 0 and a != b and ((a, b) in related or (b, a) in related):
                        rel[i, j] = True
        distinct = both & ~same & ~rel
        credit = np.where(distinct, credit * params.distinct_concept_factor, credit)
        credit = np.where(rel, np.maximum(credit, params.related_concept_credit), credit)
        credit = np.where(same, params.same_concept_credit, credit).astype(np.float32)
        sim = np.where(same, 1.0, sim).astype(np.float32)
    return sim, credit


def score_candidates(
    *,
    required: Sequence[RequiredSpec],
    candidates: Sequence[CandidateSpec],
    vectors: Mapping[int, np.ndarray],
    params: MatchParams,
    related: set[tuple[int, int]] | None = None,
    explain_top: int | None = None,
) -> list[CandidateResult]:
    """Score and rank ``candidates`` for ``required``, best first; each result explains itself.

    ``vectors`` maps phrase ids to unit vectors. ``explain_top`` limits full explanations to the
    best K (the rest keep score and flags, with empty match lists)."""
    if not required:
        raise ValueError("the job has no required skills, so there is nothing to match against")
    today = params.as_of_date()
    ev_ids: list[int] = []
    ev_index: dict[int, int] = {}
    ev_concept: dict[int, int | None] = {}
    flat: list[EvidenceSpec] = []
    offsets = [0]
    for cand in candidates:
        for ev in cand.evidence:
            if ev.phrase_id not in ev_index:
                ev_index[ev.phrase_id] = len(ev_ids)
                ev_ids.append(ev.phrase_id)
                ev_concept[ev.phrase_id] = ev.concept
            flat.append(ev)
        offsets.append(len(flat))
    dim = len(next(iter(vectors.values()))) if vectors else 0
    req_vecs = np.stack([vectors[r.phrase_id] for r in required]).astype(np.float32)
    ev_vecs = np.stack([vectors[i] for i in ev_ids]).astype(np.float32) if ev_ids else np.zeros((0, dim), np.float32)
    sim, credit_sim = credit_similarity(
        req_vecs, ev_vecs, [r.concept for r in required], [ev_concept[i] for i in ev_ids], related or set(), params
    )
    strength = params.strength
    ev_phrase = np.fromiter((ev_index[e.phrase_id] for e in flat), dtype=np.int64, count=len(flat))
    ev_factor = np.fromiter(
        (strength.get(e.source, 0.0) * freshness(e, params, today) for e in flat), dtype=np.float32, count=len(flat)
    )
    ev_level = np.fromiter((math.nan if e.level is None else e.level for e in flat), dtype=np.float32, count=len(flat))
    res = kernel.score_pool(
        credit_sim=credit_sim,
        ev_phrase=ev_phrase,
        ev_factor=ev_factor,
        ev_level=ev_level,
        offsets=np.asarray(offsets, dtype=np.int64),
        weights=np.array([r.weight for r in required], dtype=np.float64),
        must_have=np.array([r.must_have for r in required], dtype=bool),
        min_level=np.array([math.nan if r.min_level is None else r.min_level for r in required], dtype=np.float32),
        must_have_threshold=params.must_have_threshold,
        unknown_level_fit=params.unknown_level_fit,
        below_level_fit=params.below_level_fit,
    )
    order = kernel.rank_order(res.scores, res.must_have_met)
    weights = np.array([r.weight for r in required], dtype=np.float64)
    out: list[CandidateResult] = []
    for pos, c in enumerate(order):
        detailed = explain_top is None or pos < explain_top
        out.append(_explain(candidates[c].key, c, res, required, flat, sim, ev_index, weights, params, detailed))
    return out


def _explain(key, c, res, required, flat, sim, ev_index, weights, params, detailed) -> CandidateResult:
    matches, missing, must_missing = [], [], []
    verified_weight = 0.0
    for j, r in enumerate(required):
        cov = float(res.coverage[c, j])
        b = int(res.best[c, j])
        if r.must_have and cov < params.must_have_threshold:
            must_missing.append(r.name)
        if b < 0 or cov <= 0:
            missing.append(r.name)
            continue
        ev = flat[b]
        if ev.source == "verified":
            verified_weight += weights[j] * cov
        if detailed:
            matches.append(
                {
                    "required": r.name,
                    "matched": ev.text,
                    "source": ev.credential or ev.source,
                    "source_kind": ev.source,
                    "credential_id": ev.credential_id,
                    "issuer": ev.issuer,
                    "issued": ev.issued.isoformat() if ev.issued else None,
                    "similarity": round(float(sim[j, ev_index[ev.phrase_id]]), 4),
                    "credit": round(cov, 4),
                    "must_have": r.must_have,
                }
            )
    total = float(weights.sum()) or 1.0
    return CandidateResult(
        key=key,
        score=round(float(res.scores[c]), 2),
        must_have_met=bool(res.must_have_met[c]),
        matches=matches,
        missing=missing,
        must_have_missing=must_missing,
        verified_share=round(100.0 * verified_weight / total / max(float(res.scores[c]), 1e-9), 4)
        if res.scores[c] > 0
        else 0.0,
    )
