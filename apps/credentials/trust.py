"""How a credential's issuer may be shown, given what verification proved (no Django).

A verified credential's key is tied to the issuer's id (its did:key, did:web document, issuer profile or a
registered key), so that id is confirmed; the display name the file gives rides on it. A did:key id confirms
only a key, never an organization: such an issuer is shown as its key, the name it gives itself beside it as
a claim. Anything short of verified (intact, unverified...) shows the name only as what the file claims.
"""

from __future__ import annotations

from dataclasses import dataclass

CONFIRMING_STATUSES = frozenset({"verified"})


@dataclass(frozen=True)
class IssuerShown:
    """``label``: what to print as the issuer; ``claimed_name``: a name the file gives that nothing confirms
    (None when ``label`` already is the confirmed name); ``confirmed``: the id behind ``label`` is proven."""

    label: str
    claimed_name: str | None
    confirmed: bool


def short_did_key(identifier: str) -> str:
    """did:key:z6MkhaXg…2doK — long enough to compare by eye, short enough for a list."""
    body = identifier[len("did:key:") :]
    return identifier if len(body) <= 16 else f"did:key:{body[:8]}…{body[-4:]}"


def issuer_shown(*, name: str | None, identifier: str | None, status: str) -> IssuerShown:
    name = (name or "").strip()
    ident = (identifier or "").strip()
    proven = status in CONFIRMING_STATUSES
    if ident.startswith("did:key:"):
        label = short_did_key(ident)
        claimed = name if name and name != ident else None
        return IssuerShown(label=label, claimed_name=claimed, confirmed=proven)
    if proven:
        return IssuerShown(label=name or ident, claimed_name=None, confirmed=True)
    return IssuerShown(label="", claimed_name=name or ident or None, confirmed=False)
