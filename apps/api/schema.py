"""OpenAPI pieces shared by every API view: the problem+json body, the API-key security scheme and
an AutoSchema that documents the errors every endpoint can return (401, 403, 404 on detail routes)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from .errors import PROBLEM_CONTENT_TYPE


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, as rendered by ``apps.api.errors.problem_exception_handler``."""

    type = serializers.CharField(help_text="always about:blank")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(help_text="the request path")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="field name -> messages, for invalid input",
    )
    line = serializers.IntegerField(required=False, help_text="1-based line of a bad JSON-lines record")
    field = serializers.CharField(required=False, help_text="the offending field of an interchange record")


_DESCRIPTIONS = {
    400: "Invalid input (problem+json names the fields).",
    401: "Missing, invalid or revoked API key.",
    403: "The key lacks the scope this method needs, or the user is not a recruiter.",
    404: "Not found in your organization.",
    409: "Conflicts with an existing record.",
    503: "A background service is unavailable; retry later.",
}


def problems(*codes: int) -> dict:
    """``extend_schema(responses=...)`` entries for problem+json error responses."""
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            ProblemSerializer, description=_DESCRIPTIONS.get(code, "")
        )
        for code in codes
    }


class ProblemAutoSchema(AutoSchema):
    """Adds the errors every authenticated endpoint can give, so no view has to repeat them, and
    tags operations by the view's ``api_tag`` (else the first path segment after /api/v1/)."""

    def get_tags(self) -> list[str]:
        tag = getattr(self.view, "api_tag", None)
        if tag:
            return [tag]
        parts = [p for p in self.path.split("/") if p and p not in ("api", "v1")]
        return parts[:1] or super().get_tags()

    def _is_list_view(self, serializer=None) -> bool:
        # drf-spectacular picks the "main" response by the smallest stringified code, and
        # "(400, 'application/problem+json')" sorts before "200": look at success responses only.
        if serializer is None:
            serializer = self.get_response_serializers()
        if isinstance(serializer, dict):
            success = {c: s for c, s in serializer.items() if int(c[0] if isinstance(c, tuple) else c) < 400}
            serializer = success or serializer
        return super()._is_list_view(serializer)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        extra = [401, 403]
        if "{" in self.path:
            extra.append(404)
        for code in extra:
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    OpenApiResponse(ProblemSerializer, description=_DESCRIPTIONS[code]),
                    str(code),
                    (PROBLEM_CONTENT_TYPE,),
                    direction,
                )
        return responses


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "apps.api.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An organization API key; create one with "
            "`python manage.py create_api_key --org SLUG --scopes read,write`.",
        }


_choice_classes: dict[str, type[serializers.ChoiceField]] = {}


def choice_field(choices: type, *, component: str, **kwargs) -> serializers.ChoiceField:
    """A ChoiceField documented as the named enum component ``component``. Two models call their
    choices ``status`` (jobs, match runs); naming the component avoids drf-spectacular's enum-name
    collision warning, which would fail ``spectacular --fail-on-warn`` (tests/api/test_schema.py).
    One class per component: drf-spectacular tells components apart by the field's class."""
    if component not in _choice_classes:
        schema = {"type": "string", "enum": list(choices.values)}
        _choice_classes[component] = extend_schema_field(schema, component_name=component)(
            type(f"{component}Field", (serializers.ChoiceField,), {})
        )
    return _choice_classes[component](choices=choices.choices, **kwargs)
