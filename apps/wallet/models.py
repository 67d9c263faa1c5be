"""Profile shares (a seeker's consent for one organization to see their profile) and the invitations an
organization sends asking for one."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class ShareMode(models.TextChoices):
    SNAPSHOT = "snapshot", "A copy as it is today"
    LIVE = "live", "Kept up to date"


class ShareVia(models.TextChoices):
    APPLY = "apply", "Applied through the job's apply link"
    INVITATION = "invitation", "Accepted the organization's invitation"


class ProfileShare(models.Model):
    """One seeker's consent for one organization to hold their profile.

    ``source`` is the seeker's own profile (the one they keep their credentials, skills and experience
    in); ``copy`` is the candidate the organization sees, made from it when consent is given and, in
    ``live`` mode, refreshed whenever the source gains evidence. Revoking erases the copy and keeps
    this row (who consented to whom, when, and when it ended) without any profile data."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile_shares")
    source = models.ForeignKey("candidates.Candidate", on_delete=models.SET_NULL, null=True, related_name="shares_out")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="profile_shares")
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    job_title = models.CharField(max_length=300, blank=True, help_text="kept if the job is later deleted")
    copy = models.OneToOneField(
        "candidates.Candidate", on_delete=models.SET_NULL, null=True, blank=True, related_name="shared_from"
    )
    mode = models.CharField(max_length=10, choices=ShareMode.choices, default=ShareMode.SNAPSHOT)
    via = models.CharField(max_length=12, choices=ShareVia.choices, default=ShareVia.APPLY)
    consented_at = models.DateTimeField()
    refreshed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-consented_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=models.Q(revoked_at__isnull=True),
                name="uniq_active_share_per_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organization} ({self.mode})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


# How long an invitation's link works: long enough for someone to notice the mail and sign up, short
# enough that an old mail found later does not hand a profile to an organization that no longer asks.
INVITATION_MAX_AGE = timedelta(days=14)


class InvitationState(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"


class ProfileInvitation(models.Model):
    """An organization's request, mailed to one address, that its owner share their profile with it
    (optionally for one job). The link carries a signed, time-limited token naming this row
    (apps.wallet.invitations); only an account with the invited address can accept it, once."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="profile_invitations"
    )
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    email = models.EmailField(max_length=254)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    share = models.ForeignKey(
        ProfileShare, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "created_at"], name="wallet_invite_org_time")]

    def __str__(self) -> str:
        return f"invitation {self.pk} from {self.organization}"

    def state_at(self, now) -> str:
        """pending, accepted, revoked or expired (accepted and revoked win over the clock)."""
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if now - self.created_at > INVITATION_MAX_AGE:
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    @property
    def state(self) -> str:
        return self.state_at(timezone.now())
