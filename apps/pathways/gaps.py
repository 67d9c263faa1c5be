"""Gap analysis and pathways for one candidate and one job (no Django).

Definitions (docs/pathways.md):

- a required skill is **covered** when the candidate's coverage (the engine's credit) is at least
  ``MatchParams.must_have_threshold``; **partial** when it is above 0 but below; **missing** when 0.
  ``missing_names`` (the ``pathway`` command's ``missing``) holds both partial and missing skills:
  a weak skill still needs closing;
- an offering **covers** a required skill when the engine, treating the offering's skills as verified
  evidence issued today at the offering's EQF level, gives credit ≥ the threshold for it, and the
  offering's level is not known to be below the skill's ``min_level``;
- **uncoverable**: not-covered skills that no offering covers;
- the **pathway** is the cheapest (learning hours) set of offerings covering every coverable one
  (apps.pathways.optimizer); ``score_after`` is the engine's score of the candidate with the pathway's
  offerings added as such credentials — computed by the engine itself, so it equals what a match run
  would say once they are earned.

The credit of each offering for each skill comes from the same kernel call the engine makes
(``kernel.score_pool``), with offerings as pseudo-candidates, so "covers" and the what-if score can
never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from apps.matching.engine import (
    CandidateSpec,
    EvidenceSpec,
    MatchParams,
    RequiredSpec,
    pool_from_specs,
    score_candidates,
    score_pool_kernel,
)

from .optimizer import Option, solve


@dataclass(frozen=True)
class OfferingSkill:
    text: str
    phrase_id: int
    concept: int | None = None


@dataclass(frozen=True)
class OfferingSpec:
    """A catalog offering as the gap analysis sees it."""

    key: str  # the catalog's external id
    title: str
    hours: int
    provider: str = ""
    eqf: int | None = None
    skills: Sequence[OfferingSkill] = ()
    url: str = ""
    level_framework: str = ""
    level_value: int | None = None

    def evidence(self, *, today: date) -> list[EvidenceSpec]:
        """The offering as the credential a seeker would hold after completing it: verified, fresh."""
        return [
            EvidenceSpec(
                text=s.text,
                phrase_id=s.phrase_id,
                source="verified",
                credential=self.title,
                issuer=self.provider,
                issued=today,
                level=self.eqf,
                concept=s.concept,
            )
            for s in self.skills
        ]


@dataclass
class SkillGap:
    name: str
    weight: float
    must_have: bool
    min_level: int | None
    coverage: float  # the candidate's credit now, 0..1
    status: str  # covered | partial | missing
    match: dict[str, Any] | None = None  # the engine's explanation entry for the evidence that gave the coverage
    offerings: list[str] = field(default_factory=list)  # keys of offerings that cover it (when not covered)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "weight": self.weight,
            "must_have": self.must_have,
            "min_level": self.min_level,
            "coverage": round(self.coverage, 4),
            "status": self.status,
            "match": self.match,
            "offerings": self.offerings,
        }


@dataclass
class PathwayStep:
    offering: OfferingSpec
    covers: list[str]  # required-skill names

    def as_dict(self) -> dict[str, Any]:
        o = self.offering
        return {
            "id": o.key,
            "title": o.title,
            "provider": o.provider,
            "hours": o.hours,
            "eqf_level": o.eqf,
            "level": {"framework": o.level_framework, "value": o.level_value} if o.level_framework else None,
            "url": o.url,
            "covers": self.covers,
        }


@dataclass
class Pathway:
    steps: list[PathwayStep]
    total_hours: int
    score_after: float
    must_have_met_after: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "offerings": [s.as_dict() for s in self.steps],
            "total_hours": self.total_hours,
            "score_after": self.score_after,
            "must_have_met_after": self.must_have_met_after,
        }


@dataclass
class GapReport:
    skills: list[SkillGap]
    score_now: float
    must_have_met_now: bool
    pathway: Pathway
    alternatives: list[Pathway]
    method: str  # how the pathway was found (apps.pathways.optimizer.Solution.method)
    bound: float  # total_hours ≤ bound × the optimum (1.0 when exact)

    @property
    def covered_names(self) -> list[str]:
        return [s.name for s in self.skills if s.status == "covered"]

    @property
    def missing_names(self) -> list[str]:
        return [s.name for s in self.skills if s.status != "covered"]

    @property
    def partial_names(self) -> list[str]:
        return [s.name for s in self.skills if s.status == "partial"]

    @property
    def uncoverable_names(self) -> list[str]:
        return [s.name for s in self.skills if s.status != "covered" and not s.offerings]

    def contract(self) -> dict[str, Any]:
        """The ``pathway`` command's output (docs/architecture.md), keys exactly as documented."""
        return {
            "covered": self.covered_names,
            "missing": self.missing_names,
            "uncoverable": self.uncoverable_names,
            "pathway": [
                {"id": s.offering.key, "title": s.offering.title, "hours": s.offering.hours, "covers": s.covers}
                for s in self.pathway.steps
            ],
            "total_hours": self.pathway.total_hours,
            "score_now": self.score_now,
            "score_after": self.pathway.score_after,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "skills": [s.as_dict() for s in self.skills],
            "covered": self.covered_names,
            "partial": self.partial_names,
            "missing": self.missing_names,
            "uncoverable": self.uncoverable_names,
            "score_now": self.score_now,
            "must_have_met_now": self.must_have_met_now,
            "pathway": self.pathway.as_dict(),
            "alternatives": [a.as_dict() for a in self.alternatives],
            "method": self.method,
            "bound": round(self.bound, 4),
        }


