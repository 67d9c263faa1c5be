"""Matching engine: turns a job and candidate evidence into kernel arrays and explained results.

No Django here: callers (the ``rank`` command, match-run services, benchmarks) hand in plain
specs and the vectors of the phrases involved. Degrees never reach the engine: they add nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import MISSING, asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from apps.credentials.levels import HOURS_PER_ECTS

from . import kernel
from .coverage import COVERED_AT

# How much an evidence source counts (docs/model-card.md, "The evidence model"): a verified credential and
# an employer's own assessment (scaled by its score) count fully; then an unverified credential, dated work
# experience, a degree's learning outcome, and a skill merely self-declared. "intact": the proof holds, but with a key
# only the credential itself vouches for, so nothing ties it to the issuer it names (docs/credentials.md):
# more than an unchecked file, less than a verified one.
DEFAULT_STRENGTH = {
    "verified": 1.0,
    "assessment": 1.0,
    "intact": 0.9,
    "unverified": 0.8,
    "experience": 0.7,
    "degree": 0.6,
    "self": 0.5,
}
# How the learning behind a credential was assessed -> quality factor; an unknown method is neutral (1.0).
DEFAULT_ASSESSMENT_QUALITY = {
    "proctored exam": 1.0,
    "exam": 0.95,
    "work sample": 0.95,
    "portfolio": 0.9,
    "attendance": 0.7,
    "none": 0.65,
}
ASSESSMENT_TYPES = tuple(DEFAULT_ASSESSMENT_QUALITY)


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
    # the one line between covered and partial (apps.matching.coverage)
    must_have_threshold: float = COVERED_AT
    # level relative to the job's minimum: 1.0 at or above it, minus level_step per level below, never under
    # below_level_fit; a level the evidence does not state counts unknown_level_fit (neutral by default)
    unknown_level_fit: float = 1.0
    below_level_fit: float = 0.4
    level_step: float = 0.2
    # volume: a saturating curve, volume_floor + (1 - volume_floor) * (1 - 2 ** (-hours / volume_half_hours));
    # ECTS converts at hours_per_ects; experience uses the same curve over years (experience_half_years);
    # unknown volume counts unknown_volume (neutral by default, so a credential is not penalized for a
    # field its format lacks)
    volume_floor: float = 0.5
    volume_half_hours: float = 50.0
    hours_per_ects: float = HOURS_PER_ECTS  # the one ECTS conversion (apps.credentials.levels)
    experience_half_years: float = 1.0
    unknown_volume: float = 1.0
    # quality: assessment type × quality assurance (× endorsements, each +endorsement_bonus, capped at 1)
    assessment_quality: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_ASSESSMENT_QUALITY))
    not_quality_assured: float = 0.85
    endorsement_bonus: float = 0.05
    max_endorsements: int = 3
    # several pieces of evidence for one skill: the best one's credit, raised towards 1 by at most
    # corroboration × (1 - best) by the others (a noisy-or of those at or above corroboration_min), so
    # no number of weak pieces can beat one strong piece by more than that margin
    corroboration: float = 0.25
    corroboration_min: float = 0.3
    # a candidate who meets every must-have ranks above one who does not (then by score)
    must_have_first: bool = True
    as_of: str = ""  # ISO date; empty means today

    def as_dict(self) -> dict:
        d = asdict(self)
        d["strength"] = dict(self.strength)
        d["assessment_quality"] = dict(self.assessment_quality)
        return d

    @classmethod
    def from_stored(cls, stored: Mapping) -> MatchParams:
        """Parameters as a run stored them; keys a later version no longer knows are ignored, so an
        old run's parameters still load (the factors it lacks take their defaults)."""
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in stored.items() if k in known})

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
    """One piece of evidence for a skill phrase. ``issued`` dates it (experience: the end of the role,
    None while it goes on, which counts as today); ``hours``/``ects``/``days`` give its volume
    (``days``: an experience's length); ``quality_assured``, ``assessment`` (one of ASSESSMENT_TYPES)
    and ``endorsements`` its quality; ``score`` is an employer assessment's result in [0, 1]; ``job``
    limits an employer assessment to one job (None: every job)."""

    text: str
    phrase_id: int
    source: str  # one of SOURCES
    credential: str = ""  # title of the credential, or "self-declared" / the role
    credential_id: int | None = None
    issuer: str = ""
    issued: date | None = None
    expires: date | None = None
    revoked: bool = False
    level: int | None = None
    concept: int | None = None
    hours: float | None = None
    ects: float | None = None
    days: float | None = None
    quality_assured: bool | None = None
    assessment: str = ""
    endorsements: int = 0
    score: float | None = None
    job: int | None = None


