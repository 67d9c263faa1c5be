"""End to end in a real browser: the shortlist a recruiter can trust and read. Orders one click away and
explained, a filter's count, the jobs list's search, the candidate panel taking the keyboard focus (and
giving it back), partial chips that say what the seeker's own page says, a phone-sized shortlist of
cards whose panel opens in view, and "a new ranking is available" after a seeker uploads a credential,
in English and Japanese."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from apps.candidates.models import Candidate
from apps.matching.models import MatchRun, RunStatus
from apps.matching.services import assessment_record, candidate_blind_code, match_run_start

from ..dashboard.i18n import ensure_japanese_catalog
from ..factories import credential, make_candidate, make_job
from .conftest import login, shot, to_japanese

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def big(demo):
    """The demo pool grown to 52 candidates, Sam's Python shown by a weak exam (14%: partial), a second
    job for the search, and a finished run."""
    org = demo["org"]
    for i in range(44):
        make_candidate(
            org,
            cid=f"extra-{i}",
            credentials=[
                credential(
                    f"Course {i}",
                    ["SQL", "data visualisation"] if i % 3 else ["Python programming"],
                    verified=bool(i % 2),
                    issued=f"20{20 + i % 6}-0{1 + i % 9}-01",
                )
            ],
        )
    sam = Candidate.objects.get(organization=org, external_id="c-sam")
    assessment_record(
        candidate=sam, skill="Python programming", method="exam", score=0.14, assessed_on=date.today(), job=demo["job"]
    )
    make_job(org, ["patient care"], title="Ward nurse", job_id="job-nurse")
    run = match_run_start(job=demo["job"], user=demo["recruiter"])
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    return {**demo, "run": run, "sam": sam}


def _open_shortlist(page, live_server, job):
    from playwright.sync_api import expect

    login(page, live_server, "rita")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs").click()
    page.get_by_role("searchbox", name="Search jobs").fill("analyst")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("jobs-count")).to_contain_text("1 of 2 jobs in Acme match “analyst”")
    expect(page.get_by_role("link", name="Ward nurse")).to_have_count(0)
    page.get_by_role("link", name=job.title).click()
    page.get_by_role("link", name="View shortlist").click()
    expect(page.get_by_role("heading", name=re.compile("Shortlist: Data analyst"))).to_be_visible()


def test_orders_filters_panel_and_partial_chips(page, live_server, big):
    from playwright.sync_api import expect

    job, sam = big["job"], big["sam"]
    _open_shortlist(page, live_server, job)
    shot(page, "honesty-jobs-search-and-shortlist")
    rows = page.locator("table.shortlist tbody tr")
    expect(rows).to_have_count(50)
    expect(page.get_by_test_id("shortlist-count")).to_contain_text("52 candidates.")
    expect(page.get_by_test_id("order-why")).to_contain_text("Candidates who meet every must-have come first")
    labels = rows.locator(".candidate-name").all_inner_texts()
    assert all(re.fullmatch(r"Candidate [0-9A-Z]{4}-[0-9A-Z]{4}", t) for t in labels), labels[:3]
    # compact: 50 rows in a few thousand pixels, not 13,000
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, height

    # another order is one click away, and the sentence says what it does
    page.get_by_role("navigation", name="Sort the shortlist").get_by_role(
        "link", name="Score alone (best first)"
    ).click()
    expect(page.get_by_role("link", name="Score alone (best first)")).to_have_attribute("aria-current", "true")
    expect(page.get_by_test_id("order-why")).to_contain_text("Ordered by score alone")
    scores = [float(v) for v in rows.locator(".scorebar-num").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)

    # a filter, and how many it leaves
    page.get_by_label("Must-haves").select_option(label="All must-haves met")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("shortlist-count")).to_contain_text(
        re.compile(r"^\d+ of 52 candidates match these filters\.")
    )
    shown = int(page.get_by_test_id("shortlist-count").inner_text().split()[0])
    assert 0 < shown < 52
    expect(page.get_by_role("link", name="Score alone (best first)")).to_have_attribute("aria-current", "true")

    # Sam's weak exam is partial on the shortlist: its own symbol and the word, not a tick
    page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/?sort=label")
    sam_label = f"Candidate {candidate_blind_code(job_id=job.id, candidate_id=sam.id)}"
    row = page.locator(f"tr#c{sam.id}")
    if row.count() == 0:  # on the second page of the label order
        page.get_by_role("link", name=re.compile("Next")).click()
    expect(row).to_contain_text(sam_label)
    chip = row.locator("li.chip", has_text="Python programming")
    expect(chip).to_have_class(re.compile(r"\bchip-partial\b"))
    expect(chip).to_contain_text("◔")
    expect(chip).to_contain_text("partial 14%")
    expect(row.locator("li.chip", has_text="SQL")).to_have_class(re.compile(r"\bchip-verified\b"))

    # "Details": the panel opens beside the row, takes the focus, and Escape gives it back
    details = row.get_by_role("link", name=re.compile("Details"))
    details.click()
    panel = page.locator("#panel")
    expect(panel.get_by_role("heading", level=2)).to_have_text(sam_label)
    expect(panel.get_by_role("heading", level=2)).to_be_focused()
    expect(panel).to_contain_text("Partly covered: a skill counts as covered from 50% credit.")
    box = panel.bounding_box()
    assert box and 0 <= box["y"] < 900, box  # in view, not far down the page
    shot(page, "honesty-panel-open", full_page=False)
    page.keyboard.press("Escape")
    expect(details).to_be_focused()

    # the seeker's own page says the same: Python is partly covered, not under "Covered"
    page.context.clear_cookies()
    login(page, live_server, "sam")
    page.goto(f"{live_server.url}/me/jobs/{job.id}/")
    covered = page.locator("section[aria-labelledby=covered-h]")
    not_yet = page.locator("section[aria-labelledby=missing-h]")
    expect(covered).to_contain_text("SQL")
    expect(covered).not_to_contain_text("Python programming")
    expect(not_yet.locator("[data-status=partial]")).to_contain_text("Python programming")
    expect(not_yet).to_contain_text("credit 14%")
    expect(page.get_by_text("A must-have skill is not yet covered.")).to_have_count(0)  # SQL, the must-have, is covered
    shot(page, "honesty-seeker-partial")


def test_a_phone_sized_shortlist(browser, live_server, big):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        job = big["job"]
        login(page, live_server, "rita")
        page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
        rows = page.locator("table.shortlist tbody tr")
        expect(rows).to_have_count(50)
        # cards: nothing clipped sideways
        shot(page, "honesty-phone-390-full")
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)"
            ".slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide
        first = rows.first.bounding_box()
        assert first and first["width"] <= 390
        shot(page, "honesty-phone-390", full_page=False)
        rows.nth(10).scroll_into_view_if_needed()
        details = rows.nth(10).get_by_role("link", name=re.compile("Details"))
        details.click()
        panel = page.locator("#panel")
        expect(panel.get_by_role("heading", level=2)).to_be_focused()
        box = panel.bounding_box()
        assert box and box["y"] >= -1 and box["y"] < 844 and box["width"] <= 390, box  # opens in view
        shot(page, "honesty-phone-390-panel", full_page=False)
        panel.get_by_role("button", name="Close").click()
        expect(panel).to_be_hidden()
        expect(details).to_be_focused()
    finally:
        context.close()


def _python_badge(tmp_path) -> Path:
    """An unsigned Open Badge 3.0 credential naming Python programming (it imports as unverified)."""
    doc = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:6f1c0b8e-1d7a-4e3b-9a51-3c1e2f0d9a10",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://pylearn.example/issuer", "type": ["Profile"], "name": "PyLearn"},
        "validFrom": "2026-11-01T00:00:00Z",
        "name": "Python Foundations",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://pylearn.example/achievements/python",
                "type": ["Achievement"],
                "name": "Python Foundations",
                "criteria": {"narrative": "Passed the exam."},
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": "Python programming",
                        "targetUrl": "https://pylearn.example/s/py",
                    }
                ],
            },
        },
    }
    path = tmp_path / "python-foundations.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_new_ranking_is_announced_after_a_credential_upload(browser, live_server, big, tmp_path, lang):
    from playwright.sync_api import expect

    if lang == "ja":
        ensure_japanese_catalog()
    job, run = big["job"], big["run"]
    recruiter = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-GB")
    seeker = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-GB")
    for c in (recruiter, seeker):
        c.set_default_timeout(20_000)
    rpage, spage = recruiter.new_page(), seeker.new_page()
    try:
        login(rpage, live_server, "rita")
        if lang == "ja":
            to_japanese(rpage)
        rpage.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
        header = rpage.get_by_test_id("run-header")
        expect(header).to_contain_text(f"#{run.id}")
        sam_row = rpage.locator(f"tr#c{big['sam'].id}")
        rank_before = sam_row.locator("td.rank").inner_text() if sam_row.count() else None

        # the seeker adds a credential: the rescore makes a new ranking, the recruiter's page does not move
        login(spage, live_server, "sam")
        spage.get_by_role("link", name="Add a credential").click()
        spage.get_by_label("Credential file").set_input_files(str(_python_badge(tmp_path)))
        spage.get_by_role("button", name="Check and add").click()
        expect(spage.locator("section[aria-live=polite]")).to_contain_text("Added 1 credential to your profile.")
        newer = MatchRun.objects.filter(job=job, kind="rescore").order_by("-id").first()
        assert newer is not None and newer.based_on_id == run.id

        notice = rpage.get_by_test_id("newer-ranking")
        expect(notice).to_contain_text(
            "新しいランキングがあります。" if lang == "ja" else "A new ranking is available.", timeout=25_000
        )
        if rank_before is not None:
            expect(sam_row.locator("td.rank")).to_have_text(rank_before)  # this page's ranks stay
        # the Japanese headers do not wrap one character per line
        rank_th = rpage.locator("table.shortlist thead th.num").first
        line = rpage.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('table.shortlist thead th.num')).lineHeight) || 18"
        )
        assert rank_th.bounding_box()["height"] < 2.2 * line + 12
        shot(rpage, f"honesty-new-ranking-{lang}", full_page=False)
        notice.get_by_role("link").click()
        expect(rpage).to_have_url(re.compile(rf"run={newer.id}"))
        expect(rpage.get_by_test_id("run-header")).to_contain_text(f"#{newer.id}")
        expect(rpage.get_by_test_id("run-header")).to_contain_text(f"#{run.id}")  # "from run #…"
        expect(rpage.get_by_test_id("newer-ranking")).to_have_count(1)  # the quiet poller, no notice
        expect(rpage.get_by_test_id("newer-ranking")).to_be_hidden()
        shot(rpage, f"honesty-new-ranking-opened-{lang}")
    finally:
        recruiter.close()
        seeker.close()
