"""Factories for tests. Jobs and candidates go through the services, so phrases get vectors the
same way they do in production."""

from __future__ import annotations

import itertools
from datetime import timedelta

import factory
from django.utils import timezone

from apps.accounts.models import Membership, Organization, Role, User
from apps.candidates.services import candidates_create
from apps.core.interchange import parse_candidate, parse_job
from apps.jobs.services import job_create

_seq = itertools.count(1)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a membership: ``UserFactory(organization=org, role="recruiter")`` (``is_admin=True`` for an
    organization admin); password ``pw-tsumiki-123``."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        org = kwargs.pop("organization", None) or OrganizationFactory()
        role = kwargs.pop("role", Role.RECRUITER)
        is_admin = kwargs.pop("is_admin", False)
        password = kwargs.pop("password", "pw-tsumiki-123")
        user = model_class(*args, **kwargs)
        user.set_password(password)
        user.save()
        Membership.objects.create(user=user, organization=org, role=role, is_admin=is_admin)
        return user


def make_job(
    organization: Organization,
    skills: list,
    *,
    title: str = "Data analyst",
    job_id: str | None = None,
    description: str = "",
):
    """A job with required skills; ``skills`` items are names or interchange skill dicts."""
    doc = parse_job(
        {
            "id": job_id or f"job-{next(_seq)}",
            "title": title,
            "description": description,
            "skills": [s if isinstance(s, dict) else {"name": s} for s in skills],
        }
    )
    return job_create(organization=organization, doc=doc)


def make_candidate(
    organization: Organization,
    *,
    cid: str | None = None,
    name: str = "",
    credentials=(),
    skills=(),
    degrees=(),
    user=None,
):
    """A candidate from interchange pieces: ``credentials`` are dicts like the interchange format."""
    doc = parse_candidate(
        {
            "id": cid or f"c-{next(_seq)}",
            "name": name,
            "credentials": list(credentials),
            "skills": list(skills),
            "degrees": list(degrees),
        }
    )
    return candidates_create(organization=organization, docs=[doc], user=user)[0]


def credential(
    title: str,
    skills: list[str],
    *,
    verified: bool = True,
    issued: str = "2025-06-01",
    issuer: str = "Example Institute",
    **extra,
) -> dict:
    return {"title": title, "skills": skills, "verified": verified, "issued": issued, "issuer": issuer, **extra}


def make_stage(organization: Organization, name: str, decision: str = "contact", position: int | None = None):
    """A pipeline stage of ``organization`` (which already has the default stages), at the end unless
    ``position`` is given."""
    from apps.matching.models import PipelineStage

    if position is None:
        position = PipelineStage.objects.filter(organization=organization).count()
    return PipelineStage.objects.create(organization=organization, name=name, decision=decision, position=position)


class ResumeParseJobFactory(factory.django.DjangoModelFactory):
    """A CV parse job as the dashboard's upload leaves it (queued, the file's bytes kept, expiring in an
    hour); ``ResumeParseJobFactory(user=u, organization=org, candidate=c, data=b"...")``."""

    class Meta:
        model = "candidates.ResumeParseJob"

    organization = factory.LazyAttribute(lambda o: o.candidate.organization if o.candidate else OrganizationFactory())
    user = factory.LazyAttribute(lambda o: UserFactory(organization=o.organization, role=Role.SEEKER))
    candidate = None
    filename = "cv.txt"
    data = b"SKILLS\nSQL, Python\n"
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))
