"""Data-subject rights of a candidate (GDPR arts. 15, 17, 20): export everything held about them as
JSON, and erase it. Also the one writer of self-reported demographics (consent-gated).

Erasure deletes the candidate row, which cascades to their declared skills, experience, employer
assessments, credentials (with raw payloads and attested skills), match scores, shortlist decisions,
reveal logs and demographics, and CV parse jobs not yet confirmed (for the candidate, and the CVs their
own account uploaded in that organization). The audit log keeps only what accountability requires: that an erasure
happened, when, who asked, and the candidate's internal id; audit events never hold a name or contact
data (apps.accounts.audit).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.audit import (
    CANDIDATE_DATA_EXPORTED,
    CANDIDATE_ERASED,
    DEMOGRAPHICS_UPDATED,
    audit_record,
)
from apps.accounts.models import AuditEvent

from .models import AgeBand, Candidate, CandidateDemographics, ResumeParseJob
from .signals import candidate_erasing

EXPORT_FORMAT_VERSION = 1


def _date(value) -> str | None:
    return value.isoformat() if value else None


def candidate_export(*, candidate: Candidate, actor=None) -> dict:
    """Everything stored about ``candidate``, as JSON-ready data. Recorded in the audit log."""
    c = candidate
    credentials = [
        {
            "id": cr.pk,
            "title": cr.title,
            "kind": cr.kind,
            "issuer": cr.issuer.name if cr.issuer else None,
            "issuer_identifier": cr.issuer.identifier if cr.issuer else None,
            "issued_on": _date(cr.issued_on),
            "expires_on": _date(cr.expires_on),
            "level": {"framework": cr.level_framework, "value": cr.level_value, "eqf": cr.eqf_level},
            "hours": cr.hours,
            "ects": str(cr.ects) if cr.ects is not None else None,
            "quality_assured": cr.quality_assured,
            "assessment": cr.assessment,
            "endorsements": cr.endorsements,
            "verification_status": cr.verification_status,
            "verification_checks": cr.verification_checks,
            "format": cr.format,
            "raw_payload": cr.raw_payload,
            "skills": [s.text for s in cr.skills.all()],
            "created_at": _date(cr.created_at),
        }
        for cr in c.credentials.select_related("issuer").prefetch_related("skills").order_by("id")
    ]
    scores = [
        {
            # a row a rescore wrote belongs to that run (stored under the full run it reads)
            "run_id": s.valid_from or s.run_id,
            "job_id": s.run.job_id,
            "job_title": s.run.job.title,
            "run_created_at": _date(s.run.created_at),
            "rank": s.run.rank_of(s.candidate_id, version=s.valid_from),
            "score": s.score,
            "must_have_met": s.must_have_met,
            "verified_share": s.verified_share,
            "explanation": s.explanation,
        }
        for s in c.match_scores.select_related("run__job").order_by("run_id")
    ]
    decisions = [
        {
            "job_id": d.job_id,
            "job_title": d.job.title,
            "decision": d.decision,
            "stage": d.stage_name,
            "reason": d.reason,
            "created_at": _date(d.created_at),
        }
        for d in c.decisions.select_related("job").order_by("created_at", "id")
    ]
    # Recruiters' notes are about the candidate: the export holds their text and time, not who wrote them.
    notes = [
        {"job_id": n.job_id, "text": n.text, "created_at": _date(n.created_at)}
        for n in c.notes.order_by("created_at", "id")
    ]
    # Who revealed is the recruiter's data, not the candidate's: the export says when and for which job.
    reveals = [{"job_id": r.job_id, "created_at": _date(r.created_at)} for r in c.reveals.order_by("created_at", "id")]
    demo = CandidateDemographics.objects.filter(candidate=c).first()
    audit = [
        {"action": e.action, "created_at": _date(e.created_at), "details": e.details}
        for e in AuditEvent.objects.filter(object_type=c._meta.label_lower, object_id=str(c.pk)).order_by(
            "created_at", "id"
        )
    ]
    data = {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": _date(timezone.now()),
        "organization": {"slug": c.organization.slug, "name": c.organization.name},
        "candidate": {
            "id": c.pk,
            "external_id": c.external_id,
            "name": c.name,
            "email": c.email,
            "consent_given": c.consent_given,
            "account": c.user.get_username() if c.user_id else None,
            "created_at": _date(c.created_at),
            "updated_at": _date(c.updated_at),
        },
        "declared_skills": [
            {"text": s.text, "source": s.source, "context": s.context} for s in c.declared_skills.order_by("id")
        ],
        "credentials": credentials,
        "experience": [
            {
                "title": e.title,
                "organization": e.organization,
                "start": _date(e.start),
                "end": _date(e.end),
                "source": e.source,
                "skills": [s.text for s in e.skills.all()],
            }
            for e in c.experiences.prefetch_related("skills").order_by("id")
        ],
        # the scorecard lines recruiters recorded about them (assessor names included: they scored them)
        "assessments": [
            {
                "skill": a.skill,
                "method": a.method,
                "score": a.score,
                "assessor": a.assessor,
                "date": _date(a.assessed_on),
                "job_id": a.job_id,
            }
            for a in c.assessments.order_by("id")
        ],
        "demographics": (
            {
                "consent": demo.consent,
                "gender": demo.gender,
                "age_band": demo.age_band,
                "ethnicity": demo.ethnicity,
                "updated_at": _date(demo.updated_at),
            }
            if demo
            else None
        ),
        "match_scores": scores,
        # CVs uploaded and not confirmed yet (kept for at most TSUMIKI_RESUME_JOB_TTL_SECONDS)
        "resume_parse_jobs": [
            {
                "id": str(j.pk),
                "file": j.filename,
                "status": j.status,
                "draft": j.draft,
                "errors": j.errors,
                "created_at": _date(j.created_at),
                "expires_at": _date(j.expires_at),
            }
            for j in _parse_jobs(c).order_by("created_at")
        ],
        "decisions": decisions,
        "notes": notes,
        "reveals": reveals,
        "audit_events": audit,
    }
    audit_record(organization=c.organization, actor=actor, action=CANDIDATE_DATA_EXPORTED, obj=c)
    return data


def _parse_jobs(c: Candidate):
    """The CV parse jobs about ``c``: for their profile, or uploaded by their own account in its
    organization (a seeker may read a CV before a profile is linked)."""
    about = Q(candidate=c)
    if c.user_id:
        about |= Q(user_id=c.user_id, organization_id=c.organization_id)
    return ResumeParseJob.objects.filter(about)


def candidate_erase(*, candidate: Candidate, actor=None, reason: str = "") -> dict:
    """Delete the candidate and everything hanging off them, in one transaction, and record the
    erasure. Returns a receipt (ids and counts only)."""
    with transaction.atomic():
        c = Candidate.objects.select_for_update().get(pk=candidate.pk)
        counts = {
            "credentials": c.credentials.count(),
            "declared_skills": c.declared_skills.count(),
            "match_scores": c.match_scores.count(),
            "decisions": c.decisions.count(),
            "notes": c.notes.count(),
            "reveals": c.reveals.count(),
            "resume_parse_jobs": _parse_jobs(c).count(),
        }
        receipt = {"candidate_id": c.pk, "erased_at": _date(timezone.now()), "erased": counts}
        # Recorded before the delete (the event keeps the id only: object_type/object_id, no FK).
        audit_record(
            organization=c.organization,
            actor=actor,
            action=CANDIDATE_ERASED,
            obj=c,
            details={"erased": counts, "reason": reason[:200]},
        )
        # subscribers fix what the cascade alone would leave wrong (matching: the runs' pool sizes)
        candidate_erasing.send(sender=Candidate, candidate=c)
        # the cascade takes the jobs for this profile; a job the person's account started without it too
        _parse_jobs(c).delete()
        c.delete()
    return receipt


def _clean(value: str | None, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def demographics_set(
    *,
    candidate: Candidate,
    consent: bool,
    gender: str | None = None,
    age_band: str | None = None,
    ethnicity: str | None = None,
    actor=None,
) -> CandidateDemographics:
    """Store a candidate's self-reported demographics. Without consent nothing but the refusal is kept:
    the fields are cleared, so withdrawing consent also deletes the data."""
    if age_band and age_band not in AgeBand.values:
        raise ValueError(f"age_band must be one of {', '.join(AgeBand.values)}")
    values = (
        {"gender": _clean(gender, 50), "age_band": age_band or "", "ethnicity": _clean(ethnicity, 80)}
        if consent
        else {"gender": "", "age_band": "", "ethnicity": ""}
    )
    demo, _ = CandidateDemographics.objects.update_or_create(
        candidate=candidate, defaults={"consent": consent, **values}
    )
    # The audit event says that the data changed and the consent state, never the values.
    audit_record(
        organization=candidate.organization,
        actor=actor,
        action=DEMOGRAPHICS_UPDATED,
        obj=candidate,
        details={"consent": consent},
    )
    return demo
