"""Jobs and the skills they require."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Job(models.Model):
    """A position an organization hires for, described by its required skills."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="jobs")
    external_id = models.CharField(max_length=100)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["organization", "external_id"], name="uniq_job_ext")]

    def __str__(self) -> str:
        return self.title


class RequiredSkill(models.Model):
    """One skill a job requires: its weight, whether it is a must-have, and an optional minimum level."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="required_skills")
    phrase = models.ForeignKey("skills.Phrase", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=500)
    skill = models.ForeignKey("skills.Skill", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    weight = models.FloatField(default=1.0)
    must_have = models.BooleanField(default=False)
    min_level = models.PositiveSmallIntegerField(null=True, blank=True, help_text="minimum EQF level")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name
