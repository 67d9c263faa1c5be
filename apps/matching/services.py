"""Writes for matching: starting and executing match runs, stateless ranking, decisions."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from apps.candidates.interchange import CandidateDoc, JobDoc
from apps.jobs.models import Job
from apps.skills.selectors import related_pairs
from apps.skills.services import phrases_resolve
from apps.skills.text import normalize_phrase
from apps.skills.vocabulary import model_key, phrase_vectors, phrases_ensure

from .engine import CandidateResult, CandidateSpec, EvidenceSpec, MatchParams, RequiredSpec, score_candidates
from .models import Decision, MatchRun, MatchScore, RevealLog, RunStatus, ShortlistDecision
from .selectors import job_required_specs, pool_specs

log = logging.getLogger(__name__)


class MatchError(ValueError):
    """A match that cannot start, with a message for the person who asked."""


def default_params() -> MatchParams:
    return MatchParams(as_of=date.today().isoformat())


def _with_concepts(
    required: list[RequiredSpec], candidates: list[CandidateSpec], texts: dict[int, str]
) -> tuple[list[RequiredSpec], list[CandidateSpec], set[tuple[int, int]]]:
    """Resolve every phrase to a taxonomy concept where confident; returns specs carrying concepts
    and the hierarchy links among them."""
    concepts = phrases_resolve(phrase_texts=texts)
    req = [r if r.concept is not None else _replace(r, concept=concepts.get(r.phrase_id)) for r in required]
    cands = [
        CandidateSpec(
            key=c.key,
            evidence=[
                e if e.concept is not None else _replace(e, concept=concepts.get(e.phrase_id)) for e in c.evidence
            ],
        )
        for c in candidates
    ]
    used = {r.concept for r in req if r.concept} | {e.concept for c in cands for e in c.evidence if e.concept}
    return req, cands, related_pairs(skill_ids=used)


def _replace(spec, **changes):
    from dataclasses import replace

    return replace(spec, **changes)


def compute_scores(
    *,
    required: list[RequiredSpec],
    candidates: list[CandidateSpec],
    texts: dict[int, str],
    params: MatchParams,
    explain_top: int | None = None,
) -> list[CandidateResult]:
    """The one scoring path shared by match runs and the ``rank`` command."""
    req, cands, related = _with_concepts(required, candidates, texts)
    ids = sorted({r.phrase_id for r in req} | {e.phrase_id for c in cands for e in c.evidence})
    vecs = phrase_vectors(phrase_ids=ids)
    vectors = dict(zip(ids, vecs, strict=True))
    return score_candidates(
        required=req, candidates=cands, vectors=vectors, params=params, related=related, explain_top=explain_top
    )


def rank_documents(*, job: JobDoc, candidates: Sequence[CandidateDoc], params: MatchParams | None = None) -> list[dict]:
    """Stateless ranking of interchange documents (the ``rank`` command): nothing is stored except
    new phrases in the shared vocabulary. One dict per candidate, best first."""
    params = params or default_params()
    texts = [s.name for s in job.skills]
    for c in candidates:
        texts += [s for cr in c.credentials for s in cr.skills] + list(c.skills)
    ids = phrases_ensure(texts=texts)
    phrase_text = {ids[normalize_phrase(t)]: t for t in texts if normalize_phrase(t)}
    required = [
        RequiredSpec(
            name=s.name,
            phrase_id=ids[normalize_phrase(s.name)],
            weight=s.weight,
            must_have=s.required,
            min_level=s.min_level,
        )
        for s in job.skills
    ]
    specs = []
    for c in candidates:
        ev = []
        for cr in c.credentials:
            if cr.kind == "degree":
                continue  # degrees add nothing to the score
            for s in cr.skills:
                ev.append(
                    EvidenceSpec(
                        text=s,
                        phrase_id=ids[normalize_phrase(s)],
                        source="verified" if cr.verified else "unverified",
                        credential=cr.title,
                        issuer=cr.issuer,
                        issued=cr.issued,
                        expires=cr.expires,
                        level=cr.level.eqf if cr.level else None,
                    )
                )
        ev += [
            EvidenceSpec(text=s, phrase_id=ids[normalize_phrase(s)], source="self", credential="self-declared")
            for s in c.skills
        ]
        specs.append(CandidateSpec(key=c.id, evidence=ev))
    results = compute_scores(required=required, candidates=specs, texts=phrase_text, params=params)
    return [
        {
            "id": r.key,
            "rank": i,
            "score": r.score,
            "must_have_met": r.must_have_met,
            "matches": [
                {k: m[k] for k in ("required", "matched", "source", "similarity", "credit")} for m in r.matches
            ],
            "missing": r.missing,
        }
        for i, r in enumerate(results, start=1)
    ]


def match_run_start(*, job: Job, user=None) -> MatchRun:
    """Create a queued run and send the task once the transaction commits."""
    if not job.required_skills.exists():
        raise MatchError("This job has no required skills yet; add at least one before matching.")
    params = default_params()
    name, _, version = model_key().partition("@")
    run = MatchRun.objects.create(
        organization=job.organization,
        job=job,
        parameters=params.as_dict(),
        model_name=name,
        model_version=version,
        created_by=user if getattr(user, "pk", None) else None,
    )
    from .tasks import run_match

    # pretix-style: the worker must see the committed row, so send only after commit.
    transaction.on_commit(lambda: run_match.delay(run.id), robust=True)
    return run


def _progress(run_id: int, value: float) -> None:
    MatchRun.objects.filter(id=run_id).update(progress=value)


def match_run_execute(*, run_id: int) -> MatchRun | None:
    """Execute a queued run. The run is claimed with a conditional UPDATE so two workers never do
    the same work; returns None when another worker already has it."""
    claimed = MatchRun.objects.filter(id=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), progress=0.0
    )
    if not claimed:
        return None
    run = MatchRun.objects.select_related("job").get(id=run_id)
    try:
        params = MatchParams(**{**run.parameters, "strength": run.parameters.get("strength", {})})
        required = job_required_specs(job=run.job)
        if not required:
            raise MatchError("This job has no required skills.")
        specs, texts = pool_specs(organization_id=run.organization_id)
        texts.update({r.phrase_id: r.name for r in required})
        _progress(run_id, 0.2)
        results = compute_scores(required=required, candidates=specs, texts=texts, params=params)
        _progress(run_id, 0.8)
        with transaction.atomic():
            MatchScore.objects.filter(run_id=run_id).delete()  # idempotent if re-executed
            MatchScore.objects.bulk_create(
                [
                    MatchScore(
                        run_id=run_id,
                        candidate_id=int(r.key),
                        rank=i,
                        score=r.score,
                        must_have_met=r.must_have_met,
                        verified_share=r.verified_share,
                        explanation={
                            "matches": r.matches,
                            "missing": r.missing,
                            "must_have_missing": r.must_have_missing,
                        },
                        covered_skills="|" + "|".join(m["required"].casefold() for m in r.matches) + "|",
                    )
                    for i, r in enumerate(results, start=1)
                ],
                batch_size=2000,
            )
            MatchRun.objects.filter(id=run_id).update(
                status=RunStatus.SUCCEEDED, progress=1.0, pool_size=len(results), finished_at=timezone.now()
            )
    except Exception as e:
        log.exception("match run %s failed", run_id)
        MatchRun.objects.filter(id=run_id).update(
            status=RunStatus.FAILED, error=str(e)[:2000], finished_at=timezone.now()
        )
        raise
    run.refresh_from_db()
    return run


def decision_record(*, job: Job, candidate, decision: str, user, reason: str = "") -> ShortlistDecision:
    """Record a recruiter's decision; a human act, never automatic."""
    if decision not in Decision.values:
        raise ValueError(f"unknown decision {decision!r}")
    return ShortlistDecision.objects.create(
        job=job, candidate=candidate, decision=decision, reason=reason[:500], decided_by=user
    )


def candidate_reveal(*, job: Job, candidate, user) -> RevealLog:
    """Log that ``user`` revealed a candidate's identity in the degree-blind shortlist."""
    return RevealLog.objects.create(job=job, candidate=candidate, user=user)
