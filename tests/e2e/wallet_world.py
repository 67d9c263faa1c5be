"""What the browser tests of a profile shared across organizations start from: Sam, a job seeker of
Home Co with a credential and a skill, and Kiwi Health, with a recruiter (kai), a job that needs SQL,
a local candidate and a finished match run, and the steps the wallet tests share."""

from __future__ import annotations

from apps.accounts.models import Role
from apps.matching.services import match_run_perform, match_run_start

from ..factories import OrganizationFactory, credential, make_candidate, make_job
from .conftest import PASSWORD, make_user, shot, to_japanese


def login_as(page, live_server, username: str, w: dict) -> None:
    """Sign in on the login page as it reads in the language the browser last chose (``w``: its words
    for username, password, log_in and log_out)."""
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/login/")
    page.get_by_label(w["username"]).fill(username)
    page.get_by_label(w["password"]).fill(PASSWORD)
    page.get_by_role("button", name=w["log_in"]).click()
    expect(page.get_by_role("button", name=w["log_out"])).to_be_visible()


def recruiter_invites(page, live_server, *, lang: str, address: str, login_words: dict, w: dict) -> None:
    """Kai (Kiwi Health) signs in, switches to ``lang`` and sends an invitation to ``address`` from the
    job's page (``w``: the page's words email, send and the confirmation sent)."""
    from playwright.sync_api import expect

    login_as(page, live_server, "kai", login_words)
    if lang == "ja":
        to_japanese(page)
    page.get_by_role("link", name="Health data analyst").first.click()
    page.get_by_label(w["email"]).fill(address)
    page.get_by_role("button", name=w["send"]).click()
    expect(page.get_by_text(w["sent"])).to_be_visible()


def share_and_see_it_listed(page, w: dict, screenshot: str) -> None:
    """On the consent page, consent given: share, and find Kiwi Health listed on the Sharing page as
    shared by invitation (``w``: share, shared, by_invitation)."""
    from playwright.sync_api import expect

    page.get_by_role("button", name=w["share"]).click()
    expect(page.get_by_text(w["shared"])).to_be_visible()
    rows = page.locator("#shares tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Kiwi Health")
    expect(rows.first).to_contain_text(w["by_invitation"])
    shot(page, screenshot)


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
