"""Who may reach what, per role: recruiters the recruiter pages and the API; seekers only their own
pages; integration accounts only the API; anonymous visitors nothing but the login page and probes.
Plus CSRF on dashboard writes and the static security scan."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from apps.accounts.models import Role

from .conftest import make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _recruiter_urls(job, candidate) -> list[str]:
    j, c = job.pk, candidate.pk
    return [
        "/jobs/",
        f"/jobs/{j}/",
        f"/jobs/{j}/shortlist/",
        f"/jobs/{j}/shortlist.csv",
        f"/jobs/{j}/candidates/{c}/",
        f"/jobs/{j}/fairness/",
        f"/jobs/{j}/fairness.csv",
    ]


def _recruiter_posts(job, candidate) -> list[str]:
    j, c = job.pk, candidate.pk
    return [f"/jobs/{j}/runs/", f"/jobs/{j}/candidates/{c}/reveal/", f"/jobs/{j}/candidates/{c}/decide/"]


def _api_urls(job, candidate) -> list[str]:
    j, c = job.pk, candidate.pk
    return [
        "/api/v1/jobs/",
        "/api/v1/candidates/",
        f"/api/v1/jobs/{j}/shortlist/",
        f"/api/v1/jobs/{j}/match-runs/",
        f"/api/v1/jobs/{j}/adverse-impact/",
        f"/api/v1/candidates/{c}/data-export/",
    ]


@pytest.fixture
def integration(org):
    return make_user("iris", org, Role.INTEGRATION)


def test_seeker_cannot_reach_recruiter_pages_or_the_api(client, seeker, finished_run, pool):
    client.force_login(seeker)
    for url in _recruiter_urls(finished_run.job, pool["strong"]):
        assert client.get(url).status_code == 403, url
    for url in _recruiter_posts(finished_run.job, pool["strong"]):
        assert client.post(url).status_code == 403, url
    for url in _api_urls(finished_run.job, pool["strong"]):
        r = client.get(url)
        assert r.status_code == 403 and r["Content-Type"].startswith("application/problem+json"), url
    assert client.post(f"/api/v1/jobs/{finished_run.job.pk}/match-runs/").status_code == 403
    assert client.get("/me/").status_code == 200


def test_integration_account_cannot_use_the_dashboard(client, integration, finished_run, pool):
    client.force_login(integration)
    assert client.get("/").status_code == 403
    for url in _recruiter_urls(finished_run.job, pool["strong"]) + ["/me/", "/me/jobs/"]:
        assert client.get(url).status_code == 403, url
    for url in _recruiter_posts(finished_run.job, pool["strong"]):
        assert client.post(url).status_code == 403, url


def test_recruiter_cannot_use_seeker_pages(rclient):
    assert rclient.get("/me/").status_code == 403


def test_anonymous_is_sent_to_login_or_refused(client, finished_run, pool):
    for url in _recruiter_urls(finished_run.job, pool["strong"]) + ["/me/", "/model-card/"]:
        r = client.get(url)
        assert r.status_code == 302 and "/login/" in r["Location"], url
    for url in _api_urls(finished_run.job, pool["strong"]):
        assert client.get(url).status_code in (401, 403), url
    assert client.get("/healthz").status_code == 200


def test_dashboard_writes_need_a_csrf_token(recruiter, finished_run, pool):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(recruiter)
    for url in _recruiter_posts(finished_run.job, pool["strong"]):
        assert strict.post(url).status_code == 403, url


def test_security_headers_on_pages(rclient):
    r = rclient.get("/jobs/")
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"


def test_upload_limit_answers_400_not_500(rclient, settings, job, pool):
    from apps.matching.models import ShortlistDecision

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    url = f"/jobs/{job.pk}/candidates/{pool['strong'].pk}/decide/"
    r = rclient.post(url, data={"reason": "x" * 5000, "decision": "reject"})
    assert r.status_code in (400, 413)
    assert not ShortlistDecision.objects.exists()


def test_static_security_scan_is_clean():
    """ruff's S rules (bandit): clean, or each exception justified in a ``# noqa: Sxxx - reason``."""
    # The project's own configuration (pyproject.toml selects S, with its per-file ignores); only the S
    # findings count here, other rules are `make lint`'s business.
    out = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--output-format", "concise", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    findings = [line for line in out.stdout.splitlines() if ": S" in line]
    assert not findings, "\n".join(findings)
