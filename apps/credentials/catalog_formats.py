"""More ways into the catalog: a row-tolerant CSV reader, CTDL JSON-LD (Credential Engine Registry),
Open Badges 3.0 Achievement definitions, and qualifications that offerings stack towards.

Every format is turned into the CSV layout's validated rows (apps.credentials.catalog.parse_row), so
one set of rules decides what a valid offering is, and one upsert writes them
(apps.credentials.services.catalog_import_csv). A bad record is reported with where it is (the CSV row,
``@graph[3]``, ``achievements[2]``) and skipped; the good ones are kept.

Parsing needs no Django; only the ``*_import`` functions write.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .catalog import REQUIRED_COLUMNS, CatalogError, Offering, parse_catalog, parse_row
from .levels import HOURS_PER_ECTS, framework_of


@dataclass
class FormatError:
    """A record that could not be read; ``where`` locates it in its file."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


# --- CSV, tolerant of bad rows ----------------------------------------------------------------------


def parse_catalog_rows(lines: Iterable[str] | str) -> tuple[list[Offering], list[CatalogError]]:
    """Like apps.credentials.catalog.parse_catalog, but a bad row is reported and skipped instead of
    failing the file: (good offerings, one CatalogError per bad row, naming its line). A bad header
    still raises, since no row can be read without it. A repeated id keeps the first row."""
    if isinstance(lines, str):
        lines = io.StringIO(lines)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise CatalogError("the file is empty; expected a header row: " + ",".join(REQUIRED_COLUMNS)) from None
    except csv.Error as e:
        raise CatalogError(f"unreadable CSV ({e})", row=1) from None
    # The strict parser owns the header rules: feed it the header alone.
    buf = io.StringIO()
    csv.writer(buf).writerow(header)
    parse_catalog(io.StringIO(buf.getvalue()))
    columns = [c.strip().lstrip("\ufeff").lower() for c in header]
    offerings: list[Offering] = []
    errors: list[CatalogError] = []
    seen: dict[str, int] = {}
    while True:
        row = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            errors.append(CatalogError(f"unreadable CSV ({e})", row=row))
            continue
        if not any(c.strip() for c in cells):
            continue
        try:
            if len(cells) > len(columns):
                raise CatalogError(
                    f"has {len(cells)} cells but the header has {len(columns)} columns "
                    "(quote cells that contain commas)",
                    row=row,
                )
            offering = parse_row(dict(zip(columns, cells, strict=False)), row=row)
            if offering.id in seen:
                raise CatalogError(
                    f"duplicate id {offering.id!r} (first on row {seen[offering.id]})", row=row, column="id"
                )
        except CatalogError as e:
            errors.append(e)
            continue
        seen[offering.id] = row
        offerings.append(offering)
    return offerings, errors


def read_catalog_rows(path: str | Path) -> tuple[list[Offering], list[CatalogError]]:
    with Path(path).open(encoding="utf-8-sig", newline="") as f:
        return parse_catalog_rows(f)


def offerings_to_csv(offerings: Sequence[Offering]) -> str:
    """The offerings in the documented CSV layout (with the optional columns)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*REQUIRED_COLUMNS, "cost", "delivery_mode", "url", "review_date"])
    for o in offerings:
        w.writerow(
            [
                o.id,
                o.title,
                o.provider,
                o.level_framework,
                "" if o.level_value is None else o.level_value,
                o.hours,
                ";".join(s.replace(";", ",") for s in o.skills),
                "" if o.cost is None else o.cost,
                o.delivery_mode,
                o.url,
                o.review_date.isoformat() if o.review_date else "",
            ]
        )
    return buf.getvalue()


# --- shared helpers ---------------------------------------------------------------------------------

_MAX_ID = 100  # CatalogOffering.external_id


def _short_id(value: str, prefix: str) -> str:
    """An external id that fits the table: the id itself, or a stable digest of a long URL."""
    value = value.strip()
    if len(value) <= _MAX_ID:
        return value
    return f"{prefix}-{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def _text(v: Any, *, lang: str = "en") -> str:
    """A plain string from a string, a JSON-LD language map ({"en-US": "…"}), or a list of those."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, list):
        for item in v:
            t = _text(item, lang=lang)
            if t:
                return t
        return ""
    if isinstance(v, dict):
        if "@value" in v:
            return _text(v["@value"])
        for k in sorted(v, key=lambda k: (not k.lower().startswith(lang), k)):
            t = _text(v[k], lang=lang)
            if t:
                return t
    return ""


