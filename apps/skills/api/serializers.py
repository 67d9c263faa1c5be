"""Skill taxonomy serializers: search results and normalization (text -> ESCO concepts)."""

from __future__ import annotations

from rest_framework import serializers

from apps.api.fields import StrictBooleanField, StrictCharField, StrictIntegerField
from apps.skills.models import Skill

ESCO_ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
MAX_PHRASES = 200
MAX_PHRASE_LENGTH = 500
MAX_TOP = 50


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "uri", "preferred_label", "description", "skill_type", "reuse_level", "is_group"]


class NormalizeRequestSerializer(serializers.Serializer):
    phrases = serializers.ListField(
        child=StrictCharField(max_length=MAX_PHRASE_LENGTH, allow_blank=True, trim_whitespace=False),
        allow_empty=False,
        max_length=MAX_PHRASES,
        help_text=f"free-text skill phrases, at most {MAX_PHRASES}",
    )
    top = StrictIntegerField(
        required=False, default=5, min_value=1, max_value=MAX_TOP, help_text="how many concepts per phrase"
    )


class ConceptMatchSerializer(serializers.Serializer):
    uri = serializers.CharField()
    label = serializers.CharField()
    score = serializers.FloatField(help_text="cosine similarity, 0..1")
    source = serializers.CharField(help_text="esco, or organization for one of your organization's own skills")
    esco_uri = serializers.CharField(
        allow_null=True, help_text="an own skill's mapped ESCO concept; for an ESCO answer, its uri"
    )


class NormalizeResultSerializer(serializers.Serializer):
    input = serializers.CharField()
    matches = ConceptMatchSerializer(many=True)


class NormalizeResponseSerializer(serializers.Serializer):
    results = NormalizeResultSerializer(many=True, help_text="one per phrase, in input order")
    attribution = serializers.CharField()


MAX_EXTRACT_TEXT = 20_000


class ExtractRequestSerializer(serializers.Serializer):
    text = StrictCharField(
        max_length=MAX_EXTRACT_TEXT,
        allow_blank=True,
        trim_whitespace=False,
        help_text=f"free text: a job description or a credential's criteria, at most {MAX_EXTRACT_TEXT} characters",
    )
    top = StrictIntegerField(
        required=False, default=10, min_value=1, max_value=MAX_TOP, help_text="how many skills at most"
    )
    suggested_only = StrictBooleanField(
        required=False,
        default=False,
        help_text="only the confident, not negated skills (what the job editor suggests by default); "
        "otherwise the ranked list down to `top`",
    )


class ExtractedSkillSerializer(serializers.Serializer):
    uri = serializers.CharField()
    label = serializers.CharField(help_text="the concept's preferred label")
    span = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        min_length=2,
        max_length=2,
        help_text="[start, end) character offsets of the mention in `text`",
    )
    text = serializers.CharField(help_text="the mention, text[start:end]")
    confidence = serializers.FloatField(
        help_text="calibrated probability, 0..1, that the text asks for this concept (fitted on annotated job-ad "
        "sentences)"
    )
    suggested = serializers.BooleanField(help_text="confident enough to suggest by default, and not negated")
    implied = serializers.BooleanField(
        help_text="no phrase names it: implied by the sentence as a whole (`span` is that sentence)"
    )
    optional = serializers.BooleanField(help_text='marked as "nice to have", "a plus", "preferred", ...')
    negated = serializers.BooleanField(help_text='governed by a negation ("no Java required")')


class ExtractResponseSerializer(serializers.Serializer):
    skills = ExtractedSkillSerializer(
        many=True, help_text="ranked best first, one per concept; spans may overlap (one clause can evidence two)"
    )
    attribution = serializers.CharField()


class OwnSkillSerializer(serializers.Serializer):
    """One of your organization's own skills."""

    id = serializers.IntegerField(read_only=True)
    uri = serializers.CharField(read_only=True, help_text="the RSD's URL when imported, else urn:tsumiki:org:...")
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    esco_uri = serializers.CharField(read_only=True, allow_null=True, help_text="the ESCO concept it is mapped to")
    keywords = serializers.ListField(child=serializers.CharField(), read_only=True)
    source = serializers.CharField(read_only=True, help_text="manual or rsd")


class OwnSkillInputSerializer(serializers.Serializer):
    """A skill to add to your organization's own skills."""

    name = StrictCharField(max_length=300)
    description = StrictCharField(max_length=5000, required=False, allow_blank=True, default="")
    esco_uri = StrictCharField(
        max_length=300,
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text="an ESCO concept URI of the imported taxonomy that the skill means",
    )


class RsdImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    mapped = serializers.IntegerField(help_text="skills mapped to an ESCO concept of the imported taxonomy")
    skills = OwnSkillSerializer(many=True)
