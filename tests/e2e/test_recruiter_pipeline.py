"""End to end in a real browser: a recruiter's decisions about candidates, clicked through from the
shortlist's candidate panel, persisted across a reload; in English and Japanese, with a screenshot per
page under test-results/screenshots."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from apps.matching.models import PipelineStage, ShortlistDecision

from ..dashboard.i18n import ensure_japanese_catalog
from .conftest import SHOTS, login, run_finished, shot, to_japanese

pytestmark = [pytest.mark.e2e]


def _panel_shot(page, panel, name: str) -> None:
    """The viewport with the panel scrolled to its decision controls (the panel scrolls on its own, so a
    full-page shot would show only its top)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    panel.locator("section").last.evaluate('el => el.scrollIntoView({block: "end"})')
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _shortlist_in_japanese(page, live_server, demo):
    """Rita on the shortlist of the demo job's finished run, in Japanese; returns the job."""
    ensure_japanese_catalog()
    job = demo["job"]
    run_finished(job, demo["recruiter"])
    login(page, live_server, "rita")
    to_japanese(page)
    page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
    return job


def _open_panel(page, index: int, details: str):
    """Click the details button of the shortlist's row ``index`` (0: the best); the panel arrives by htmx."""
    from playwright.sync_api import expect

    row = page.locator("table.shortlist tbody tr").nth(index)
    row.get_by_role("link", name=details).first.click()
    panel = page.locator("#candidate-panel")
    expect(panel).to_be_visible()
    return panel


STAGES_EN = [
    "Choose a stage",
    "New",
    "Shortlisted",
    "Contacted",
    "Interview",
    "Offer",
    "Hired",
    "Rejected (reason required)",
]
STAGES_JA = ["段階を選んでください", "新規", "候補に追加", "連絡済み", "面接", "内定", "採用", "不採用（理由が必要）"]


def test_recruiter_records_a_decision_from_the_panel_and_it_persists(page, live_server, demo):
    from playwright.sync_api import expect

    job = demo["job"]
    run_finished(job, demo["recruiter"])
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")

    panel = _open_panel(page, 0, "Details")
    stage = panel.get_by_label("Move to stage")
    # a real select offering each of the organization's stages once (the control used to render its
    # labels twice with no input)
    expect(stage.locator("option")).to_have_text(STAGES_EN)
    expect(panel.locator(".current-stage")).to_contain_text("No decision yet")
    _panel_shot(page, panel, "decision-panel")

    # submitting without choosing is refused by the form itself, and nothing is recorded
    panel.get_by_role("button", name="Record decision").click()
    expect(stage).to_be_visible()
    assert ShortlistDecision.objects.count() == 0

    stage.select_option(label="Shortlisted")
    panel.get_by_label("Reason").fill("Strong SQL evidence")
    panel.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded: Shortlisted.")).to_be_visible()

    page.reload()
    row = page.locator("table.shortlist tbody tr").first
    expect(row.locator(".badge")).to_have_text("Shortlisted")
    panel = _open_panel(page, 0, "Details")
    expect(panel.locator(".current-stage")).to_contain_text("Shortlisted")
    history = panel.get_by_role("list", name="Decision history")
    expect(history).to_contain_text("Strong SQL evidence")
    expect(history).to_contain_text("rita")
    _panel_shot(page, panel, "decision-recorded")
    d = ShortlistDecision.objects.get()
    assert (d.decision, d.stage.name, d.reason, d.decided_by) == (
        "shortlist",
        "Shortlisted",
        "Strong SQL evidence",
        demo["recruiter"],
    )

    # a rejection without a reason is refused in plain words; with one it is recorded
    panel.get_by_label("Move to stage").select_option(label="Rejected (reason required)")
    panel.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Give a reason when rejecting a candidate.")).to_be_visible()
    assert ShortlistDecision.objects.count() == 1
    panel = _open_panel(page, 0, "Details")
    panel.get_by_label("Move to stage").select_option(label="Rejected (reason required)")
    panel.get_by_label("Reason").fill("No Python evidence")
    panel.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded: Rejected.")).to_be_visible()
    expect(row.locator(".badge")).to_have_text("Rejected")
    assert ShortlistDecision.objects.latest("id").decision == "reject"

    # the candidate page (no panel) carries the same control
    page.goto(f"{live_server.url}/jobs/{job.id}/candidates/{d.candidate_id}/")
    page.get_by_label("Move to stage").select_option(label="Interview")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded: Interview.")).to_be_visible()
    expect(page.locator(".current-stage")).to_contain_text("Interview")
    shot(page, "candidate-page-stage")


