"""What every catalog format shares: where a bad record is (FormatError), JSON-LD text and list
helpers, level lookup, and turning a record into the CSV layout's validated row (csv_layout.parse_row),
so one set of rules decides what a valid offering is. No Django."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..levels import framework_of
from .csv_layout import CatalogError, Offering, parse_row


@dataclass
class FormatError:
    """A record that could not be read; ``where`` locates it in its file."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


_MAX_ID = 100  # CatalogOffering.external_id


def short_id(value: str, prefix: str) -> str:
    """An external id that fits the table: the id itself, or a stable digest of a long URL."""
    value = value.strip()
    if len(value) <= _MAX_ID:
        return value
    return f"{prefix}-{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def plain_text(v: Any, *, lang: str = "en") -> str:
    """A plain string from a string, a JSON-LD language map ({"en-US": "…"}), or a list of those."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, list):
        for item in v:
            t = plain_text(item, lang=lang)
            if t:
                return t
        return ""
    if isinstance(v, dict):
        if "@value" in v:
            return plain_text(v["@value"])
        for k in sorted(v, key=lambda k: (not k.lower().startswith(lang), k)):
            t = plain_text(v[k], lang=lang)
            if t:
                return t
    return ""


def as_list(v: Any) -> list[Any]:
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


_LEVEL_IN_TEXT = re.compile(r"(\d+)")


def known_framework(name: str) -> str | None:
    """EQF, NZQF, AQF, AQRF, JQF or an operator-added framework, by acronym or full name
    (apps.credentials.levels.framework_of)."""
    return framework_of(name)


def level_from(framework_name: str, code: str) -> tuple[str, int] | None:
    fw = known_framework(framework_name or "") or known_framework(code or "")
    m = _LEVEL_IN_TEXT.search(code or "")
    if fw and m:
        return fw, int(m.group(1))
    return None


def raw_row(
    *,
    id: str,
    title: str,
    provider: str,
    hours: int | None,
    skills: Sequence[str],
    level: tuple[str, int] | None,
    cost: Any = None,
    delivery_mode: str = "",
    url: str = "",
) -> dict[str, Any]:
    return {
        "id": id,
        "title": title,
        "provider": provider,
        "level_framework": level[0] if level else "",
        "level_value": str(level[1]) if level else "",
        "hours": "" if hours is None else str(hours),
        "skills": ";".join(s.replace(";", ",") for s in skills),
        "cost": "" if cost is None else str(cost),
        "delivery_mode": delivery_mode,
        "url": url if url.lower().startswith(("http://", "https://")) else "",
    }


def valid_row(raw: dict[str, Any], where: str, errors: list[FormatError], index: int) -> Offering | None:
    try:
        return parse_row(raw, row=index)
    except CatalogError as e:
        what = f"{e.column}: " if e.column else ""
        errors.append(FormatError(where, f"{what}{e.message}"))
        return None
