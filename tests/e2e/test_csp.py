"""The Content-Security-Policy in a real browser: the header is sent, and the pages that use htmx (the
shortlist's details panel and scarcity table, the job editor's rows, the run page's polling, the talent
pool's skill inputs) work under it with no violation reported in the browser's console."""

from __future__ import annotations

import re

import pytest

from apps.matching.models import RunStatus
from apps.matching.services import match_run_start

from ..dashboard.taxonomy import import_tiny_taxonomy
from .conftest import login, shot

pytestmark = [pytest.mark.e2e]

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
}


def _policy(header: str) -> dict[str, str]:
    return {
        d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else "" for d in (p.strip() for p in header.split(";")) if d
    }


@pytest.fixture
def watched(page):
    """The page, with every console error and every securitypolicyviolation event collected."""
    problems: list[str] = []

    def on_console(message) -> None:
        # the 404 page is visited on purpose, and the admin's pages link no icon (the browser asks for
        # /favicon.ico): their "Failed to load resource" is no problem
        url = message.location.get("url", "")
        if message.type == "error" and not url.endswith(("/no-such-page/", "/favicon.ico")):
            problems.append(f"console {message.type}: {message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));"
    )
    page.problems = problems
    return page


def test_the_shortlist_works_under_the_policy_with_no_violation(watched, live_server, demo):
    from playwright.sync_api import expect

    page = watched
    job = demo["job"]
    run = match_run_start(job=job, user=demo["recruiter"])
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error

    response = page.goto(f"{live_server.url}/login/")
    policy = _policy(response.headers["content-security-policy"])
    for directive, value in POLICY.items():
        assert policy[directive] == value, (directive, policy)
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert "unsafe-eval" not in response.headers["content-security-policy"]

    login(page, live_server, "rita")
    response = page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
    assert _policy(response.headers["content-security-policy"])["script-src"] == "'self'"
    rows = page.locator("table.shortlist tbody tr")
    expect(rows).to_have_count(8)
    # the score bars take their width from a class (a style attribute would be refused)
    fill = rows.first.locator(".scorebar-fill")
    expect(fill).to_have_class(re.compile(r"\bw-\d+\b"))
    assert fill.evaluate("e => e.getBoundingClientRect().width") > 0
    # scarcity: loaded by htmx after the page (hx-trigger=load)
    expect(page.get_by_role("heading", name="How scarce each required skill is")).to_be_visible()
    assert page.locator(".scarcity-table .hbar-fill").first.evaluate("e => e.getBoundingClientRect().width") > 0
    # the details panel: an htmx GET into #panel, the page stays
    rows.first.get_by_role("link", name=re.compile("Details")).click()
    panel = page.locator("#panel")
    expect(panel).to_contain_text("Why this score")
    expect(page).to_have_url(re.compile(r"/shortlist/$"))
    # the reveal button (an htmx POST with the CSRF header from base.html's hx-headers)
    rows.first.get_by_role("button", name=re.compile("Reveal")).click()
    expect(page.locator("table.shortlist tbody tr").first).to_contain_text("Ada Lovelace")
    # a filter round trip
    page.get_by_label("Must-haves").select_option("yes")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"must=yes|must_have=yes|must"))
    expect(rows.first).to_be_visible()
    shot(page, "csp-shortlist")
    assert page.problems == []


def test_the_job_editor_run_page_and_pool_work_under_the_policy(watched, live_server, demo, tmp_path, monkeypatch):
    from playwright.sync_api import expect

    from apps.matching import tasks
    from apps.matching.services import match_run_perform

    page = watched
    import_tiny_taxonomy(tmp_path)
    login(page, live_server, "rita")
    job = demo["job"]

    # the job editor: add a row (htmx) and remove it (static/js/tsumiki.js; it was an eval'd hx-on before)
    page.goto(f"{live_server.url}/jobs/{job.id}/edit/")
    rows = page.locator("tr.skill-row")
    before = rows.count()
    page.get_by_role("button", name="Add a skill").click()
    expect(rows).to_have_count(before + 1)
    rows.last.get_by_role("button", name="Remove").click()
    expect(rows).to_have_count(before)
    expect(page.locator("#add-skill")).to_be_focused()

    # the run page polls with htmx and moves on to the shortlist by itself
    queued: list[int] = []
    monkeypatch.setattr(tasks.match_run_plan, "delay", lambda run_id: queued.append(run_id))
    page.goto(f"{live_server.url}/jobs/{job.id}/")
    page.get_by_role("button", name="Run match").click()
    expect(page.locator("#run-progress")).to_contain_text("Queued")
    match_run_perform(run_id=queued[0])
    expect(page).to_have_url(re.compile(rf"/jobs/{job.id}/shortlist/$"), timeout=15_000)

    # the talent pool: a second skill input added with htmx and removed again
    page.goto(f"{live_server.url}/pool/")
    inputs = page.locator(".pool-skill")
    n = inputs.count()
    page.locator("#pool-add-skill").click()
    expect(inputs).to_have_count(n + 1)
    inputs.last.get_by_role("button", name="Remove").click()
    expect(inputs).to_have_count(n)
    expect(page.locator("#pool-add-skill")).to_be_focused()

    # pages without htmx: API keys, fairness report, model card, the seeker's pages, an error page
    for path in ("/settings/api-keys/", f"/jobs/{job.id}/fairness/", "/model-card/", "/no-such-page/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    login(page, live_server, "sam")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs").click()
    page.get_by_role("link", name="Data analyst").click()
    expect(page.locator(".scorebar-fill").first).to_have_class(re.compile(r"\bw-\d+\b"))
    page.goto(f"{live_server.url}/me/credentials/upload/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.problems == []


def test_the_admin_works_and_the_api_docs_pages_get_their_own_looser_policy(watched, live_server, db):
    from playwright.sync_api import expect

    page = watched
    page.goto(f"{live_server.url}/admin/login/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    assert page.problems == []
    response = page.goto(f"{live_server.url}/api/docs/")
    policy = _policy(response.headers["content-security-policy"])
    assert "'unsafe-inline'" in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'"
    # both documentation pages render the schema under their policy (an offline machine cannot fetch
    # Redoc's web fonts: only policy violations count here)
    expect(page.get_by_text("Tsumiki API").first).to_be_visible(timeout=30_000)
    expect(page.locator(".opblock").first).to_be_visible(timeout=30_000)
    page.goto(f"{live_server.url}/api/redoc/")
    expect(page.get_by_role("heading", name=re.compile("Tsumiki API")).first).to_be_visible(timeout=30_000)
    assert [p for p in page.problems if "CSP violation" in p or "Content Security Policy" in p] == []
