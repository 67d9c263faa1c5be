"""API-wide records: idempotency keys, webhook endpoints and their delivery log, background imports.

Each row belongs to one organization; the views reach them only through ``request.organization``
(apps.api.mixins.OrganizationScopedMixin), so another tenant's ids are 404s.
"""

from __future__ import annotations

import uuid

from django.db import models


class IdempotencyKey(models.Model):
    """A POST seen with an ``Idempotency-Key`` header: the request's fingerprint and, once the
    request finished, the response replayed to every retry (apps.api.idempotency)."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="sha256 of method, path and body")
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    # null while the first request is still running (a concurrent retry then gets 409)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.BinaryField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "key"], name="uniq_idempotency_key")]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.key} ({self.method} {self.path})"


class WebhookEvent(models.TextChoices):
    MATCH_RUN_COMPLETED = "match_run.completed", "Match run completed"
    CANDIDATE_RESCORED = "candidate.rescored", "Candidate rescored"
    CREDENTIAL_VERIFIED = "credential.verified", "Credential verified"


class WebhookEndpoint(models.Model):
    """A URL of an organization that receives the events it subscribed to, signed with ``secret``."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    secret = models.CharField(max_length=100, help_text="HMAC-SHA256 key; shown to the client once")
    events = models.JSONField(default=list, help_text="subscribed event types")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RETRYING = "retrying", "Retrying"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one endpoint, with every attempt's outcome summed up.

    ``event_id`` is the event's identity: the same across retries and replays, so receivers can
    deduplicate on it (header ``Tsumiki-Event-Id``)."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=50, choices=WebhookEvent.choices)
    event_id = models.UUIDField(default=uuid.uuid4)
    payload = models.JSONField(help_text="the JSON body, as signed and sent")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    replay_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["endpoint", "-created_at"]), models.Index(fields=["event_id"])]

    def __str__(self) -> str:
        return f"{self.event} -> {self.endpoint_id} ({self.status})"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class CandidateImport(models.Model):
    """A bulk candidate import (JSON lines) processed by a Celery task; clients poll its status."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="candidate_imports"
    )
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    # the body as received; emptied once the import finished (the candidates hold the data then)
    source = models.TextField(blank=True)
    total = models.PositiveIntegerField(default=0, help_text="non-empty lines")
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0, help_text="candidates stored (new or replaced)")
    errors = models.JSONField(default=list, blank=True, help_text="[{line, field, message}], first ones")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # running: the worker's last sign of life (apps.core.heartbeat); queued: when it was last (re-)sent
    # (services.imports_sweep re-sends an import whose task was lost or whose worker died)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"
