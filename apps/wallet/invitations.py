"""Invitations: an organization asks a person, by e-mail, to share their profile with it (optionally for
one job).

The mail carries a link with a signed token (``TimestampSigner`` over the invitation's id, so it names
one row, cannot be guessed or altered, and stops working after ``INVITATION_MAX_AGE``). Opening it
shows the same consent page as applying; only an account whose address (the login's, or the one on
the seeker's own profile) is the invited one can accept, and only once. Accepting records consent
through ``services.profile_share``: the invitation only asks, the seeker decides what is shared and
how. An organization may send ``TSUMIKI_INVITATIONS_PER_HOUR`` invitations per rolling hour. Audit
events hold the invitation's id and job, never the address."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.accounts.audit import PROFILE_INVITATION_REVOKED, PROFILE_INVITED, audit_record
from apps.accounts.models import Organization
from apps.jobs.models import Job

from .models import INVITATION_MAX_AGE, InvitationState, ProfileInvitation, ProfileShare, ShareVia
from .services import home_profile, profile_share

_SALT = "tsumiki.wallet.invitation"

# Why an invitation link cannot be used; each has its own page (dashboard.views.wallet).
INVALID = "invalid"  # not a token we signed, or its invitation no longer exists
EXPIRED = "expired"
REVOKED = "revoked"
USED = "used"
WRONG_ACCOUNT = "wrong_account"


class InvitationError(ValueError):
    """An invitation that cannot be sent or revoked, with a message for the recruiter."""


class InvitationUnusable(Exception):
    """An invitation link that cannot be accepted; ``reason`` is one of the codes above."""

    def __init__(self, reason: str, invitation: ProfileInvitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def invitation_token(*, invitation: ProfileInvitation) -> str:
    """The token of the invitation's link, signed now (the clock of its expiry starts here)."""
    return signing.TimestampSigner(salt=_SALT).sign(str(invitation.pk))


