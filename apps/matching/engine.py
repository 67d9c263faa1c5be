"""Matching engine: turns a job and candidate evidence into kernel arrays and explained results.

No Django here: callers (the ``rank`` command, match-run services, benchmarks) hand in plain
specs and the vectors of the phrases involved. Degrees never reach the engine: they add nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np

from . import kernel

# How much an evidence source counts (docs/architecture.md: verified credential > unverified > experience > self).
# "intact": the proof holds, but with a key only the credential itself vouches for, so nothing ties it to
# the issuer it names (docs/credentials.md): more than an unchecked file, less than a verified one.
DEFAULT_STRENGTH = {"verified": 1.0, "intact": 0.9, "unverified": 0.8, "experience": 0.7, "self": 0.5}


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
    source: str  # verified | intact | unverified | experience | self
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
    matches: list[dict]  # full explanation (empty beyond explain_top)
    missing: list[str]
    must_have_missing: list[str]
    verified_share: float
    coverage: list[float] = field(default_factory=list)  # credit per required skill, always present

    def as_dict(self) -> dict:
        return asdict(self)


# Codes are positions: new sources go at the end so stored arrays keep their meaning.
SOURCES = ("verified", "unverified", "experience", "self", "intact")
SOURCE_CODE = {s: i for i, s in enumerate(SOURCES)}
NO_DATE = np.iinfo(np.int32).min
_EPOCH = date(1970, 1, 1)


def day_number(d: date | None) -> int:
    return NO_DATE if d is None else (d - _EPOCH).days


@dataclass
class Pool:
    """A pool's evidence as flat arrays (one row per evidence item, grouped by candidate).

    ``describe(items)`` returns, for item indices, the dicts an explanation shows (text, credential,
    credential_id, issuer, issued); it is only called for the items that explain top candidates."""

    keys: Sequence[str]
    offsets: np.ndarray  # (n+1,) int64
    phrase: np.ndarray  # (T,) int64 phrase ids
    source: np.ndarray  # (T,) int8 index into SOURCES
    issued: np.ndarray  # (T,) int32 day numbers, NO_DATE if unknown
    expires: np.ndarray  # (T,) int32 day numbers, NO_DATE if none
    revoked: np.ndarray  # (T,) bool
    level: np.ndarray  # (T,) float32 EQF level or NaN
    concept: np.ndarray  # (T,) int64 taxonomy concept id or -1
    describe: Callable[[np.ndarray], list[dict]]

    @property
    def size(self) -> int:
        return len(self.keys)


def pool_from_specs(candidates: Sequence[CandidateSpec]) -> Pool:
    """Flatten Python specs (the ``rank`` command, small pools) into a Pool."""
    flat = [ev for c in candidates for ev in c.evidence]
    offsets = np.zeros(len(candidates) + 1, dtype=np.int64)
    np.cumsum([len(c.evidence) for c in candidates], out=offsets[1:])
    t = len(flat)

    def describe(items: np.ndarray) -> list[dict]:
        out = []
        for i in items.tolist():
            e = flat[i]
            out.append(
                {
                    "text": e.text,
                    "credential": e.credential or e.source,
                    "credential_id": e.credential_id,
                    "issuer": e.issuer,
                    "issued": e.issued.isoformat() if e.issued else None,
                }
            )
        return out

    return Pool(
        keys=[c.key for c in candidates],
        offsets=offsets,
        phrase=np.fromiter((e.phrase_id for e in flat), dtype=np.int64, count=t),
        source=np.fromiter((SOURCE_CODE.get(e.source, 3) for e in flat), dtype=np.int8, count=t),
        issued=np.fromiter((day_number(e.issued) for e in flat), dtype=np.int32, count=t),
        expires=np.fromiter((day_number(e.expires) for e in flat), dtype=np.int32, count=t),
        revoked=np.fromiter((e.revoked for e in flat), dtype=bool, count=t),
        level=np.fromiter((math.nan if e.level is None else e.level for e in flat), dtype=np.float32, count=t),
        concept=np.fromiter((-1 if e.concept is None else e.concept for e in flat), dtype=np.int64, count=t),
        describe=describe,
    )


def item_factors(pool: Pool, items: np.ndarray, params: MatchParams, today: date) -> np.ndarray:
    """strength × freshness for evidence items (vectorized :func:`freshness`)."""
    # A run stored before a source existed has no strength for it: the default, not nothing.
    strength = np.array([params.strength.get(s, DEFAULT_STRENGTH.get(s, 0.0)) for s in SOURCES], dtype=np.float32)
    f = strength[pool.source[items]]
    now = day_number(today)
    issued, expires = pool.issued[items], pool.expires[items]
    age = np.where(issued == NO_DATE, 0.0, (now - issued.astype(np.int64)) / 365.25)
    fresh = np.where(
        age <= params.fresh_years,
        1.0,
        np.maximum(params.min_freshness, 1.0 - params.decay_per_year * (age - params.fresh_years)),
    )
    dead = pool.revoked[items] | ((expires != NO_DATE) & (expires < now))
    return np.where(dead, 0.0, f * fresh).astype(np.float32)


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
    req_concepts: np.ndarray,
    ev_concepts: np.ndarray,
    related: set[tuple[int, int]],
    params: MatchParams,
) -> tuple[np.ndarray, np.ndarray]:
    """(similarity, credit), both (m, p). Similarity is the cosine, raised to 1.0 for the same concept;
    credit is the calibrated similarity with taxonomy knowledge applied: same concept → full credit,
    narrower/broader → partial credit, two different confidently-resolved concepts → damped (a
    look-alike sibling skill is not the skill). Concepts are ids, -1 when unresolved."""
    sim = req_vecs @ ev_vecs.T if ev_vecs.size else np.zeros((len(req_vecs), 0), dtype=np.float32)
    credit = kernel.calibrate(sim, params.sim_floor, params.sim_ceiling)
    rc, ec = np.asarray(req_concepts, dtype=np.int64), np.asarray(ev_concepts, dtype=np.int64)
    if credit.size and (rc >= 0).any() and (ec >= 0).any():
        both = (rc[:, None] >= 0) & (ec[None, :] >= 0)
        same = both & (rc[:, None] == ec[None, :])
        rel = np.zeros_like(same)
        if related:
            neighbours: dict[int, set[int]] = {}
            for a, b in related:
                neighbours.setdefault(a, set()).add(b)
                neighbours.setdefault(b, set()).add(a)
            for i, a in enumerate(rc.tolist()):
                if a >= 0 and a in neighbours:
                    rel[i] = np.isin(ec, list(neighbours[a]))
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
    """Score and rank Python specs (see :func:`score_pool_results`)."""
    return score_pool_results(
        required=required,
        pool=pool_from_specs(candidates),
        vectors_of=lambda ids: np.stack([vectors[i] for i in ids.tolist()]),
        params=params,
        related=related,
        explain_top=explain_top,
    )


def score_pool_kernel(
    *,
    required: Sequence[RequiredSpec],
    pool: Pool,
    vectors_of: Callable[[np.ndarray], np.ndarray],
    params: MatchParams,
    related: set[tuple[int, int]] | None = None,
) -> tuple[kernel.KernelResult, np.ndarray, np.ndarray]:
    """The kernel's unrounded result for a pool, with the (required × distinct phrase) similarity and each
    evidence item's position among the distinct phrases (for explanations). apps.pathways.gaps reads the
    unrounded coverage from here, so coverage decisions at a threshold never depend on rounding."""
    if not required:
        raise ValueError("the job has no required skills, so there is nothing to match against")
    today = params.as_of_date()
    uniq, ev_pos = np.unique(pool.phrase, return_inverse=True)
    # one concept per distinct phrase (the first item's; resolution is per phrase)
    first = np.zeros(len(uniq), dtype=np.int64)
    first[ev_pos[::-1]] = np.arange(len(ev_pos))[::-1]
    ev_concepts = pool.concept[first] if len(uniq) else np.zeros(0, dtype=np.int64)
    req_vecs = vectors_of(np.array([r.phrase_id for r in required], dtype=np.int64)).astype(np.float32)
    ev_vecs = vectors_of(uniq).astype(np.float32) if len(uniq) else np.zeros((0, req_vecs.shape[1]), np.float32)
    sim, credit_sim = credit_similarity(
        req_vecs,
        ev_vecs,
        np.array([-1 if r.concept is None else r.concept for r in required]),
        ev_concepts,
        related or set(),
        params,
    )
    weights = np.array([r.weight for r in required], dtype=np.float64)
    res = kernel.score_pool_fast(
        credit_sim=credit_sim,
        ev_phrase=ev_pos.astype(np.int32),  # half the bytes in the one full-pool gather
        offsets=pool.offsets,
        factor_of=lambda items: item_factors(pool, items, params, today),
        level_of=lambda items: pool.level[items],
        verified_of=lambda items: pool.source[items] == SOURCE_CODE["verified"],
        weights=weights,
        must_have=np.array([r.must_have for r in required], dtype=bool),
        min_level=np.array([math.nan if r.min_level is None else r.min_level for r in required], dtype=np.float32),
        must_have_threshold=params.must_have_threshold,
        unknown_level_fit=params.unknown_level_fit,
        below_level_fit=params.below_level_fit,
    )
    return res, sim, ev_pos


def score_pool_results(
    *,
    required: Sequence[RequiredSpec],
    pool: Pool,
    vectors_of: Callable[[np.ndarray], np.ndarray],
    params: MatchParams,
    related: set[tuple[int, int]] | None = None,
    explain_top: int | None = None,
) -> list[CandidateResult]:
    """Score and rank a pool for ``required``, best first; each result explains itself.

    ``vectors_of(phrase_ids)`` returns unit vectors. ``explain_top`` limits full explanations (which
    evidence, which credential) to the best K; every result keeps score, flags, coverage per skill and
    missing skills."""
    if not required:
        raise ValueError("the job has no required skills, so there is nothing to match against")
    res, sim, ev_pos = score_pool_kernel(
        required=required, pool=pool, vectors_of=vectors_of, params=params, related=related
    )
    weights = np.array([r.weight for r in required], dtype=np.float64)
    order = kernel.rank_order(res.scores, res.must_have_met)
    k = len(order) if explain_top is None else min(explain_top, len(order))
    top = order[:k]
    # describe every evidence item used by an explained candidate, in one call
    used = np.unique(np.concatenate([res.best_of(int(c)) for c in top])) if k else np.zeros(0, dtype=np.int64)
    used = used[used >= 0]
    described = dict(zip(used.tolist(), pool.describe(used), strict=True))
    verified_pts = np.zeros(pool.size, dtype=np.float64)
    if len(res.owners):
        verified_pts[res.owners] = 100.0 * res.owner_verified @ weights / float(weights.sum())
    out: list[CandidateResult] = []
    for pos, c in enumerate(order.tolist()):
        cov = res.coverage_of(c)
        best_row = res.best_of(c) if pos < k else None
        sims = [float(sim[j, ev_pos[b]]) if b >= 0 else 0.0 for j, b in enumerate(best_row)] if pos < k else None
        out.append(
            candidate_result(
                key=str(pool.keys[c]),
                required=required,
                params=params,
                score=float(res.scores[c]),
                must_have_met=bool(res.must_have_met[c]),
                coverage=cov,
                verified_points=float(verified_pts[c]),
                best=best_row,
                similarity=sims,
                source=pool.source,
                described=described,
            )
        )
    return out


def candidate_result(
    *,
    key: str,
    required: Sequence[RequiredSpec],
    params: MatchParams,
    score: float,
    must_have_met: bool,
    coverage: np.ndarray,
    verified_points: float,
    best: np.ndarray | None = None,
    similarity: Sequence[float] | None = None,
    source: np.ndarray | None = None,
    described: Mapping[int, dict] | None = None,
) -> CandidateResult:
    """One candidate's result; with ``best`` (evidence item per skill) it carries the full explanation."""
    matches = []
    if best is not None:
        for j, r in enumerate(required):
            b = int(best[j])
            if b < 0:
                continue
            d = described[b]
            matches.append(
                {
                    "required": r.name,
                    "matched": d["text"],
                    "source": d["credential"],
                    "source_kind": SOURCES[int(source[b])],
                    "credential_id": d["credential_id"],
                    "issuer": d["issuer"],
                    "issued": d["issued"],
                    "similarity": round(float(similarity[j]), 4),
                    "credit": round(float(coverage[j]), 4),
                    "must_have": r.must_have,
                }
            )
    return CandidateResult(
        key=key,
        score=round(score, 2),
        must_have_met=must_have_met,
        matches=matches,
        missing=[r.name for r, c in zip(required, coverage, strict=True) if c <= 0],
        must_have_missing=[
            r.name for r, c in zip(required, coverage, strict=True) if r.must_have and c < params.must_have_threshold
        ],
        verified_share=round(verified_points / score, 4) if score > 0 else 0.0,
        coverage=[round(float(x), 4) for x in coverage],
    )
