"""Reads for matching: a pool's evidence in bulk, runs, shortlists."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from apps.candidates.models import Candidate, CandidateSkill
from apps.credentials.models import CredentialKind, CredentialSkill, VerificationStatus
from apps.jobs.models import Job

from .engine import CandidateSpec, EvidenceSpec, RequiredSpec
from .models import MatchRun, MatchScore, RunStatus

_SOURCE = {
    VerificationStatus.VERIFIED: "verified",
    VerificationStatus.UNVERIFIED: "unverified",
    VerificationStatus.EXPIRED: "verified",  # freshness 0: counted as nothing, but explained
    VerificationStatus.REVOKED: "verified",
}


def job_required_specs(*, job: Job) -> list[RequiredSpec]:
    return [
        RequiredSpec(
            name=r.name,
            phrase_id=r.phrase_id,
            weight=r.weight,
            must_have=r.must_have,
            min_level=r.min_level,
            concept=r.skill_id,
        )
        for r in job.required_skills.all()
    ]


def pool_specs(
    *, organization_id: int, candidate_ids: list[int] | None = None
) -> tuple[list[CandidateSpec], dict[int, str]]:
    """Every consenting candidate's evidence as engine specs, read with two flat queries (no ORM
    objects per row). Degrees are left out: they add nothing to a score. Credentials that failed
    verification are left out too. Returns (specs ordered by candidate id, {phrase id: text})."""
    cands = Candidate.objects.filter(organization_id=organization_id, consent_given=True)
    if candidate_ids is not None:
        cands = cands.filter(id__in=candidate_ids)
    ids = list(cands.order_by("id").values_list("id", flat=True))
    evidence: dict[int, list[EvidenceSpec]] = defaultdict(list)
    texts: dict[int, str] = {}
    cred_rows = (
        CredentialSkill.objects.filter(credential__candidate__in=cands)
        .exclude(credential__kind=CredentialKind.DEGREE)
        .exclude(credential__verification_status=VerificationStatus.FAILED)
        .values_list(
            "credential__candidate_id",
            "phrase_id",
            "text",
            "credential_id",
            "credential__title",
            "credential__issuer__name",
            "credential__issued_on",
            "credential__expires_on",
            "credential__verification_status",
            "credential__eqf_level",
            "skill_id",
        )
        .order_by("credential__candidate_id", "credential_id", "id")
    )
    for cid, pid, text, cred_id, title, issuer, issued, expires, status, level, skill_id in cred_rows.iterator(2000):
        texts[pid] = text
        evidence[cid].append(
            EvidenceSpec(
                text=text,
                phrase_id=pid,
                source=_SOURCE.get(status, "unverified"),
                credential=title,
                credential_id=cred_id,
                issuer=issuer or "",
                issued=issued,
                expires=expires,
                revoked=status == VerificationStatus.REVOKED,
                level=level,
                concept=skill_id,
            )
        )
    own = (
        CandidateSkill.objects.filter(candidate__in=cands)
        .values_list("candidate_id", "phrase_id", "text", "source", "context")
        .order_by("candidate_id", "id")
    )
    for cid, pid, text, source, context in own.iterator(2000):
        texts[pid] = text
        label = context or ("experience" if source == "experience" else "self-declared")
        evidence[cid].append(EvidenceSpec(text=text, phrase_id=pid, source=source, credential=label))
    return [CandidateSpec(key=str(cid), evidence=evidence.get(cid, [])) for cid in ids], texts


def latest_run(*, job: Job, finished: bool = False) -> MatchRun | None:
    runs = job.match_runs.all()
    if finished:
        runs = runs.filter(status=RunStatus.SUCCEEDED)
    return runs.order_by("-created_at", "-id").first()


def run_scores(
    *,
    run: MatchRun,
    min_score: float | None = None,
    must_have_met: bool | None = None,
    verified_only: bool = False,
    has_skill: str | None = None,
) -> QuerySet[MatchScore]:
    """A run's scores, best first, with the candidate joined (one query, no N+1)."""
    qs = run.scores.select_related("candidate").order_by("rank")
    if min_score is not None:
        qs = qs.filter(score__gte=min_score)
    if must_have_met is not None:
        qs = qs.filter(must_have_met=must_have_met)
    if verified_only:
        qs = qs.filter(verified_share__gte=0.999)
    if has_skill:
        qs = qs.filter(covered_skills__contains=f"|{has_skill.strip().casefold()}|")
    return qs