def _list(v: Any) -> list:
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


_LEVEL_IN_TEXT = re.compile(r"(\d+)")


def _framework(name: str) -> str | None:
    """EQF, NZQF, AQF, AQRF, JQF or an operator-added framework, by acronym or full name
    (apps.credentials.levels.framework_of)."""
    return framework_of(name)


def _level_from(framework_name: str, code: str) -> tuple[str, int] | None:
    fw = _framework(framework_name or "") or _framework(code or "")
    m = _LEVEL_IN_TEXT.search(code or "")
    if fw and m:
        return fw, int(m.group(1))
    return None


def _raw_row(
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
) -> dict:
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


def _valid(raw: dict, where: str, errors: list[FormatError], index: int) -> Offering | None:
    try:
        return parse_row(raw, row=index)
    except CatalogError as e:
        what = f"{e.column}: " if e.column else ""
        errors.append(FormatError(where, f"{what}{e.message}"))
        return None


# --- qualifications (stacking) ----------------------------------------------------------------------


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
    for i, q in enumerate(_list(items)):
        where = f"qualifications[{i}]"
        try:
            if not isinstance(q, dict):
                raise ValueError("must be an object")
            qid, title = _text(q.get("id")), _text(q.get("title"))
            if not qid or not title:
                raise ValueError("id and title are required")
            unit = _text(q.get("unit")) or "hours"
            if unit not in ("hours", "credits", "ects"):
                raise ValueError(f"unit: one of hours, credits, ects; got {unit!r}")
            comps = []
            for k, c in enumerate(_list(q.get("components"))):
                if isinstance(c, str):
                    c = {"offering": c}
                if not isinstance(c, dict) or not _text(c.get("offering")):
                    raise ValueError(f"components[{k}]: needs an offering id")
                credits = c.get("credits")
                comps.append(
                    ComponentDoc(
                        offering=_text(c["offering"]),
                        mandatory=bool(c.get("mandatory", False)),
                        credits=None if credits is None else _decimal(credits, where, f"components[{k}].credits"),
                    )
                )
            if not comps:
                raise ValueError("components: at least one offering")
            level = q.get("level")
            lvl = None
            if isinstance(level, dict) and level.get("value") is not None:
                lvl = (_text(level.get("framework")).upper() or "EQF", int(level["value"]))
            out.append(
                QualificationDoc(
                    id=_short_id(qid, "q"),
                    title=title[:300],
                    credits_required=_decimal(q.get("credits_required"), where, "credits_required"),
                    unit=unit,
                    awarding_body=_text(q.get("awarding_body"))[:300],
                    level=lvl,
                    url=_text(q.get("url")),
                    components=comps,
                )
            )
        except (ValueError, TypeError) as e:
            errors.append(FormatError(where, str(e)))
    return out, errors


# --- CTDL JSON-LD (Credential Engine Registry) ---------------------------------------------------------