_EVIDENCE_FIELDS = frozenset(EvidenceSpec.__dataclass_fields__)
_EVIDENCE_DEFAULTS = {
    name: f.default for name, f in EvidenceSpec.__dataclass_fields__.items() if f.default is not MISSING
}


def evidence_many(items: Iterable[tuple[str, int]], **common: Any) -> list[EvidenceSpec]:
    """``[EvidenceSpec(text=t, phrase_id=p, **common) for t, p in items]``, the same objects built
    faster: a frozen dataclass's ``__init__`` sets each of its 19 fields through ``object.__setattr__``,
    which the 1.5 million items of a 100,000-candidate pool paid in seconds; here each instance's
    attributes are copied from one template."""
    if not common.keys() <= _EVIDENCE_FIELDS - {"text", "phrase_id"} or "source" not in common:
        raise TypeError(f"evidence_many() takes EvidenceSpec's fields but text and phrase_id, got {sorted(common)}")
    base = {**_EVIDENCE_DEFAULTS, **common}
    new = object.__new__
    out = []
    for text, phrase_id in items:
        ev = new(EvidenceSpec)
        attrs = ev.__dict__
        attrs.update(base)
        attrs["text"], attrs["phrase_id"] = text, phrase_id
        out.append(ev)
    return out


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
    rank_basis: str = "score"  # "must-haves, then score" when must-haves order the ranking

    def as_dict(self) -> dict:
        return asdict(self)


# Codes are positions stored in Pool.source: new sources go at the end so stored arrays keep their meaning.
SOURCES = ("verified", "unverified", "experience", "self", "intact", "assessment", "degree")
SOURCE_CODE = {s: i for i, s in enumerate(SOURCES)}
ASSESSMENT_CODE = {a: i for i, a in enumerate(ASSESSMENT_TYPES)}
# what an explanation names as the source of a skill a degree lists: never the degree's title or
# institution (the shortlist is degree-blind; apps.matching.selectors.pool_arrays)
DEGREE_OUTCOME = "degree learning outcome"
NO_DATE = np.iinfo(np.int32).min
_EPOCH = date(1970, 1, 1)


def day_number(d: date | None) -> int:
    return NO_DATE if d is None else (d - _EPOCH).days


def from_day_number(n: int) -> date | None:
    return None if n == NO_DATE else _EPOCH + timedelta(days=n)


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
    # volume and quality (None: every item unknown, filled in below)
    hours: np.ndarray | None = None  # (T,) float32 learning hours or NaN
    ects: np.ndarray | None = None  # (T,) float32 ECTS credits or NaN
    days: np.ndarray | None = None  # (T,) float32 length of an experience in days or NaN
    quality_assured: np.ndarray | None = None  # (T,) int8: 1 yes, 0 no, -1 unknown
    assessment: np.ndarray | None = None  # (T,) int8 index into ASSESSMENT_TYPES or -1
    endorsements: np.ndarray | None = None  # (T,) int16
    score: np.ndarray | None = None  # (T,) float32 employer assessment score or NaN
    job: np.ndarray | None = None  # (T,) int64 the only job an item counts for, or -1 (every job)

    def __post_init__(self) -> None:
        t = len(self.phrase)
        nan = np.full(t, np.nan, dtype=np.float32)
        for name in ("hours", "ects", "days", "score"):
            if getattr(self, name) is None:
                setattr(self, name, nan.copy())
        if self.quality_assured is None:
            self.quality_assured = np.full(t, -1, dtype=np.int8)
        if self.assessment is None:
            self.assessment = np.full(t, -1, dtype=np.int8)
        if self.endorsements is None:
            self.endorsements = np.zeros(t, dtype=np.int16)
        if self.job is None:
            self.job = np.full(t, -1, dtype=np.int64)

    @property
    def size(self) -> int:
        return len(self.keys)

    def phrase_index(self) -> tuple[np.ndarray, np.ndarray]:
        """``np.unique(self.phrase, return_inverse=True)``, made once (resolution and scoring both ask)."""
        got = self.__dict__.get("_phrase_index")
        if got is None or got[0] is not self.phrase:
            got = (self.phrase, *unique_inverse(self.phrase))
            self.__dict__["_phrase_index"] = got
        return got[1], got[2]


def unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` for integer ids: by a table over the ids' range when
    they are non-negative and not much sparser than the values (database ids), which costs two passes
    instead of sorting 1.5 million items; by np.unique otherwise."""
    values = np.asarray(values)
    if values.dtype.kind not in "iu" or not len(values):
        return np.unique(values, return_inverse=True)
    low, high = int(values.min()), int(values.max())
    if low < 0 or high > 4 * len(values) + 1_000_000:
        return np.unique(values, return_inverse=True)
    present = np.zeros(high + 1, dtype=bool)
    present[values] = True
    uniq = np.flatnonzero(present).astype(values.dtype)
    table = np.zeros(high + 1, dtype=np.intp)
    table[uniq] = np.arange(len(uniq))
    return uniq, table[values]


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
        hours=_floats([e.hours for e in flat]),
        ects=_floats([e.ects for e in flat]),
        days=_floats([e.days for e in flat]),
        quality_assured=np.fromiter(
            (-1 if e.quality_assured is None else int(e.quality_assured) for e in flat), dtype=np.int8, count=t
        ),
        assessment=np.fromiter((ASSESSMENT_CODE.get(e.assessment, -1) for e in flat), dtype=np.int8, count=t),
        endorsements=np.fromiter((min(int(e.endorsements), 10_000) for e in flat), dtype=np.int16, count=t),
        score=_floats([e.score for e in flat]),
        job=np.fromiter((-1 if e.job is None else e.job for e in flat), dtype=np.int64, count=t),
    )


def _floats(values: Sequence[float | None]) -> np.ndarray:
    return np.array([math.nan if v is None else float(v) for v in values], dtype=np.float32)


FACTOR_NAMES = ("strength", "volume", "quality", "freshness", "score")


def saturating(x: np.ndarray, half: float, floor: float) -> np.ndarray:
    """floor at 0, half-way to 1 at ``half``, approaching 1: a few hours is a taster, hundreds a qualification."""
    return floor + (1.0 - floor) * (1.0 - np.exp2(-np.maximum(x, 0.0) / max(half, 1e-9)))


def item_factor_parts(
    pool: Pool, items: np.ndarray, params: MatchParams, today: date, job_id: int | None = None
) -> dict[str, np.ndarray]:
    """Each per-item factor (FACTOR_NAMES) for evidence ``items``, vectorized; their product is the
    item's factor (:func:`item_factors`). An item limited to another job than ``job_id`` gets strength 0."""
    src = pool.source[items]
    # A run stored before a source existed has no strength for it: the default, not nothing.
    strength = np.array([params.strength.get(s, DEFAULT_STRENGTH.get(s, 0.0)) for s in SOURCES], dtype=np.float32)[src]
    if job_id is not None:
        job = pool.job[items]
        strength = np.where((job >= 0) & (job != job_id), 0.0, strength)
    # volume: hours, else ECTS at the one conversion; experience by its length in years
    hours = pool.hours[items]
    hours = np.where(np.isnan(hours), pool.ects[items] * params.hours_per_ects, hours)
    vol = np.where(
        np.isnan(hours), params.unknown_volume, saturating(hours, params.volume_half_hours, params.volume_floor)
    )
    days = pool.days[items]
    is_exp = src == SOURCE_CODE["experience"]
    exp_vol = np.where(
        np.isnan(days),
        params.unknown_volume,
        saturating(days / 365.25, params.experience_half_years, params.volume_floor),
    )
    vol = np.where(is_exp, exp_vol, vol)
    # quality: how it was assessed × quality assurance, endorsements making up some of a shortfall
    aq = np.array([params.assessment_quality.get(a, 1.0) for a in ASSESSMENT_TYPES] + [1.0], dtype=np.float32)
    quality = aq[pool.assessment[items]]  # -1 (unknown) reads the trailing 1.0
    quality = quality * np.where(pool.quality_assured[items] == 0, params.not_quality_assured, 1.0)
    endorse = np.minimum(pool.endorsements[items], params.max_endorsements) * params.endorsement_bonus
    quality = np.minimum(1.0, quality * (1.0 + endorse))
    # freshness: full for fresh_years, then a yearly decay to a floor; 0 when expired or revoked
    now = day_number(today)
    issued, expires = pool.issued[items], pool.expires[items]
    age = np.where(issued == NO_DATE, 0.0, (now - issued.astype(np.int64)) / 365.25)
    fresh = np.where(
        age <= params.fresh_years,
        1.0,
        np.maximum(params.min_freshness, 1.0 - params.decay_per_year * (age - params.fresh_years)),
    )
    dead = pool.revoked[items] | ((expires != NO_DATE) & (expires < now))
    fresh = np.where(dead, 0.0, fresh)
    score = pool.score[items]
    score = np.where(np.isnan(score), 1.0, np.clip(score, 0.0, 1.0))
    return {
        "strength": strength.astype(np.float32),
        "volume": vol.astype(np.float32),
        "quality": quality.astype(np.float32),
        "freshness": fresh.astype(np.float32),
        "score": score.astype(np.float32),
    }


def item_factors(
    pool: Pool, items: np.ndarray, params: MatchParams, today: date, job_id: int | None = None
) -> np.ndarray:
    """strength × volume × quality × freshness × (assessment) score for evidence items: every factor of
    credit that depends on the evidence alone (the match and the level fit depend on the required skill)."""
    parts = item_factor_parts(pool, items, params, today, job_id)
    out = parts["strength"] * parts["volume"] * parts["quality"] * parts["freshness"] * parts["score"]
    return out.astype(np.float32)


def freshness(ev: EvidenceSpec, params: MatchParams, today: date) -> float:
    """1.0 for recent evidence, decaying per year after ``fresh_years`` to a floor; 0 when expired
    or revoked (the scalar form of the freshness in :func:`item_factor_parts`)."""
    if ev.revoked or (ev.expires is not None and ev.expires < today):
        return 0.0
    if ev.issued is None:
        return 1.0
    age = (today - ev.issued).days / 365.25
    if age <= params.fresh_years:
        return 1.0
    return max(params.min_freshness, 1.0 - params.decay_per_year * (age - params.fresh_years))


def level_factor(min_level: int | None, level: float, params: MatchParams) -> float:
    """The level fit of one piece of evidence (the scalar form of kernel.level_fit)."""
    if min_level is None:
        return 1.0
    if math.isnan(level):
        return params.unknown_level_fit
    if level >= min_level:
        return 1.0
    return max(params.below_level_fit, 1.0 - params.level_step * (min_level - level))


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
    job_id: int | None = None,
) -> tuple[kernel.KernelResult, np.ndarray, np.ndarray]:
    """The kernel's unrounded result for a pool, with the (required × distinct phrase) similarity and each
    evidence item's position among the distinct phrases (for explanations). apps.pathways.gaps reads the
    unrounded coverage from here, so coverage decisions at a threshold never depend on rounding. Evidence
    limited to one job (an employer assessment) counts only when that job is ``job_id``."""
    if not required:
        raise ValueError("the job has no required skills, so there is nothing to match against")
    today = params.as_of_date()
    uniq, ev_pos = pool.phrase_index()
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
        factor_of=lambda items: item_factors(pool, items, params, today, job_id),
        level_of=lambda items: pool.level[items],
        verified_of=lambda items: pool.source[items] == SOURCE_CODE["verified"],
        weights=weights,
        must_have=np.array([r.must_have for r in required], dtype=bool),
        min_level=np.array([math.nan if r.min_level is None else r.min_level for r in required], dtype=np.float32),
        must_have_threshold=params.must_have_threshold,
        unknown_level_fit=params.unknown_level_fit,
        below_level_fit=params.below_level_fit,
        level_step=params.level_step,
        corroboration=params.corroboration,
        corroboration_min=params.corroboration_min,
    )
    res.credit_sim = credit_sim
    return res, sim, ev_pos


def score_pool_results(
    *,
    required: Sequence[RequiredSpec],
    pool: Pool,
    vectors_of: Callable[[np.ndarray], np.ndarray],
    params: MatchParams,
    related: set[tuple[int, int]] | None = None,
    explain_top: int | None = None,
    job_id: int | None = None,
) -> list[CandidateResult]:
    """Score and rank a pool for ``required``, best first; each result explains itself.

    ``vectors_of(phrase_ids)`` returns unit vectors. ``explain_top`` limits full explanations (which
    evidence, which credential, which factors) to the best K; every result keeps score, flags, coverage
    per skill and missing skills."""
    if not required:
        raise ValueError("the job has no required skills, so there is nothing to match against")
    res, sim, ev_pos = score_pool_kernel(
        required=required, pool=pool, vectors_of=vectors_of, params=params, related=related, job_id=job_id
    )
    weights = np.array([r.weight for r in required], dtype=np.float64)
    order = kernel.rank_order(res.scores, res.must_have_met, must_have_first=params.must_have_first)
    k = len(order) if explain_top is None else min(explain_top, len(order))
    m = len(required)
    # each candidate's row among the kernel's owners (-1: no credit at all), in ranking order; every
    # per-candidate array is gathered at once (a pool of 100,000 explained one by one spent seconds here)
    rows = res.rows(order)
    best = np.full((k, m), -1, dtype=np.int64)
    explained = rows[:k] >= 0
    if explained.any():
        best[explained] = res.best_fn(rows[:k][explained])
    # describe every evidence item used by an explained candidate, in one call
    used = np.unique(best.ravel()) if k else np.zeros(0, dtype=np.int64)
    used = used[used >= 0]
    described = dict(zip(used.tolist(), pool.describe(used), strict=True))
    parts = item_factor_parts(pool, used, params, params.as_of_date(), job_id)
    for pos_u, item in enumerate(used.tolist()):
        described[item]["factors"] = {name: float(parts[name][pos_u]) for name in FACTOR_NAMES}
        described[item]["level"] = float(pool.level[item])
    assert res.credit_sim is not None
    verified_pts = np.zeros(pool.size, dtype=np.float64)
    if len(res.owners):
        verified_pts[res.owners] = 100.0 * res.owner_verified @ weights / float(weights.sum())
    coverage = np.zeros((len(order), m), dtype=np.float32)
    if len(res.owners):
        coverage[rows >= 0] = res.owner_coverage[rows[rows >= 0]]
    at = np.where(best >= 0, ev_pos[np.maximum(best, 0)] if len(ev_pos) else 0, 0)
    skill = np.arange(m)[None, :]
    sims = np.where(best >= 0, sim[skill, at], 0.0).tolist() if k and len(ev_pos) else [[0.0] * m] * k
    match = np.where(best >= 0, res.credit_sim[skill, at], 0.0).tolist() if k and len(ev_pos) else [[0.0] * m] * k
    best_rows = best.tolist()
    keys, scores = pool.keys, res.scores[order].tolist()
    met, verified = res.must_have_met[order].tolist(), verified_pts[order].tolist()
    below, covered = (coverage < params.must_have_threshold).tolist(), coverage.tolist()
    basis = _rank_basis(required, params)
    out: list[CandidateResult] = []
    for pos, c in enumerate(order.tolist()):
        out.append(
            candidate_result(
                key=str(keys[c]),
                required=required,
                params=params,
                score=scores[pos],
                must_have_met=met[pos],
                coverage=covered[pos],
                verified_points=verified[pos],
                best=best_rows[pos] if pos < k else None,
                similarity=sims[pos] if pos < k else None,
                source=pool.source,
                described=described,
                match=match[pos] if pos < k else None,
                below=below[pos],
                rank_basis=basis,
            )
        )
    return out


def _rank_basis(required: Sequence[RequiredSpec], params: MatchParams) -> str:
    return "must-haves, then score" if params.must_have_first and any(r.must_have for r in required) else "score"


def match_factors(
    *,
    match: float,
    parts: Mapping[str, float],
    level: float,
    min_level: int | None,
    coverage: float,
    params: MatchParams,
) -> dict:
    """The named factors of one match: credit = match × strength × volume × level × quality × freshness ×
    assessment score, plus what other evidence for the same skill added (corroboration). Every value is
    in [0, 1]; a factor below 1 is a reason the credit is below the match."""
    lvl = level_factor(min_level, level, params)
    credit = match * lvl
    for name in FACTOR_NAMES:
        credit *= parts[name]
    return {
        "match": round(match, 4),
        "strength": round(parts["strength"], 4),
        "volume": round(parts["volume"], 4),
        "level": round(lvl, 4),
        "quality": round(parts["quality"], 4),
        "freshness": round(parts["freshness"], 4),
        "assessment_score": round(parts["score"], 4),
        "corroboration": round(max(0.0, coverage - credit), 4),
    }


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
    match: Sequence[float] | None = None,
    below: Sequence[bool] | None = None,
    rank_basis: str | None = None,
) -> CandidateResult:
    """One candidate's result; with ``best`` (evidence item per skill) it carries the full explanation:
    per matched skill the evidence, its source, similarity, credit and ``factors`` (:func:`match_factors`;
    ``described[item]`` carries the item's ``factors`` parts and ``level``, ``match`` the match factor).
    ``below`` (coverage under the must-have threshold, per skill) and ``rank_basis``, when a caller
    explaining a whole pool has them for every candidate at once; ``coverage`` is then Python floats."""
    matches = []
    if below is None:
        # the float32 coverage compared as numpy compares it (a Python float threshold meets float32
        # values at float32 precision), the rest read as Python floats, which is what float() gives
        cov = np.asarray(coverage)
        below = (cov < params.must_have_threshold).tolist()
        coverage = cov.tolist()
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
                    "factors": match_factors(
                        match=float(match[j]) if match is not None else float(similarity[j]),
                        parts=d["factors"],
                        level=d["level"],
                        min_level=r.min_level,
                        coverage=float(coverage[j]),
                        params=params,
                    ),
                }
            )
    if any(coverage):
        missing = [r.name for r, c in zip(required, coverage, strict=True) if c <= 0]
        rounded = [round(x, 4) for x in coverage]
    else:  # no credit at all, as most of a large pool for a given job: every skill missing, zeros kept
        missing = [r.name for r in required]
        rounded = [float(x) for x in coverage]  # round(x, 4) of a zero is that zero
        if len(missing) != len(rounded):
            raise ValueError(f"{len(rounded)} coverage values for {len(missing)} required skills")
    return CandidateResult(
        key=key,
        score=round(score, 2),
        must_have_met=must_have_met,
        matches=matches,
        missing=missing,
        must_have_missing=[r.name for r, b in zip(required, below, strict=True) if r.must_have and b],
        verified_share=round(verified_points / score, 4) if score > 0 else 0.0,
        coverage=rounded,
        rank_basis=rank_basis or _rank_basis(required, params),
    )
