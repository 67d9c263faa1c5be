"""The run header of the shortlist and the fairness report counts its candidates in words that agree
with the number ("1 candidate scored", "2 candidates scored"), in English and Japanese."""

from __future__ import annotations

import pytest

from ..factories import credential, make_candidate
from .conftest import run_match_now
from .i18n import ensure_japanese_catalog

pytestmark = pytest.mark.django_db


def _header(rclient, job, page: str, language: str = "en") -> str:
    rclient.cookies["django_language"] = language
    body = rclient.get(f"/jobs/{job.pk}/{page}/").content.decode()
    start = body.index("Run #") if language == "en" else body.index("実行 #")
    return body[start : body.index("</p>", start)]


@pytest.mark.parametrize("page", ["shortlist", "fairness"])
def test_one_candidate_is_one_candidate_and_two_are_candidates(
    rclient, org, job, recruiter, page, django_capture_on_commit_callbacks
):
    make_candidate(org, cid="c-1", name="One", credentials=[credential("SQL course", ["SQL"])])
    run = run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    assert run.pool_size == 1
    assert _header(rclient, job, page).startswith(f"Run #{run.id} · 1 candidate scored")
    make_candidate(org, cid="c-2", name="Two", credentials=[credential("Excel course", ["Excel"])])
    run = run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    assert _header(rclient, job, page).startswith(f"Run #{run.id} · 2 candidates scored")
    ensure_japanese_catalog()
    assert _header(rclient, job, page, "ja").startswith(f"実行 #{run.id} · 2 人を採点")
