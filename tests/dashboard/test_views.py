"""Dashboard pages through the Django test client: access, organization isolation, the degree-blind
shortlist with explanations, reveals, decisions, CSV export, seeker pages and query budgets."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from apps.accounts.models import Role
from apps.matching.models import MatchRun, RevealLog, RunStatus, ShortlistDecision

from ..factories import credential, make_candidate, make_job
from .conftest import make_user, run_match_now

pytestmark = pytest.mark.django_db


def blind(job, candidate) -> str:
    """The shortlist's label for a candidate not revealed: a stable code, never the rank."""
    from apps.matching.services import candidate_blind_code

    return f"Candidate {candidate_blind_code(job_id=job.id, candidate_id=candidate.id)}"


def url(name, **kw):
    return reverse(f"dashboard:{name}", kwargs=kw or None)


# --- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["home", "jobs", "seeker_home", "seeker_jobs"])
def test_anonymous_is_sent_to_login(client, name):
    resp = client.get(url(name))
    assert resp.status_code == 302
    assert resp["Location"].startswith(url("login"))


def test_login_page_renders_and_logs_in(client, recruiter):
    resp = client.get(url("login"))
    assert resp.status_code == 200
    assert b'<label for="id_username">' in resp.content
    resp = client.post(url("login"), {"username": "rita", "password": "pw-tsumiki-123"})
    assert resp.status_code == 302 and resp["Location"] == url("home")
    assert client.get(url("home"))["Location"] == url("jobs")


def test_wrong_password_shows_error_not_500(client, recruiter):
    resp = client.post(url("login"), {"username": "rita", "password": "nope"})
    assert resp.status_code == 200
    assert b'role="alert"' in resp.content


def test_home_redirects_by_role(client, recruiter, seeker):
    client.force_login(recruiter)
    assert client.get(url("home"))["Location"] == url("jobs")
    client.force_login(seeker)
    assert client.get(url("home"))["Location"] == url("seeker_home")


def test_roles_are_kept_apart(client, recruiter, seeker, job):
    client.force_login(seeker)
    assert client.get(url("jobs")).status_code == 403
    assert client.get(url("shortlist", job_id=job.id)).status_code == 403
    client.force_login(recruiter)
    assert client.get(url("seeker_home")).status_code == 403


def test_logout_is_a_post(rclient):
    resp = rclient.post(url("logout"))
    assert resp.status_code == 302 and resp["Location"] == url("login")
    assert rclient.get(url("jobs")).status_code == 302


def test_language_switch_to_japanese(rclient, job, japanese_catalog):
    resp = rclient.post("/i18n/setlang/", {"language": "ja", "next": url("jobs")})
    assert resp["Location"] == url("jobs")
    body = rclient.get(url("jobs")).content.decode()
    assert '<html lang="ja">' in body
    assert "求人" in body and "最新の実行" in body
    # the ESCO attribution stays in English, with a translation beside it
    job_page = rclient.get(url("job", job_id=job.id)).content.decode()
    assert "This service uses the ESCO classification of the European Commission" in job_page
    assert "ESCO 分類" in job_page


# --- organization isolation -------------------------------------------------------------------------


def test_other_organizations_ids_are_404(client, other_recruiter, job, pool, finished_run):
    client.force_login(other_recruiter)
    cand = pool["strong"]
    assert client.get(url("job", job_id=job.id)).status_code == 404
    assert client.get(url("shortlist", job_id=job.id)).status_code == 404
    assert client.get(url("shortlist_csv", job_id=job.id)).status_code == 404
    assert client.get(url("run", job_id=job.id, run_id=finished_run.id)).status_code == 404
    assert client.get(url("run_progress", job_id=job.id, run_id=finished_run.id)).status_code == 404
    assert client.get(url("candidate", job_id=job.id, candidate_id=cand.id)).status_code == 404
    assert client.post(url("run_start", job_id=job.id)).status_code == 404
    assert client.post(url("reveal", job_id=job.id, candidate_id=cand.id)).status_code == 404
    assert client.post(url("decide", job_id=job.id, candidate_id=cand.id), {"decision": "shortlist"}).status_code == 404
    assert not RevealLog.objects.exists() and not ShortlistDecision.objects.exists()
    assert MatchRun.objects.count() == 1
    assert b"Data analyst" not in client.get(url("jobs")).content


