"""Skill taxonomy (ESCO), the phrase vocabulary and its stored embeddings."""

from __future__ import annotations

from django.db import models


class Phrase(models.Model):
    """One distinct normalized phrase. Every skill label, required skill and evidence phrase points
    here, so a phrase is embedded once per model and shared (apps.skills.vocabulary)."""

    text = models.CharField(max_length=500, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The taxonomy concept this phrase confidently means (apps.skills.services.phrases_resolve),
    # cached with the taxonomy/encoder key it was resolved under; another key means "resolve again".
    concept = models.ForeignKey("Skill", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    resolved_key = models.CharField(max_length=120, blank=True, default="")

    def __str__(self) -> str:
        return self.text


class PhraseVector(models.Model):
    """A phrase's unit-length float32 embedding under one encoder (``model`` names it)."""

    phrase = models.ForeignKey(Phrase, on_delete=models.CASCADE, related_name="vectors")
    model = models.CharField(max_length=200)
    vector = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "phrase"], name="uniq_phrase_vector")]

    def __str__(self) -> str:
        return f"vector of phrase {self.phrase_id} ({self.model})"


class Skill(models.Model):
    """A taxonomy concept (an ESCO skill or knowledge concept, or a skill group)."""

    uri = models.CharField(max_length=300, unique=True)
    preferred_label = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    skill_type = models.CharField(max_length=50, blank=True)
    reuse_level = models.CharField(max_length=50, blank=True)
    is_group = models.BooleanField(default=False)
    broader = models.ManyToManyField("self", symmetrical=False, related_name="narrower", blank=True)

    class Meta:
        ordering = ["preferred_label"]

    def __str__(self) -> str:
        return self.preferred_label


class LabelKind(models.TextChoices):
    PREFERRED = "preferred", "Preferred"
    ALTERNATIVE = "alternative", "Alternative"
    HIDDEN = "hidden", "Hidden"


class SkillLabel(models.Model):
    """One label of a concept in one language; its phrase carries the embedding."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="labels")
    phrase = models.ForeignKey(Phrase, on_delete=models.PROTECT, related_name="labels")
    text = models.CharField(max_length=500)
    lang = models.CharField(max_length=8, default="en")
    kind = models.CharField(max_length=12, choices=LabelKind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["skill", "lang", "kind", "text"], name="uniq_skill_label")]
        indexes = [models.Index(fields=["phrase"])]

    def __str__(self) -> str:
        return f"{self.text} [{self.lang}, {self.kind}]"


class Occupation(models.Model):
    """An ESCO occupation; its essential and optional skills seed job templates."""

    uri = models.CharField(max_length=300, unique=True)
    preferred_label = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    skills = models.ManyToManyField(Skill, through="OccupationSkill", related_name="occupations")

    def __str__(self) -> str:
        return self.preferred_label


class OccupationSkill(models.Model):
    """Whether a skill is essential or optional for an occupation."""

    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE)
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE)
    relation = models.CharField(max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["occupation", "skill"], name="uniq_occupation_skill")]

    def __str__(self) -> str:
        return f"{self.occupation_id} → {self.skill_id} ({self.relation})"


class NormalizerFit(models.Model):
    """The fusion model of apps.skills.normalizer, fitted on the imported taxonomy for one encoder.
    ``taxonomy_key`` ties it to the label set it was fitted on; ``metrics`` keeps held-out figures."""

    model = models.CharField(max_length=200)
    taxonomy_key = models.CharField(max_length=100)
    params = models.JSONField()
    metrics = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"normalizer fit for {self.model} ({self.created_at:%Y-%m-%d})"


class OrgSkillSource(models.TextChoices):
    MANUAL = "manual", "Added by hand"
    RSD = "rsd", "Rich Skill Descriptor import"


class OrganizationSkill(models.Model):
    """A skill of one organization's own framework (a name, a description, optionally the ESCO concept
    it means), usable in that organization's jobs and profiles beside the taxonomy. Its name is a
    phrase of the vocabulary like any other (embedded once, matched by the engine as any evidence
    phrase), and the normalizer offers it to that organization only (apps.skills.org_skills).

    ``uri`` is the skill's identifier: the RSD's own URL when imported, else one of ours
    (``urn:tsumiki:org:<slug>:skill:<id>``)."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="own_skills")
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    phrase = models.ForeignKey(Phrase, on_delete=models.PROTECT, related_name="+")
    concept = models.ForeignKey(
        Skill, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", help_text="the ESCO concept it means"
    )
    uri = models.CharField(max_length=500, blank=True)
    keywords = models.JSONField(default=list, blank=True)
    categories = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=10, choices=OrgSkillSource.choices, default=OrgSkillSource.MANUAL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            # one skill per name (its normalized phrase) in an organization
            models.UniqueConstraint(fields=["organization", "phrase"], name="uniq_org_skill_phrase"),
        ]

    def __str__(self) -> str:
        return self.name
