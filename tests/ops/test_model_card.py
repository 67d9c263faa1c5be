"""The model card: docs/model-card.md says what the score uses and never uses; the page renders it."""

from __future__ import annotations

from pathlib import Path

import pytest

CARD = Path(__file__).resolve().parents[2] / "docs" / "model-card.md"


def test_card_covers_meaning_uses_never_uses_and_limits():
    text = CARD.read_text()
    for heading in ("## What the score means", "## What it uses", "## What it never uses", "## Known limits"):
        assert heading in text
    never = text.split("## What it never uses")[1].split("##")[0]
    for word in ("Degrees", "Names", "Demographics"):
        assert word in never


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["rclient", "sclient"])
def test_page_renders_for_signed_in_users(request, who):
    r = request.getfixturevalue(who).get("/model-card/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "<h2>What it never uses</h2>" in html and "<strong>Degrees.</strong>" in html