def test_recruiter_moves_and_exports_rows_in_bulk(page, live_server, demo):
    from playwright.sync_api import expect

    job = demo["job"]
    run_finished(job, demo["recruiter"])
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
    rows = page.locator("table.shortlist tbody tr")
    rows.nth(1).get_by_role("checkbox").check()
    rows.nth(2).get_by_role("checkbox").check()
    bulk = page.get_by_role("form", name="Selected candidates")
    bulk.get_by_label("Move selected to").select_option(label="Interview")
    shot(page, "bulk-selected")
    bulk.get_by_role("button", name="Move selected").click()
    expect(page.get_by_text("Moved 2 candidates to Interview.")).to_be_visible()
    expect(rows.nth(1).locator(".badge")).to_have_text("Interview")
    expect(rows.nth(2).locator(".badge")).to_have_text("Interview")
    expect(rows.nth(0).locator(".badge")).to_have_count(0)

    # bulk reject: without a reason refused, nothing moved; with one, both rows move
    rows.nth(3).get_by_role("checkbox").check()
    rows.nth(4).get_by_role("checkbox").check()
    bulk.get_by_label("Move selected to").select_option(label="Rejected (reason required)")
    bulk.get_by_role("button", name="Move selected").click()
    expect(page.get_by_text("Give a reason when rejecting a candidate.")).to_be_visible()
    assert not ShortlistDecision.objects.filter(decision="reject").exists()
    rows.nth(3).get_by_role("checkbox").check()
    rows.nth(4).get_by_role("checkbox").check()
    bulk.get_by_label("Move selected to").select_option(label="Rejected (reason required)")
    bulk.get_by_label("Reason").fill("Missing the SQL must-have")
    bulk.get_by_role("button", name="Move selected").click()
    expect(page.get_by_text("Moved 2 candidates to Rejected.")).to_be_visible()
    expect(rows.nth(3).locator(".badge")).to_have_text("Rejected")
    assert ShortlistDecision.objects.filter(decision="reject", reason="Missing the SQL must-have").count() == 2

    # nothing ticked: refused in plain words
    bulk.get_by_role("button", name="Move selected").click()
    expect(page.get_by_text("Select at least one candidate.")).to_be_visible()

    # export the two ticked rows as CSV
    rows.nth(1).get_by_role("checkbox").check()
    rows.nth(2).get_by_role("checkbox").check()
    with page.expect_download() as info:
        bulk.get_by_role("button", name="Export selected as CSV").click()
    body = Path(info.value.path()).read_text(encoding="utf-8")
    lines = list(csv.DictReader(io.StringIO(body)))
    assert [r["rank"] for r in lines] == ["2", "3"]
    assert [r["stage"] for r in lines] == ["Interview", "Interview"]
    shot(page, "bulk-moved")