def test_candidate_of_another_org_is_404_even_with_own_job(rclient, org, other_org, job, finished_run):
    stranger = make_candidate(other_org, cid="c-x", name="Stranger", skills=["SQL"])
    assert rclient.get(url("candidate", job_id=job.id, candidate_id=stranger.id)).status_code == 404
    assert rclient.post(url("reveal", job_id=job.id, candidate_id=stranger.id)).status_code == 404


def test_run_of_another_job_is_404(rclient, org, job, finished_run):
    other_job = make_job(org, ["SQL"], title="Other", job_id="job-other")
    assert rclient.get(url("run", job_id=other_job.id, run_id=finished_run.id)).status_code == 404


# --- jobs, runs --------------------------------------------------------------------------------------


def test_jobs_list_shows_latest_run(rclient, job, finished_run):
    resp = rclient.get(url("jobs"))
    body = resp.content.decode()
    assert "Data analyst" in body
    assert "Succeeded" in body
    assert resp.context["jobs"][0].latest_run.pool_size == 3
    assert resp.context["jobs"][0].latest_run.top_score > 0


def test_job_detail_lists_required_skills(rclient, job):
    body = rclient.get(url("job", job_id=job.id)).content.decode()
    for name in ("SQL", "Python programming", "data visualisation"):
        assert name in body
    assert "Must-have" in body and "EQF 5" in body
    assert "This service uses the ESCO classification of the European Commission" in body


