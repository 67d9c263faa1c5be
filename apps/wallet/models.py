"""Profile shares: a seeker's consent for one organization to see their profile."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ShareMode(models.TextChoices):
    SNAPSHOT = "snapshot", "A copy as it is today"
    LIVE = "live", "Kept up to date"


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
