"""Error pages in the site's layout and language (also with DEBUG on, as under ``make run``), API errors
as problem+json, failed runs in plain words with a retry, and the empty pool."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path, reverse
from django.utils import translation

from apps.dashboard.templatetags.plain_words import run_failure_reason, upload_reason
from apps.matching.models import MatchRun, RunStatus
from config.urls import urlpatterns as real_urls

from .i18n import ensure_japanese_catalog

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("kaput")


def _denied(request):
    raise PermissionDenied


urlpatterns = [path("__boom__/", _boom), path("__denied__/", _denied), *real_urls]
handler403 = "apps.dashboard.views.errors.permission_denied"
handler404 = "apps.dashboard.views.errors.page_not_found"
handler500 = "apps.dashboard.views.errors.server_error"


def test_404_in_the_site_layout(client, recruiter):
    client.force_login(recruiter)
    resp = client.get("/no-such-page/")
    assert resp.status_code == 404
    html = resp.content.decode()
    assert "Page not found" in html and 'class="topbar"' in html and "Go to your start page" in html


@override_settings(DEBUG=True)
def test_404_with_debug_on_is_still_ours_not_djangos(client):
    resp = client.get("/no-such-page/")
    html = resp.content.decode()
    assert resp.status_code == 404
    assert "Page not found" in html and 'class="topbar"' in html
    assert "URLconf" not in html and "Django tried these URL patterns" not in html


@override_settings(DEBUG=True)
def test_404_raised_by_a_view_with_debug_on(client, recruiter):
    client.force_login(recruiter)
    resp = client.get(reverse("dashboard:job", kwargs={"job_id": 999999}))
    assert resp.status_code == 404 and "Page not found" in resp.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_500_and_403_pages():
    c = Client(raise_request_exception=False)
    resp = c.get("/__boom__/")
    assert resp.status_code == 500 and "Something went wrong" in resp.content.decode()
    assert "kaput" not in resp.content.decode()
    resp = c.get("/__denied__/")
    assert resp.status_code == 403 and "No access" in resp.content.decode()


def test_api_404_is_problem_json(client):
    resp = client.get("/api/v1/no-such-endpoint/")
    assert resp.status_code == 404
    assert resp["Content-Type"] == "application/problem+json"
    assert resp.json()["status"] == 404


def test_error_pages_in_japanese(client, recruiter):
    ensure_japanese_catalog()
    client.force_login(recruiter)
    resp = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ja")
    html = resp.content.decode()
    assert 'lang="ja"' in html and "Page not found" not in html and "ページが見つかりません" in html


@pytest.mark.parametrize(
    "error, words",
    [
        ("WorkerLostError('Worker exited prematurely: signal 9 (SIGKILL) Job: 3.')", "worker process stopped"),
        ("SoftTimeLimitExceeded()", "time limit"),
        ("OperationalError: could not connect to server", "could not be reached"),
        ("This job has no required skills.", "no required skills"),
        ("ZeroDivisionError: float division by zero", "Something went wrong"),
        ("", "Something went wrong"),
    ],
)
def test_run_failures_in_plain_words(error, words):
    with translation.override("en"):
        assert words in run_failure_reason(error)


def test_failed_run_page_explains_and_retries(client, recruiter, job, pool):
    run = MatchRun.objects.create(
        organization=job.organization,
        job=job,
        status=RunStatus.FAILED,
        error="WorkerLostError('Worker exited prematurely: signal 9 (SIGKILL) Job: 3.')",
    )
    client.force_login(recruiter)
    html = client.get(reverse("dashboard:run", kwargs={"job_id": job.id, "run_id": run.id})).content.decode()
    assert "A worker process stopped" in html
    assert "Retry: start a new run" in html
    assert f'action="{reverse("dashboard:run_start", kwargs={"job_id": job.id})}"' in html


@pytest.mark.parametrize(
    "detail, words",
    [
        ("not valid JSON: Expecting ',' delimiter: line 1 column 77 (char 76)", "broken or cut off"),
        ("empty input", "empty"),
        ("PNG holds no 'openbadgecredential' or 'openbadges' iTXt chunk (not baked)", "does not contain a badge"),
        ("something nobody foresaw", "could not be read as a credential"),
    ],
)
def test_upload_reasons_never_show_parser_text(detail, words):
    with translation.override("en"):
        reason = upload_reason(detail)
    assert words in reason and "column" not in reason and "char 76" not in reason


def test_fairness_words_cover_every_dimension_and_age_band():
    from apps.candidates.models import AgeBand
    from apps.dashboard.templatetags.plain_words import AGE_BAND_LABELS, DIMENSION_LABELS, dimension_label, group_label
    from apps.fairness.report import DIMENSIONS

    assert set(AGE_BAND_LABELS) == set(AgeBand.values)
    assert set(DIMENSION_LABELS) == set(DIMENSIONS)
    ensure_japanese_catalog()
    with translation.override("ja"):
        assert dimension_label("gender × age_band") == "性別 × 年齢層"
        assert group_label("female × 25_39") == "female × 25〜39歳"


def test_model_card_in_japanese(client, recruiter):
    ensure_japanese_catalog()
    client.force_login(recruiter)
    html = client.get("/model-card/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "<h2>決して使わないもの</h2>" in html and "What it never uses" not in html
    en = client.get("/model-card/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h2>What it never uses</h2>" in en


def test_the_japanese_model_card_keeps_the_english_sections():
    from django.conf import settings

    docs = settings.BASE_DIR / "docs"
    en = [line for line in (docs / "model-card.md").read_text().splitlines() if line.startswith("## ")]
    ja = [line for line in (docs / "model-card.ja.md").read_text().splitlines() if line.startswith("## ")]
    assert len(en) == len(ja)