def test_run_match_starts_a_run_and_redirects_to_its_page(rclient, job, pool, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        resp = rclient.post(url("run_start", job_id=job.id))
    run = MatchRun.objects.get(job=job)
    assert resp.status_code == 302 and resp["Location"] == url("run", job_id=job.id, run_id=run.id)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    page = rclient.get(resp["Location"]).content.decode()
    assert "View shortlist" in page and "hx-trigger" not in page


def test_run_match_on_job_without_skills_shows_the_message(rclient, org):
    empty = make_job(org, ["SQL"], title="Empty", job_id="job-empty")
    empty.required_skills.all().delete()  # e.g. all removed through the API
    resp = rclient.post(url("run_start", job_id=empty.id), follow=True)
    assert resp.status_code == 200
    assert "no required skills" in resp.content.decode()
    assert not MatchRun.objects.exists()


def test_run_start_requires_post(rclient, job):
    assert rclient.get(url("run_start", job_id=job.id)).status_code == 405


def test_progress_partial_polls_until_finished_then_redirects(rclient, job, pool, recruiter):
    run = MatchRun.objects.create(organization=job.organization, job=job, status=RunStatus.RUNNING, progress=0.4)
    progress_url = url("run_progress", job_id=job.id, run_id=run.id)
    resp = rclient.get(progress_url, headers={"HX-Request": "true"})
    body = resp.content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="40"' in body
    assert "HX-Redirect" not in resp
    MatchRun.objects.filter(id=run.id).update(status=RunStatus.SUCCEEDED, progress=1.0)
    resp = rclient.get(progress_url, headers={"HX-Request": "true"})
    assert resp["HX-Redirect"] == url("shortlist", job_id=job.id)
    assert "hx-trigger" not in resp.content.decode()


def test_failed_run_shows_its_error(rclient, job):
    run = MatchRun.objects.create(
        organization=job.organization, job=job, status=RunStatus.FAILED, error="vectors missing"
    )
    body = rclient.get(url("run", job_id=job.id, run_id=run.id)).content.decode()
    assert "The match run failed." in body and "vectors missing" in body


def test_running_run_page_refreshes_without_js(rclient, job):
    run = MatchRun.objects.create(organization=job.organization, job=job, status=RunStatus.QUEUED)
    body = rclient.get(url("run", job_id=job.id, run_id=run.id)).content.decode()
    assert '<noscript><meta http-equiv="refresh"' in body


# --- shortlist ---------------------------------------------------------------------------------------


def test_shortlist_is_ranked_explained_and_blind(rclient, job, pool, finished_run):
    resp = rclient.get(url("shortlist", job_id=job.id))
    body = resp.content.decode()
    rows = resp.context["rows"]
    assert [r.candidate_id for r in rows][:2] == [pool["strong"].id, pool["partial"].id]
    assert [r.rank for r in rows] == [1, 2, 3]
    assert blind(job, pool["strong"]) in body and blind(job, pool["none"]) in body
    assert "Candidate #" not in body  # a label is never the rank
    # degree-blind: no names, no degrees
    for secret in ("Ada Lovelace", "Sam Seeker", "Carl Cook", "BSc Mathematics"):
        assert secret not in body
    # chips carry text as well as colour
    assert "chip chip-verified" in body and "verified credential" in body
    assert "chip chip-missing" in body and "missing" in body
    assert "This service uses the ESCO classification of the European Commission" in body


def test_shortlist_without_a_finished_run(rclient, job):
    resp = rclient.get(url("shortlist", job_id=job.id))
    assert resp.status_code == 200
    assert "No finished match run" in resp.content.decode()


def test_shortlist_filters(rclient, job, pool, finished_run):
    def ranks(query):
        rows = rclient.get(url("shortlist", job_id=job.id), query).context["rows"]
        return [r.candidate_id for r in rows]

    assert ranks({"must_have": "yes"}) == [pool["strong"].id, pool["partial"].id]
    assert ranks({"has_skill": "Python programming"}) == [pool["strong"].id]
    assert ranks({"min_score": "99.5"}) == []
    assert pool["none"].id not in ranks({"min_score": "1"})


def test_shortlist_bad_filters_are_errors_not_500(rclient, job, finished_run):
    resp = rclient.get(url("shortlist", job_id=job.id), {"min_score": "lots", "has_skill": "knitting", "page": "x"})
    assert resp.status_code == 200
    assert resp.context["form"].errors
    assert len(resp.context["rows"]) == 3  # invalid filters fall back to the full list


def test_shortlist_paginates_by_50(rclient, org, job, recruiter, django_capture_on_commit_callbacks):
    for i in range(55):
        make_candidate(org, cid=f"p-{i}", name=f"Person {i}", skills=["SQL"])
    run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    first = rclient.get(url("shortlist", job_id=job.id))
    assert len(first.context["rows"]) == 50
    second = rclient.get(url("shortlist", job_id=job.id), {"page": 2, "must_have": ""})
    assert len(second.context["rows"]) == 5
    assert second.context["rows"][0].rank == 51
    # filters, and the run shown, are kept across pages
    assert f"must_have=&amp;run={second.context['run'].id}&amp;page=1" in second.content.decode()


# --- candidate detail, reveal, decisions --------------------------------------------------------------


def test_candidate_detail_explains_skill_by_skill(rclient, job, pool, finished_run):
    cand = pool["strong"]
    body = rclient.get(url("candidate", job_id=job.id, candidate_id=cand.id)).content.decode()
    assert blind(job, cand) in body and "Ada Lovelace" not in body
    assert "SQL for Analysts" in body and "Open Data Academy" in body and "2025-06-01" in body
    assert "Python Foundations" in body and "Unverified" in body
    assert "BSc Mathematics" not in body  # degrees hidden until revealed
    assert "<html" in body
    # a page of its own: one h1 (the candidate's code), its sections one level below
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", body) == [blind(job, cand)]
    assert "<h2>Why this score</h2>" in body and "<h3>" not in body


def test_candidate_detail_as_htmx_panel(rclient, job, pool, finished_run):
    resp = rclient.get(url("candidate", job_id=job.id, candidate_id=pool["partial"].id), headers={"HX-Request": "true"})
    body = resp.content.decode()
    assert "<html" not in body and 'id="candidate-panel"' in body
    assert "<h1" not in body and "<h3>Why this score</h3>" in body  # under the shortlist's own h1
    assert "Relational databases badge" in body and "Badge Works" in body


def test_reveal_is_logged_and_shows_name_and_degrees(rclient, client, recruiter, org, job, pool, finished_run):
    cand = pool["strong"]
    back = url("shortlist", job_id=job.id)
    resp = rclient.post(url("reveal", job_id=job.id, candidate_id=cand.id), {"next": back})
    assert resp.status_code == 302 and resp["Location"] == back
    log = RevealLog.objects.get()
    assert (log.job, log.candidate, log.user) == (job, cand, recruiter)
    body = rclient.get(back).content.decode()
    assert "Ada Lovelace" in body and "BSc Mathematics" in body
    assert "Sam Seeker" not in body  # only the revealed candidate
    detail = rclient.get(url("candidate", job_id=job.id, candidate_id=cand.id)).content.decode()
    assert "BSc Mathematics" in detail
    # reveal is per recruiter: a colleague still sees the blind list
    colleague = make_user("rob", org, Role.RECRUITER)
    client.force_login(colleague)
    assert "Ada Lovelace" not in client.get(back).content.decode()


def test_reveal_ignores_offsite_next(rclient, job, pool, finished_run):
    cand = pool["strong"]
    resp = rclient.post(url("reveal", job_id=job.id, candidate_id=cand.id), {"next": "https://evil.example/"})
    assert resp["Location"] == url("candidate", job_id=job.id, candidate_id=cand.id)


def test_reveal_requires_post(rclient, job, pool):
    assert rclient.get(url("reveal", job_id=job.id, candidate_id=pool["strong"].id)).status_code == 405
    assert not RevealLog.objects.exists()


def test_decisions_are_recorded(rclient, recruiter, job, pool, finished_run):
    cand = pool["partial"]
    decide = url("decide", job_id=job.id, candidate_id=cand.id)
    rclient.post(decide, {"decision": "shortlist"})
    d = ShortlistDecision.objects.get()
    assert (d.job, d.candidate, d.decision, d.decided_by) == (job, cand, "shortlist", recruiter)
    # a rejection needs a reason
    resp = rclient.post(decide, {"decision": "reject", "reason": "  "}, follow=True)
    assert "Give a reason when rejecting" in resp.content.decode()
    assert ShortlistDecision.objects.count() == 1
    rclient.post(decide, {"decision": "reject", "reason": "no Python yet"})
    latest = ShortlistDecision.objects.order_by("-id").first()
    assert (latest.decision, latest.reason) == ("reject", "no Python yet")
    # the shortlist shows the latest decision
    rows = rclient.get(url("shortlist", job_id=job.id)).context["rows"]
    assert {r.candidate_id: r.decision for r in rows if r.decision} == {cand.id: "reject"}
    # unknown decisions are refused
    resp = rclient.post(decide, {"decision": "hire-now"}, follow=True)
    assert resp.status_code == 200 and ShortlistDecision.objects.count() == 2


# --- CSV export --------------------------------------------------------------------------------------


def _csv(resp):
    return list(csv.DictReader(io.StringIO(resp.content.decode())))


def test_csv_export_is_blind_until_revealed(rclient, job, pool, finished_run):
    resp = rclient.get(url("shortlist_csv", job_id=job.id))
    assert resp["Content-Type"].startswith("text/csv")
    assert "attachment" in resp["Content-Disposition"]
    rows = _csv(resp)
    assert [r["rank"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["candidate"] == blind(job, pool["strong"]) and rows[0]["degrees"] == ""
    assert "SQL" in rows[0]["covered"] and rows[2]["must_have_missing"] == "SQL"
    rclient.post(url("reveal", job_id=job.id, candidate_id=pool["strong"].id))
    rows = _csv(rclient.get(url("shortlist_csv", job_id=job.id)))
    assert rows[0]["candidate"] == "Ada Lovelace" and rows[0]["degrees"] == "BSc Mathematics"
    assert rows[1]["candidate"] == blind(job, pool["partial"])


def test_csv_export_applies_filters_and_neutralises_formulas(
    rclient, org, job, recruiter, django_capture_on_commit_callbacks
):
    evil = make_candidate(
        org, cid="c-evil", name='=HYPERLINK("http://x")', credentials=[credential("SQL cert", ["SQL"])]
    )
    make_candidate(org, cid="c-low", name="Low", skills=["cooking"])
    run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    rclient.post(url("reveal", job_id=job.id, candidate_id=evil.id))
    rows = _csv(rclient.get(url("shortlist_csv", job_id=job.id), {"must_have": "yes"}))
    assert len(rows) == 1
    assert rows[0]["candidate"].startswith("'=")


def test_csv_without_run_redirects_with_message(rclient, job):
    resp = rclient.get(url("shortlist_csv", job_id=job.id), follow=True)
    assert resp.status_code == 200 and "no finished match run" in resp.content.decode()


# --- query budgets -------------------------------------------------------------------------------------


def test_jobs_list_query_budget(
    rclient, org, recruiter, pool, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for i in range(8):
        j = make_job(org, ["SQL", "Python programming"], title=f"Job {i}", job_id=f"job-{i}")
        run_match_now(j, recruiter, django_capture_on_commit_callbacks)
        run_match_now(j, recruiter, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(6):
        resp = rclient.get(url("jobs"))
    assert len(resp.context["jobs"]) == 8
    assert all(j.latest_run and j.latest_run.top_score is not None for j in resp.context["jobs"])


def test_shortlist_query_budget_with_30_candidates(
    rclient, org, job, recruiter, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for i in range(30):
        c = make_candidate(
            org,
            cid=f"q-{i}",
            name=f"Q {i}",
            credentials=[credential(f"Cert {i}", ["SQL"])],
            degrees=[{"title": f"Degree {i}"}],
        )
        if i % 3 == 0:
            rclient.post(url("reveal", job_id=job.id, candidate_id=c.id))
            rclient.post(url("decide", job_id=job.id, candidate_id=c.id), {"decision": "contact"})
    run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    # 13: the v1 page's 12, plus the issuer filter's choices (the scarcity chart loads on its own)
    with django_assert_max_num_queries(13):
        resp = rclient.get(url("shortlist", job_id=job.id))
    assert len(resp.context["rows"]) == 30
    with django_assert_max_num_queries(13):
        rclient.get(url("shortlist_csv", job_id=job.id))


# --- seeker ------------------------------------------------------------------------------------------


def test_seeker_sees_own_credentials_only(sclient, pool):
    body = sclient.get(url("seeker_home")).content.decode()
    assert "Relational databases badge" in body and "Badge Works" in body and "Verified" in body
    assert "SQL for Analysts" not in body  # someone else's credential


def test_seeker_jobs_lists_open_jobs_of_own_org(sclient, org, other_org, job):
    closed = make_job(org, ["SQL"], title="Archivist", job_id="job-closed")
    closed.status = "closed"
    closed.save()
    make_job(other_org, ["SQL"], title="Elsewhere", job_id="job-else")
    body = sclient.get(url("seeker_jobs")).content.decode()
    assert "Data analyst" in body and "Archivist" not in body and "Elsewhere" not in body
    assert sclient.get(url("seeker_job", job_id=closed.id)).status_code == 404


def test_seeker_job_shows_covered_and_missing(sclient, job, pool):
    resp = sclient.get(url("seeker_job", job_id=job.id))
    fit = resp.context["fit"]
    assert [s.name for s in fit.covered] == ["SQL"]
    assert [s.name for s in fit.missing] == ["Python programming", "data visualisation"]
    assert fit.covered[0].credential.title == "Relational databases badge"
    body = resp.content.decode()
    assert "Relational databases badge" in body and "You cover 1 of 3 required skills." in body


def test_seeker_without_profile_gets_a_message(client, org, job):
    lonely = make_user("lonely", org, Role.SEEKER)
    client.force_login(lonely)
    resp = client.get(url("seeker_job", job_id=job.id))
    assert resp.status_code == 200 and "No candidate profile" in resp.content.decode()


def test_seeker_cannot_see_other_org_job(sclient, other_org):
    elsewhere = make_job(other_org, ["SQL"], title="Elsewhere", job_id="job-else")
    assert sclient.get(url("seeker_job", job_id=elsewhere.id)).status_code == 404


def test_integration_account_gets_a_readable_403(client, org):
    bot = make_user("bot", org, Role.INTEGRATION)
    client.force_login(bot)
    resp = client.get(url("home"))
    assert resp.status_code == 403
    assert "Integrations use the API" in resp.content.decode()
    assert client.get(url("jobs")).status_code == 403