# Things a person can complete; agents and profiles (ConditionProfile, DurationProfile, …) are not.
CTDL_OFFERING_TYPES = {
    "ceterms:Badge",
    "ceterms:DigitalBadge",
    "ceterms:OpenBadge",
    "ceterms:MicroCredential",
    "ceterms:Certificate",
    "ceterms:Certification",
    "ceterms:CertificateOfCompletion",
    "ceterms:ProficiencyCertificate",
    "ceterms:ApprenticeshipCertificate",
    "ceterms:JourneymanCertificate",
    "ceterms:MasterCertificate",
    "ceterms:Course",
    "ceterms:LearningOpportunityProfile",
    "ceterms:LearningProgram",
    "ceterms:Credential",
    "ceterms:Diploma",
    "ceterms:AssociateDegree",
    "ceterms:BachelorDegree",
    "ceterms:MasterDegree",
    "ceterms:License",
    "ceterms:BasicTechnicalCertificate",
    "ceterms:AdvancedTechnicalCertificate",
}
# Hours per unit of credit; CTDL creditUnit concepts (and free-text unit names) → learning hours.
# ECTS: 25-30 hours per credit (ECTS Users' Guide), the low end taken; US semester credit hour: 45
# (15 weeks × 1 contact + 2 study hours); CEU: 10 contact hours.
CREDIT_HOURS = {
    "clockhour": 1,
    "hour": 1,
    "ects": HOURS_PER_ECTS,
    "europeancredit": HOURS_PER_ECTS,
    "europeantransfer": HOURS_PER_ECTS,
    "semesterhour": 45,
    "semestercredit": 45,
    "degreecredit": 45,
    "quarterhour": 30,
    "quartercredit": 30,
    "continuingeducationunit": 10,
    "ceu": 10,
}
_DELIVERY = {
    "onlineonly": "online",
    "online": "online",
    "inperson": "in person",
    "blendeddelivery": "blended",
    "blended": "blended",
    "inpersononly": "in person",
}
_DURATION = re.compile(r"^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?)?$")


def _iso_hours(value: str) -> float | None:
    """Learning hours of an ISO 8601 duration with only a time part (``PT40H``, ``PT90M``). Calendar
    durations (``P6W``, ``P3M``) say how long a course runs, not how much study it takes: None."""
    m = _DURATION.match((value or "").strip().upper())
    if not m or m.group(1):
        return None
    h, mins = float(m.group(2) or 0), float(m.group(3) or 0)
    return h + mins / 60 if (h or mins) else None


def _types(node: dict) -> list[str]:
    return [t for t in _list(node.get("@type")) if isinstance(t, str)]


def _unit_hours(unit: Any) -> float | None:
    for u in _list(unit):
        name = (
            _text(u.get("ceterms:targetNode") or u.get("ceterms:targetNodeName")) if isinstance(u, dict) else _text(u)
        )
        key = re.sub(r"[^a-z]", "", name.split(":")[-1].lower())
        for k, hours in CREDIT_HOURS.items():
            if k in key:
                return float(hours)
    return None


def _ctdl_hours(node: dict) -> float | None:
    for d in _list(node.get("ceterms:estimatedDuration")):
        if isinstance(d, dict):
            for key in ("ceterms:exactDuration", "ceterms:maximumDuration", "ceterms:minimumDuration"):
                h = _iso_hours(_text(d.get(key)))
                if h:
                    return h
    for v in _list(node.get("ceterms:creditValue")):
        if not isinstance(v, dict):
            continue
        amount = v.get("schema:value", v.get("qdata:value", v.get("ceterms:value")))
        per = _unit_hours(v.get("ceterms:creditUnitType"))
        try:
            if amount is not None and per:
                return float(amount) * per
        except (TypeError, ValueError):
            continue
    return None


