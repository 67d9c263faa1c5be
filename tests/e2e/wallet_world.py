"""What the browser tests of a profile shared across organizations start from: Sam, a job seeker of
Home Co with a credential and a skill, and Kiwi Health, with a recruiter (kai), a job that needs SQL,
a local candidate and a finished match run; and their screenshot and language helpers."""

from __future__ import annotations

from pathlib import Path

from apps.accounts.models import Role
from apps.matching.services import match_run_perform, match_run_start

from ..factories import OrganizationFactory, credential, make_candidate, make_job
from .conftest import make_user

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def to_japanese(page) -> None:
    from playwright.sync_api import expect

    page.get_by_label("Language").select_option("ja")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")


def seed_two_orgs(*, seeker_email: str = ""):
    """The two organizations; returns Kiwi Health's job."""
    home = OrganizationFactory(slug="home-co", name="Home Co")
    other = OrganizationFactory(slug="kiwi", name="Kiwi Health")
    seeker = make_user("sam", home, Role.SEEKER)
    if seeker_email:
        seeker.email = seeker_email
        seeker.save(update_fields=["email"])
    make_user("kai", other, Role.RECRUITER)
    make_candidate(
        home,
        cid="sam",
        name="Sam Sato",
        user=seeker,
        credentials=[credential("SQL for Analysts", ["SQL"], issuer="Open Data Academy")],
        skills=["Excel"],
    )
    job = make_job(other, [{"name": "SQL", "required": True}, "Excel"], title="Health data analyst", job_id="kiwi-1")
    make_candidate(other, cid="k-1", name="Kiri Local", credentials=[credential("Excel", ["Excel"])])
    match_run_perform(run_id=match_run_start(job=job).id)
    return job
