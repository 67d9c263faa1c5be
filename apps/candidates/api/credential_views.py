"""Credential upload over the API: a file (multipart), a JSON credential or a compact JWT → verify (+ import).

``POST /api/v1/credentials/upload/?candidate=<id or external id>`` verifies the credential (a file, the body, or
the one at ``url``: a hosted badge or credential address, fetched through the SSRF-safe fetcher while the
server's network use is on, and stored with that source) and, when a
candidate of the caller's organization is named and the credential did not fail, imports it for them (201).
Without ``candidate`` it only verifies (200). A credential that fails verification is reported, not imported.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.api.errors import Problem
from apps.api.mixins import ApiViewMixin
from apps.api.permissions import HasOrganization
from apps.api.schema import problems
from apps.candidates.models import Candidate
from apps.credentials.byurl import CredentialFetchError, credential_fetch
from apps.credentials.importers import credential_import
from apps.credentials.management.commands.verify_credential import options_from_settings
from apps.credentials.verify import verify_bytes


class RawBodyParser(BaseParser):
    """Accept JSON, JWT text and images as they are: the verifier reads the bytes itself (size/depth limits)."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return None


def _max_bytes() -> int:
    return int(getattr(settings, "CREDENTIALS_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))


def _candidate(request, ref: str | None) -> Candidate | None:
    if not ref:
        return None
    qs = Candidate.objects.filter(organization=request.organization)
    found = qs.filter(pk=int(ref)).first() if ref.isdigit() else None
    found = found or qs.filter(external_id=ref).first()
    if found is None:
        raise Problem(f"No candidate {ref!r} in your organization.", status_code=404, field="candidate")
    return found


class CredentialUploadView(ApiViewMixin, APIView):
    permission_classes = [HasOrganization]
    parser_classes = [MultiPartParser, RawBodyParser]

    @extend_schema(
        summary="Upload and verify a credential",
        description=__doc__,
        parameters=[
            OpenApiParameter("candidate", str, description="candidate id or external id to import for"),
            OpenApiParameter("url", str, description="fetch the credential from this https address instead"),
        ],
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "candidate": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                },
            },
            "application/json": OpenApiTypes.OBJECT,
            "text/plain": OpenApiTypes.STR,
        },
        responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT, **problems(400, 403, 404, 413, 422)},
    )
    def post(self, request):
        limit = _max_bytes()
        content_type = request.content_type or ""
        ref = request.query_params.get("candidate")
        source_url = request.query_params.get("url") or ""
        if content_type.startswith("multipart/form-data"):
            source_url = "" if request.FILES.get("file") else source_url or request.data.get("url") or ""
        if source_url:
            ref = ref or (request.data.get("candidate") if content_type.startswith("multipart/form-data") else None)
            try:
                fetched = credential_fetch(source_url, max_bytes=limit)
            except CredentialFetchError as exc:
                # all the client's to act on, so all 4xx: the server does not fetch URLs (403, upload the
                # file instead), the file is too big (413), the address is not allowed (400), or the
                # remote server did not give a credential (422)
                code = {"disabled": 403, "too_large": 413, "refused": 400}.get(exc.reason, 422)
                raise Problem(f"No credential at {source_url!r}: {exc}.", status_code=code, field="url") from None
            data, source_url = fetched.data, fetched.url
        elif content_type.startswith("multipart/form-data"):
            upload = request.FILES.get("file")
            ref = ref or request.data.get("candidate")
            if upload is None:
                raise Problem("Send the credential as the multipart field 'file'.", field="file")
            if upload.size > limit:
                raise Problem(f"The file is {upload.size} bytes; the limit is {limit}.", status_code=413)
            data = upload.read(limit + 1)
        else:
            try:
                data = request.body
            except RequestDataTooBig:
                raise Problem(f"The body is over the upload limit ({limit} bytes).", status_code=413) from None
        candidate = _candidate(request, ref)
        result = verify_bytes(
            data,
            options=options_from_settings(max_bytes=limit),
            recipient_emails=(candidate.email,) if candidate and candidate.email else (),
        )
        body = result.as_dict()
        if candidate is None:
            return Response(body, status=status.HTTP_200_OK)
        if result.status == "failed":
            body["imported"] = []
            body["detail"] = "The credential failed verification and was not imported."
            return Response(body, status=status.HTTP_200_OK)
        creds = credential_import(candidate=candidate, result=result, source_url=source_url)
        body["imported"] = [{"id": c.pk, "title": c.title, "status": c.verification_status} for c in creds]
        return Response(body, status=status.HTTP_201_CREATED)