class _Graph:
    def __init__(self, nodes: list[dict]):
        self.nodes = nodes
        self.by_id: dict[str, dict] = {}
        for n in nodes:
            for key in (n.get("@id"), n.get("ceterms:ctid")):
                if isinstance(key, str):
                    self.by_id[key] = n

    def resolve(self, ref: Any) -> dict | None:
        if isinstance(ref, dict):
            return self.by_id.get(ref.get("@id", ""), ref) if set(ref) <= {"@id"} else ref
        if isinstance(ref, str):
            return self.by_id.get(ref) or self.by_id.get(ref.rstrip("/").rsplit("/", 1)[-1])
        return None

    def name_of(self, ref: Any) -> str:
        node = self.resolve(ref)
        if node is not None:
            return _text(node.get("ceterms:name") or node.get("ceasn:name"))
        return ""

    def competency(self, cao: Any) -> str:
        """A competency's text from a CredentialAlignmentObject or a ceasn:Competency (by reference)."""
        node = self.resolve(cao)
        if node is None:
            return ""
        text = _text(
            node.get("ceterms:targetNodeName")
            or node.get("ceasn:competencyText")
            or node.get("ceasn:competencyLabel")
            or node.get("ceterms:name")
        )
        if not text and node.get("ceterms:targetNode"):
            target = self.resolve(node["ceterms:targetNode"])
            if target is not None and target is not node:
                text = _text(target.get("ceasn:competencyText") or target.get("ceasn:competencyLabel"))
        return text


def _ctdl_nodes(data: Any) -> list[dict]:
    if isinstance(data, dict) and "@graph" in data:
        return [n for n in _list(data["@graph"]) if isinstance(n, dict)]
    if isinstance(data, list):
        out = []
        for item in data:
            out += _ctdl_nodes(item)
        return out
    return [data] if isinstance(data, dict) else []


def _ctdl_level(node: dict) -> tuple[str, int] | None:
    for key in ("ceterms:audienceLevelType", "ceterms:credentialLevelType", "ceterms:inCatalog"):
        for cao in _list(node.get(key)):
            if isinstance(cao, dict):
                lvl = _level_from(
                    _text(cao.get("ceterms:frameworkName") or cao.get("ceterms:framework")),
                    _text(cao.get("ceterms:codedNotation") or cao.get("ceterms:targetNodeName")),
                )
                if lvl:
                    return lvl
    return None


def _ctdl_cost(node: dict) -> Any:
    for c in _list(node.get("ceterms:estimatedCost")):
        if isinstance(c, dict) and c.get("ceterms:price") is not None:
            return c["ceterms:price"]
    return None


def _ctdl_delivery(node: dict) -> str:
    for d in _list(node.get("ceterms:deliveryType")):
        name = _text(d.get("ceterms:targetNode") if isinstance(d, dict) else d).split(":")[-1].lower()
        if name in _DELIVERY:
            return _DELIVERY[name]
    return ""