def test_recruiter_records_decisions_in_japanese(page, live_server, demo):
    from playwright.sync_api import expect

    _shortlist_in_japanese(page, live_server, demo)

    panel = _open_panel(page, 0, "詳細")
    stage = panel.get_by_label("段階を移動")
    expect(stage.locator("option")).to_have_text(STAGES_JA)
    stage.select_option(label="不採用（理由が必要）")
    panel.get_by_role("button", name="判定を記録").click()
    expect(page.get_by_text("不採用にする場合は理由を入力してください。")).to_be_visible()
    panel = _open_panel(page, 0, "詳細")
    panel.get_by_label("段階を移動").select_option(label="不採用（理由が必要）")
    panel.get_by_label("理由").fill("SQLの証拠が不足")
    panel.get_by_role("button", name="判定を記録").click()
    expect(page.get_by_text("判定を記録しました：不採用")).to_be_visible()

    page.reload()
    panel = _open_panel(page, 0, "詳細")
    expect(panel.get_by_role("list", name="判定の履歴")).to_contain_text("SQLの証拠が不足")
    _panel_shot(page, panel, "decision-recorded-ja")
    d = ShortlistDecision.objects.get()
    assert (d.decision, d.reason) == ("reject", "SQLの証拠が不足")

    # bulk: two rows to the interview stage
    rows = page.locator("table.shortlist tbody tr")
    rows.nth(1).get_by_role("checkbox").check()
    rows.nth(2).get_by_role("checkbox").check()
    bulk = page.get_by_role("form", name="選択した候補者")
    bulk.get_by_label("選択した候補者の移動先").select_option(label="面接")
    bulk.get_by_role("button", name="選択した候補者を移動").click()
    expect(page.get_by_text("2 人の候補者を面接に移動しました。")).to_be_visible()
    expect(rows.nth(1).locator(".badge")).to_have_text("面接")
    shot(page, "bulk-moved-ja")
    rows.nth(1).get_by_role("checkbox").check()
    with page.expect_download() as info:
        bulk.get_by_role("button", name="選択した候補者をCSVで書き出す").click()
    lines = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert [(r["rank"], r["stage"]) for r in lines] == [("2", "面接")]


def _make_admin(user) -> None:
    from apps.accounts.models import Membership

    Membership.objects.filter(user=user).update(is_admin=True)


def test_an_admin_changes_the_pipeline_and_others_get_no_access(page, live_server, demo):
    from playwright.sync_api import expect

    from apps.accounts.models import Role

    from .conftest import make_user

    _make_admin(demo["recruiter"])
    make_user("ron", demo["org"], Role.RECRUITER)  # a recruiter, not an admin
    job = demo["job"]
    run_finished(job, demo["recruiter"])
    login(page, live_server, "rita")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Pipeline").click()
    expect(page.get_by_role("heading", name="Hiring pipeline", level=1)).to_be_visible()
    stages = page.locator("table.pipeline-stages tbody tr")
    expect(stages).to_have_count(7)

    # add a stage, refused first without a name
    page.get_by_role("button", name="Add stage").click()
    expect(page.get_by_role("alert").filter(has_text="Give the stage a name.")).to_be_visible()
    page.get_by_label("Stage name").fill("Technical test")
    page.get_by_label("A move to this stage means").select_option(label="Moved forward (contacted)")
    page.get_by_role("button", name="Add stage").click()
    expect(page.get_by_text("Stage “Technical test” added.")).to_be_visible()
    expect(stages).to_have_count(8)
    expect(stages.last).to_contain_text("Moved forward (contacted)")

    # move it up four places: it comes right after Contacted
    for index in (6, 5, 4, 3):
        page.get_by_role("button", name="Move up — Technical test").click()
        expect(stages.nth(index).get_by_role("textbox")).to_have_value("Technical test")
    expect(stages.nth(4).get_by_role("textbox")).to_have_value("Interview")

    # rename it, and remove "Offer"
    stages.nth(3).get_by_role("textbox").fill("Take-home task")
    page.get_by_role("button", name="Rename — Technical test").click()
    expect(page.get_by_text("Stage renamed to “Take-home task”.")).to_be_visible()
    page.get_by_role("button", name="Remove — Offer").click()
    expect(page.get_by_text("Stage “Offer” removed.")).to_be_visible()
    expect(stages).to_have_count(7)
    shot(page, "pipeline-settings")
    names = list(PipelineStage.objects.filter(organization=demo["org"]).values_list("name", flat=True))
    assert names == ["New", "Shortlisted", "Contacted", "Take-home task", "Interview", "Hired", "Rejected"]

    # the panel offers the organization's stages as they are now
    page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
    panel = _open_panel(page, 0, "Details")
    expect(panel.get_by_label("Move to stage").locator("option")).to_have_text(
        [
            "Choose a stage",
            "New",
            "Shortlisted",
            "Contacted",
            "Take-home task",
            "Interview",
            "Hired",
            "Rejected (reason required)",
        ]
    )

    # a recruiter who is not an admin: no link, and the page itself is a 403 in words
    page.get_by_role("button", name="Log out").click()
    login(page, live_server, "ron")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Pipeline")).to_have_count(0)
    response = page.goto(f"{live_server.url}/settings/pipeline/")
    assert response.status == 403
    expect(page.get_by_text("Only an admin of your organization can open this page.")).to_be_visible()
    shot(page, "pipeline-settings-forbidden")


