"""Sharing a seeker's profile with an organization, keeping the shared copy up to date, and revoking.

The seeker keeps one profile (their credentials, declared skills and experience) in the organization
they signed up with. Applying to another organization's job, through the job's apply link, or
accepting an organization's invitation (apps.wallet.invitations) records their consent for that
organization and gives it a candidate made from that profile: a snapshot, or
a live copy that follows the profile whenever it gains evidence. Revoking erases the organization's
copy (scores, decisions and notes about it go with it, as in any erasure) and keeps the consent record
without profile data. Demographics and an organization's own assessments never travel."""

from __future__ import annotations

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.audit import PROFILE_SHARE_REVOKED, PROFILE_SHARED, audit_record
from apps.accounts.models import Organization
from apps.candidates.models import Candidate
from apps.candidates.rights import candidate_erase
from apps.credentials.models import Credential, CredentialSkill
from apps.credentials.signals import credentials_imported
from apps.jobs.models import Job, JobStatus

from .models import ProfileShare, ShareMode, ShareVia

_APPLY_SALT = "tsumiki.wallet.apply"


class ShareError(ValueError):
    """A share that cannot be made, with a message for the seeker."""


def apply_token(*, job: Job) -> str:
    """The token of a job's apply link (signed, so it names the job without letting anyone guess others)."""
    # a plain signature, no timestamp: the link stays the same for as long as the job is open
    return signing.Signer(salt=_APPLY_SALT).sign_object({"job": job.pk}, compress=True)


