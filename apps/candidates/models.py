"""Candidate profiles, consent, and self-declared skills and experience."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Candidate(models.Model):
    """A person in an organization's talent pool; optionally linked to a seeker account."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="candidates")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidate_profiles"
    )
    external_id = models.CharField(max_length=100)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    consent_given = models.BooleanField(default=True, help_text="consented to being matched")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["external_id"]
        constraints = [models.UniqueConstraint(fields=["organization", "external_id"], name="uniq_candidate_ext")]

    def __str__(self) -> str:
        return self.name or self.external_id


class EvidenceSource(models.TextChoices):
    SELF_DECLARED = "self", "Self-declared"
    EXPERIENCE = "experience", "Experience"


class EnteredBy(models.TextChoices):
    """Who put a piece of evidence on the profile: recruiters see which evidence the candidate entered
    themselves (the seeker's own profile page, or a CV the seeker confirmed)."""

    CANDIDATE = "candidate", "The candidate"
    ORGANIZATION = "organization", "The organization"


class CandidateSkill(models.Model):
    """A skill the candidate states themselves or shows through work experience."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="declared_skills")
    phrase = models.ForeignKey("skills.Phrase", on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=500)
    source = models.CharField(max_length=12, choices=EvidenceSource.choices, default=EvidenceSource.SELF_DECLARED)
    context = models.CharField(max_length=300, blank=True, help_text="e.g. the role where it was used")
    entered_by = models.CharField(max_length=12, choices=EnteredBy.choices, default=EnteredBy.ORGANIZATION)
    created_at = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class AgeBand(models.TextChoices):
    UNDER_25 = "under_25", "Under 25"
    FROM_25_TO_39 = "25_39", "25 to 39"
    FROM_40_TO_54 = "40_54", "40 to 54"
    FROM_55 = "55_plus", "55 or over"


class CandidateDemographics(models.Model):
    """Optional, self-reported demographic data, used only in aggregate for the adverse-impact report
    (apps.fairness.report). Never read by scoring (apps.matching.selectors.pool_specs) and never
    shown per candidate to recruiters. Ignored unless ``consent`` is true; every field may be blank
    ("prefer not to say")."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="demographics")
    consent = models.BooleanField(default=False, help_text="consented to use in bias audits")
    gender = models.CharField(max_length=50, blank=True)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    ethnicity = models.CharField(max_length=80, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "candidate demographics"

    def __str__(self) -> str:
        return f"demographics of candidate {self.candidate_id}"


class ExperienceSource(models.TextChoices):
    SELF = "self", "Entered by the candidate"
    RESUME = "resume", "Read from a CV"
    IMPORT = "import", "Imported"


class Experience(models.Model):
    """A period of work (a role at an organization) and the skills it used. Each skill is evidence at
    the engine's "experience" strength, dated by the period's end (an ongoing role, ``end`` empty, is
    current) and weighed by the period's length (apps.matching.engine, the volume factor). The
    organization's name is shown for the record only: it never changes a score."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="experiences")
    title = models.CharField(max_length=300, help_text="the role")
    organization = models.CharField(max_length=300, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True, help_text="empty while the role goes on")
    source = models.CharField(max_length=10, choices=ExperienceSource.choices, default=ExperienceSource.SELF)
    entered_by = models.CharField(max_length=12, choices=EnteredBy.choices, default=EnteredBy.ORGANIZATION)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-end", "-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True)
                | models.Q(end__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="experience_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organization})" if self.organization else self.title


class ExperienceSkill(models.Model):
    """A skill used in an Experience, as a phrase of the shared vocabulary."""

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="skills")
    phrase = models.ForeignKey("skills.Phrase", on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=500)

    def __str__(self) -> str:
        return self.text


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class CandidateImport(models.Model):
    """A bulk candidate import (JSON lines) processed by a Celery task; clients poll its status."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="candidate_imports"
    )
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    # the body as received; emptied once the import finished (the candidates hold the data then)
    source = models.TextField(blank=True)
    total = models.PositiveIntegerField(default=0, help_text="non-empty lines")
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0, help_text="candidates stored (new or replaced)")
    errors = models.JSONField(default=list, blank=True, help_text="[{line, field, message}], first ones")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # running: the worker's last sign of life (apps.core.heartbeat); queued: when it was last (re-)sent
    # (services.candidate_imports_sweep re-sends an import whose task was lost or whose worker died)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # the table kept the name it had while this model lived in apps.api (migration 0005)
        db_table = "api_candidateimport"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"


class ResumeParseStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ResumeParseJob(models.Model):
    """A CV uploaded in the dashboard, read into a draft by a Celery task (apps.candidates.tasks) so that
    the upload's request does not wait for the reading (the API's asynchronous variant uses it too). Private
    to whoever uploaded it (``user`` or ``api_key``, in ``organization``; the selector never gives it to
    anyone else) and short-lived: the file's bytes
    are dropped once read, and the job itself is deleted when its draft is confirmed, when it expires
    (``expires_at``, TSUMIKI_RESUME_JOB_TTL_SECONDS; services.resume_parse_jobs_purge) or with the
    candidate or the account it belongs to (erasure). Nothing in it is evidence: only what the person
    confirms from ``draft`` is stored (services.resume_confirm)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="resume_parse_jobs"
    )
    # who uploaded it: a person (the dashboard) or an API key (POST .../resume/jobs/); exactly one
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="resume_parse_jobs"
    )
    api_key = models.ForeignKey(
        "accounts.ApiKey", on_delete=models.CASCADE, null=True, blank=True, related_name="resume_parse_jobs"
    )
    # the profile the draft is for (a seeker without one may still read a CV, without saving it)
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, null=True, blank=True, related_name="resume_parse_jobs"
    )
    filename = models.CharField(max_length=255)
    # the uploaded file until it is read (emptied then, whatever the outcome)
    data = models.BinaryField(blank=True, default=b"")
    status = models.CharField(max_length=10, choices=ResumeParseStatus.choices, default=ResumeParseStatus.QUEUED)
    draft = models.JSONField(null=True, blank=True, help_text="the draft (apps.candidates.resume.Draft) once read")
    errors = models.JSONField(default=list, blank=True, help_text="the reader's messages (docs/resume.md)")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"], name="resume_job_expiry")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, api_key__isnull=True)
                | models.Q(user__isnull=True, api_key__isnull=False),
                name="resume_job_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"CV job {self.pk} ({self.status})"
