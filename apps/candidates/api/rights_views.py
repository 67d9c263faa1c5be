"""Candidate rights over the API: a full data export (JSON), erasure, and self-reported demographics
(write-only: they are used in aggregate by the adverse-impact report and never read back per person).
Routes are appended to apps.candidates.api.urls (``urlpatterns += rights_urlpatterns``)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from apps.api.errors import Problem
from apps.api.fields import StrictBooleanField, StrictCharField, StrictChoiceField
from apps.api.mixins import ApiViewMixin
from apps.api.parsers import JSONParser
from apps.api.schema import problems
from apps.candidates.models import AgeBand, Candidate
from apps.candidates.rights import candidate_erase, candidate_export, demographics_set

_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="the candidate's id")


class ErasureRequestSerializer(serializers.Serializer):
    reason = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="why (e.g. 'data subject request 2025-031'); kept in the audit log",
    )


class ErasureReceiptSerializer(serializers.Serializer):
    candidate_id = serializers.IntegerField()
    erased_at = serializers.DateTimeField()
    erased = serializers.DictField(child=serializers.IntegerField(), help_text="rows deleted, by kind")


class DemographicsSerializer(serializers.Serializer):
    consent = StrictBooleanField(help_text="the candidate consents to use in bias audits; false clears all")
    gender = StrictCharField(required=False, allow_blank=True, max_length=50)
    age_band = StrictChoiceField(choices=AgeBand.choices, required=False, allow_blank=True)
    ethnicity = StrictCharField(required=False, allow_blank=True, max_length=80)


class _CandidateRightsView(ApiViewMixin, generics.GenericAPIView):
    parser_classes = [JSONParser]
    pagination_class = None
    api_tag = "candidates"
    # The serializers here are requests and receipts, not the candidate's representation: If-Match
    # has nothing to compare with (it used to serialize a Candidate with DemographicsSerializer: 500).
    conditional_writes = False

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Candidate.objects.none()
        return Candidate.objects.filter(organization=self.request.organization)

    def candidate(self, pk: int) -> Candidate:
        """The candidate if it belongs to the caller's organization; 404 otherwise (never 403)."""
        return get_object_or_404(self.get_queryset().select_related("organization", "user"), pk=pk)


@extend_schema(parameters=[_ID])
class CandidateDataExportView(_CandidateRightsView):
    serializer_class = ErasureReceiptSerializer  # schema placeholder; the export is free-form JSON

    @extend_schema(
        summary="Export a candidate's data",
        description="Everything stored about the candidate (profile, skills, credentials with raw payloads, "
        "demographics, scores with explanations, decisions, reveals, audit events), for an access or "
        "portability request. The export is recorded in the audit log.",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="the export document")},
    )
    def get(self, request, pk: int):
        data = candidate_export(candidate=self.candidate(pk), actor=request.user)
        response = Response(data)
        response["Content-Disposition"] = f'attachment; filename="candidate-{pk}-export.json"'
        return response


@extend_schema(parameters=[_ID])
class CandidateErasureView(_CandidateRightsView):
    serializer_class = ErasureRequestSerializer

    @extend_schema(
        summary="Erase a candidate",
        description="Deletes the candidate and everything held about them (credentials, skills, scores, decisions, "
        "reveals, demographics) in one transaction. The audit log keeps that the erasure happened, when, by whom "
        "and the candidate's id, nothing else.",
        request=ErasureRequestSerializer,
        responses={200: ErasureReceiptSerializer, **problems(400)},
    )
    def post(self, request, pk: int):
        body = ErasureRequestSerializer(data=request.data or {})
        body.is_valid(raise_exception=True)
        receipt = candidate_erase(
            candidate=self.candidate(pk), actor=request.user, reason=body.validated_data.get("reason", "")
        )
        return Response(ErasureReceiptSerializer(receipt).data, status=status.HTTP_200_OK)


@extend_schema(parameters=[_ID])
class CandidateDemographicsView(_CandidateRightsView):
    serializer_class = DemographicsSerializer

    @extend_schema(
        summary="Set a candidate's self-reported demographics",
        description="Optional data the candidate chose to give, with their consent, used only in aggregate by the "
        "adverse-impact report (never in scoring, never shown per candidate). Write-only. `consent: false` "
        "deletes what was stored.",
        request=DemographicsSerializer,
        responses={204: OpenApiResponse(description="stored"), **problems(400)},
    )
    def put(self, request, pk: int):
        body = DemographicsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            demographics_set(candidate=self.candidate(pk), actor=request.user, **body.validated_data)
        except ValueError as e:
            raise Problem(str(e), errors={"age_band": [str(e)]}) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


rights_urlpatterns = [
    path("candidates/<int:pk>/data-export/", CandidateDataExportView.as_view(), name="candidate-data-export"),
    path("candidates/<int:pk>/erasure/", CandidateErasureView.as_view(), name="candidate-erasure"),
    path("candidates/<int:pk>/demographics/", CandidateDemographicsView.as_view(), name="candidate-demographics"),
]
