"""Offerings from Open Badges 3.0 Achievement definitions, no Django."""

from __future__ import annotations

import math
from typing import Any

from .common import FormatError, as_list, known_framework, level_from, plain_text, raw_row, short_id, valid_row
from .csv_layout import Offering

# OB 3.0 alignment target types that name a skill or competency (``ceterms:Credential`` does not).
OB3_SKILL_TARGETS = {None, "", "ceasn:Competency", "CFItem", "CTDL", "ceterms:Competency"}


def _achievements(data: Any) -> list[Any]:
    """Achievements from an Achievement, a list, ``{"achievements": [...]}``, or an OpenBadgeCredential."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if "achievements" in data:
            return as_list(data["achievements"])
        subject = data.get("credentialSubject")
        if isinstance(subject, dict) and isinstance(subject.get("achievement"), dict):
            return [subject["achievement"]]
        return [data]
    return []


def parse_ob3_achievements(
    data: Any, *, hours_per_credit: float = 25.0, provider: str = ""
) -> tuple[list[Offering], list[FormatError]]:
    """Offerings from Open Badges 3.0 Achievement definitions.

    Title ``name``; provider ``creator.name`` (else ``provider``); skills the ``alignment`` targets that
    are competencies (else the ``tag`` list); level an alignment whose ``targetFramework`` is a known
    framework (EQF, NZQF, AQF) with the level in ``targetCode``/``targetName``. OB 3.0 has no learning-hours
    field: hours are ``creditsAvailable`` × ``hours_per_credit`` (25, an ECTS credit's lower bound), or an
    extension ``hours``/``learningHours``; an achievement with neither is reported and skipped."""
    offerings: list[Offering] = []
    errors: list[FormatError] = []
    for i, a in enumerate(_achievements(data)):
        where = f"achievements[{i}]"
        if not isinstance(a, dict):
            errors.append(FormatError(where, "must be an Achievement object"))
            continue
        aid = plain_text(a.get("id"))
        if aid:
            where += f" ({aid})"
        skills, level = [], None
        for al in as_list(a.get("alignment")):
            if not isinstance(al, dict):
                continue
            lvl = level_from(
                plain_text(al.get("targetFramework")),
                plain_text(al.get("targetCode")) or plain_text(al.get("targetName")),
            )
            if lvl and known_framework(plain_text(al.get("targetFramework"))):
                level = level or lvl
                continue
            if al.get("targetType") in OB3_SKILL_TARGETS and plain_text(al.get("targetName")):
                skills.append(plain_text(al.get("targetName")))
        if not skills:
            skills = [plain_text(t) for t in as_list(a.get("tag")) if plain_text(t)]
        hours = None
        for key in ("hours", "learningHours"):
            if isinstance(a.get(key), int | float) and not isinstance(a.get(key), bool):
                hours = float(a[key])
        credits = a.get("creditsAvailable")
        if hours is None and isinstance(credits, int | float) and not isinstance(credits, bool) and credits > 0:
            hours = float(credits) * hours_per_credit
        if hours is None:
            errors.append(
                FormatError(
                    where, "no learning hours: OB 3.0 has none, so give creditsAvailable (or an hours extension)"
                )
            )
            continue
        creator = a.get("creator")
        who = plain_text(creator.get("name")) if isinstance(creator, dict) else ""
        criteria: dict[str, Any] = a["criteria"] if isinstance(a.get("criteria"), dict) else {}
        url = aid if aid.lower().startswith(("http://", "https://")) else plain_text(criteria.get("id"))
        raw = raw_row(
            id=short_id(plain_text(a.get("humanCode")) or aid or f"ob3-{i}", "ob3"),
            title=plain_text(a.get("name")),
            provider=who or provider,
            hours=math.ceil(hours),
            skills=skills,
            level=level,
            url=url,
        )
        offering = valid_row(raw, where, errors, i)
        if offering is not None:
            offerings.append(offering)
    return offerings, errors
