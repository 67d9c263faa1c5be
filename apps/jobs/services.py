"""Writes for jobs and their required skills."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from apps.accounts.models import Organization
from apps.core.interchange import JobDoc, SkillReq
from apps.skills.models import Skill
from apps.skills.org_skills import own_skill_concepts
from apps.skills.text import normalize_phrase
from apps.skills.vocabulary import phrases_ensure

from .models import Job, RequiredSkill
from .signals import job_skills_changed


def _required_rows(job: Job, skills: Sequence[SkillReq]) -> list[RequiredSkill]:
    phrase_ids = phrases_ensure(texts=[s.name for s in skills])
    uris = [s.uri for s in skills if s.uri]
    by_uri = dict(Skill.objects.filter(uri__in=uris).values_list("uri", "id")) if uris else {}
    # a required skill that is one of the organization's own skills (by its uri, or by name without a
    # taxonomy uri) takes the ESCO concept the skill is mapped to, so evidence of that concept counts
    own = own_skill_concepts(organization=job.organization, names=[s.name for s in skills], uris=uris)

    def concept(s: SkillReq) -> int | None:
        if s.uri:
            return by_uri.get(s.uri) or own.get(s.uri)
        return own.get(s.name)

    return [
        RequiredSkill(
            job=job,
            phrase_id=phrase_ids[normalize_phrase(s.name)],
            name=s.name,
            skill_id=concept(s),
            weight=s.weight,
            must_have=s.required,
            min_level=s.min_level,
            position=i,
        )
        for i, s in enumerate(skills)
    ]


@transaction.atomic
def job_create(*, organization: Organization, doc: JobDoc, created_by=None) -> Job:
    """Create a job with its required skills (embedding any phrase the vocabulary lacks)."""
    job = Job.objects.create(
        organization=organization,
        external_id=doc.id,
        title=doc.title,
        description=doc.description,
        created_by=created_by,
    )
    RequiredSkill.objects.bulk_create(_required_rows(job, doc.skills))
    return job


@transaction.atomic
def job_set_skills(*, job: Job, skills: Sequence[SkillReq]) -> Job:
    """Replace a job's required skills."""
    rows = _required_rows(job, skills)
    job.required_skills.all().delete()
    RequiredSkill.objects.bulk_create(rows)
    job.save(update_fields=["updated_at"])
    if rows:
        job_skills_changed.send(sender=Job, job=job)
    return job


def job_update(*, job: Job, title: str | None = None, description: str | None = None, status: str | None = None) -> Job:
    for name, value in (("title", title), ("description", description), ("status", status)):
        if value is not None:
            setattr(job, name, value)
    job.save()
    return job