def coverage_matrix(
    *,
    required: Sequence[RequiredSpec],
    candidates: Sequence[CandidateSpec],
    vectors: Mapping[int, np.ndarray],
    params: MatchParams,
    related: set[tuple[int, int]] | None = None,
) -> np.ndarray:
    """(n, m) credit of each candidate for each required skill, unrounded: the arrays and kernel call of
    apps.matching.engine.score_candidates, kept apart because the engine only returns rounded credits
    and a coverage decision at the threshold must not depend on rounding."""
    if not any(c.evidence for c in candidates):
        return np.zeros((len(candidates), len(required)), dtype=np.float32)
    res, _, _ = score_pool_kernel(
        required=required,
        pool=pool_from_specs(candidates),
        vectors_of=lambda ids: np.stack([vectors[i] for i in ids.tolist()]),
        params=params,
        related=related,
    )
    coverage: np.ndarray = res.coverage
    return coverage


def offering_covers(
    *, credit: np.ndarray, offering: OfferingSpec, required: Sequence[RequiredSpec], threshold: float
) -> set[int]:
    """Indices of required skills ``offering`` covers, given its credit row: credit at the threshold,
    and a level not known to be below the skill's minimum (an unknown level is left to the engine's
    ``unknown_level_fit``, which already discounts it)."""
    out = set()
    for j, r in enumerate(required):
        if credit[j] < threshold:
            continue
        if r.min_level is not None and offering.eqf is not None and offering.eqf < r.min_level:
            continue
        out.add(j)
    return out


def analyse(
    *,
    required: Sequence[RequiredSpec],
    candidate: CandidateSpec,
    offerings: Sequence[OfferingSpec],
    vectors: Mapping[int, np.ndarray],
    params: MatchParams,
    related: set[tuple[int, int]] | None = None,
    alternatives: int = 3,
    tolerance: float = 0.10,
    max_offerings: int | None = None,
) -> GapReport:
    """Gap analysis and pathway for one candidate (specs with concepts resolved, vectors for every
    phrase). ``max_offerings`` limits the pathway's size (jobs within reach); when no pathway that small
    covers every coverable skill, the report's pathway is empty and ``method`` is ``"out_of_reach"``."""
    threshold = params.must_have_threshold
    today = params.as_of_date()
    pseudo = [candidate] + [CandidateSpec(key=f"offering:{o.key}", evidence=o.evidence(today=today)) for o in offerings]
    cov = coverage_matrix(required=required, candidates=pseudo, vectors=vectors, params=params, related=related)
    now = score_candidates(required=required, candidates=[candidate], vectors=vectors, params=params, related=related)[
        0
    ]
    by_name = {m["required"]: m for m in now.matches}
    gaps: list[SkillGap] = []
    todo: list[int] = []
    for j, r in enumerate(required):
        c = float(cov[0, j])
        status = "covered" if c >= threshold else ("partial" if c > 0 else "missing")
        gaps.append(
            SkillGap(
                name=r.name,
                weight=r.weight,
                must_have=r.must_have,
                min_level=r.min_level,
                coverage=c,
                status=status,
                match=by_name.get(r.name),
            )
        )
        if status != "covered":
            todo.append(j)
    options = []
    covers_of: dict[str, set[int]] = {}
    for k, o in enumerate(offerings):
        covers = offering_covers(credit=cov[k + 1], offering=o, required=required, threshold=threshold) & set(todo)
        covers_of[o.key] = covers
        if covers:
            options.append(Option(key=o.key, cost=float(o.hours), covers=frozenset(covers)))
            for j in sorted(covers):
                gaps[j].offerings.append(o.key)
    solution = solve(
        elements=todo, options=options, alternatives=alternatives, tolerance=tolerance, max_sets=max_offerings
    )
    by_key = {o.key: o for o in offerings}

    def pathway(keys: Sequence[str]) -> Pathway:
        chosen = [by_key[k] for k in keys]
        # Order the steps by the first skill they close, the way a seeker reads the job's list.
        chosen.sort(key=lambda o: (min(covers_of[o.key]), o.key))
        steps = [PathwayStep(offering=o, covers=[required[j].name for j in sorted(covers_of[o.key])]) for o in chosen]
        after = (
            candidate
            if not chosen
            else CandidateSpec(
                key=candidate.key, evidence=[*candidate.evidence, *(e for o in chosen for e in o.evidence(today=today))]
            )
        )
        res = score_candidates(required=required, candidates=[after], vectors=vectors, params=params, related=related)[
            0
        ]
        return Pathway(
            steps=steps,
            total_hours=sum(o.hours for o in chosen),
            score_after=res.score,
            must_have_met_after=res.must_have_met,
        )

    method = solution.method
    best_keys: tuple[str, ...] = ()
    if solution.best is None:
        method = "out_of_reach"
    else:
        best_keys = solution.best.keys
    return GapReport(
        skills=gaps,
        score_now=now.score,
        must_have_met_now=now.must_have_met,
        pathway=pathway(best_keys),
        alternatives=[pathway(a.keys) for a in solution.alternatives],
        method=method,
        bound=solution.bound,
    )
