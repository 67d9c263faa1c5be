"""The shortlist page's cache (apps.matching.shortlist_cache): a cached page is the page, and a change
that alters the rows is seen on the next request: a decision, a reveal, a new run, a rescore, an
erasure, a candidate or job edit. Cached entries are blind and per organization; filters and language
have entries of their own. (The test settings turn the cache on over the per-process memory cache.)"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Role
from apps.candidates.rights import candidate_erase
from apps.candidates.services import candidates_create
from apps.core.interchange import parse_candidate
from apps.jobs.services import job_set_skills, job_update
from apps.matching.models import MatchRun, MatchScore
from apps.matching.services import candidate_rescore

from ..factories import credential, make_candidate, make_job
from .conftest import make_user, run_match_now

pytestmark = pytest.mark.django_db


def blind(job, candidate) -> str:
    """The shortlist's label for a candidate not revealed: a stable code, never the rank."""
    from apps.matching.services import candidate_blind_code

    return f"Candidate {candidate_blind_code(job_id=job.id, candidate_id=candidate.id)}"


CSRF = re.compile(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[A-Za-z0-9]+"')


def url(job, **query) -> str:
    path = reverse("dashboard:shortlist", kwargs={"job_id": job.id})
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def html(resp) -> str:
    assert resp.status_code == 200
    return CSRF.sub(r'\1"T"', resp.content.decode())


def score_queries(ctx) -> int:
    return sum('"matching_matchscore"' in q["sql"] for q in ctx.captured_queries)


def entries() -> list:
    """Every shortlist entry in the (memory) cache (not the version tokens, not the issuer choices)."""
    return [
        v
        for k, v in cache._cache.items()  # noqa: SLF001
        if ":shortlist:" in k and ":v:" not in k and ":issuers:" not in k
    ]


def rank_of(body: str, candidate) -> str:
    row = body[body.index(f'<tr id="c{candidate.id}"') :]
    return re.search(r'<td class="num rank">(\d+)</td>', row).group(1)


def test_the_second_request_is_served_from_the_cache_and_is_the_same_page(rclient, job, finished_run):
    first = rclient.get(url(job))
    with CaptureQueriesContext(connection) as ctx:
        second = rclient.get(url(job))
    assert score_queries(ctx) == 0  # no scores, no count, no decisions: the rows come from the cache
    assert not any("jobs_requiredskill" in q["sql"] for q in ctx.captured_queries)
    assert html(second) == html(first)
    assert [(r.candidate_id, r.rank, r.decision) for r in second.context["rows"]] == [
        (r.candidate_id, r.rank, r.decision) for r in first.context["rows"]
    ]
    assert second.context["page"].paginator.count == first.context["page"].paginator.count == 3
    # the context's form is still there for whoever asks (read lazily)
    assert not second.context["form"].errors


def test_the_cached_page_carries_this_requests_csrf_token(client, recruiter, job, pool, finished_run):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(recruiter)
    csrf_client.get(url(job))  # fills the cache
    body = csrf_client.get(url(job)).content.decode()
    assert "tsumiki:csrf" not in body and "tsumiki:rows" not in body
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', body))
    assert len(tokens) == 1  # the rows' forms and the page's others carry the same token
    reveal = reverse("dashboard:reveal", kwargs={"job_id": job.id, "candidate_id": pool["strong"].id})
    resp = csrf_client.post(reveal, {"csrfmiddlewaretoken": tokens.pop(), "next": url(job)})
    assert resp.status_code == 302  # accepted: the token is valid for this session


def test_a_decision_is_shown_at_once(rclient, job, pool, finished_run):
    assert "badge-decision" not in html(rclient.get(url(job)))
    decide = reverse("dashboard:decide", kwargs={"job_id": job.id, "candidate_id": pool["partial"].id})
    rclient.post(decide, {"decision": "shortlist"})
    resp = rclient.get(url(job))
    assert "badge-decision-shortlist" in html(resp)
    assert {r.candidate_id: r.decision for r in resp.context["rows"] if r.decision} == {pool["partial"].id: "shortlist"}


def test_a_renamed_stage_is_shown_at_once(rclient, org, job, pool, finished_run, recruiter):
    from apps.matching.models import PipelineStage
    from apps.matching.pipeline_services import stage_rename

    decide = reverse("dashboard:decide", kwargs={"job_id": job.id, "candidate_id": pool["partial"].id})
    interview = PipelineStage.objects.get(organization=org, name="Interview")
    rclient.post(decide, {"stage": interview.pk})
    assert ">Interview</span>" in html(rclient.get(url(job)))
    rclient.get(url(job))  # the cached page
    stage_rename(stage=interview, name="Panel interview", user=recruiter)
    body = html(rclient.get(url(job)))
    assert ">Panel interview</span>" in body and ">Interview</span>" not in body


def test_a_reveal_is_shown_to_the_recruiter_who_made_it_only(client, rclient, org, job, pool, finished_run):
    colleague = make_user("rosa", org, Role.RECRUITER)
    other = Client()
    other.force_login(colleague)
    for c in (rclient, other):
        assert "Ada Lovelace" not in html(c.get(url(job)))
    rclient.post(reverse("dashboard:reveal", kwargs={"job_id": job.id, "candidate_id": pool["strong"].id}))
    mine = html(rclient.get(url(job)))
    assert "Ada Lovelace" in mine and "BSc Mathematics" in mine
    assert blind(job, pool["strong"]) not in mine and blind(job, pool["partial"]) in mine
    theirs = html(other.get(url(job)))
    assert "Ada Lovelace" not in theirs and "BSc Mathematics" not in theirs and blind(job, pool["strong"]) in theirs
    # what the cache keeps is blind: no names, no degrees, whoever asked
    stored = repr(entries())
    assert entries() and "Ada Lovelace" not in stored and "BSc Mathematics" not in stored
    # the revealed row is the page's row otherwise: same rank, same chips
    assert rank_of(mine, pool["strong"]) == "1"
    row = next(r for r in rclient.get(url(job)).context["rows"] if r.candidate_id == pool["strong"].id)
    assert row.revealed and row.label == "Ada Lovelace"


def test_a_new_run_is_shown_at_once(rclient, org, job, recruiter, finished_run, django_capture_on_commit_callbacks):
    first = rclient.get(url(job))
    assert first.context["page"].paginator.count == 3
    newcomer = make_candidate(
        org,
        cid="c-new",
        name="Nia New",
        credentials=[credential("SQL Pro", ["SQL", "data visualisation", "Python programming"])],
    )
    run = run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    resp = rclient.get(url(job))
    assert run.id != finished_run.id and resp.context["page"].paginator.count == 4
    assert newcomer.id in [r.candidate_id for r in resp.context["rows"]]
    assert f"Run #{run.id} · 4 candidates scored" in html(resp)


def test_a_rescore_is_shown_at_once(rclient, org, job, pool, finished_run, django_capture_on_commit_callbacks):
    before = html(rclient.get(url(job)))
    assert rank_of(before, pool["none"]) == "3"
    # Carl gains every skill; a credential import rescores him into a new run (the finished one is kept)
    doc = parse_candidate(
        {
            "id": "c-none",
            "name": "Carl Cook",
            "credentials": [
                credential(
                    "Everything",
                    ["SQL", "Python programming", "data visualisation"],
                    issuer="Open Data Academy",
                    level={"framework": "EQF", "value": 6},
                )
            ],
        }
    )  # an issuer the filter already offers
    candidates_create(organization=org, docs=[doc])
    with django_capture_on_commit_callbacks(execute=True):
        touched = candidate_rescore(candidate=pool["none"])
    (new_run,) = touched
    assert new_run != finished_run.id
    after = html(rclient.get(url(job)))
    assert rank_of(after, pool["none"]) == "1"
    assert MatchRun.objects.get(id=new_run).rank_of(pool["none"].id) == 1
    # the snapshot the recruiter was reading did not move
    assert finished_run.rank_of(pool["none"].id) == 3
    assert rank_of(html(rclient.get(url(job) + f"?run={finished_run.id}")), pool["none"]) == "3"


def test_an_erasure_is_shown_at_once(rclient, recruiter, job, pool, finished_run):
    assert rclient.get(url(job)).context["page"].paginator.count == 3
    candidate_erase(candidate=pool["partial"], actor=recruiter)
    resp = rclient.get(url(job))
    assert resp.context["page"].paginator.count == 2
    assert pool["partial"].id not in [r.candidate_id for r in resp.context["rows"]]


def test_a_candidate_edit_and_a_single_score_edit_are_shown(rclient, job, pool, finished_run):
    rclient.post(reverse("dashboard:reveal", kwargs={"job_id": job.id, "candidate_id": pool["none"].id}))
    assert "Carl Cook" in html(rclient.get(url(job)))
    pool["none"].name = "Carla Cook"
    pool["none"].save()
    assert "Carla Cook" in html(rclient.get(url(job)))
    score = MatchScore.objects.get(run=finished_run, candidate=pool["partial"])
    score.must_have_met = False
    score.save()
    row = next(r for r in rclient.get(url(job)).context["rows"] if r.candidate_id == pool["partial"].id)
    assert row.must_have_met is False


def test_a_job_edit_is_shown(rclient, job, finished_run, django_capture_on_commit_callbacks):
    from apps.core.interchange import SkillReq

    assert "Data analyst" in html(rclient.get(url(job)))
    job_update(job=job, title="Data engineer")
    assert "Shortlist: Data engineer" in html(rclient.get(url(job)))
    # new required skills start a new run; until it finishes, the old run's page names the new skills
    with django_capture_on_commit_callbacks(execute=False):
        job_set_skills(job=job, skills=[SkillReq(name="SQL", required=True), SkillReq(name="statistics")])
    body = html(rclient.get(url(job)))
    assert '<option value="statistics">statistics</option>' in body


def test_filters_sort_pages_and_language_have_entries_of_their_own(rclient, job, pool, finished_run, japanese_catalog):
    plain = rclient.get(url(job))
    must = rclient.get(url(job, must_have="yes"))
    by_verified = rclient.get(url(job, sort="verified"))
    assert [r.candidate_id for r in plain.context["rows"]] == [pool["strong"].id, pool["partial"].id, pool["none"].id]
    assert [r.candidate_id for r in must.context["rows"]] == [pool["strong"].id, pool["partial"].id]
    assert [r.candidate_id for r in by_verified.context["rows"]][0] == pool["partial"].id
    assert len(entries()) == 3
    # the same requests again: from the cache, the same rows
    assert [r.candidate_id for r in rclient.get(url(job, must_have="yes")).context["rows"]] == [
        pool["strong"].id,
        pool["partial"].id,
    ]
    assert len(entries()) == 3
    # another language: another entry, in that language
    rclient.post(reverse("set_language"), {"language": "ja", "next": url(job)})
    ja = html(rclient.get(url(job)))
    assert len(entries()) == 4
    assert 'lang="ja"' in ja and blind(job, pool["strong"]) not in ja
    rclient.post(reverse("set_language"), {"language": "en", "next": url(job)})
    assert blind(job, pool["strong"]) in html(rclient.get(url(job)))


def test_the_issuer_filter_is_not_cached(rclient, job, pool, finished_run):
    from apps.credentials.models import Issuer

    pylearn = Issuer.objects.get(name="PyLearn")
    rclient.get(url(job, issuer=pylearn.id))
    assert entries() == []
    # a new holder of that issuer's credential shows up at once
    candidates_create(
        organization=job.organization,
        docs=[
            parse_candidate(
                {
                    "id": "c-partial",
                    "name": "Sam Seeker",
                    "credentials": [credential("Python Foundations", ["Python programming"], issuer="PyLearn")],
                }
            )
        ],
    )
    ids = [r.candidate_id for r in rclient.get(url(job, issuer=pylearn.id)).context["rows"]]
    assert ids == [pool["strong"].id, pool["partial"].id]


def test_two_organizations_never_share_an_entry(
    rclient, org, other_org, other_recruiter, job, pool, finished_run, django_capture_on_commit_callbacks
):
    # the other organization: a job with the same skills, its own candidates, its own run
    their_job = make_job(
        other_org,
        [{"name": "SQL", "required": True}, "Python programming", "data visualisation"],
        title="Data analyst",
        job_id="job-da",
    )
    theirs = make_candidate(
        other_org, cid="c-strong", name="Olga Other", credentials=[credential("SQL for Analysts", ["SQL"])]
    )
    run_match_now(their_job, other_recruiter, django_capture_on_commit_callbacks)
    them = Client()
    them.force_login(other_recruiter)
    ours_page = rclient.get(url(job))
    theirs_page = them.get(url(their_job))
    assert [r.candidate_id for r in theirs_page.context["rows"]] == [theirs.id]
    assert {r.candidate_id for r in ours_page.context["rows"]} == {c.id for c in pool.values()}
    assert len(entries()) == 2
    # each organization's job is a 404 to the other, cached or not
    assert them.get(url(job)).status_code == 404
    assert rclient.get(url(their_job)).status_code == 404
    # a cached page of one is never the other's: their keys differ in organization and job
    keys = [k for k in cache._cache if ":shortlist:" in k and ":page:" in k]  # noqa: SLF001
    assert len({k.split(":page:")[1].split(":")[0] for k in keys}) == 2


def test_with_redis_unreachable_the_page_is_served_uncached(rclient, job, pool, finished_run, settings):
    from config.cache import cache_settings

    settings.CACHES = {"default": cache_settings("redis://127.0.0.1:9/0")}  # nothing listens on port 9
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            resp = rclient.get(url(job))
        assert len(resp.context["rows"]) == 3 and score_queries(ctx) >= 1


def test_the_cache_is_off_when_its_ttl_is_zero(rclient, job, finished_run, settings):
    settings.TSUMIKI_SHORTLIST_CACHE_SECONDS = 0
    rclient.get(url(job))
    with CaptureQueriesContext(connection) as ctx:
        rclient.get(url(job))
    assert score_queries(ctx) >= 1 and entries() == []


def test_issuer_choices_are_kept_a_minute_per_organization_and_reveals_are_always_read(
    rclient, org, other_org, job, pool, finished_run, recruiter
):
    from apps.matching import shortlist_cache
    from apps.matching.selectors import pool_issuers_and_reveals

    def choices(resp) -> list[str]:
        return [name for value, name in resp.context["form"].fields["issuer"].choices if value]

    first = choices(rclient.get(url(job, min_score=1)))  # a filtered page: the form is rendered
    assert first == ["Badge Works", "Open Data Academy", "PyLearn"]
    make_candidate(org, cid="newcomer", credentials=[credential("Rust basics", ["Rust"], issuer="Ferris Academy")])
    make_candidate(other_org, cid="theirs", credentials=[credential("Theirs", ["SQL"], issuer="Elsewhere Inc")])
    # within the minute the filter offers the list it read (the rows themselves are read afresh)
    assert choices(rclient.get(url(job, min_score=2))) == first
    rclient.post(reverse("dashboard:reveal", kwargs={"job_id": job.id, "candidate_id": pool["strong"].id}))
    cached_issuers, revealed = pool_issuers_and_reveals(organization_id=org.pk, job_id=job.pk, user_id=recruiter.pk)
    assert revealed == {pool["strong"].id}  # a reveal counts at once, with the issuers from the cache
    assert [i.name for i in cached_issuers] == first
    # the other organization's list is its own
    assert [
        i.name for i in pool_issuers_and_reveals(organization_id=other_org.pk, job_id=job.pk, user_id=recruiter.pk)[0]
    ] == ["Elsewhere Inc"]
    cache.delete(shortlist_cache._issuers_key(org.pk))  # noqa: SLF001 - as when the minute is over
    assert "Ferris Academy" in choices(rclient.get(url(job, min_score=3)))
