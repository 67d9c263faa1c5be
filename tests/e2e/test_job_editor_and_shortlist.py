"""End to end in a real browser: the job editor (autocomplete from the taxonomy as you type,
skills suggested from the description, add/remove rows), a match run and its shortlist; the shortlist's
filters and sorting; a seeker's jobs that fit best; the pages in Japanese."""

from __future__ import annotations

import re

import pytest

from apps.jobs.models import Job

from ..dashboard.i18n import ensure_japanese_catalog
from ..dashboard.taxonomy import import_tiny_taxonomy
from ..factories import make_job
from .conftest import login, run_finished, shot, to_japanese

pytestmark = [pytest.mark.e2e]


def _blind(job, candidate) -> str:
    """The shortlist's label of a candidate not revealed: a stable code for the job, not the rank."""
    from apps.matching.services import candidate_blind_code

    return f"Candidate {candidate_blind_code(job_id=job.id, candidate_id=candidate.id)}"


# The first autocomplete request may load the embedding model and build the taxonomy index.
FIRST_SUGGESTION_MS = 60_000


def test_recruiter_creates_a_job_in_the_editor_and_runs_a_match(page, live_server, demo, tmp_path):
    from playwright.sync_api import expect

    import_tiny_taxonomy(tmp_path)
    login(page, live_server, "rita")
    page.get_by_role("link", name="New job").click()
    expect(page.get_by_role("heading", name="New job", level=1)).to_be_visible()
    page.get_by_label("Title").fill("Insights analyst")
    page.get_by_label("Description").fill("Every week you present data visually for the sales team.")

    # "Suggest skills from the description" appends a row for each taxonomy skill found in it
    page.get_by_role("button", name="Suggest skills from the description").click()
    rows = page.locator("#skill-rows tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1).get_by_label("Skill", exact=True)).to_have_value("present data visually")
    expect(page.locator("#suggest-note")).to_contain_text("Added 1 suggested skill.")

    # autocomplete: suggestions from the taxonomy arrive in the field's datalist as the recruiter types
    name = rows.nth(0).get_by_label("Skill", exact=True)
    name.press_sequentially("pyth", delay=60)
    options = page.locator(f"#{name.get_attribute('list')} option")
    expect(options.first).to_have_attribute("value", "Python (computer programming)", timeout=FIRST_SUGGESTION_MS)
    name.fill("Python (computer programming)")
    rows.nth(0).get_by_label("Weight").fill("2")
    rows.nth(0).get_by_label("Must-have").check()

    # add a row with htmx (it takes the focus), then remove it again
    page.get_by_role("button", name="Add a skill").click()
    expect(rows).to_have_count(3)
    expect(rows.nth(2).get_by_label("Skill", exact=True)).to_be_focused()
    rows.nth(2).get_by_role("button", name="Remove").click()
    expect(rows).to_have_count(2)
    shot(page, "job-editor")

    page.get_by_role("button", name="Save job").last.click()
    expect(page.get_by_text("Job created.")).to_be_visible()
    job = Job.objects.get(title="Insights analyst")
    assert [(r.name, r.weight, r.must_have) for r in job.required_skills.all()] == [
        ("Python (computer programming)", 2.0, True),
        ("present data visually", 1.0, False),
    ]
    expect(page.get_by_role("rowheader", name="present data visually")).to_be_visible()

    # start a match (tasks run eagerly here) and open the shortlist
    page.get_by_role("button", name="Run match").click()
    expect(page.locator("#run-progress")).to_contain_text("Succeeded")
    page.get_by_role("link", name="View shortlist").click()
    expect(page.get_by_role("heading", name=re.compile("Shortlist: Insights analyst"))).to_be_visible()
    expect(page.locator("table.shortlist tbody tr")).to_have_count(8)
    expect(page.locator("table.shortlist tbody tr").first).to_contain_text("Candidate ")
    expect(page.locator("table.shortlist tbody tr").first).not_to_contain_text("Candidate #")


def test_shortlist_filter_sort_and_scarcity(page, live_server, demo):
    from playwright.sync_api import expect

    job = demo["job"]
    run_finished(job, demo["recruiter"])
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
    rows = page.locator("table.shortlist tbody tr")
    expect(rows).to_have_count(8)
    expect(page.get_by_role("heading", name="How scarce each required skill is")).to_be_visible()
    expect(page.locator(".scarcity-table")).to_contain_text("Python programming")

    # issuer filter: only the strong candidate holds a PyLearn credential
    page.get_by_label("Issuer").select_option(label="PyLearn")
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(_blind(job, demo["strong"]))
    expect(page.get_by_label("Issuer")).to_have_value(re.compile(r"\d+"))  # the filter is kept on the page

    # sort by verified share, with the must-have filter: shares come out non-increasing
    page.get_by_role("link", name="Reset").click()
    page.get_by_label("Must-haves").select_option("yes")
    page.get_by_label("Sort by").select_option("verified")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"sort=verified"))
    expect(rows.first).to_be_visible()
    shares = [int(re.search(r"(\d+)% verified", t).group(1)) for t in rows.all_inner_texts()]
    assert shares and shares == sorted(shares, reverse=True), shares
    assert len(shares) < 8  # the must-have filter removed those without SQL
    shot(page, "shortlist-sorted")


def test_seeker_sees_jobs_that_fit_best_and_japanese_pages(page, live_server, demo):
    from playwright.sync_api import expect

    ensure_japanese_catalog()
    run_finished(demo["job"], demo["recruiter"])
    make_job(demo["org"], ["cooking"], title="Line cook", job_id="job-cook")  # never matched

    login(page, live_server, "sam")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs").click()
    expect(page.get_by_role("heading", name="Jobs that fit me best", level=1)).to_be_visible()
    cards = page.locator("ol.job-fits > li")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("Data analyst")
    expect(cards.first.get_by_role("meter")).to_be_visible()
    expect(cards.first.get_by_role("list", name="Missing skills")).to_contain_text("Python programming")
    expect(cards.nth(1)).to_contain_text("Line cook")
    expect(cards.nth(1)).to_contain_text("Not scored yet")

    # switch to Japanese with the language form (keyboard-usable select + button)
    to_japanese(page)
    expect(page.get_by_role("heading", name="自分に合う求人", level=1)).to_be_visible()
    expect(cards.nth(1)).to_contain_text("未採点")
    shot(page, "seeker-jobs-ja")
    page.get_by_role("navigation", name="メイン").get_by_role("link", name="私の資格").click()
    expect(page.get_by_text("2025年6月1日").first).to_be_visible()  # a Japanese date format
