"""CV parse jobs (apps.candidates.models.ResumeParseJob): the dashboard's upload kept privately and read by
a task, its draft the same as a direct parse, failures reported with nothing of the file kept, expiry,
and erasure with the candidate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import Role
from apps.candidates import tasks
from apps.candidates.models import ResumeParseJob, ResumeParseStatus
from apps.candidates.resume import Draft
from apps.candidates.rights import candidate_erase, candidate_export
from apps.candidates.selectors import resume_parse_job_get
from apps.candidates.services import (
    RESUME_JOB_INTERNAL_ERROR,
    resume_parse,
    resume_parse_job_create,
    resume_parse_job_lost,
    resume_parse_job_run,
)

from ..factories import ResumeParseJobFactory, UserFactory, make_candidate
from . import cv_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(org, seeker):
    return make_candidate(org, cid="c-me", user=seeker)


def test_upload_is_read_by_the_task_into_the_same_draft(
    org, seeker, me, cv_taxonomy, django_capture_on_commit_callbacks
):
    data = cv_files.pdf_two_columns()
    with django_capture_on_commit_callbacks(execute=True) as sent:
        job = resume_parse_job_create(organization=org, user=seeker, candidate=me, data=data, filename="cv.pdf")
    assert len(sent) == 1  # queued once, after commit
    job.refresh_from_db()
    assert job.status == ResumeParseStatus.DONE and job.finished_at is not None
    assert bytes(job.data) == b""  # the file is not kept once read
    direct = resume_parse(data=data, filename="cv.pdf")
    assert Draft.from_json(job.draft).as_dict() == direct.as_dict()
    assert Draft.from_json(job.draft).to_json() == job.draft  # what the page shows survives the round trip
    assert any(s["uri"] and s["uri"].endswith("/py") for s in job.draft["skills"])


def test_a_file_that_is_no_cv_fails_with_the_readers_words(org, seeker):
    job = ResumeParseJobFactory(organization=org, user=seeker, data=cv_files.pdf_scanned(), filename="scan.pdf")
    assert tasks.resume_parse_job_run(str(job.pk)) == ResumeParseStatus.FAILED
    job.refresh_from_db()
    assert job.errors == ["this PDF has no text layer (scanned?)"] and job.draft is None
    assert bytes(job.data) == b""


def test_a_reading_that_breaks_fails_without_the_exception_text(org, seeker, monkeypatch):
    from apps.candidates import services

    def broken(**kwargs):
        raise RuntimeError("secret words of the CV")

    monkeypatch.setattr(services, "resume_parse", broken)
    job = ResumeParseJobFactory(organization=org, user=seeker)
    resume_parse_job_run(job_id=job.pk)  # never raises: the page must say it failed
    job.refresh_from_db()
    assert (job.status, job.errors, job.draft, bytes(job.data)) == (
        ResumeParseStatus.FAILED,
        [RESUME_JOB_INTERNAL_ERROR],
        None,
        b"",
    )


def test_a_job_is_read_once(org, seeker):
    job = ResumeParseJobFactory(organization=org, user=seeker)
    assert resume_parse_job_run(job_id=job.pk) is not None
    assert resume_parse_job_run(job_id=job.pk) is None  # sent twice (acks_late): the second does nothing
    assert tasks.resume_parse_job_run("00000000-0000-0000-0000-000000000000") == "skipped"


def test_a_job_waiting_too_long_counts_as_lost(org, seeker, settings):
    settings.TSUMIKI_RESUME_JOB_TIMEOUT_SECONDS = 60
    job = ResumeParseJobFactory(organization=org, user=seeker)
    assert not resume_parse_job_lost(job)
    ResumeParseJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=61))
    job.refresh_from_db()
    assert resume_parse_job_lost(job)
    resume_parse_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert not resume_parse_job_lost(job)  # finished, however late


def test_expired_jobs_are_purged_and_not_served(org, seeker):
    old = ResumeParseJobFactory(organization=org, user=seeker, expires_at=timezone.now() - timedelta(seconds=1))
    fresh = ResumeParseJobFactory(organization=org, user=seeker)
    assert resume_parse_job_get(job_id=old.pk, user=seeker, organization=org) is None
    assert tasks.resume_parse_jobs_purge() == 1
    assert list(ResumeParseJob.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_upload_purges_expired_jobs_on_the_way(org, seeker, settings):
    settings.TSUMIKI_RESUME_JOB_TTL_SECONDS = 120
    ResumeParseJobFactory(organization=org, user=seeker, expires_at=timezone.now() - timedelta(seconds=1))
    job = resume_parse_job_create(organization=org, user=seeker, candidate=None, data=b"x", filename="")
    assert list(ResumeParseJob.objects.values_list("pk", flat=True)) == [job.pk]
    assert job.filename == "cv" and timedelta(seconds=110) < job.expires_at - timezone.now() <= timedelta(seconds=120)


def test_a_job_is_only_its_uploaders(org, other_org, seeker):
    job = ResumeParseJobFactory(organization=org, user=seeker)
    colleague = UserFactory(organization=org, role=Role.RECRUITER)
    assert resume_parse_job_get(job_id=job.pk, user=seeker, organization=org) == job
    assert resume_parse_job_get(job_id=str(job.pk), user=seeker, organization=org) == job
    assert resume_parse_job_get(job_id=job.pk, user=colleague, organization=org) is None
    assert resume_parse_job_get(job_id=job.pk, user=seeker, organization=other_org) is None
    for bad in ("", "not-a-uuid", "1", None):
        assert resume_parse_job_get(job_id=bad, user=seeker, organization=org) is None


def test_erasure_removes_pending_parse_jobs(org, seeker, me, recruiter):
    for_profile = ResumeParseJobFactory(organization=org, user=recruiter, candidate=me)
    own_without_profile = ResumeParseJobFactory(organization=org, user=seeker)
    someone_else = ResumeParseJobFactory(organization=org, user=UserFactory(organization=org, role=Role.SEEKER))
    exported = candidate_export(candidate=me)
    assert {j["id"] for j in exported["resume_parse_jobs"]} == {str(for_profile.pk), str(own_without_profile.pk)}
    receipt = candidate_erase(candidate=me)
    assert receipt["erased"]["resume_parse_jobs"] == 2
    assert list(ResumeParseJob.objects.values_list("pk", flat=True)) == [someone_else.pk]
