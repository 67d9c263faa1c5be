"""End to end in a real browser, in English and in Japanese: a job seeker pastes the address of a
hosted Open Badges 2.0 assertion (served over https by a local fixture server, the product's network
use turned on for the test), sees it verified and added, and finds it on their credentials page with
where it came from."""

from __future__ import annotations

import pytest

from apps.credentials.models import Credential
from tests.credentials.test_badge_url import Https, badges_test, hosted_ob2  # noqa: F401  (fixture)
from tests.fixture_server import fixture_server

from ..dashboard.i18n import ensure_japanese_catalog
from .conftest import login, shot, to_japanese

pytestmark = [pytest.mark.e2e]

WORDS = {
    "en": {
        "add": "Add a credential",
        "url": "…or the badge's address",
        "go": "Check and add",
        "added": "Added 1 credential to your profile.",
        "mine": "My credentials",
        "from": "fetched from",
    },
    "ja": {
        "add": "資格を追加",
        "url": "…またはバッジのアドレス",
        "go": "確認して追加",
        "added": "件の資格を追加しました",
        "mine": "私の資格",
        "from": "取得元",
    },
}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_seeker_adds_a_badge_by_its_address(page, live_server, demo, settings, badges_test, lang):  # noqa: F811
    from playwright.sync_api import expect

    settings.TSUMIKI_FETCH_ENABLED = True
    settings.TSUMIKI_FETCH_ALLOWED_HOSTS = ["badges.test"]
    w = WORDS[lang]
    with fixture_server(tls_names=["badges.test"]) as tls:
        settings.TSUMIKI_FETCH_CA_BUNDLE = tls.ca_file
        server = Https(tls)
        tls.routes.update(hosted_ob2(server))

        login(page, live_server, "sam")
        if lang == "ja":
            ensure_japanese_catalog()
            to_japanese(page)
        page.get_by_role("link", name=w["add"]).first.click()
        page.get_by_label(w["url"]).fill(server.url("/badges/a1"))
        page.get_by_role("button", name=w["go"]).click()
        result = page.locator("section[aria-live=polite]")
        expect(result).to_contain_text("Data Wrangling")
        expect(page.locator("body")).to_contain_text(w["added"])
        shot(page, f"badge-url-{lang}")
    cred = Credential.objects.get(candidate__user=demo["seeker"], title="Data Wrangling")
    assert cred.source_url == server.url("/public/assertions/a1")
    page.get_by_role("navigation").get_by_role("link", name=w["mine"]).click()
    expect(page.locator(".cred").filter(has_text="Data Wrangling")).to_contain_text(w["from"])
