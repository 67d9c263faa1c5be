"""Issuers, credentials held by candidates and the skills they attest, and the catalog of offerings."""

from __future__ import annotations

from django.db import models


class Issuer(models.Model):
    """Who issued a credential (a university, a provider, a badge platform)."""

    name = models.CharField(max_length=300)
    identifier = models.CharField(max_length=500, blank=True, help_text="URL, DID or register id")
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "identifier"], name="uniq_issuer")]

    def __str__(self) -> str:
        return self.name


class CredentialKind(models.TextChoices):
    MICROCREDENTIAL = "microcredential", "Micro-credential"
    BADGE = "badge", "Open Badge"
    CERTIFICATE = "certificate", "Certificate"
    COURSE = "course", "Course"
    LICENSE = "license", "Licence"
    DEGREE = "degree", "Degree"


class VerificationStatus(models.TextChoices):
    VERIFIED = "verified", "Verified"
    # The proof holds with a key the credential carries itself: the file is unchanged, but nothing
    # outside it says the issuer it names made it (docs/credentials.md).
    INTACT = "intact", "Intact, issuer not confirmed"
    UNVERIFIED = "unverified", "Unverified"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


class AssessmentType(models.TextChoices):
    """How the learning behind a credential was assessed (the quality factor, apps.matching.engine)."""

    PROCTORED_EXAM = "proctored exam", "Proctored exam"
    EXAM = "exam", "Exam"
    WORK_SAMPLE = "work sample", "Work sample"
    PORTFOLIO = "portfolio", "Portfolio"
    ATTENDANCE = "attendance", "Attendance only"
    NONE = "none", "Not assessed"


class Credential(models.Model):
    """A credential held by a candidate. A degree's title, institution and level never add to a score;
    the skills it lists (its learning outcomes) are evidence at the engine's "degree" strength."""

    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="credentials")
    issuer = models.ForeignKey(Issuer, on_delete=models.SET_NULL, null=True, blank=True, related_name="credentials")
    kind = models.CharField(max_length=20, choices=CredentialKind.choices, default=CredentialKind.MICROCREDENTIAL)
    title = models.CharField(max_length=500)
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    level_framework = models.CharField(max_length=20, blank=True)
    level_value = models.PositiveSmallIntegerField(null=True, blank=True)
    eqf_level = models.PositiveSmallIntegerField(null=True, blank=True, help_text="EQF-equivalent level")
    hours = models.PositiveIntegerField(null=True, blank=True)
    ects = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    quality_assured = models.BooleanField(
        null=True, blank=True, help_text="on a quality-assured register or from an accredited provider; empty: unknown"
    )
    assessment = models.CharField(max_length=20, choices=AssessmentType.choices, blank=True, help_text="empty: unknown")
    endorsements = models.PositiveSmallIntegerField(default=0, help_text="endorsements from known organizations")
    verification_status = models.CharField(
        max_length=12, choices=VerificationStatus.choices, default=VerificationStatus.UNVERIFIED
    )
    verification_checks = models.JSONField(default=list, blank=True)
    format = models.CharField(max_length=20, default="manual", help_text="manual, interchange, ob2, ob3, clr2, edc")
    level_source = models.CharField(
        max_length=300, blank=True, help_text="the level as the credential states it (e.g. an EQF URI, 'RQF Level 6')"
    )
    external_id = models.CharField(max_length=500, blank=True, help_text="the credential's own id (URL, urn:uuid)")
    raw_payload = models.JSONField(null=True, blank=True)
    source_url = models.URLField(max_length=1000, blank=True, help_text="where the credential was fetched from")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_degree(self) -> bool:
        return self.kind == CredentialKind.DEGREE


class CredentialSkill(models.Model):
    """A skill a credential attests, as written by the issuer and as a vocabulary phrase."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="skills")
    phrase = models.ForeignKey("skills.Phrase", on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=500)
    skill = models.ForeignKey("skills.Skill", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    def __str__(self) -> str:
        return self.text


class CatalogOffering(models.Model):
    """A micro-credential someone can take (a register or provider listing), with the skills it teaches."""

    external_id = models.CharField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    provider = models.CharField(max_length=300)
    level_framework = models.CharField(max_length=20, blank=True)
    level_value = models.PositiveSmallIntegerField(null=True, blank=True)
    hours = models.PositiveIntegerField()
    cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    delivery_mode = models.CharField(max_length=30, blank=True)
    url = models.URLField(blank=True)
    review_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CatalogOfferingSkill(models.Model):
    """A skill an offering teaches."""

    offering = models.ForeignKey(CatalogOffering, on_delete=models.CASCADE, related_name="skills")
    phrase = models.ForeignKey("skills.Phrase", on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=500)

    def __str__(self) -> str:
        return self.text


class CreditUnit(models.TextChoices):
    HOURS = "hours", "Learning hours"
    CREDITS = "credits", "Credits"
    ECTS = "ects", "ECTS"


class Qualification(models.Model):
    """A named qualification that catalog offerings stack towards, credit-bank style: completing
    components earns credits (or hours) until ``credits_required`` is reached, with any ``mandatory``
    components among them (apps.pathways.services.qualification_progress)."""

    external_id = models.CharField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    awarding_body = models.CharField(max_length=300, blank=True)
    level_framework = models.CharField(max_length=20, blank=True)
    level_value = models.PositiveSmallIntegerField(null=True, blank=True)
    credit_unit = models.CharField(max_length=10, choices=CreditUnit.choices, default=CreditUnit.HOURS)
    credits_required = models.DecimalField(max_digits=8, decimal_places=1)
    url = models.URLField(blank=True)
    offerings = models.ManyToManyField(CatalogOffering, through="QualificationComponent", related_name="qualifications")

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class QualificationComponent(models.Model):
    """An offering that counts towards a qualification, and how much it counts (``credits``; when empty,
    the offering's learning hours, for qualifications counted in hours)."""

    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="components")
    offering = models.ForeignKey(CatalogOffering, on_delete=models.CASCADE, related_name="qualification_components")
    credits = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    mandatory = models.BooleanField(default=False)

    class Meta:
        ordering = ["qualification", "-mandatory", "offering__title"]
        constraints = [
            models.UniqueConstraint(fields=["qualification", "offering"], name="uniq_qualification_offering")
        ]

    def __str__(self) -> str:
        return f"{self.offering} → {self.qualification}"

    @property
    def value(self):
        """What completing this component earns, in the qualification's unit."""
        from decimal import Decimal

        if self.credits is not None:
            return self.credits
        return Decimal(self.offering.hours) if self.qualification.credit_unit == CreditUnit.HOURS else Decimal(0)