def test_an_admin_changes_the_pipeline_in_japanese(page, live_server, demo):
    from playwright.sync_api import expect

    ensure_japanese_catalog()
    _make_admin(demo["recruiter"])
    login(page, live_server, "rita")
    to_japanese(page)
    page.get_by_role("navigation", name="メイン").get_by_role("link", name="選考パイプライン").click()
    expect(page.get_by_role("heading", name="選考パイプライン", level=1)).to_be_visible()
    stages = page.locator("table.pipeline-stages tbody tr")
    expect(stages.first.get_by_role("textbox")).to_have_value("新規")
    page.get_by_label("段階の名前", exact=True).fill("技術テスト")
    page.get_by_role("button", name="段階を追加する").click()
    expect(page.get_by_text("段階「技術テスト」を追加しました。")).to_be_visible()
    page.get_by_role("button", name="上へ — 技術テスト").click()
    expect(stages.nth(6).get_by_role("textbox")).to_have_value("技術テスト")
    # the translated default name sent back unchanged is no rename
    page.get_by_role("button", name="名前を変更 — 面接").click()
    assert PipelineStage.objects.filter(organization=demo["org"], name="Interview").exists()
    shot(page, "pipeline-settings-ja")


def _detail(row, label: str):
    """The value an audit-log row gives for one labelled detail."""
    return row.locator("dt", has_text=re.compile(f"^{re.escape(label)}$")).locator("xpath=following-sibling::dd")


