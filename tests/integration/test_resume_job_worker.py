"""A CV uploaded as a parse job is read by a real worker process through Redis, into the draft the
web process would have read itself; the file's bytes are dropped once read."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from apps.candidates.models import ResumeParseJob, ResumeParseStatus
from apps.candidates.resume import Draft
from apps.candidates.services import resume_parse, resume_parse_job_create
from tests.candidates import cv_files
from tests.candidates.conftest import CV_SKILLS
from tests.factories import OrganizationFactory, UserFactory, make_candidate
from tests.skills.conftest import write_esco

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _wait(job_id, timeout: float = 120) -> ResumeParseJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = ResumeParseJob.objects.get(pk=job_id)
        if job.status in (ResumeParseStatus.DONE, ResumeParseStatus.FAILED):
            return job
        time.sleep(0.3)
    raise AssertionError(f"CV job {job_id} still {job.status} after {timeout}s")


def test_a_worker_reads_the_cv_into_the_same_draft(celery_workers, tmp_path):
    from apps.skills.services import taxonomy_import

    assert connection.vendor == "postgresql"
    taxonomy_import(root=write_esco(tmp_path / "esco", skills=CV_SKILLS))
    org = OrganizationFactory(slug="it-cv")
    seeker = UserFactory(username="it-sam", organization=org, role="seeker")
    me = make_candidate(org, cid="it-me", user=seeker)
    celery_workers(1)
    data = cv_files.pdf_two_columns()
    # autocommit: the task is sent at once, through Redis, to the worker process
    job = resume_parse_job_create(organization=org, user=seeker, candidate=me, data=data, filename="cv.pdf")
    job = _wait(job.pk)
    assert job.status == ResumeParseStatus.DONE, job.errors
    assert bytes(job.data) == b""
    assert Draft.from_json(job.draft).as_dict() == resume_parse(data=data, filename="cv.pdf").as_dict()
