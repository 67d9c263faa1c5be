"""The shortlist's orders (each one click away, each explained in a sentence), its filter count, the
jobs list's search, and blind labels that are stable codes, not ranks."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.matching.models import MatchScore
from apps.matching.services import candidate_blind_code

from ..factories import credential, make_candidate, make_job
from .conftest import run_match_now

pytestmark = pytest.mark.django_db


def url(name, **kw):
    return reverse(f"dashboard:{name}", kwargs=kw or None)


def ids(resp):
    return [r.candidate_id for r in resp.context["rows"]]


@pytest.fixture
def mixed(org, recruiter, django_capture_on_commit_callbacks):
    """A must-have the high scorer lacks: by score alone she is first, by the default order she is not."""
    job = make_job(
        org,
        [
            {"name": "SQL", "required": True},
            {"name": "Python programming", "weight": 3.0},
            {"name": "data visualisation", "weight": 3.0},
        ],
        title="Analyst",
        job_id="job-mixed",
    )
    high = make_candidate(
        org,
        cid="high",
        credentials=[credential("Py and viz", ["Python programming", "data visualisation"], issued="2026-01-10")],
    )
    meets = make_candidate(org, cid="meets", credentials=[credential("SQL badge", ["SQL"], issued="2023-03-01")])
    both = make_candidate(
        org, cid="both", credentials=[credential("SQL+Py", ["SQL", "Python programming"], issued="2024-05-01")]
    )
    run = run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    return {"job": job, "run": run, "high": high, "meets": meets, "both": both}


def test_default_order_puts_must_haves_first_and_says_so(rclient, mixed):
    job = mixed["job"]
    resp = rclient.get(url("shortlist", job_id=job.id))
    assert ids(resp) == [mixed["both"].id, mixed["meets"].id, mixed["high"].id]
    body = resp.content.decode()
    assert "Candidates who meet every must-have come first, each group by score" in body
    assert "3 candidates." in body
    # by score alone the high scorer without the must-have comes first, and the sentence says why
    resp = rclient.get(url("shortlist", job_id=job.id), {"sort": "score"})
    assert ids(resp)[0] == mixed["high"].id
    assert "Ordered by score alone: a candidate missing a must-have" in resp.content.decode()


def test_every_order_is_one_click_away_and_keeps_filters(rclient, mixed):
    job = mixed["job"]
    body = rclient.get(url("shortlist", job_id=job.id), {"min_score": "1"}).content.decode()
    links = dict(re.findall(r'<a class="sort-link[^"]*" href="([^"]+)"[^>]*>([^<]+)</a>', body))
    assert set(links.values()) == {
        "Must-haves met first, then score",
        "Score alone (best first)",
        "Most must-haves covered",
        "Freshest evidence",
        "Blind label (A–Z)",
        "Verified share (highest first)",
    }
    assert all("min_score=1" in href for href in links)


def test_each_order(rclient, mixed):
    job, run = mixed["job"], mixed["run"]
    scores = {s.candidate_id: s for s in MatchScore.objects.filter(run=run)}
    assert {c: s.must_haves_covered for c, s in scores.items()} == {
        mixed["high"].id: 0,
        mixed["meets"].id: 1,
        mixed["both"].id: 1,
    }
    fresh = ids(rclient.get(url("shortlist", job_id=job.id), {"sort": "fresh"}))
    assert fresh == [mixed["high"].id, mixed["both"].id, mixed["meets"].id]  # 2026, 2024, 2023
    by_label = ids(rclient.get(url("shortlist", job_id=job.id), {"sort": "label"}))
    assert by_label == sorted(scores, key=lambda c: scores[c].blind_code)
    must = ids(rclient.get(url("shortlist", job_id=job.id), {"sort": "must_haves"}))
    assert must[-1] == mixed["high"].id and set(must[:2]) == {mixed["meets"].id, mixed["both"].id}
    by_score = ids(rclient.get(url("shortlist", job_id=job.id), {"sort": "score"}))
    assert [scores[c].score for c in by_score] == sorted((s.score for s in scores.values()), reverse=True)
    # an unknown sort is a form error, and the run's own order is kept (never a 500)
    resp = rclient.get(url("shortlist", job_id=job.id), {"sort": "nope"})
    assert resp.status_code == 200 and ids(resp) == [mixed["both"].id, mixed["meets"].id, mixed["high"].id]


def test_filter_count_says_how_many_of_the_pool(rclient, mixed):
    body = rclient.get(url("shortlist", job_id=mixed["job"].id), {"must_have": "yes"}).content.decode()
    assert 'data-testid="shortlist-count">2 of 3 candidates match these filters.' in body
    assert 'data-testid="filters-active">1 active<' in body


def test_some_must_have_missing_is_a_filter_too(rclient, mixed):
    """must_have=no selects must_have_met=False: counted as a filter like any other, not as "no filter"."""
    body = rclient.get(url("shortlist", job_id=mixed["job"].id), {"must_have": "no", "min_score": "0"}).content.decode()
    assert 'data-testid="shortlist-count">1 of 3 candidates match these filters.' in body
    assert 'data-testid="filters-active">2 active<' in body
    plain = rclient.get(url("shortlist", job_id=mixed["job"].id), {"sort": "score"}).content.decode()
    assert 'data-testid="shortlist-count">3 candidates.' in plain and "filters-active" not in plain


def test_blind_labels_are_stable_codes_across_runs_and_in_the_csv(
    rclient, org, recruiter, mixed, django_capture_on_commit_callbacks
):
    job = mixed["job"]
    first = {s.candidate_id: s.blind_code for s in MatchScore.objects.filter(run=mixed["run"])}
    assert all(re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", c) for c in first.values())
    # a new candidate who outranks everyone changes the ranks, never the others' labels
    make_candidate(
        org, cid="star", credentials=[credential("All", ["SQL", "Python programming", "data visualisation"])]
    )
    run2 = run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    second = {s.candidate_id: s.blind_code for s in MatchScore.objects.filter(run=run2)}
    assert {c: second[c] for c in first} == first
    body = rclient.get(url("shortlist", job_id=job.id)).content.decode()
    for cid, code in first.items():
        assert f"Candidate {code}" in body and candidate_blind_code(job_id=job.id, candidate_id=cid) == code
    assert "Candidate #" not in body
    rows = list(csv.DictReader(io.StringIO(rclient.get(url("shortlist_csv", job_id=job.id)).content.decode())))
    assert {int(r["candidate_id"]): r["candidate"] for r in rows if int(r["candidate_id"]) in first} == {
        c: f"Candidate {code}" for c, code in first.items()
    }
    # the panel uses the same label
    panel = rclient.get(url("candidate", job_id=job.id, candidate_id=mixed["high"].id)).content.decode()
    assert f"Candidate {first[mixed['high'].id]}" in panel


def test_the_same_candidate_has_unrelated_labels_in_two_jobs(mixed, org):
    other = make_job(org, ["SQL"], title="Other", job_id="job-other")
    cid = mixed["high"].id
    assert candidate_blind_code(job_id=other.id, candidate_id=cid) != candidate_blind_code(
        job_id=mixed["job"].id, candidate_id=cid
    )


def test_jobs_search(rclient, org, mixed):
    make_job(org, ["SQL"], title="Data engineer", job_id="DE-7")
    make_job(org, ["SQL"], title="Nurse", job_id="N-1")
    resp = rclient.get(url("jobs"), {"q": "data"})
    body = resp.content.decode()
    assert [j.title for j in resp.context["jobs"]] == ["Data engineer"]
    assert "1 of 3 jobs in Acme match “data”" in body
    assert [j.title for j in rclient.get(url("jobs"), {"q": "n-1"}).context["jobs"]] == ["Nurse"]
    assert "No job matches “zzz”." in rclient.get(url("jobs"), {"q": "zzz"}).content.decode()
    assert len(rclient.get(url("jobs")).context["jobs"]) == 3


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(q=st.text(max_size=400), sort=st.text(max_size=30))
def test_any_search_or_sort_is_answered(rclient, mixed, q, sort):
    assert rclient.get(url("jobs"), {"q": q}).status_code == 200
    assert rclient.get(url("shortlist", job_id=mixed["job"].id), {"sort": sort}).status_code == 200
