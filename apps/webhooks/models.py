"""Webhooks: an organization's endpoints and the log of what was sent to them.

Each row belongs to one organization; the views reach them only through ``request.organization``
(apps.api.mixins.OrganizationScopedMixin), so another tenant's ids are 404s. The tables keep the
names they had when these models lived in apps.api (migrations 0001 here, 0003 there: no data moved).
"""

from __future__ import annotations

import uuid

from django.db import models


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
        db_table = "api_webhookendpoint"
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
        db_table = "api_webhookdelivery"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["endpoint", "-created_at"]), models.Index(fields=["event_id"])]

    def __str__(self) -> str:
        return f"{self.event} -> {self.endpoint_id} ({self.status})"
