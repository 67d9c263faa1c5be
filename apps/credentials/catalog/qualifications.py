"""Qualifications that catalog offerings stack towards, as JSON (no Django)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .common import FormatError, as_list, plain_text, short_id


@dataclass
class ComponentDoc:
    offering: str  # the offering's external id
    credits: Decimal | None = None
    mandatory: bool = False


@dataclass
class QualificationDoc:
    id: str
    title: str
    credits_required: Decimal
    unit: str = "hours"  # hours | credits | ects
    awarding_body: str = ""
    level: tuple[str, int] | None = None
    url: str = ""
    components: list[ComponentDoc] = field(default_factory=list)


def _decimal(v: Any, where: str, name: str) -> Decimal:
    try:
        d = Decimal(str(v))
    except (InvalidOperation, ValueError):
        raise ValueError(f"{name}: {v!r} is not a number") from None
    if not d.is_finite() or d < 0:
        raise ValueError(f"{name}: must be a non-negative number, got {v!r}")
    return d


def parse_qualifications(data: Any) -> tuple[list[QualificationDoc], list[FormatError]]:
    """Qualifications as JSON: a list (or ``{"qualifications": [...]}``) of
    ``{"id", "title", "credits_required", "unit": "hours|credits|ects", "awarding_body",
    "level": {"framework", "value"}, "url", "components": [{"offering": ID, "credits": N, "mandatory": bool}]}``.
    A component without ``credits`` counts its offering's hours (for unit ``hours``)."""
    items = data.get("qualifications") if isinstance(data, dict) else data
    out, errors = [], []
    for i, q in enumerate(as_list(items)):
        where = f"qualifications[{i}]"
        try:
            if not isinstance(q, dict):
                raise ValueError("must be an object")
            qid, title = plain_text(q.get("id")), plain_text(q.get("title"))
            if not qid or not title:
                raise ValueError("id and title are required")
            unit = plain_text(q.get("unit")) or "hours"
            if unit not in ("hours", "credits", "ects"):
                raise ValueError(f"unit: one of hours, credits, ects; got {unit!r}")
            comps = []
            for k, c in enumerate(as_list(q.get("components"))):
                if isinstance(c, str):
                    c = {"offering": c}
                if not isinstance(c, dict) or not plain_text(c.get("offering")):
                    raise ValueError(f"components[{k}]: needs an offering id")
                credits = c.get("credits")
                comps.append(
                    ComponentDoc(
                        offering=plain_text(c["offering"]),
                        mandatory=bool(c.get("mandatory", False)),
                        credits=None if credits is None else _decimal(credits, where, f"components[{k}].credits"),
                    )
                )
            if not comps:
                raise ValueError("components: at least one offering")
            level = q.get("level")
            lvl = None
            if isinstance(level, dict) and level.get("value") is not None:
                lvl = (plain_text(level.get("framework")).upper() or "EQF", int(level["value"]))
            out.append(
                QualificationDoc(
                    id=short_id(qid, "q"),
                    title=title[:300],
                    credits_required=_decimal(q.get("credits_required"), where, "credits_required"),
                    unit=unit,
                    awarding_body=plain_text(q.get("awarding_body"))[:300],
                    level=lvl,
                    url=plain_text(q.get("url")),
                    components=comps,
                )
            )
        except (ValueError, TypeError) as e:
            errors.append(FormatError(where, str(e)))
    return out, errors