def test_recruiter_adds_a_note_and_an_admin_filters_and_exports_the_audit_log(page, live_server, demo):
    from datetime import timedelta

    from django.utils import timezone
    from playwright.sync_api import expect

    from apps.accounts.models import AuditEvent, Role
    from apps.accounts.services import api_key_create

    from .conftest import make_user

    _make_admin(demo["recruiter"])
    make_user("ron", demo["org"], Role.RECRUITER)
    job = demo["job"]
    run_finished(job, demo["recruiter"])
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")

    # a note in the panel, kept with its author and time
    panel = _open_panel(page, 0, "Details")
    panel.get_by_role("button", name="Save note").click()  # empty: the browser's required check holds it
    panel.get_by_label("Add a note").fill("Call on Monday about the SQL project.")
    panel.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Note saved.")).to_be_visible()
    page.reload()
    panel = _open_panel(page, 0, "Details")
    notes = panel.get_by_role("list", name="Notes about this candidate")
    expect(notes).to_contain_text("Call on Monday about the SQL project.")
    expect(notes).to_contain_text("rita")
    _panel_shot(page, panel, "note-added")

    # a decision, a reveal and an export, then another system reads candidates with an API key
    panel.get_by_label("Move to stage").select_option(label="Shortlisted")
    panel.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded: Shortlisted.")).to_be_visible()
    page.locator("table.shortlist tbody tr").first.get_by_role("button", name="Reveal").click()
    expect(page.get_by_text("Identity revealed.")).to_be_visible()
    with page.expect_download():
        page.get_by_role("link", name="Export CSV").click()
    key, raw = api_key_create(organization=demo["org"], scopes=["read"], name="ATS sync")
    api = page.request.get(f"{live_server.url}/api/v1/candidates/", headers={"Authorization": f"Bearer {raw}"})
    assert api.status == 200

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()
    table = page.locator("table.audit-log tbody")
    for what in (
        "Decision recorded",
        "Identity revealed",
        "Shortlist exported",
        "Note added",
        "Candidates read through the API",
    ):
        expect(table.get_by_role("rowheader", name=what).first).to_be_visible()
    expect(table).to_contain_text(f"api-key:{key.prefix}")
    shot(page, "audit-log")

    # by kind, by person, by date
    page.get_by_label("Kind").select_option(label="Decisions")
    page.get_by_role("button", name="Apply filters").click()
    expect(table.locator("tr")).to_have_count(1)
    expect(table).to_contain_text("Decision recorded")
    # the object in words (the blind code the shortlist shows, a link) and the details as labelled values
    decided = table.locator("tr").first
    expect(_detail(decided, "Stage")).to_have_text("Shortlisted")
    expect(_detail(decided, "Job")).to_have_text(job.title)
    code = page.evaluate("() => document.querySelector('table.audit-log tbody tr a').textContent")
    assert re.fullmatch(r"Candidate [A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    expect(decided).not_to_contain_text("candidates.candidate")
    page.get_by_label("Kind").select_option(label="API reads of candidate data")
    page.get_by_role("button", name="Apply filters").click()
    expect(table.locator("tr")).to_have_count(1)
    expect(table).to_contain_text(f"api-key:{key.prefix}")
    page.get_by_label("Kind").select_option(label="All kinds")
    page.get_by_label("Who").select_option("rita")
    page.get_by_role("button", name="Apply filters").click()
    expect(table).not_to_contain_text("api-key:")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page.get_by_label("From").fill(tomorrow)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("No entries match these filters.")).to_be_visible()
    page.get_by_label("To").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("alert").filter(has_text="The start date is after the end date.")).to_be_visible()
    shot(page, "audit-log-filtered")

    # the filtered log as CSV (the export is logged too)
    page.get_by_role("link", name="Reset").click()
    page.get_by_label("Kind").select_option(label="Exports")
    page.get_by_role("button", name="Apply filters").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Export as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert {r["action"] for r in rows} == {"shortlist.exported", "audit_log.exported"}
    assert all(r["actor"] == "rita" for r in rows)
    assert AuditEvent.objects.filter(action="audit_log.exported", details__filters__kind="export").count() == 1

    # a recruiter who is not an admin: the site's 403 page
    page.get_by_role("button", name="Log out").click()
    login(page, live_server, "ron")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log")).to_have_count(0)
    response = page.goto(f"{live_server.url}/settings/audit/")
    assert response.status == 403
    expect(page.get_by_text("Only an admin of your organization can open this page.")).to_be_visible()


def test_the_audit_log_in_japanese(page, live_server, demo):
    from playwright.sync_api import expect

    _make_admin(demo["recruiter"])
    job = _shortlist_in_japanese(page, live_server, demo)
    panel = _open_panel(page, 0, "詳細")
    panel.get_by_label("メモを追加").fill("月曜日に電話する")
    panel.get_by_role("button", name="メモを保存").click()
    expect(page.get_by_text("メモを保存しました。")).to_be_visible()
    page.get_by_role("navigation", name="メイン").get_by_role("link", name="監査ログ").click()
    expect(page.get_by_role("heading", name="監査ログ", level=1)).to_be_visible()
    page.get_by_label("種類").select_option(label="メモ")
    page.get_by_role("button", name="絞り込む").click()
    table = page.locator("table.audit-log tbody")
    expect(table.locator("tr")).to_have_count(1)
    expect(table.get_by_role("rowheader", name="メモの追加")).to_be_visible()
    row = table.locator("tr").first
    expect(_detail(row, "求人")).to_have_text(job.title)
    link = row.get_by_role("link", name=re.compile(r"^候補者 [A-Z0-9]{4}-[A-Z0-9]{4}$"))
    shot(page, "audit-log-ja")
    code = link.inner_text().split()[-1]
    link.click()
    expect(page).to_have_url(re.compile(rf"/jobs/{job.id}/candidates/\d+/$"))
    expect(page.get_by_role("heading", name=re.compile(code))).to_be_visible()
