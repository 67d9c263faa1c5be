"""Shortlist sorting, the issuer filter (kept across pages and in the CSV), the scarcity chart and
coverage chips for rows that carry no full explanation."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from apps.credentials.models import Issuer
from apps.jobs.models import RequiredSkill
from apps.matching.models import MatchScore

from ..factories import credential, make_candidate
from .conftest import run_match_now

pytestmark = pytest.mark.django_db


def url(name, **kw):
    return reverse(f"dashboard:{name}", kwargs=kw or None)


def ids(resp):
    return [r.candidate_id for r in resp.context["rows"]]


def test_sort_by_verified_share(rclient, job, pool, finished_run):
    by_score = rclient.get(url("shortlist", job_id=job.id))
    by_verified = rclient.get(url("shortlist", job_id=job.id), {"sort": "verified"})
    shares = [r.verified_share for r in by_verified.context["rows"]]
    assert shares == sorted(shares, reverse=True)
    # the partial candidate's only evidence is verified; the strong one's Python is not
    assert ids(by_verified)[0] == pool["partial"].id and ids(by_score)[0] == pool["strong"].id
    body = by_verified.content.decode()
    assert '<option value="verified" selected>' in body and 'for="id_sort"' in body


def test_issuer_filter(rclient, job, pool, finished_run):
    pylearn = Issuer.objects.get(name="PyLearn")
    resp = rclient.get(url("shortlist", job_id=job.id), {"issuer": pylearn.id})
    assert ids(resp) == [pool["strong"].id]
    body = resp.content.decode()
    assert 'for="id_issuer"' in body and "Badge Works" in body  # the choices: the pool's issuers
    badge = Issuer.objects.get(name="Badge Works")
    assert ids(rclient.get(url("shortlist", job_id=job.id), {"issuer": badge.id})) == [pool["partial"].id]
    # an unknown issuer is a form error, and the full list is kept
    resp = rclient.get(url("shortlist", job_id=job.id), {"issuer": "999999"})
    assert resp.context["form"].errors and len(resp.context["rows"]) == 3


def test_issuer_filter_and_sort_are_kept_across_pages(rclient, org, job, recruiter, django_capture_on_commit_callbacks):
    for i in range(53):
        make_candidate(
            org, cid=f"p-{i}", credentials=[credential(f"C{i}", ["SQL"], issuer="Many Badges", verified=bool(i % 2))]
        )
    make_candidate(org, cid="other", credentials=[credential("X", ["SQL"], issuer="Elsewhere")])
    run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    issuer = Issuer.objects.get(name="Many Badges")
    first = rclient.get(url("shortlist", job_id=job.id), {"issuer": issuer.id, "sort": "verified"})
    assert len(first.context["rows"]) == 50 and first.context["page"].paginator.count == 53
    # the next page keeps the filters and the run it is a page of (a newer ranking must not shift it)
    run = first.context["run"]
    assert f"issuer={issuer.id}&amp;sort=verified&amp;run={run.id}&amp;page=2" in first.content.decode()
    second = rclient.get(url("shortlist", job_id=job.id), {"issuer": issuer.id, "sort": "verified", "page": 2})
    assert len(second.context["rows"]) == 3
    assert all(r.verified_share == 0 for r in second.context["rows"])


def test_csv_applies_issuer_and_sort(rclient, job, pool, finished_run):
    pylearn = Issuer.objects.get(name="PyLearn")
    rows = list(
        csv.DictReader(
            io.StringIO(rclient.get(url("shortlist_csv", job_id=job.id), {"issuer": pylearn.id}).content.decode())
        )
    )
    assert [r["candidate_id"] for r in rows] == [str(pool["strong"].id)]
    rows = list(
        csv.DictReader(
            io.StringIO(rclient.get(url("shortlist_csv", job_id=job.id), {"sort": "verified"}).content.decode())
        )
    )
    assert rows[0]["candidate_id"] == str(pool["partial"].id)


def test_scarcity_chart(rclient, job, pool, finished_run, django_assert_num_queries):
    from apps.dashboard.selectors import skill_scarcity

    required = list(job.required_skills.all())
    with django_assert_num_queries(1):
        scarcity = skill_scarcity(run=finished_run, required=required)
    got = {s.name: (s.covered, s.total) for s in scarcity}
    assert got == {"SQL": (2, 3), "Python programming": (1, 3), "data visualisation": (1, 3)}
    assert scarcity[-1].name == "SQL" and scarcity[-1].band == "common"  # scarcest first
    # the shortlist loads the chart after it is shown (htmx), or links to it (no JavaScript)
    page = rclient.get(url("shortlist", job_id=job.id)).content.decode()
    assert f'hx-get="{url("scarcity", job_id=job.id)}" hx-trigger="load"' in page
    assert f'<a href="{url("scarcity", job_id=job.id)}">How scarce each required skill is</a>' in page
    with django_assert_num_queries(6):  # session, user with membership, job, run, required skills, the aggregate
        partial = rclient.get(url("scarcity", job_id=job.id), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "How scarce each required skill is" in partial
    assert "2 of 3" in partial and "67%" in partial and 'class="hbar-fill band-common w-67"' in partial
    full = rclient.get(url("scarcity", job_id=job.id)).content.decode()
    assert "<html" in full and "2 of 3" in full


def test_scarcity_page_without_a_run_and_access(client, rclient, other_recruiter, job):
    assert "No finished match run" in rclient.get(url("scarcity", job_id=job.id)).content.decode()
    client.force_login(other_recruiter)
    assert client.get(url("scarcity", job_id=job.id)).status_code == 404


def test_scarcity_handles_an_empty_run(rclient, org, job, recruiter, django_capture_on_commit_callbacks):
    from apps.dashboard.selectors import skill_scarcity

    run = run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    assert [s.share for s in skill_scarcity(run=run, required=list(job.required_skills.all()))] == [0, 0, 0]
    assert skill_scarcity(run=run, required=[]) == []


def test_chips_fall_back_to_coverage_without_matches(rclient, job, pool, finished_run):
    """Large pools explain only their best rows; the others keep coverage and missing."""
    score = MatchScore.objects.get(run=finished_run, candidate=pool["strong"])
    exp = dict(score.explanation)
    exp["matches"] = []
    exp["coverage"] = {"SQL": 0.9, "Python programming": 0.3, "data visualisation": 0.0}
    MatchScore.objects.filter(pk=score.pk).update(explanation=exp)
    resp = rclient.get(url("shortlist", job_id=job.id))
    body = resp.content.decode()
    row = body[body.index(f'<tr id="c{pool["strong"].id}"') :]
    row = row[: row.index("</tr>")]
    chips = re.findall(r'class="chip chip-(\w+)[^"]*"[^>]*>.*?<span class="chip-name">([^<]*)</span>', row)
    assert [(name, kind) for kind, name in chips] == [
        ("SQL", "covered"),
        ("Python programming", "partial"),
        ("data visualisation", "missing"),
    ]
    assert '<span class="chip-kind">partial 30%</span>' in row
    assert "chip chip-covered" in body and "chip chip-partial" in body


def test_coverage_chips_unit():
    from apps.dashboard.templatetags.tsumiki import coverage_chips

    req = [RequiredSkill(name="A", must_have=True), RequiredSkill(name="B")]
    chips = coverage_chips({"coverage": {"A": 0.2}, "must_have_missing": ["A"]}, req)
    assert [(c["kind"], c["symbol"], c["must_have_missing"]) for c in chips] == [
        ("partial", "◔", True),
        ("missing", "✗", False),
    ]
    assert [c["kind"] for c in coverage_chips({}, req)] == ["missing", "missing"]
