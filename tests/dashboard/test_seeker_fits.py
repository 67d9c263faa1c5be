"""Jobs that fit me best (read from stored scores, never computed on the page) and the Japanese pages:
translated headings and localized dates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts.models import Role
from apps.matching.models import MatchRun, RunStatus

from ..factories import make_candidate, make_job
from .conftest import make_user, run_match_now

pytestmark = pytest.mark.django_db


def url(name, **kw):
    return reverse(f"dashboard:{name}", kwargs=kw or None)


def test_jobs_that_fit_me_best(sclient, org, job, pool, recruiter, django_capture_on_commit_callbacks):
    sql_job = make_job(org, [{"name": "SQL", "required": True}], title="Database clerk", job_id="job-sql")
    make_job(org, ["cooking"], title="Chef", job_id="job-chef")  # never matched
    run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    run_match_now(sql_job, recruiter, django_capture_on_commit_callbacks)
    resp = sclient.get(url("seeker_jobs"))
    fits = resp.context["fits"]
    assert [f.job.title for f in fits] == ["Database clerk", "Data analyst", "Chef"]
    assert fits[0].score.score > fits[1].score.score and fits[2].score is None
    assert fits[1].missing == ["Python programming", "data visualisation"]
    body = resp.content.decode()
    assert "<h1>Jobs that fit me best</h1>" in body and "Not scored yet" in body
    assert 'class="chip chip-missing"' in body and "Python programming" in body
    assert 'aria-valuenow="' in body  # the score bar carries its number for assistive technology


def test_fits_read_the_latest_finished_run(sclient, job, pool, recruiter, django_capture_on_commit_callbacks):
    run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    newer = run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    MatchRun.objects.create(organization=job.organization, job=job, status=RunStatus.RUNNING)  # not finished
    fits = sclient.get(url("seeker_jobs")).context["fits"]
    assert fits[0].score.run_id == newer.id


def test_closed_jobs_and_others_scores_are_not_shown(
    sclient, org, job, pool, recruiter, django_capture_on_commit_callbacks
):
    run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    job.status = "closed"
    job.save()
    assert sclient.get(url("seeker_jobs")).context["fits"] == []


def test_seeker_without_profile_sees_jobs_unscored(client, org, job, finished_run):
    lonely = make_user("lonely", org, Role.SEEKER)
    client.force_login(lonely)
    resp = client.get(url("seeker_jobs"))
    assert [f.score for f in resp.context["fits"]] == [None]
    assert "No candidate profile is linked" in resp.content.decode()


def test_jobs_that_fit_query_budget(
    sclient, org, seeker, recruiter, pool, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for i in range(6):
        j = make_job(org, ["SQL", "Python programming"], title=f"Job {i}", job_id=f"job-{i}")
        run_match_now(j, recruiter, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(7):  # session, user, membership, profile, jobs, scores (+ savepoint slack)
        resp = sclient.get(url("seeker_jobs"))
    assert len(resp.context["fits"]) == 6 and all(f.score for f in resp.context["fits"])


# --- Japanese ------------------------------------------------------------------------------------------


def test_japanese_pages_translate_and_localize(
    sclient, client, recruiter, org, job, pool, finished_run, japanese_catalog
):
    sclient.post("/i18n/setlang/", {"language": "ja", "next": url("seeker_jobs")})
    body = sclient.get(url("seeker_jobs")).content.decode()
    assert "<h1>自分に合う求人</h1>" in body and "不足" in body
    home = sclient.get(url("seeker_home")).content.decode()
    assert "2025年6月1日" in home  # the credential's issue date, in the Japanese date format
    client.force_login(recruiter)
    client.post("/i18n/setlang/", {"language": "ja", "next": url("jobs")})
    assert "新しい求人" in client.get(url("jobs")).content.decode()
    editor = client.get(url("job_new")).content.decode()
    assert "説明からスキルを提案" in editor and "スキルを追加" in editor
    shortlist = client.get(url("shortlist", job_id=job.id)).content.decode()
    assert "必要なスキルごとの希少度" in shortlist and "並べ替え" in shortlist and "発行者" in shortlist


def test_english_dates_use_the_english_format(sclient, pool):
    assert "June 1, 2025" in sclient.get(url("seeker_home")).content.decode()


def test_candidate_panel_localizes_dates(rclient, job, pool, finished_run):
    body = rclient.get(url("candidate", job_id=job.id, candidate_id=pool["strong"].id)).content.decode()
    assert '<time datetime="2025-06-01">June 1, 2025</time>' in body


def test_unscored_candidate_added_after_the_run(client, org, job, finished_run):
    late = make_user("late", org, Role.SEEKER)
    make_candidate(org, cid="c-late", name="Late", user=late, skills=["SQL"])
    client.force_login(late)
    assert client.get(url("seeker_jobs")).context["fits"][0].score is None
