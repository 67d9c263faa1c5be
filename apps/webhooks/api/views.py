"""Webhooks over the API: subscriptions (endpoints) and the delivery log, with replay."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.api.mixins import OrganizationScopedMixin
from apps.api.schema import problems

from ..models import WebhookDelivery, WebhookEndpoint
from ..services import (
    webhook_delivery_replay,
    webhook_endpoint_create,
    webhook_endpoint_rotate_secret,
    webhook_endpoint_update,
)
from .serializers import WebhookDeliverySerializer, WebhookEndpointCreatedSerializer, WebhookEndpointSerializer


@extend_schema_view(
    list=extend_schema(summary="List webhook endpoints"),
    retrieve=extend_schema(summary="Get a webhook endpoint"),
    destroy=extend_schema(summary="Delete a webhook endpoint", description="Deletes it with its delivery log."),
)
class WebhookEndpointViewSet(
    OrganizationScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = WebhookEndpointSerializer
    api_tag = "webhooks"
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        return WebhookEndpoint.objects.order_by("id")

    @extend_schema(
        summary="Subscribe to events",
        description="Events are POSTed to `url` as JSON, signed in the `Tsumiki-Signature` header "
        '(`t=<unix time>,v1=<hex HMAC-SHA256 of "{t}.{body}" with the secret>`). The secret is in '
        "this response only.",
        request=WebhookEndpointSerializer,
        responses={201: WebhookEndpointCreatedSerializer, **problems(400)},
    )
    def create(self, request, *args, **kwargs):
        body = WebhookEndpointSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        endpoint = webhook_endpoint_create(organization=request.organization, **body.validated_data)
        data = WebhookEndpointCreatedSerializer(endpoint, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["self_url"]})

    @extend_schema(
        summary="Update a webhook endpoint",
        request=WebhookEndpointSerializer,
        responses={200: WebhookEndpointSerializer, **problems(400)},
    )
    def partial_update(self, request, *args, **kwargs):
        endpoint = self.get_object()
        body = WebhookEndpointSerializer(endpoint, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        endpoint = webhook_endpoint_update(endpoint=endpoint, **body.validated_data)
        return Response(self.get_serializer(endpoint).data)

    @extend_schema(
        summary="Rotate the signing secret",
        description="A new secret replaces the old one at once; it is in this response only.",
        request=None,
        responses={200: WebhookEndpointCreatedSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, *args, **kwargs):
        endpoint = webhook_endpoint_rotate_secret(endpoint=self.get_object())
        return Response(WebhookEndpointCreatedSerializer(endpoint, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(
        summary="List webhook deliveries",
        description="Newest first; filter by `endpoint`, `event`, `status` or `event_id`.",
    ),
    retrieve=extend_schema(summary="Get a webhook delivery"),
)
class WebhookDeliveryViewSet(
    OrganizationScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = WebhookDeliverySerializer
    api_tag = "webhooks"
    organization_field = "endpoint__organization"
    filterset_fields = ["endpoint", "event", "status", "event_id"]
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        return WebhookDelivery.objects.order_by("-created_at", "-id")

    @extend_schema(
        summary="Replay a delivery",
        description="Sends the same event (same payload and `Tsumiki-Event-Id`) again as a new delivery, "
        "signed afresh; returns it with 202. Receivers should deduplicate on the event id.",
        request=None,
        responses={202: OpenApiResponse(WebhookDeliverySerializer, description="queued")},
    )
    @action(detail=True, methods=["post"])
    def replay(self, request, *args, **kwargs):
        copy = webhook_delivery_replay(delivery=self.get_object())
        data = self.get_serializer(WebhookDelivery.objects.get(pk=copy.pk)).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["self_url"]})
