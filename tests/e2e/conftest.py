"""Browser tests: a real headless Chromium (Playwright, sync API) against pytest-django's live server.

Required when CI=true (a missing browser fails the run); skipped elsewhere when Chromium or
Playwright is not installed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from apps.accounts.models import Membership, Role, User
from apps.matching.models import MatchRun, RunStatus
from apps.matching.services import match_run_start

from ..conftest import IN_CI
from ..factories import credential, make_candidate, make_job

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls
# made by the test (and the live server thread) "from an async context".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("TSUMIKI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "pw-tsumiki-123"
DOCS = Path(__file__).resolve().parents[2] / "docs"
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"browser tests are required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the machine
        _unavailable("playwright is not installed")
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-GB")
    context.set_default_timeout(20_000)
    pg = context.new_page()
    yield pg
    context.close()


def make_user(username: str, organization, role: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(user=user, organization=organization, role=role)
    return user


def login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def shot(page, name: str, *, full_page: bool = True) -> None:
    """Save what the browser shows as test-results/screenshots/<name>.png, for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def to_japanese(page) -> None:
    """Switch the signed-in page to Japanese with the language form, as a person would."""
    from playwright.sync_api import expect

    page.get_by_label("Language").select_option("ja")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")


def run_finished(job, user) -> MatchRun:
    """Start a match run of ``job``; with eager Celery (on commit, which is outside any transaction in a
    browser test) it has finished when this returns."""
    run = match_run_start(job=job, user=user)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    return run


@pytest.fixture
def demo(transactional_db):
    """An organization with a recruiter, a seeker, a job and a small pool."""
    from ..factories import OrganizationFactory

    org = OrganizationFactory(slug="acme", name="Acme")
    recruiter = make_user("rita", org, Role.RECRUITER)
    seeker = make_user("sam", org, Role.SEEKER)
    job = make_job(
        org,
        [
            {"name": "SQL", "required": True, "weight": 2.0},
            {"name": "Python programming"},
            {"name": "data visualisation", "min_level": 5},
        ],
        title="Data analyst",
        job_id="job-da",
        description="Turn data into decisions.",
    )
    strong = make_candidate(
        org,
        cid="c-strong",
        name="Ada Lovelace",
        credentials=[
            credential("SQL for Analysts", ["SQL", "data visualisation"], issuer="Open Data Academy"),
            credential("Python Foundations", ["Python programming"], issuer="PyLearn", verified=False),
        ],
        degrees=[{"title": "BSc Mathematics", "level": {"framework": "EQF", "value": 6}}],
    )
    make_candidate(
        org,
        cid="c-sam",
        name="Sam Seeker",
        user=seeker,
        credentials=[credential("Relational databases badge", ["SQL"], issuer="Badge Works")],
    )
    for i in range(6):
        make_candidate(
            org,
            cid=f"c-{i}",
            name=f"Person {i}",
            credentials=[
                credential(
                    f"Data course {i}",
                    ["data visualisation"] + (["SQL"] if i % 2 else []),
                    verified=bool(i % 3),
                )
            ],
            skills=["python"] if i % 2 == 0 else [],
        )
    return {"org": org, "recruiter": recruiter, "seeker": seeker, "job": job, "strong": strong}
