"""OpenAPI pieces shared by every API view: the problem+json body, the API-key security scheme and
an AutoSchema that documents the errors every endpoint can return (401, 403, 404 on detail routes)."""

from __future__ import annotations

from typing import Any

from django.db.models import Choices
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import serializers

from apps.core import interchange as ic

from .errors import PROBLEM_CONTENT_TYPE


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, as rendered by ``apps.api.errors.problem_exception_handler``."""

    type = serializers.CharField(help_text="always about:blank")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(help_text="the request path")
    # a declared field: DRF's metaclass collects it, and the class keeps Serializer.errors
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="field path -> messages, for invalid input; nested fields and list items are spelled "
        "like `skills[0].name`",
    )
    line = serializers.IntegerField(required=False, help_text="1-based line of a bad JSON-lines record")
    field = serializers.CharField(required=False, help_text="the offending field of an interchange record")


_DESCRIPTIONS = {
    400: "Invalid input (problem+json names the fields).",
    401: "Missing, invalid or revoked API key.",
    403: "The key lacks the scope this method needs, or the user is not a recruiter.",
    404: "Not found in your organization (or no such page of a list).",
    409: "Conflicts with an existing record, or a request with the same Idempotency-Key is still running.",
    413: "The body is larger than the endpoint accepts (docs/api.md, Limits).",
    412: "If-Match does not name the resource's current ETag.",
    422: "The Idempotency-Key was already used for a different request.",
    429: "Rate limit of the API key exceeded; wait `Retry-After` seconds.",
    503: "A background service is unavailable, or the skill model is still loading; retry after `Retry-After` seconds.",
}


def problems(*codes: int) -> dict:
    """``extend_schema(responses=...)`` entries for problem+json error responses."""
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description=_DESCRIPTIONS.get(code, ""))
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

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        for param in (operation or {}).get("parameters", []):
            # Every list filter, page parameter and report period reads an empty value as "not given"
            # (django-filter, DRF pagination, the shortlist and fairness views): say so.
            if param.get("in") == "query":
                param.setdefault("allowEmptyValue", True)
            # Database ids are positive; documenting it keeps generated clients (and schemathesis)
            # from sending ids that no route matches.
            if param.get("in") == "path" and param.get("schema", {}).get("type") == "integer":
                param["schema"].setdefault("minimum", 1)
        return operation

    def _conditional(self) -> bool:
        return getattr(self.view, "conditional_writes", True)

    def get_override_parameters(self) -> list:
        """The headers of idempotent POSTs and conditional requests (apps.api.idempotency,
        apps.api.conditional), documented on every operation that honours them."""
        params = list(super().get_override_parameters())
        if self.method == "POST":
            params.append(
                OpenApiParameter(
                    "Idempotency-Key",
                    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
                    OpenApiParameter.HEADER,
                    description="Any unique string (a UUID): a retry with the same key and body gets the first "
                    "response again and changes nothing. Kept 24 hours.",
                )
            )
        elif self.method == "GET":
            params.append(
                OpenApiParameter(
                    "If-None-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description="An ETag from an earlier response: 304 with no body while it is current.",
                )
            )
        elif self.method in ("PATCH", "PUT", "DELETE") and "{" in self.path and self._conditional():
            params.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description="The ETag you last read: the change is made only if the resource is unchanged "
                    "since (else 412).",
                )
            )
        return params

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        extra = [401, 403, 429]
        if self.method in ("GET", "POST", "PUT", "PATCH"):  # bad filters, bodies or headers
            extra.append(400)
        if "{" in self.path or self.method == "GET":  # list pages: an invalid page/cursor is a 404 too
            extra.append(404)
        if self.method in ("POST", "PUT", "PATCH"):
            extra.append(413)
        if self.method == "POST":
            extra += [409, 422]
        elif self.method in ("PATCH", "PUT", "DELETE") and "{" in self.path and self._conditional():
            extra.append(412)
        elif self.method == "GET" and "304" not in responses:
            responses["304"] = {"description": "Not modified: If-None-Match names the current ETag."}
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


def choice_field(choices: type[Choices], *, component: str, **kwargs: Any) -> serializers.ChoiceField:
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


# --- request shapes generated from the interchange declarations (apps.core.interchange) ---------------
_interchange_classes: dict[str, type[serializers.Serializer]] = {}


def _nullable(schema: dict, nullable: bool) -> dict:
    return {**schema, "nullable": True} if nullable else schema


def interchange_field_schema(f: ic.Field) -> dict:
    """The OpenAPI 3.0 schema of one interchange declaration: exactly what the parser accepts."""
    help_ = {"description": f.help} if f.help else {}
    optional = not f.required
    if isinstance(f, ic.Choice):
        return _nullable({"type": "string", "enum": [*f.choices, ""], **help_}, optional)
    if isinstance(f, ic.Text):
        text = {"type": "string", "maxLength": f.max_length}
        # a number is taken as its text (ids are often numeric)
        return _nullable({"oneOf": [text, {"type": "number"}], **help_}, optional)
    if isinstance(f, ic.Number):
        number: dict = {
            "type": "integer" if isinstance(f, ic.Integer) else "number",
            "minimum": int(f.minimum) if isinstance(f, ic.Integer) else f.minimum,
            "maximum": int(f.maximum) if isinstance(f, ic.Integer) else f.maximum,
            **help_,
        }
        if f.exclusive_minimum:
            number["exclusiveMinimum"] = True
        return _nullable(number, optional)
    if isinstance(f, ic.Boolean):
        return _nullable({"type": "boolean", **help_}, True)
    if isinstance(f, ic.Date):
        return _nullable({"type": "string", "description": f"ISO date, YYYY-MM-DD. {f.help}".strip()}, True)
    if isinstance(f, ic.Phrases):
        items = {"type": "string", "maxLength": f.max_length}
        return _nullable({"type": "array", "items": items, "maxItems": f.max_items, **help_}, True)
    if isinstance(f, ic.Nested):
        assert f.record is not None
        return _nullable({**interchange_record_schema(f.record), **help_}, optional)
    if isinstance(f, ic.Many):
        assert f.record is not None
        many: dict = {"type": "array", "items": interchange_record_schema(f.record), "maxItems": f.max_items, **help_}
        if f.min_items:
            many["minItems"] = f.min_items
        return _nullable(many, not f.min_items)
    raise TypeError(f"no schema for {type(f).__name__}")


def interchange_record_schema(record: ic.Record) -> dict:
    """The object schema of a record, with its shorthand (a bare name or level) as an alternative."""
    obj: dict = {
        "type": "object",
        "properties": {f.name: interchange_field_schema(f) for f in record.fields},
        "description": f"A {record.name}; unknown keys are ignored.",
    }
    required = [f.name for f in record.fields if f.required]
    if required:
        obj["required"] = required
    if not record.shorthand:
        return obj
    short = record.field(record.shorthand)
    bare = interchange_field_schema(short)
    bare = {k: v for k, v in bare.items() if k not in ("nullable", "description")}
    if "oneOf" in bare:
        bare = bare["oneOf"][0]
    return {"oneOf": [obj, bare]}


def interchange_schema_field(f: ic.Field, **kwargs) -> serializers.Field:
    """A serializer field documented by ``interchange_field_schema`` (the parser does the validating)."""
    cls = extend_schema_field(interchange_field_schema(f))(type(f"{f.name.title()}Field", (serializers.JSONField,), {}))
    return cls(required=f.required, **kwargs)


def interchange_serializer(
    record: ic.Record, *, name: str | None = None, overrides: dict | None = None
) -> type[serializers.Serializer]:
    """A DRF serializer documenting ``record`` for the OpenAPI schema, field for field from its
    declarations (so the schema states the same types and bounds as the parser enforces). Writes are
    still validated by the parser itself. ``name`` is the class (component) name."""
    name = name or f"{record.name.title().replace(' ', '')}InputSerializer"
    if name not in _interchange_classes:
        fields = {f.name: interchange_schema_field(f) for f in record.fields}
        fields.update(overrides or {})
        doc = f"A {record.name} in the interchange format (docs/architecture.md); unknown keys are ignored."
        _interchange_classes[name] = type(name, (serializers.Serializer,), {**fields, "__doc__": doc})
    return _interchange_classes[name]
