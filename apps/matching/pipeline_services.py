"""The hiring pipeline: each organization's stages (New → Shortlisted → ... → Hired, and Rejected), moving
candidates between them (one at a time or in bulk), and recruiters' notes. Every change is written to the
audit log (apps.accounts.audit) in the same transaction, so no move, note or settings change is ever
without its event.

A move is a ShortlistDecision: its ``decision`` is the stage's meaning (shortlist, contact, reject or
none), which is what the adverse-impact report and the data export read, so they keep their meaning
whatever an organization calls or adds as stages.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext, pgettext

from apps.accounts.audit import (
    DECISION_RECORDED,
    NOTE_ADDED,
    PIPELINE_CHANGED,
    audit_record,
)
from apps.accounts.models import Organization
from apps.candidates.models import Candidate
from apps.jobs.models import Job

from .models import CandidateNote, Decision, PipelineStage, ShortlistDecision

# The pipeline every organization starts with: (name, what a move there means). Names are stored as
# written here and shown translated (stage_label: msgctxt "pipeline stage" in the catalogs, so "New"
# as a stage is not "New" as in new search results) until an admin renames them.
STAGE_CONTEXT = "pipeline stage"
DEFAULT_STAGES: tuple[tuple[str, str], ...] = (
    ("New", ""),
    ("Shortlisted", Decision.SHORTLIST),
    ("Contacted", Decision.CONTACT),
    ("Interview", Decision.CONTACT),
    ("Offer", Decision.CONTACT),
    ("Hired", Decision.CONTACT),
    ("Rejected", Decision.REJECT),
)
STAGE_NAME_MAX = 60
REASON_MAX = 500
NOTE_MAX = 4000


class PipelineError(ValueError):
    """A move or a settings change that cannot be made; the message is for the person who asked."""


class ReasonRequired(PipelineError):
    """A move to a rejecting stage without a reason."""


def stage_label(name: str) -> str:
    """A stage's name as shown: a default stage's name in the reader's language (the catalog has them),
    any other name as the admin wrote it (gettext returns text it does not know unchanged)."""
    return pgettext(STAGE_CONTEXT, name) if name else ""


def stages_ensure(*, organization: Organization) -> list[PipelineStage]:
    """The organization's stages in order, creating the default pipeline when it has none (a new
    organization: apps.matching.receivers calls this when one is created)."""
    stages = list(PipelineStage.objects.filter(organization=organization).order_by("position", "id"))
    if stages:
        return stages
    with transaction.atomic():
        # another request may have just created them: the row lock on the organization orders the two
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        stages = list(PipelineStage.objects.filter(organization=organization).order_by("position", "id"))
        if not stages:
            stages = PipelineStage.objects.bulk_create(
                PipelineStage(organization=organization, name=name, position=i, decision=decision)
                for i, (name, decision) in enumerate(DEFAULT_STAGES)
            )
    return stages


def stage_for_decision(*, organization: Organization, decision: str) -> PipelineStage:
    """The first stage (in pipeline order) whose meaning is ``decision``: where a decision recorded by
    its value (the older decision API) lands."""
    for stage in stages_ensure(organization=organization):
        if stage.decision == decision:
            return stage
    raise PipelineError(gettext("No pipeline stage means “%(decision)s”.") % {"decision": decision})


def _clean_reason(stage: PipelineStage, reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) > REASON_MAX:
        raise PipelineError(gettext("Keep the reason under %(n)s characters.") % {"n": REASON_MAX})
    if stage.requires_reason and not reason:
        # a rejection without a reason cannot be reviewed later for fairness
        raise ReasonRequired(gettext("Give a reason when rejecting a candidate."))
    return reason


def _check_stage(job: Job, stage: PipelineStage) -> None:
    if stage.organization_id != job.organization_id:
        raise PipelineError(gettext("That stage is not part of this organization's pipeline."))


def _move(job: Job, candidate_id: int, stage: PipelineStage, user, reason: str, organization) -> ShortlistDecision:
    d = ShortlistDecision.objects.create(
        job=job,
        candidate_id=candidate_id,
        decision=stage.decision,
        stage=stage,
        stage_name=stage.name,
        reason=reason,
        decided_by=user if getattr(user, "pk", None) else None,
    )
    audit_record(
        organization=organization or job.organization,
        actor=user,
        action=DECISION_RECORDED,
        obj=Candidate(pk=candidate_id),
        details={
            "job_id": job.pk,
            "decision_id": d.pk,
            "decision": d.decision,
            "stage_id": stage.pk,
            "stage": stage.name,
            "with_reason": bool(reason),
        },
    )
    return d


def stage_move(
    *, job: Job, candidate: Candidate, stage: PipelineStage, user, reason: str = "", organization=None
) -> ShortlistDecision:
    """Move one candidate to ``stage`` for ``job``: record the decision and its audit event.
    Raises ReasonRequired for a rejecting stage without a reason, PipelineError for another
    organization's stage or candidate."""
    _check_stage(job, stage)
    if candidate.organization_id != job.organization_id:
        raise PipelineError(gettext("That candidate is not in this organization's pool."))
    reason = _clean_reason(stage, reason)
    with transaction.atomic():
        return _move(job, candidate.pk, stage, user, reason, organization)


