"""API-wide records: idempotency keys (apps.api.idempotency), one per organization and key.

The API's domain records live with their domains: webhooks in apps.webhooks, background candidate
imports in apps.candidates (their tables kept their ``api_`` names when they moved).
"""

from __future__ import annotations

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