def job_from_apply_token(token: str) -> Job | None:
    """The open job an apply link names, or None for a broken, forged or closed link."""
    try:
        job_id = signing.Signer(salt=_APPLY_SALT).unsign_object(token)["job"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    return Job.objects.select_related("organization").filter(pk=job_id, status=JobStatus.OPEN).first()


def home_profile(*, user) -> Candidate | None:
    """The profile the seeker keeps their evidence in: the one in their own organization (their
    membership's), never a copy an organization holds."""
    membership = user.membership
    if membership is None:
        return None
    return (
        Candidate.objects.filter(user=user, organization=membership.organization, shared_from__isnull=True)
        .order_by("id")
        .first()
    )


def _copy_evidence(*, source: Candidate, copy: Candidate) -> None:
    """Make ``copy``'s evidence exactly ``source``'s: credentials with their skills and verification,
    declared skills, and experience with its skills."""
    copy.credentials.all().delete()
    copy.declared_skills.all().delete()
    copy.experiences.all().delete()
    for cred in source.credentials.prefetch_related("skills").order_by("id"):
        skills = list(cred.skills.all())
        cred.pk = None
        cred.id = None
        cred.candidate = copy
        cred._state.adding = True
        cred.save()
        CredentialSkill.objects.bulk_create(
            [CredentialSkill(credential=cred, phrase_id=s.phrase_id, text=s.text, skill_id=s.skill_id) for s in skills]
        )
    for skill in source.declared_skills.order_by("id"):
        copy.declared_skills.create(
            phrase_id=skill.phrase_id,
            text=skill.text,
            source=skill.source,
            context=skill.context,
            entered_by=skill.entered_by,
        )
    for exp in source.experiences.prefetch_related("skills").order_by("id"):
        new = copy.experiences.create(
            title=exp.title,
            organization=exp.organization,
            start=exp.start,
            end=exp.end,
            source=exp.source,
            entered_by=exp.entered_by,
        )
        for s in exp.skills.all():
            new.skills.create(phrase_id=s.phrase_id, text=s.text)


def _announce(copy: Candidate) -> None:
    """Tell the higher layers (matching rescores open runs) once the copy's evidence is committed."""
    transaction.on_commit(
        lambda: credentials_imported.send_robust(
            sender=Credential, candidate=copy, credentials=list(copy.credentials.all())
        ),
        robust=True,
    )


def profile_share(
    *, user, job: Job | None = None, organization: Organization | None = None, mode: str, via: str
) -> ProfileShare:
    """Share the seeker's profile with an organization: ``job``'s (their application to it, or an
    invitation for that job) or ``organization`` (an invitation to its talent pool). A second share
    with the same organization reuses the consent record (and refreshes the copy), keeping the job
    it named unless a new one is given."""
    if mode not in ShareMode.values:
        raise ShareError(_("Choose how the organization sees your profile."))
    if via not in ShareVia.values:
        raise ValueError(f"unknown share route {via!r}")
    if job is not None:
        if organization is not None and organization.pk != job.organization_id:
            raise ValueError("the job belongs to another organization")
        organization = job.organization
    if organization is None:
        raise ValueError("profile_share needs a job or an organization")
    source = home_profile(user=user)
    if source is None:
        raise ShareError(_("You have no profile to share yet: add a credential or a skill first."))
    if organization.pk == source.organization_id:
        if job is not None:
            raise ShareError(_("This job is in your own organization: it already sees your profile."))
        raise ShareError(_("This is your own organization: it already sees your profile."))
    now = timezone.now()
    with transaction.atomic():
        share = (
            ProfileShare.objects.select_for_update()
            .filter(user=user, organization=organization, revoked_at__isnull=True)
            .first()
        )
        if share is None:
            copy = Candidate.objects.create(
                organization=organization,
                user=user,
                external_id=f"shared-{source.pk}-{now:%Y%m%d%H%M%S}",
                name=source.name,
                email=source.email,
                consent_given=True,
            )
            share = ProfileShare.objects.create(
                user=user,
                source=source,
                organization=organization,
                job=job,
                job_title=job.title[:300] if job is not None else "",
                copy=copy,
                mode=mode,
                via=via,
                consented_at=now,
                refreshed_at=now,
            )
        else:
            share.mode, share.via, share.refreshed_at = mode, via, now
            if job is not None:
                share.job, share.job_title = job, job.title[:300]
            share.save(update_fields=["mode", "via", "job", "job_title", "refreshed_at"])
        _copy_evidence(source=source, copy=share.copy)
        audit_record(
            organization=organization,
            actor=user,
            action=PROFILE_SHARED,
            obj=share.copy,
            details={"job_id": job.pk if job is not None else None, "mode": mode, "via": via, "share_id": share.pk},
        )
        _announce(share.copy)
    return share


def share_refresh(*, share: ProfileShare) -> bool:
    """Bring a live share's copy up to the seeker's profile; False (nothing done) for a snapshot or a
    revoked share."""
    if share.mode != ShareMode.LIVE or not share.active or share.copy is None or share.source is None:
        return False
    with transaction.atomic():
        _copy_evidence(source=share.source, copy=share.copy)
        ProfileShare.objects.filter(pk=share.pk).update(refreshed_at=timezone.now())
        _announce(share.copy)
    return True


def share_revoke(*, share: ProfileShare, actor, reason: str = "the seeker revoked consent") -> ProfileShare:
    """End the organization's access: its copy is erased (with its scores, decisions and notes) and the
    consent record says when access ended."""
    with transaction.atomic():
        share = ProfileShare.objects.select_for_update().get(pk=share.pk)
        if not share.active:
            return share
        copy = share.copy
        share.revoked_at = timezone.now()
        share.copy = None
        share.save(update_fields=["revoked_at", "copy"])
        audit_record(
            organization=share.organization,
            actor=actor,
            action=PROFILE_SHARE_REVOKED,
            obj=share,
            details={"share_id": share.pk},
        )
        if copy is not None:
            candidate_erase(candidate=copy, actor=actor, reason=reason)
    return share


def shares_of(*, user) -> list[ProfileShare]:
    """Every share the seeker has made, current first."""
    return list(
        ProfileShare.objects.filter(user=user)
        .select_related("organization", "copy")
        .order_by("revoked_at", "-consented_at")
    )
