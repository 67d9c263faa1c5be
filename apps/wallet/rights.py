"""A seeker's data-subject rights across every organization (GDPR arts. 15, 17, 20): one export of
everything held about them, and one erasure of it, wherever it is held.

A person's data is spread over their own profile (in the organization they signed up with), each
organization's copy made when they shared it (apps.wallet.services), the consent records of those
shares, and the invitations organizations mailed to their address. The per-candidate export and
erasure (apps.candidates.rights) stay the one way to read or delete a candidate: this module calls
them once per profile, so each organization's audit log records the export or erasure of its own
copy, with ids only. The login account is kept: it is how the person signs in to see that nothing is
left, and closing it is a separate request."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.candidates.models import Candidate, ResumeParseJob
from apps.candidates.rights import candidate_erase, candidate_export

from .invitations import addresses_of
from .models import ProfileInvitation, ProfileShare
from .services import home_profile, share_revoke

EXPORT_FORMAT_VERSION = 1
ERASURE_REASON = "the seeker erased their data everywhere"


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _org(organization) -> dict:
    return {"slug": organization.slug, "name": organization.name}


def _invitations_to(user):
    """Invitations addressed to the user: accepted through one of their shares, or mailed to one of
    their addresses (compared without regard to case)."""
    match = Q(share__user=user)
    for address in addresses_of(user):
        match |= Q(email__iexact=address)
    return ProfileInvitation.objects.filter(match).select_related("organization", "job")


def _held_profiles(user) -> tuple[Candidate | None, list[ProfileShare], list[Candidate]]:
    """(own profile, every share with its organization's copy, any other candidate linked to the login)."""
    home = home_profile(user=user)
    shares = list(
        ProfileShare.objects.filter(user=user).select_related("organization", "copy").order_by("consented_at", "id")
    )
    known = {c for c in [home.pk if home else None, *(s.copy_id for s in shares)] if c is not None}
    others = list(Candidate.objects.filter(user=user).exclude(pk__in=known).select_related("organization"))
    return home, shares, others


def held_summary(*, user) -> dict:
    """What the "My data" page lists: the own profile, each share (with whether its organization still
    holds a copy), other linked profiles and the invitations received. Reads only: nothing is logged."""
    home, shares, others = _held_profiles(user)
    now = timezone.now()
    invitations = list(_invitations_to(user).order_by("-created_at", "-id"))
    for inv in invitations:
        inv.current_state = inv.state_at(now)
    holding = sorted(
        {s.organization.name for s in shares if s.copy_id is not None}
        | {c.organization.name for c in [home, *others] if c is not None}
    )
    return {
        "home": home,
        "shares": shares,
        "others": others,
        "invitations": invitations,
        "holding": holding,
        "has_data": bool(holding or shares or invitations),
    }


def wallet_export(*, user) -> dict:
    """Everything held about ``user`` in every organization, as JSON-ready data: their own profile,
    each share (organization, job, mode, consent, revocation) with that organization's copy, any other
    profile linked to their login, and the invitations sent to them. Each profile's export is recorded
    in its organization's audit log."""
    home, shares, others = _held_profiles(user)
    membership = user.membership
    now = timezone.now()
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": _date(now),
        "account": {
            "username": user.get_username(),
            "email": user.email or None,
            "organization": _org(membership.organization) if membership is not None else None,
            "date_joined": _date(user.date_joined),
        },
        "home_profile": candidate_export(candidate=home, actor=user) if home is not None else None,
        "shares": [
            {
                "organization": _org(s.organization),
                "job_id": s.job_id,
                "job_title": s.job_title or None,
                "mode": s.mode,
                "via": s.via,
                "consented_at": _date(s.consented_at),
                "refreshed_at": _date(s.refreshed_at),
                "revoked_at": _date(s.revoked_at),
                "active": s.active,
                "copy": candidate_export(candidate=s.copy, actor=user) if s.copy is not None else None,
            }
            for s in shares
        ],
        "other_profiles": [candidate_export(candidate=c, actor=user) for c in others],
        "invitations": [
            {
                "organization": _org(inv.organization),
                "job_title": inv.job.title if inv.job is not None else None,
                "email": inv.email,
                "sent_at": _date(inv.created_at),
                "state": inv.state_at(now),
                "accepted_at": _date(inv.accepted_at),
                "revoked_at": _date(inv.revoked_at),
            }
            for inv in _invitations_to(user).order_by("created_at", "id")
        ],
    }


def wallet_erase(*, user) -> dict:
    """Erase ``user``'s own profile and every organization's copy of it (each with its scores, decisions
    and notes, through candidates.rights.candidate_erase), their consent records, the invitations
    sent to them and the CVs they uploaded and did not confirm, in one transaction. The login account
    stays. Returns a receipt (counts and the organizations' names, no profile data)."""
    with transaction.atomic():
        # read the addresses before the profile that holds one of them is gone
        invitations = list(_invitations_to(user).values_list("pk", flat=True))
        home, shares, others = _held_profiles(user)
        organizations = {s.organization.name for s in shares if s.copy_id is not None}
        organizations |= {c.organization.name for c in others}
        profiles = 0
        for share in shares:
            if share.active and share.copy_id is not None:
                share_revoke(share=share, actor=user, reason=ERASURE_REASON)
                profiles += 1
        for candidate in [home, *others]:
            if candidate is not None:
                organizations.add(candidate.organization.name)
                candidate_erase(candidate=candidate, actor=user, reason=ERASURE_REASON)
                profiles += 1
        n_shares, _ = ProfileShare.objects.filter(user=user).delete()
        n_invitations, _ = ProfileInvitation.objects.filter(pk__in=invitations).delete()
        # CVs they uploaded and have not confirmed, wherever (those for an erased profile went with it)
        n_uploads, _ = ResumeParseJob.objects.filter(user=user).delete()
    return {
        "erased_at": _date(timezone.now()),
        "organizations": sorted(organizations),
        "profiles": profiles,
        "shares": n_shares,
        "invitations": n_invitations,
        "cv_uploads": n_uploads,
    }
