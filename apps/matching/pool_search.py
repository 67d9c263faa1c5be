"""Talent-pool search without a job: which candidates prove these skills, under which conditions.

A search is an ad-hoc job that is never stored as a Job: its skills become required skills (each a
must-have when all of them are asked for), the pool's evidence is narrowed to what the conditions allow
(verified credentials only, a minimum EQF level, issued within N years), and the engine scores and
explains the rest exactly as it does a shortlist (apps.matching.engine). A candidate is in the result
when the narrowed evidence covers all (or any) of the skills with at least ``covered_threshold`` credit.

No Django here: apps.matching.pool_services.pool_search_run reads the pool and resolves the skills.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from .engine import NO_DATE, SOURCE_CODE, CandidateResult, Pool, day_number

MAX_SKILLS = 20
MODES = ("all", "any")


@dataclass(frozen=True)
class PoolQuery:
    """What a recruiter asks the pool (also what a saved search stores, see :meth:`as_dict`)."""

    skills: tuple[str, ...]
    mode: str = "all"  # all | any
    verified_only: bool = False
    min_level: int | None = None  # EQF 1..8: evidence at or above it (evidence without a level is left out)
    within_years: int | None = None  # evidence issued at most this many years ago (undated is left out)

    def __post_init__(self) -> None:
        if not self.skills:
            raise ValueError("name at least one skill")
        if len(self.skills) > MAX_SKILLS:
            raise ValueError(f"at most {MAX_SKILLS} skills")
        if self.mode not in MODES:
            raise ValueError("mode is 'all' or 'any'")
        if self.min_level is not None and not 1 <= self.min_level <= 8:
            raise ValueError("min_level is an EQF level, 1 to 8")
        if self.within_years is not None and not 1 <= self.within_years <= 50:
            raise ValueError("within_years is 1 to 50")

    def as_dict(self) -> dict[str, Any]:
        return {
            "skills": list(self.skills),
            "mode": self.mode,
            "verified_only": self.verified_only,
            "min_level": self.min_level,
            "within_years": self.within_years,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PoolQuery:
        return cls(
            skills=tuple(d.get("skills") or ()),
            mode=d.get("mode") or "all",
            verified_only=bool(d.get("verified_only")),
            min_level=d.get("min_level"),
            within_years=d.get("within_years"),
        )


def evidence_mask(pool: Pool, query: PoolQuery, today: date) -> np.ndarray:
    """Which evidence items the query's conditions let count (bool per item)."""
    keep = np.ones(len(pool.phrase), dtype=bool)
    now = day_number(today)
    if query.verified_only:
        dead = pool.revoked | ((pool.expires != NO_DATE) & (pool.expires < now))
        keep &= (pool.source == SOURCE_CODE["verified"]) & ~dead
    if query.min_level is not None:
        keep &= ~np.isnan(pool.level) & (pool.level >= query.min_level)
    if query.within_years is not None:
        oldest = now - int(round(query.within_years * 365.25))
        keep &= (pool.issued != NO_DATE) & (pool.issued >= oldest)
    return keep


def pool_subset(pool: Pool, keep: np.ndarray) -> Pool:
    """The same candidates with only the evidence items in ``keep`` (a candidate may end with none)."""
    items = np.flatnonzero(keep)
    # kept items before each candidate's first item: the new offsets
    kept_before = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])
    offsets = kept_before[pool.offsets].astype(np.int64)

    def describe(sub_items: np.ndarray) -> list[dict[str, Any]]:
        return pool.describe(items[sub_items])

    return Pool(
        keys=pool.keys,
        offsets=offsets,
        phrase=pool.phrase[items],
        source=pool.source[items],
        issued=pool.issued[items],
        expires=pool.expires[items],
        revoked=pool.revoked[items],
        level=pool.level[items],
        concept=pool.concept[items],
        describe=describe,
    )


@dataclass
class PoolHit:
    """One candidate in a search's result, with the engine's explanation."""

    candidate_id: int
    rank: int
    result: CandidateResult
    covered: list[str] = field(default_factory=list)  # the searched skills covered at the threshold


def select_hits(
    results: list[CandidateResult], *, skills: list[str], mode: str, covered_threshold: float
) -> list[PoolHit]:
    """The ranked results that satisfy the query: every skill covered ("all") or at least one ("any"),
    in the engine's order (score, then must-haves met), ranked 1..n among themselves."""
    hits: list[PoolHit] = []
    for r in results:
        covered = [s for s, c in zip(skills, r.coverage, strict=True) if c >= covered_threshold]
        if (mode == "all" and len(covered) == len(skills)) or (mode == "any" and covered):
            hits.append(PoolHit(candidate_id=int(r.key), rank=len(hits) + 1, result=r, covered=covered))
    return hits