def parse_ctdl(data: Any) -> tuple[list[Offering], list[QualificationDoc], list[FormatError]]:
    """Offerings and qualifications from a CTDL JSON-LD document (a ``@graph``, one resource, or a list).

    A resource with ``ceterms:hasPart`` is a qualification made of its parts (the parts must be in the
    document); any other credential or learning opportunity is an offering: id ``ceterms:ctid`` (else
    ``@id``), provider from ``ceterms:offeredBy``/``ownedBy``, learning hours from
    ``ceterms:estimatedDuration`` (a time-only ISO 8601 duration) or ``ceterms:creditValue`` (see
    CREDIT_HOURS), skills from ``ceterms:teaches`` and the competencies in ``ceterms:requires``."""
    graph = _Graph(_ctdl_nodes(data))
    offerings: list[Offering] = []
    errors: list[FormatError] = []
    quals: list[tuple[int, dict]] = []
    hours_of: dict[str, int] = {}
    id_of: dict[int, str] = {}
    for i, node in enumerate(graph.nodes):
        if not any(t in CTDL_OFFERING_TYPES for t in _types(node)):
            continue
        raw_id = _text(node.get("ceterms:ctid")) or _text(node.get("@id"))
        where = f"@graph[{i}]" + (f" ({raw_id})" if raw_id else "")
        if node.get("ceterms:hasPart"):
            quals.append((i, node))
            continue
        skills = [graph.competency(c) for c in _list(node.get("ceterms:teaches"))]
        for cond in _list(node.get("ceterms:requires")):
            cond = graph.resolve(cond)
            if isinstance(cond, dict):
                skills += [graph.competency(c) for c in _list(cond.get("ceterms:targetCompetency"))]
        provider = ""
        for key in ("ceterms:offeredBy", "ceterms:ownedBy"):
            for ref in _list(node.get(key)):
                provider = provider or graph.name_of(ref) or (ref if isinstance(ref, str) else "")
        hours = _ctdl_hours(node)
        raw = _raw_row(
            id=_short_id(raw_id, "ctdl"),
            title=_text(node.get("ceterms:name")),
            provider=provider,
            hours=math.ceil(hours) if hours else None,
            skills=[s for s in skills if s],
            level=_ctdl_level(node),
            cost=_ctdl_cost(node),
            delivery_mode=_ctdl_delivery(node),
            url=_text(node.get("ceterms:subjectWebpage")),
        )
        if hours is None:
            errors.append(
                FormatError(
                    where,
                    "no learning hours: give ceterms:estimatedDuration (e.g. PT40H) "
                    "or ceterms:creditValue with a credit unit",
                )
            )
            continue
        offering = _valid(raw, where, errors, i)
        if offering is not None:
            offerings.append(offering)
            hours_of[offering.id] = offering.hours
            id_of[id(node)] = offering.id
    qdocs: list[QualificationDoc] = []
    for i, node in quals:
        raw_id = _text(node.get("ceterms:ctid")) or _text(node.get("@id"))
        where = f"@graph[{i}]" + (f" ({raw_id})" if raw_id else "")
        parts = []
        for ref in _list(node.get("ceterms:hasPart")):
            part = graph.resolve(ref)
            key = id_of.get(id(part)) if part is not None else None
            if key is None:
                errors.append(FormatError(where, f"hasPart {_text(ref) or ref!r} is not an offering in this document"))
                continue
            parts.append(key)
        title = _text(node.get("ceterms:name"))
        if not parts or not title or not raw_id:
            errors.append(FormatError(where, "a qualification needs an id, a name and parts in this document"))
            continue
        own = _ctdl_hours(node)
        total = sum(hours_of[k] for k in parts)
        provider = next((graph.name_of(r) for r in _list(node.get("ceterms:ownedBy")) if graph.name_of(r)), "")
        # Without a stated size, every part is needed; with one, parts count towards it (credit bank).
        qdocs.append(
            QualificationDoc(
                id=_short_id(raw_id, "q"),
                title=title[:300],
                awarding_body=provider[:300],
                credits_required=Decimal(math.ceil(own)) if own else Decimal(total),
                unit="hours",
                level=_ctdl_level(node),
                url=_text(node.get("ceterms:subjectWebpage")),
                components=[ComponentDoc(offering=k, mandatory=own is None) for k in parts],
            )
        )
    return offerings, qdocs, errors


# --- Open Badges 3.0 Achievement definitions --------------------------------------------------------

# OB 3.0 alignment target types that name a skill or competency (``ceterms:Credential`` does not).
OB3_SKILL_TARGETS = {None, "", "ceasn:Competency", "CFItem", "CTDL", "ceterms:Competency"}


