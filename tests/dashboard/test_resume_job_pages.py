"""The CV parse job's page: "Reading your CV…" while the task reads the file (the partial polls the page
through htmx, and the page reloads once the job is over), the draft then, a lost job reported; nobody
but the uploader sees a job, and the confirmation deletes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from apps.accounts.models import Role
from apps.candidates.models import CandidateSkill, ResumeParseJob, ResumeParseStatus
from apps.candidates.services import resume_parse_job_run
from tests.candidates import cv_files
from tests.candidates.conftest import cv_taxonomy  # noqa: F401  (fixture)

from ..factories import ResumeParseJobFactory, make_candidate
from .conftest import make_user

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def me(org, seeker):
    return make_candidate(org, cid="c-me", name="Sam Seeker", user=seeker)


def _queued(client, url: str) -> tuple[ResumeParseJob, str]:
    """Upload without running the task (as with a broker: a worker reads it later)."""
    r = client.post(url, {"file": SimpleUploadedFile("cv.pdf", cv_files.pdf_two_columns())})
    assert r.status_code == 302
    job = ResumeParseJob.objects.get()
    assert r["Location"].endswith(f"/resume/jobs/{job.pk}/") and job.status == ResumeParseStatus.QUEUED
    return job, r["Location"]


@pytest.mark.django_db
def test_the_page_reads_then_shows_the_draft(sclient, me, cv_taxonomy):  # noqa: F811
    job, url = _queued(sclient, "/me/resume/")
    page = sclient.get(url).content.decode()
    assert "Reading your CV…" in page and f'hx-get="{url}"' in page and 'hx-trigger="every 1s"' in page
    assert "Check what was read" not in page
    poll = sclient.get(url, **HTMX)
    assert poll.status_code == 200 and "Reading your CV…" in poll.content.decode()
    assert "<html" not in poll.content.decode()  # the partial only
    resume_parse_job_run(job_id=job.pk)
    done = sclient.get(url, **HTMX)
    assert done.status_code == 204 and done["HX-Refresh"] == "true"  # the page reloads itself
    page = sclient.get(url).content.decode()
    assert "Check what was read" in page and "Reading your CV" not in page and "<mark>Python</mark>" in page
    assert f'name="job" value="{job.pk}"' in page


@pytest.mark.django_db
def test_nobody_else_reads_a_job(client, org, other_org, seeker, me, recruiter, cv_taxonomy):  # noqa: F811
    client.force_login(seeker)
    job, url = _queued(client, "/me/resume/")
    other_seeker = make_user("sue", org, Role.SEEKER)
    make_candidate(org, cid="c-sue", user=other_seeker)
    client.force_login(other_seeker)
    assert client.get(url).status_code == 404
    poll = client.get(url, **HTMX)  # nothing of the job in the answer; the page reloads into the 404
    assert poll.status_code == 204 and poll["HX-Refresh"] == "true" and poll.content == b""
    # a recruiter of the organization: not at the seeker's address, nor through the candidate's
    client.force_login(recruiter)
    assert client.get(url).status_code == 403
    assert client.get(f"/candidates/{me.id}/resume/jobs/{job.pk}/").status_code == 404
    # nor can another person's confirmation delete it
    client.force_login(other_seeker)
    client.post("/me/resume/confirm/", {"job": str(job.pk), "skills-new1-name": "SQL"})
    assert ResumeParseJob.objects.filter(pk=job.pk).exists()


@pytest.mark.django_db
def test_recruiter_job_is_bound_to_its_candidate(rclient, org, recruiter, me):
    other = make_candidate(org, cid="c-other")
    job = ResumeParseJobFactory(organization=org, user=recruiter, candidate=me)
    assert rclient.get(f"/candidates/{me.id}/resume/jobs/{job.pk}/").status_code == 200
    assert rclient.get(f"/candidates/{other.id}/resume/jobs/{job.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_lost_or_expired_job_is_reported(sclient, seeker, org, me, settings):
    settings.TSUMIKI_RESUME_JOB_TIMEOUT_SECONDS = 60
    job = ResumeParseJobFactory(organization=org, user=seeker, candidate=me)
    ResumeParseJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    url = f"/me/resume/jobs/{job.pk}/"
    assert sclient.get(url, **HTMX)["HX-Refresh"] == "true"  # polling stops
    page = sclient.get(url).content.decode()
    assert "took too long" in page and "Reading your CV" not in page
    ResumeParseJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert sclient.get(url).status_code == 404
    assert sclient.get(url, **HTMX)["HX-Refresh"] == "true"  # a page still polling stops


@pytest.mark.django_db
def test_a_confirmation_that_cannot_be_stored_goes_back_to_the_draft(sclient, seeker, org, me):
    job = ResumeParseJobFactory(organization=org, user=seeker, candidate=me)
    resume_parse_job_run(job_id=job.pk)
    r = sclient.post("/me/resume/confirm/", {"job": str(job.pk), "exp-new1-title": "X", "exp-new1-start": "2019-13"})
    assert r.status_code == 302 and r["Location"] == f"/me/resume/jobs/{job.pk}/"
    assert ResumeParseJob.objects.filter(pk=job.pk).exists() and not CandidateSkill.objects.filter(candidate=me)
    r = sclient.post("/me/resume/confirm/", {"job": str(job.pk), "skills-new1-name": "SQL"})
    assert r["Location"] == "/me/profile/" and not ResumeParseJob.objects.filter(pk=job.pk).exists()


@pytest.mark.django_db
@given(job_id=st.text(max_size=60).filter(lambda t: "/" not in t and "\x00" not in t), htmx=st.booleans())
@hyp_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_job_address_is_a_404_not_a_500(sclient, me, job_id, htmx):
    from urllib.parse import quote

    r = sclient.get(f"/me/resume/jobs/{quote(job_id, safe='')}/", **(HTMX if htmx else {}))
    assert r.status_code == (204 if htmx and job_id else 404)
