"""End to end in a real browser: talent-pool search (autocomplete, all/any, conditions, explanations, saved
searches that show who is new), the error pages and a failed run with its retry, the empty pool, the
seeker's upload failures and the confirmation before a credential is replaced, the job editor while the
skill model is still loading; each in English and Japanese, with a screenshot per page."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from apps.matching.models import MatchRun, RunStatus
from apps.matching.pool_services import pool_label
from apps.skills import warmup

from ..dashboard.i18n import ensure_japanese_catalog
from ..dashboard.taxonomy import import_tiny_taxonomy
from ..factories import OrganizationFactory, credential, make_candidate
from .conftest import login, make_user, shot, to_japanese

pytestmark = [pytest.mark.e2e]

FIXTURES = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "credentials" / "1edtech-dcpv-testfixtures" / "ob30"
)
FIRST_SUGGESTION_MS = 60_000


def test_recruiter_searches_the_pool_saves_it_and_sees_who_is_new(page, live_server, demo, tmp_path):
    from playwright.sync_api import expect

    ensure_japanese_catalog()
    import_tiny_taxonomy(tmp_path)
    login(page, live_server, "rita")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Talent pool").click()
    expect(page.get_by_role("heading", name="Search the talent pool", level=1)).to_be_visible()

    # the first skill with the job editor's autocomplete
    first = page.get_by_label("Skill 1")
    first.press_sequentially("structured q", delay=60)
    options = page.locator(f"#{first.get_attribute('list')} option")
    expect(options.first).to_have_attribute("value", "SQL", timeout=FIRST_SUGGESTION_MS)
    first.fill("SQL")
    # a second skill in a new input (htmx), "any of"
    page.get_by_role("button", name="Add a skill").click()
    inputs = page.locator("#pool-skills input[name=skill]")
    expect(inputs).to_have_count(2)
    expect(inputs.nth(1)).to_be_focused()
    inputs.nth(1).fill("Python programming")
    page.get_by_label("Any of these skills").check()
    page.get_by_role("button", name="Search the pool").click()

    results = page.locator("table.pool-results tbody tr")
    expect(page.get_by_role("heading", name=re.compile(r"\d+ candidates found"))).to_be_visible()
    expect(results.first).to_contain_text(pool_label(demo["strong"].id))
    assert "Ada Lovelace" not in page.content() and "BSc Mathematics" not in page.content()
    # explained like a shortlist: open "Why" on the best row
    results.first.get_by_text("Why").click()
    expect(results.first.locator(".pool-why")).to_contain_text("SQL for Analysts")
    count_any = results.count()
    shot(page, "pool-search-any")

    # "all of" with "verified only": Ada's Python credential is unverified, so fewer candidates remain
    page.get_by_label("All of these skills").check()
    page.get_by_label("Verified credentials only").check()
    page.get_by_role("button", name="Search the pool").click()
    expect(page.locator("#pool-results-h")).to_be_visible()
    assert results.count() < count_any
    assert pool_label(demo["strong"].id) not in page.locator("main").inner_text()
    shot(page, "pool-search-all-verified")

    # save an "any of" search, then a newcomer arrives and the next visit says so
    page.get_by_label("Any of these skills").check()
    page.get_by_label("Verified credentials only").uncheck()
    page.get_by_role("button", name="Search the pool").click()
    page.get_by_label("Name this search").fill("SQL or Python people")
    page.get_by_role("button", name="Save search").click()
    expect(page.get_by_text("Search saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Saved search: SQL or Python people")).to_be_visible()
    expect(page.locator("#new-since")).to_contain_text("0 candidates are new since your last visit")
    newcomer = make_candidate(demo["org"], cid="c-new", credentials=[credential("SQL bootcamp", ["SQL"])])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Talent pool").click()
    page.get_by_role("link", name="SQL or Python people").click()
    expect(page.locator("#new-since")).to_contain_text("1 candidate is new since your last visit")
    new_row = page.locator("tr.pool-row-new")
    expect(new_row).to_have_count(1)
    expect(new_row).to_contain_text(pool_label(newcomer.id))
    expect(new_row.get_by_text("New", exact=True)).to_be_visible()
    shot(page, "pool-saved-search-new")

    # the same page in Japanese
    to_japanese(page)
    expect(page.get_by_role("heading", name="保存した検索：SQL or Python people")).to_be_visible()
    expect(page.locator("#new-since")).to_contain_text("新しく該当しました")
    expect(page.get_by_role("button", name="プールを検索")).to_be_visible()
    expect(page.get_by_role("navigation", name="メイン").get_by_role("link", name="人材プール")).to_be_visible()
    shot(page, "pool-saved-search-ja")
    page.get_by_role("navigation", name="メイン").get_by_role("link", name="人材プール").click()
    expect(page.get_by_role("heading", name="人材プールを検索", level=1)).to_be_visible()
    expect(page.get_by_text("これらのスキルのいずれか")).to_be_visible()
    shot(page, "pool-search-ja")


def test_empty_pool_says_how_to_import(page, live_server, transactional_db):
    from playwright.sync_api import expect

    ensure_japanese_catalog()
    org = OrganizationFactory(slug="empty", name="Empty Co")
    make_user("eve", org, "recruiter")
    login(page, live_server, "eve")
    page.get_by_role("link", name="Talent pool").click()
    expect(page.get_by_role("heading", name="Your talent pool is empty")).to_be_visible()
    expect(page.locator("#empty-pool")).to_contain_text("/api/v1/candidates/import/")
    page.locator("#empty-pool").get_by_role("link", name="API keys").click()
    expect(page.get_by_role("heading", name="API keys", level=1)).to_be_visible()
    page.go_back()
    shot(page, "pool-empty")
    to_japanese(page)
    expect(page.get_by_role("heading", name="人材プールは空です")).to_be_visible()
    shot(page, "pool-empty-ja")


def test_error_pages_and_a_failed_run_with_retry(page, live_server, demo):
    from playwright.sync_api import expect

    ensure_japanese_catalog()
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/no-such-page/")
    expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()  # the site's own layout
    shot(page, "error-404")
    page.get_by_role("link", name="Go to your start page").click()
    expect(page.get_by_role("heading", name="Jobs", level=1)).to_be_visible()
    page.goto(f"{live_server.url}/jobs/999999/")
    expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()

    # a run that a worker lost, in plain words, with a retry that starts a new run
    job = demo["job"]
    failed = MatchRun.objects.create(
        organization=job.organization,
        job=job,
        status=RunStatus.FAILED,
        error="WorkerLostError('Worker exited prematurely: signal 9 (SIGKILL) Job: 7.')",
    )
    page.goto(f"{live_server.url}/jobs/{job.id}/runs/{failed.id}/")
    expect(page.locator(".run-failure-reason")).to_contain_text("A worker process stopped in the middle of scoring")
    expect(page.get_by_text("SIGKILL")).to_be_hidden()  # folded away under the technical details
    shot(page, "run-failed")
    page.get_by_role("button", name="Retry: start a new run").click()
    expect(page.locator("#run-progress")).to_contain_text("Succeeded")
    assert MatchRun.objects.filter(job=job).exclude(id=failed.id).get().status == RunStatus.SUCCEEDED

    to_japanese(page)
    page.goto(f"{live_server.url}/jobs/{job.id}/runs/{failed.id}/")
    expect(page.locator(".run-failure-reason")).to_contain_text("ワーカープロセスが停止しました")
    expect(page.get_by_role("button", name="再試行：新しい実行を開始")).to_be_visible()
    shot(page, "run-failed-ja")
    page.goto(f"{live_server.url}/no-such-page/")
    expect(page.get_by_role("heading", name="ページが見つかりません", level=1)).to_be_visible()
    shot(page, "error-404-ja")

    # the fairness report's group names and the model card, in Japanese too
    page.goto(f"{live_server.url}/jobs/{job.id}/fairness/")
    expect(page.get_by_role("heading", name="性別", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="年齢層", exact=True)).to_be_visible()
    assert "age_band" not in page.locator("main").inner_text()
    shot(page, "fairness-ja")
    page.get_by_role("link", name="モデルカード").last.click()
    expect(page.get_by_role("heading", name="決して使わないもの")).to_be_visible()
    shot(page, "model-card-ja")


@pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/data/credentials not present")
def test_seeker_upload_failures_in_plain_words_and_replace_asks_first(page, live_server, demo):
    from playwright.sync_api import expect

    ensure_japanese_catalog()
    login(page, live_server, "sam")
    page.get_by_role("link", name="Add a credential").first.click()
    page.get_by_label("…or paste the credential (JSON or JWT)").fill('{"type": ["VerifiableCredential"], "name": "cut')
    page.get_by_role("button", name="Check and add").click()
    expect(page.get_by_role("heading", name="This file could not be read")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("broken or cut off")
    assert "column" not in page.locator("main").inner_text()
    shot(page, "upload-unreadable")

    # a credential, then a copy of it with the same id that has expired: the page asks before replacing
    page.get_by_label("Credential file").set_input_files(str(FIXTURES / "simple.json"))
    page.get_by_role("button", name="Check and add").click()
    expect(page.get_by_text("Added 1 credential to your profile.")).to_be_visible()
    page.get_by_label("Credential file").set_input_files(str(FIXTURES / "simple-err-expired.json"))
    page.get_by_role("button", name="Check and add").click()
    expect(page.get_by_role("heading", name="Replace the credential you already have?")).to_be_visible()
    diff = page.locator("table.replace-diff")
    expect(diff.locator(".badge-status-expired")).to_be_visible()
    expect(page.get_by_text("Added 1 credential")).to_have_count(0)
    shot(page, "upload-replace-confirm")
    page.get_by_role("button", name="Replace it").click()
    expect(page.get_by_text("Replaced 1 credential on your profile.")).to_be_visible()
    shot(page, "upload-replaced")

    to_japanese(page)
    page.get_by_label("…または資格を貼り付け（JSON または JWT）").fill("{{{{ nope")
    page.get_by_role("button", name="確認して追加").click()
    expect(page.get_by_role("heading", name="このファイルを読み込めませんでした")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("JSON")
    assert "broken" not in page.locator("main").inner_text()
    shot(page, "upload-unreadable-ja")


def test_editor_says_the_model_is_loading_then_suggests(page, live_server, demo, tmp_path, settings, monkeypatch):
    from playwright.sync_api import expect

    import_tiny_taxonomy(tmp_path)
    settings.TSUMIKI_WARM_START = True
    # the live server runs in this process: its requests see this warm-up state
    monkeypatch.setattr(warmup, "_state", warmup.WarmupState(status=warmup.LOADING, started=time.monotonic() - 5))
    login(page, live_server, "rita")
    page.get_by_role("link", name="New job").click()
    page.get_by_label("Title").fill("Insights analyst")
    page.get_by_label("Description").fill("Every week you present data visually for the sales team.")
    started = time.monotonic()
    page.get_by_role("button", name="Suggest skills from the description").click()
    expect(page.locator("#suggest-note")).to_contain_text("Loading the skill model")
    assert time.monotonic() - started < 10  # answered at once, not after loading
    shot(page, "editor-model-loading")
    warmup._state.status = warmup.READY  # the background load finished: the page asks again by itself
    expect(page.locator("#suggest-note")).to_contain_text("Added 1 suggested skill.", timeout=FIRST_SUGGESTION_MS)
    expect(page.locator("#skill-rows tr")).to_have_count(2)
    shot(page, "editor-model-ready")
