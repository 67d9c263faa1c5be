"""Serializers for webhooks: endpoints and deliveries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.validators import URLValidator
from django.urls import reverse
from rest_framework import serializers

from apps.api.fields import StrictBooleanField, StrictCharField
from apps.api.schema import choice_field

from ..models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent
from ..services import WebhookTargetRefused, webhook_target_check


def _absolute(context: Mapping[str, Any], name: str, *args: object) -> str:
    path = reverse(name, args=args)
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


class WebhookEndpointSerializer(serializers.ModelSerializer):
    """A subscription. The signing secret is shown only when created or rotated."""

    url = serializers.URLField(
        max_length=2000,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="where events are POSTed: https (http only where the operator allows it), on a public address",
    )
    events = serializers.ListField(
        child=choice_field(WebhookEvent, component="WebhookEvent"),
        allow_empty=False,
        max_length=len(WebhookEvent.values),
        help_text="event types to receive",
    )
    description = StrictCharField(required=False, allow_blank=True, max_length=200)
    is_active = StrictBooleanField(required=False, help_text="false pauses deliveries")
    deliveries_url = serializers.SerializerMethodField()
    self_url = serializers.SerializerMethodField()

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "events",
            "description",
            "is_active",
            "created_at",
            "updated_at",
            "self_url",
            "deliveries_url",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate_url(self, value: str) -> str:
        try:
            webhook_target_check(url=value)
        except WebhookTargetRefused as e:
            raise serializers.ValidationError(str(e)) from None
        return value

    def get_self_url(self, obj: WebhookEndpoint) -> str:
        return _absolute(self.context, "api:webhook-endpoint-detail", obj.pk)

    def get_deliveries_url(self, obj: WebhookEndpoint) -> str:
        return _absolute(self.context, "api:webhook-delivery-list") + f"?endpoint={obj.pk}"


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="HMAC-SHA256 signing key: store it now, it is not shown again"
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    event = choice_field(WebhookEvent, component="WebhookEvent", read_only=True)
    status = choice_field(DeliveryStatus, component="DeliveryStatus", read_only=True)
    payload = serializers.JSONField(help_text="the JSON body sent (and signed)")
    self_url = serializers.SerializerMethodField()
    replay_url = serializers.SerializerMethodField(help_text="POST here to send it again")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "event",
            "event_id",
            "status",
            "attempts",
            "response_code",
            "response_excerpt",
            "error",
            "replay_of",
            "created_at",
            "last_attempt_at",
            "next_attempt_at",
            "delivered_at",
            "payload",
            "self_url",
            "replay_url",
        ]
        read_only_fields = fields

    def get_self_url(self, obj: WebhookDelivery) -> str:
        return _absolute(self.context, "api:webhook-delivery-detail", obj.pk)

    def get_replay_url(self, obj: WebhookDelivery) -> str:
        return _absolute(self.context, "api:webhook-delivery-replay", obj.pk)
