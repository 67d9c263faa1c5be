"""Reads for candidates that the dashboard and the API share."""

from __future__ import annotations

import uuid

from .models import ResumeParseJob


def resume_parse_job_get(*, job_id, organization, user=None, api_key=None) -> ResumeParseJob | None:
    """The parse job ``job_id`` when it belongs to ``user`` (or ``api_key``) in ``organization`` and has
    not expired; None otherwise (another person's or key's job, a malformed id, an expired or purged
    one): a CV is private to whoever uploaded it, so even a colleague in the same organization, or
    another key of it, does not see it."""
    from django.utils import timezone

    try:
        key = uuid.UUID(str(job_id))
    except ValueError:
        return None
    if (user is None) == (api_key is None):
        return None
    owner = {"user": user} if user is not None else {"api_key": api_key}
    return ResumeParseJob.objects.filter(
        pk=key, organization=organization, expires_at__gte=timezone.now(), **owner
    ).first()
