"""One covered threshold everywhere: a must-have with weak evidence (credit 14%) is "partial" on the
shortlist's chips, in the candidate panel, in the CSV, in the API and on the seeker's own job page, and
never listed there under "Covered"."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from apps.matching.models import MatchScore
from apps.matching.services import assessment_record

from ..factories import make_job
from .conftest import run_match_now

pytestmark = pytest.mark.django_db


def url(name, **kw):
    return reverse(f"dashboard:{name}", kwargs=kw or None)


@pytest.fixture
def weak_job(org, recruiter, pool, django_capture_on_commit_callbacks):
    """Two must-haves; the seeker's candidate holds a verified SQL badge and a 14% exam in Python."""
    job = make_job(
        org,
        [{"name": "SQL", "required": True}, {"name": "Python programming", "required": True}],
        title="Analyst",
        job_id="job-weak",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assessment_record(
            candidate=pool["partial"],
            skill="Python programming",
            method="exam",
            score=0.14,
            assessed_on=date.today(),
            job=job,
        )
    run = run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    return job, run


def _chip_words(html: str, candidate_id: int) -> dict[str, tuple[str, str]]:
    row = html[html.index(f'<tr id="c{candidate_id}"') :]
    row = row[: row.index("</tr>")]
    chips = re.findall(
        r'class="chip chip-(\w+)[^"]*"[^>]*>.*?<span class="chip-name">([^<]*)</span>.*?'
        r'<span class="chip-kind">([^<]*)</span>',
        row,
        flags=re.S,
    )
    return {name: (kind, text) for kind, name, text in chips}


def test_seeker_page_shortlist_csv_and_api_agree(recruiter, seeker, pool, weak_job):
    job, run = weak_job
    sam = pool["partial"]
    score = MatchScore.objects.get(run=run, candidate=sam)
    credit = {m["required"]: m["credit"] for m in score.explanation["matches"]}
    assert 0 < credit["Python programming"] < 0.5 and credit["SQL"] >= 0.5
    assert not score.must_have_met

    rc = Client()
    rc.force_login(recruiter)
    chips = _chip_words(rc.get(url("shortlist", job_id=job.id)).content.decode(), sam.id)
    assert chips["SQL"][0] == "verified" and chips["SQL"][1].startswith("verified")
    # the weak exam is partial: its own look and the word, never the tick of a covered skill
    assert chips["Python programming"][0] == "partial"
    assert chips["Python programming"][1].startswith("partial 14%")
    panel_url = url("candidate", job_id=job.id, candidate_id=sam.id)
    panel = rc.get(panel_url, headers={"HX-Request": "true"}).content.decode()
    assert "Partly covered: a skill counts as covered from 50% credit." in panel

    rows = list(csv.DictReader(io.StringIO(rc.get(url("shortlist_csv", job_id=job.id)).content.decode())))
    mine = next(r for r in rows if r["candidate_id"] == str(sam.id))
    assert (mine["covered"], mine["partial"], mine["missing"]) == ("SQL", "Python programming", "")
    assert mine["must_have_missing"] == "Python programming"

    sc = Client()
    sc.force_login(seeker)
    page = sc.get(url("seeker_job", job_id=job.id)).content.decode()
    covered = page[page.index('id="covered-h"') : page.index('id="missing-h"')]
    not_yet = page[page.index('id="missing-h"') :]
    assert "SQL" in covered and "Python programming" not in covered
    assert 'data-status="partial"' in not_yet and "Python programming" in not_yet and "credit 14%" in not_yet
    assert "A must-have skill is not yet covered." in page
    assert "You cover 1 of 2 required skills." in page


def test_api_says_partial(org, pool, weak_job):
    from apps.accounts.services import api_key_create

    job, _run = weak_job
    _key, raw = api_key_create(organization=org, name="t", scopes=["read"])
    resp = Client().get(f"/api/v1/jobs/{job.id}/shortlist/", headers={"Authorization": f"Bearer {raw}"})
    assert resp.status_code == 200, resp.content
    item = next(i for i in resp.json()["results"] if i["candidate"] == pool["partial"].id)
    assert item["partial"] == ["Python programming"]
    assert {m["required"]: m["status"] for m in item["matches"]} == {"SQL": "covered", "Python programming": "partial"}