def stage_move_bulk(
    *, job: Job, candidate_ids: Iterable[int], stage: PipelineStage, user, reason: str = "", organization=None
) -> list[ShortlistDecision]:
    """Move several candidates to one stage in one transaction (all or none), one decision and one
    audit event each. Ids outside the job's organization are refused as a whole."""
    _check_stage(job, stage)
    ids = list(dict.fromkeys(int(i) for i in candidate_ids))
    if not ids:
        raise PipelineError(gettext("Select at least one candidate."))
    found = set(Candidate.objects.filter(organization_id=job.organization_id, pk__in=ids).values_list("pk", flat=True))
    if len(found) != len(ids):
        raise PipelineError(gettext("Some selected candidates are not in this organization's pool."))
    reason = _clean_reason(stage, reason)
    with transaction.atomic():
        return [_move(job, cid, stage, user, reason, organization) for cid in ids]


# ---- settings: the organization's stages --------------------------------------------------------------


def _clean_name(organization: Organization, name: str, *, exclude: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise PipelineError(gettext("Give the stage a name."))
    if len(name) > STAGE_NAME_MAX:
        raise PipelineError(gettext("Keep the stage name under %(n)s characters.") % {"n": STAGE_NAME_MAX})
    others = PipelineStage.objects.filter(organization=organization, name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise PipelineError(gettext("There is already a stage called “%(name)s”.") % {"name": name})
    return name


def _changed(organization: Organization, user, stage: PipelineStage, change: str, **details) -> None:
    audit_record(
        organization=organization,
        actor=user,
        action=PIPELINE_CHANGED,
        obj=stage,
        details={"change": change, "stage_id": stage.pk, "stage": stage.name, **details},
    )


def stage_add(*, organization: Organization, name: str, decision: str, user) -> PipelineStage:
    """Add a stage at the end of the pipeline (before nothing: admins reorder it after)."""
    if decision not in ("", *Decision.values):
        raise PipelineError(gettext("Choose what a move to this stage means."))
    stages_ensure(organization=organization)
    name = _clean_name(organization, name)
    with transaction.atomic():
        last = PipelineStage.objects.filter(organization=organization).aggregate(m=Max("position"))["m"]
        stage = PipelineStage.objects.create(
            organization=organization, name=name, decision=decision, position=(last or 0) + 1
        )
        _changed(organization, user, stage, "added", decision=decision)
    return stage


def stage_rename(*, stage: PipelineStage, name: str, user) -> PipelineStage:
    """Rename a stage. Past decisions keep the name the stage had when they were made."""
    name = _clean_name(stage.organization, name, exclude=stage.pk)
    old = stage.name
    if name == old:
        return stage
    with transaction.atomic():
        stage.name = name
        stage.save(update_fields=["name"])
        _changed(stage.organization, user, stage, "renamed", old_name=old)
    return stage


def stage_reorder(*, stage: PipelineStage, offset: int, user) -> list[PipelineStage]:
    """Move a stage ``offset`` places up (negative) or down (positive), clamped to the ends; positions
    are renumbered 0..n-1. Returns the stages in their new order."""
    organization = stage.organization
    with transaction.atomic():
        stages = list(
            PipelineStage.objects.select_for_update().filter(organization=organization).order_by("position", "id")
        )
        index = next(i for i, s in enumerate(stages) if s.pk == stage.pk)
        target = max(0, min(len(stages) - 1, index + offset))
        if target != index:
            stages.insert(target, stages.pop(index))
            for i, s in enumerate(stages):
                s.position = i
            PipelineStage.objects.bulk_update(stages, ["position"])
            _changed(organization, user, stage, "reordered", position=target)
    return stages


def stage_remove(*, stage: PipelineStage, user) -> None:
    """Remove a stage. Decisions that moved candidates there keep its name; the last stage stays."""
    organization = stage.organization
    with transaction.atomic():
        if PipelineStage.objects.filter(organization=organization).count() <= 1:
            raise PipelineError(gettext("A pipeline needs at least one stage."))
        _changed(organization, user, stage, "removed")
        stage.delete()


# ---- notes --------------------------------------------------------------------------------------------


def note_add(*, job: Job, candidate: Candidate, user, text: str, organization=None) -> CandidateNote:
    """A recruiter's note about a candidate for a job, with its author and time."""
    text = (text or "").strip()
    if not text:
        raise PipelineError(gettext("Write something in the note first."))
    if len(text) > NOTE_MAX:
        raise PipelineError(gettext("Keep a note under %(n)s characters.") % {"n": NOTE_MAX})
    if candidate.organization_id != job.organization_id:
        raise PipelineError(gettext("That candidate is not in this organization's pool."))
    with transaction.atomic():
        note = CandidateNote.objects.create(job=job, candidate=candidate, author=user, text=text)
        audit_record(
            organization=organization or job.organization,
            actor=user,
            action=NOTE_ADDED,
            obj=candidate,
            details={"job_id": job.pk, "note_id": note.pk},
        )
    return note
