"""Users, organizations (tenants), memberships with roles, and API keys."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class Organization(models.Model):
    """A tenant: an employer or agency. Every job, candidate and run belongs to exactly one."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in; their organization and role come from their membership."""

    @property
    def membership(self) -> Membership | None:
        """The user's first membership (demo and most deployments have exactly one), read once per
        instance. The user of a request comes with it (apps.accounts.backends.AccountBackend); "none"
        is remembered too, so a user without a membership costs no query per look."""
        try:
            return self._membership_cache
        except AttributeError:
            self._membership_cache = self.memberships.select_related("organization").order_by("id").first()
            return self._membership_cache

    def set_membership_cache(self, membership: Membership | None) -> None:
        """Fill ``membership`` from a read that already joined it (apps.accounts.selectors)."""
        self._membership_cache = membership


class Role(models.TextChoices):
    RECRUITER = "recruiter", "Recruiter"
    SEEKER = "seeker", "Job seeker"
    INTEGRATION = "integration", "Integration"


class Membership(models.Model):
    """A user's role inside one organization."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    # An admin of the organization may change its settings (the hiring pipeline) and read its audit log.
    is_admin = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="uniq_membership")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


class ApiKey(models.Model):
    """An organization's API key. Only a SHA-256 hash is stored; the prefix identifies it in lists."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.organization.slug})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or delete an audit event through the model API."""


class AuditEventQuerySet(models.QuerySet):
    """Append-only: bulk ``update``/``delete`` refuse. Only ``purge_older_than`` (the retention job,
    apps.accounts.management.commands.purge_audit) removes rows."""

    def update(self, **kwargs):
        raise AuditLogImmutable("Audit events are append-only; they cannot be updated.")

    def delete(self):
        raise AuditLogImmutable("Audit events are append-only; use purge_audit for retention.")

    def purge_older_than(self, cutoff) -> int:
        """Delete events created before ``cutoff``; returns how many. Nothing points at an audit event,
        so a raw delete (no collector, no signals) is safe."""
        qs = self.filter(created_at__lt=cutoff)
        qs._for_write = True
        return qs._raw_delete(qs.db)


class AuditEvent(models.Model):
    """Who did what, when, to which object: match runs started (with model, parameters and taxonomy
    version), reveals, decisions, exports, candidate data exports and erasures. Written by
    apps.accounts.audit.audit_record only. ``details`` holds ids and parameters, never a candidate's
    name or contact data, so an erased candidate leaves no personal data here."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="audit_events")
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.CharField(max_length=150, help_text="username, 'api-key:<prefix>' or 'system'")
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutable("Audit events are append-only; they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("Audit events are append-only; use purge_audit for retention.")