def _achievements(data: Any) -> list[Any]:
    """Achievements from an Achievement, a list, ``{"achievements": [...]}``, or an OpenBadgeCredential."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if "achievements" in data:
            return _list(data["achievements"])
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
        aid = _text(a.get("id"))
        if aid:
            where += f" ({aid})"
        skills, level = [], None
        for al in _list(a.get("alignment")):
            if not isinstance(al, dict):
                continue
            lvl = _level_from(
                _text(al.get("targetFramework")), _text(al.get("targetCode")) or _text(al.get("targetName"))
            )
            if lvl and _framework(_text(al.get("targetFramework"))):
                level = level or lvl
                continue
            if al.get("targetType") in OB3_SKILL_TARGETS and _text(al.get("targetName")):
                skills.append(_text(al.get("targetName")))
        if not skills:
            skills = [_text(t) for t in _list(a.get("tag")) if _text(t)]
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
        who = _text(creator.get("name")) if isinstance(creator, dict) else ""
        criteria = a.get("criteria") if isinstance(a.get("criteria"), dict) else {}
        url = aid if aid.lower().startswith(("http://", "https://")) else _text(criteria.get("id"))
        raw = _raw_row(
            id=_short_id(_text(a.get("humanCode")) or aid or f"ob3-{i}", "ob3"),
            title=_text(a.get("name")),
            provider=who or provider,
            hours=math.ceil(hours),
            skills=skills,
            level=level,
            url=url,
        )
        offering = _valid(raw, where, errors, i)
        if offering is not None:
            offerings.append(offering)
    return offerings, errors


# --- imports (Django) ---------------------------------------------------------------------------------


@dataclass
class FormatImportResult:
    offerings: int  # offerings written (created or updated or unchanged)
    qualifications: int
    errors: list[FormatError]


def _load(path: str | Path | None, data: Any) -> Any:
    if (path is None) == (data is None):
        raise ValueError("give exactly one of path or data")
    if path is not None:
        try:
            return json.loads(Path(path).read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}: invalid JSON ({e.msg} at line {e.lineno} column {e.colno})") from None
    return data


def catalog_import_offerings(*, offerings: Sequence[Offering]) -> int:
    """Upsert parsed offerings through the CSV import (one validation, one write path)."""
    if not offerings:
        return 0
    from .services import catalog_import_csv

    return catalog_import_csv(lines=io.StringIO(offerings_to_csv(offerings))).total


def qualifications_import(*, docs: Sequence[QualificationDoc]) -> tuple[int, list[FormatError]]:
    """Upsert qualifications by external id, replacing their components; a qualification naming an
    offering that is not in the catalog is reported and skipped."""
    from django.db import transaction

    from .models import CatalogOffering, Qualification, QualificationComponent

    errors: list[FormatError] = []
    ids = dict(
        CatalogOffering.objects.filter(external_id__in={c.offering for d in docs for c in d.components}).values_list(
            "external_id", "id"
        )
    )
    written = 0
    with transaction.atomic():
        for d in docs:
            unknown = [c.offering for c in d.components if c.offering not in ids]
            if unknown:
                errors.append(FormatError(f"qualification {d.id}", f"unknown offering(s) {', '.join(unknown)}"))
                continue
            q, _ = Qualification.objects.update_or_create(
                external_id=d.id,
                defaults={
                    "title": d.title,
                    "awarding_body": d.awarding_body,
                    "credit_unit": d.unit,
                    "credits_required": d.credits_required,
                    "url": d.url if d.url.startswith(("http://", "https://")) else "",
                    "level_framework": d.level[0] if d.level else "",
                    "level_value": d.level[1] if d.level else None,
                },
            )
            q.components.all().delete()
            QualificationComponent.objects.bulk_create(
                [
                    QualificationComponent(
                        qualification=q, offering_id=ids[c.offering], credits=c.credits, mandatory=c.mandatory
                    )
                    for c in d.components
                ]
            )
            written += 1
    return written, errors


def catalog_import_ctdl(*, path: str | Path | None = None, data: Any = None) -> FormatImportResult:
    offerings, quals, errors = parse_ctdl(_load(path, data))
    n = catalog_import_offerings(offerings=offerings)
    q, qerr = qualifications_import(docs=quals)
    return FormatImportResult(offerings=n, qualifications=q, errors=errors + qerr)


def catalog_import_ob3(
    *, path: str | Path | None = None, data: Any = None, hours_per_credit: float = 25.0, provider: str = ""
) -> FormatImportResult:
    offerings, errors = parse_ob3_achievements(_load(path, data), hours_per_credit=hours_per_credit, provider=provider)
    return FormatImportResult(offerings=catalog_import_offerings(offerings=offerings), qualifications=0, errors=errors)


def qualifications_import_json(*, path: str | Path | None = None, data: Any = None) -> FormatImportResult:
    docs, errors = parse_qualifications(_load(path, data))
    q, qerr = qualifications_import(docs=docs)
    return FormatImportResult(offerings=0, qualifications=q, errors=errors + qerr)