def invitation_from_token(token: str) -> ProfileInvitation:
    """The pending invitation a link names; raises InvitationUnusable for a tampered, expired, revoked
    or already used one, or one that no longer exists."""
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        value = signer.unsign(token, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        # the signature is ours, only old: name the organization so the page can say whom to ask
        raise InvitationUnusable(EXPIRED, _lookup(signer.unsign(token))) from None
    except (signing.BadSignature, ValueError):  # ValueError: text that cannot even be hashed
        raise InvitationUnusable(INVALID) from None
    invitation = _lookup(value)
    if invitation is None:
        raise InvitationUnusable(INVALID)
    check_pending(invitation)
    return invitation


def _lookup(value: str) -> ProfileInvitation | None:
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return ProfileInvitation.objects.select_related("organization", "job", "share").filter(pk=int(value)).first()


def check_pending(invitation: ProfileInvitation) -> None:
    """Raise InvitationUnusable unless the invitation can still be accepted (or signed up from)."""
    state = invitation.state
    if state == InvitationState.ACCEPTED:
        raise InvitationUnusable(USED, invitation)
    if state == InvitationState.REVOKED:
        raise InvitationUnusable(REVOKED, invitation)
    if state == InvitationState.EXPIRED:
        raise InvitationUnusable(EXPIRED, invitation)


def addresses_of(user) -> set[str]:
    """The addresses that identify the user: their login's and their own profile's."""
    profile = home_profile(user=user)
    found = {user.email, profile.email if profile is not None else ""}
    return {a.strip().casefold() for a in found if a and a.strip()}


def invitation_is_for(*, invitation: ProfileInvitation, user) -> bool:
    """Whether ``user`` is the person invited (addresses compared without regard to case)."""
    return invitation.email.strip().casefold() in addresses_of(user)


def masked_email(address: str) -> str:
    """The invited address with its local part hidden ("s•••@example.com"): enough for its owner to
    recognise, not enough to hand someone else's address to whoever holds the link."""
    local, _sep, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"


def _sent_in_last_hour(organization: Organization) -> int:
    since = timezone.now() - timedelta(hours=1)
    return ProfileInvitation.objects.filter(organization=organization, created_at__gte=since).count()


def invitation_send(
    *,
    organization: Organization,
    email: str,
    invited_by,
    link_for: Callable[[str], str],
    job: Job | None = None,
) -> ProfileInvitation:
    """Record an invitation and mail its link once the transaction commits. ``link_for`` turns a token
    into the absolute URL of the invitation page. Raises InvitationError (a message for the form) for
    an invalid address, a pending invitation to the same address for the same job, or past the
    hourly cap."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise InvitationError(_("Enter a valid e-mail address.")) from None
    if job is not None and job.organization_id != organization.pk:
        raise ValueError("the job belongs to another organization")
    cap = settings.TSUMIKI_INVITATIONS_PER_HOUR
    with transaction.atomic():
        # one organization's invitations are counted and written one at a time, so the cap holds
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        if _sent_in_last_hour(organization) >= cap:
            raise InvitationError(
                _("Your organization has sent %(cap)s invitations in the last hour, the most allowed. Try again later.")
                % {"cap": cap}
            )
        pending = [
            inv
            for inv in ProfileInvitation.objects.filter(
                organization=organization, job=job, email__iexact=email, accepted_at=None, revoked_at=None
            )
            if inv.state == InvitationState.PENDING
        ]
        if pending:
            raise InvitationError(
                _(
                    "This address already has a pending invitation for this job (sent %(date)s). "
                    "Revoke it first to send a new one."
                )
                % {"date": formats.date_format(timezone.localtime(pending[0].created_at), "DATE_FORMAT")}
            )
        invitation = ProfileInvitation.objects.create(
            organization=organization, job=job, email=email, invited_by=invited_by
        )
        audit_record(
            organization=organization,
            actor=invited_by,
            action=PROFILE_INVITED,
            obj=invitation,
            details={"invitation_id": invitation.pk, "job_id": job.pk if job is not None else None},
        )
        subject, body = _mail(invitation, link_for(invitation_token(invitation=invitation)))
        transaction.on_commit(
            lambda: send_mail(subject, body, None, [email], fail_silently=False),
            robust=True,
        )
    return invitation


def _mail(invitation: ProfileInvitation, link: str) -> tuple[str, str]:
    """Subject and text of the invitation mail, in the language of the recruiter who sends it."""
    org = invitation.organization.name
    until = formats.date_format(timezone.localtime(invitation.created_at + INVITATION_MAX_AGE), "DATE_FORMAT")
    subject = _("%(org)s invites you to share your Tsumiki profile") % {"org": org}
    if invitation.job is not None:
        ask = _("%(org)s would like to consider you for the job “%(job)s” and invites you to share your profile.") % {
            "org": org,
            "job": invitation.job.title,
        }
    else:
        ask = _("%(org)s invites you to share your profile with its talent pool.") % {"org": org}
    body = "\n\n".join(
        [
            ask,
            _(
                "Open the link below, sign in with your Tsumiki job seeker account for this address (or "
                "create one there), and choose what they see: a copy of your profile as it is today, or one "
                "kept up to date. "
                "Nothing is shared until you consent, and you can revoke at any time."
            ),
            link,
            _("The link works until %(date)s. If you did not expect this mail, ignore it.") % {"date": until},
        ]
    )
    return subject, body + "\n"


def invitation_revoke(*, invitation: ProfileInvitation, actor) -> ProfileInvitation:
    """Withdraw a pending (or expired) invitation: its link stops working. An accepted one cannot be
    revoked here, since the share is the seeker's to end."""
    with transaction.atomic():
        invitation = ProfileInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationError(_("This invitation was accepted; only the person who shared can end the share."))
        if invitation.revoked_at is not None:
            return invitation
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(
            organization=invitation.organization,
            actor=actor,
            action=PROFILE_INVITATION_REVOKED,
            obj=invitation,
            details={"invitation_id": invitation.pk, "job_id": invitation.job_id},
        )
    return invitation


def invitation_accept(*, invitation: ProfileInvitation, user, mode: str) -> ProfileShare:
    """The invited person consents: their profile is shared with the organization (for the job the
    invitation names) and the invitation is used up. Raises InvitationUnusable when it was revoked,
    used or expired meanwhile or ``user`` is not the person invited, and services.ShareError when there
    is nothing to share."""
    with transaction.atomic():
        invitation = (
            ProfileInvitation.objects.select_for_update().select_related("organization", "job").get(pk=invitation.pk)
        )
        check_pending(invitation)
        if not invitation_is_for(invitation=invitation, user=user):
            raise InvitationUnusable(WRONG_ACCOUNT, invitation)
        share = profile_share(
            user=user,
            job=invitation.job,
            organization=invitation.organization,
            mode=mode,
            via=ShareVia.INVITATION,
        )
        invitation.accepted_at, invitation.share = timezone.now(), share
        invitation.save(update_fields=["accepted_at", "share"])
    return share


def invitations_sent(*, organization: Organization, job: Job | None = None, limit: int = 50) -> list:
    """The organization's latest invitations, for ``job`` and for its talent pool (no job), newest first,
    with their state."""
    qs = ProfileInvitation.objects.filter(organization=organization).select_related("job")
    if job is not None:
        qs = qs.filter(Q(job=job) | Q(job__isnull=True))
    now = timezone.now()
    invitations = list(qs.order_by("-created_at", "-id")[:limit])
    for inv in invitations:
        inv.current_state = inv.state_at(now)
    return invitations
