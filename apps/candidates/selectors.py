"""Reads for candidates that the dashboard and the API share."""

from __future__ import annotations

import uuid

from .models import ResumeParseJob


def resume_parse_job_get(*, job_id, user, organization) -> ResumeParseJob | None:
    """The parse job ``job_id`` when it belongs to ``user`` in ``organization`` and has not expired; None
    otherwise (another person's job, a malformed id, an expired or purged one): a CV is private to the
    person who uploaded it, so even a colleague in the same organization does not see it."""
    from django.utils import timezone

    try:
        key = uuid.UUID(str(job_id))
    except ValueError:
        return None
    return ResumeParseJob.objects.filter(
        pk=key, user=user, organization=organization, expires_at__gte=timezone.now()
    ).first()
