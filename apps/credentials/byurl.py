"""A credential shared by its address: a hosted Open Badges 2.0 assertion (Badgr / Canvas Credentials,
Credly's assertion JSON, any issuer's hosted assertion) or an Open Badges 3.0 / VC credential URL,
fetched through the SSRF-safe fetcher (apps.api.fetcher: https only, public addresses only, the
connection made to the checked address, size and time limits, each redirect checked again) and then
verified exactly as an uploaded file is. The product's network use is one setting,
TSUMIKI_FETCH_ENABLED (off in tests unless a test turns it on for its local fixture server).

A badge page (HTML) is followed once to the JSON it names in a ``<link rel="alternate">`` of a JSON
type, which is how badge platforms point from the page a person shares to the assertion itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import urljoin

from apps.api.fetcher import FetchDisabled, FetchError, FetchRefused, FetchTooLarge, fetch, policy_from_settings

ACCEPT = "application/ld+json, application/json, application/vc+jwt;q=0.9, text/plain;q=0.5, text/html;q=0.1"
MAX_URL_CHARS = 1000
_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")


class CredentialFetchError(Exception):
    """The address gave no credential; ``reason`` is a short code the pages put in words."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason  # disabled | refused | too_large | failed | status | html


@dataclass
class Fetched:
    data: bytes
    url: str  # where the credential was found (after redirects and an HTML page's link)


def _json_link(html: str, base: str) -> str | None:
    for tag in _LINK.findall(html):
        attrs = {k.lower(): unescape(v.strip("\"'")) for k, v in _ATTR.findall(tag)}
        if "alternate" in attrs.get("rel", "").lower().split() and "json" in attrs.get("type", "").lower():
            if attrs.get("href"):
                return urljoin(base, attrs["href"])
    return None


def credential_fetch(url: str, *, max_bytes: int) -> Fetched:
    """The bytes of the credential at ``url``; CredentialFetchError when there are none."""
    url = (url or "").strip()
    if not url or len(url) > MAX_URL_CHARS:
        raise CredentialFetchError("refused", "give the credential's address (https://…)")
    policy = policy_from_settings(max_bytes=max_bytes)
    current = url
    for hop in range(2):
        try:
            response = fetch(current, policy=policy, headers={"Accept": ACCEPT})
        except FetchDisabled as exc:
            raise CredentialFetchError("disabled", str(exc)) from exc
        except FetchTooLarge as exc:
            raise CredentialFetchError("too_large", str(exc)) from exc
        except FetchRefused as exc:
            raise CredentialFetchError("refused", str(exc)) from exc
        except FetchError as exc:
            raise CredentialFetchError("failed", str(exc)) from exc
        if not response.ok:
            raise CredentialFetchError("status", f"the address answered HTTP {response.status}")
        ctype = response.headers.get("content-type", "").lower()
        if "html" not in ctype:
            return Fetched(response.body, response.url)
        link = _json_link(response.text(limit=200_000), response.url) if hop == 0 else None
        if link is None:
            raise CredentialFetchError("html", "the address is a web page that names no credential (JSON) to fetch")
        current = link
    raise CredentialFetchError("html", "the address is a web page that names no credential (JSON) to fetch")
