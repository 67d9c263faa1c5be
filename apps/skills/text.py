"""Phrase normalization shared by the vocabulary, the taxonomy import and the matchers (no Django)."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def normalize_phrase(text: str) -> str:
    """The vocabulary key of a phrase: NFKC, case-folded, single-spaced, trimmed.

    The default encoder is uncased, so case never changes an embedding; folding it here means
    "SQL" and "sql" share one vector (apps.skills.vocabulary relies on this)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("’", "'").casefold()
    return _SPACE.sub(" ", text).strip()


def gloss(description: str, limit: int = 240) -> str:
    """The first sentence of a concept's description: what the normalizer embeds to compare a query
    with a definition ("the study of maps" is cartography's definition, not any of its labels)."""
    text = _SPACE.sub(" ", description or "").strip()
    cut = text.find(". ", 20)
    return (text[: cut + 1] if cut > 0 else text)[:limit]
