"""End to end on a phone-sized screen (390 x 844): the shortlist's filters fold behind a "Filters"
disclosure so that the first candidate card is on the first screen, in English and Japanese; the
disclosure opens with a click (no script needed), filters still apply, and a wide screen shows the form
without the disclosure."""

from __future__ import annotations

import re

import pytest

from apps.matching.models import RunStatus
from apps.matching.services import match_run_start

from ..dashboard.i18n import ensure_japanese_catalog
from .conftest import login, shot, to_japanese

pytestmark = [pytest.mark.e2e]

PHONE = {"width": 390, "height": 844}


def _phone(browser, locale: str):
    context = browser.new_context(viewport=PHONE, locale=locale, is_mobile=True, has_touch=True)
    context.set_default_timeout(20_000)
    return context, context.new_page()


def _first_card_in_view(page) -> dict:
    """The first candidate card's box; it lies wholly within the first screen (no scrolling)."""
    assert page.evaluate("window.scrollY") == 0
    box = page.locator("table.shortlist tbody tr").first.bounding_box()
    assert box, "no candidate card"
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    return box


def _finished_run(demo):
    run = match_run_start(job=demo["job"], user=demo["recruiter"])
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    return run


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        (
            "en-GB",
            {
                "filters": "Filters",
                "min": "Minimum score",
                "must": "Must-haves",
                "all_met": "All must-haves met",
                "apply": "Apply filters",
                "active": "1 active",
                "count": re.compile(r"\d+ of \d+ candidates? match these filters"),
                "bulk": "Actions on selected candidates",
                "move": "Move selected",
                "why": "Why this order?",
                "why_text": "Candidates who meet every must-have come first",
            },
        ),
        (
            "ja",
            {
                "filters": "絞り込み",
                "min": "最低スコア",
                "must": "必須スキル",
                "all_met": "必須スキルをすべて満たす",
                "apply": "絞り込む",
                "active": "1 件を適用中",
                "count": re.compile(r"\d+ 人中 \d+ 人がこの条件に一致します"),
                "bulk": "選択した候補者の操作",
                "move": "選択した候補者を移動",
                "why": "この並び順の理由",
                "why_text": "必須",
            },
        ),
    ],
    ids=["en", "ja"],
)
def test_on_a_phone_the_first_card_is_on_the_first_screen(browser, live_server, demo, locale, words):
    from playwright.sync_api import expect

    ensure_japanese_catalog()
    _finished_run(demo)
    context, page = _phone(browser, "en-GB")  # logs in in English, then switches with the language form
    try:
        login(page, live_server, "rita")
        if locale == "ja":
            to_japanese(page)
        page.goto(f"{live_server.url}/jobs/{demo['job'].id}/shortlist/")
        summary = page.get_by_test_id("filters-disclosure").locator("summary")
        expect(summary).to_have_text(words["filters"])
        expect(page.get_by_label(words["min"])).to_be_hidden()
        expect(page.get_by_role("button", name=words["move"])).to_be_hidden()
        shot(page, f"phone-390-shortlist-first-screen-{locale}", full_page=False)
        _first_card_in_view(page)
        shot(page, f"phone-390-shortlist-first-screen-{locale}", full_page=False)

        # the disclosure opens with a click; a filter applies, and the page comes back folded with a count
        summary.click()
        expect(page.get_by_label(words["min"])).to_be_visible()
        shot(page, f"phone-390-shortlist-filters-open-{locale}", full_page=False)
        page.get_by_label(words["must"], exact=True).select_option(label=words["all_met"])
        page.get_by_role("button", name=words["apply"]).click()
        page.wait_for_url(re.compile(r"must_have=yes"))
        expect(page.get_by_test_id("filters-active")).to_have_text(words["active"])
        expect(page.get_by_label(words["min"])).to_be_hidden()
        expect(page.get_by_test_id("shortlist-count")).to_contain_text(words["count"])
        _first_card_in_view(page)
        shot(page, f"phone-390-shortlist-filtered-{locale}", full_page=False)

        # the other folds open the same way
        expect(page.get_by_test_id("order-why")).to_be_hidden()
        page.locator("summary", has_text=words["why"]).click()
        expect(page.get_by_test_id("order-why")).to_contain_text(words["why_text"])
        page.get_by_test_id("bulk-disclosure").locator("summary").click()
        expect(page.get_by_role("button", name=words["move"])).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_the_folds_open_without_javascript(browser, live_server, demo):
    from playwright.sync_api import expect

    _finished_run(demo)
    context = browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True, java_script_enabled=False)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        login(page, live_server, "rita")
        page.goto(f"{live_server.url}/jobs/{demo['job'].id}/shortlist/")
        _first_card_in_view(page)
        page.get_by_test_id("filters-disclosure").locator("summary").click()
        expect(page.get_by_label("Minimum score")).to_be_visible()
    finally:
        context.close()


def test_a_wide_screen_shows_the_filters_without_a_disclosure(page, live_server, demo):
    from playwright.sync_api import expect

    _finished_run(demo)
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/jobs/{demo['job'].id}/shortlist/")
    expect(page.get_by_test_id("filters-disclosure").locator("summary")).to_be_hidden()
    expect(page.get_by_label("Minimum score")).to_be_visible()
    expect(page.get_by_role("button", name="Move selected")).to_be_visible()
    expect(page.get_by_test_id("order-why")).to_be_visible()
    page.get_by_label("Minimum score").fill("50")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"min_score=50"))
    expect(page.get_by_label("Minimum score")).to_have_value("50")
    shot(page, "wide-shortlist-filters-shown")
