"""Offerings and qualifications from CTDL JSON-LD (Credential Engine Registry), no Django."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from ..levels import HOURS_PER_ECTS
from .common import FormatError, as_list, level_from, plain_text, raw_row, short_id, valid_row
from .csv_layout import Offering
from .qualifications import ComponentDoc, QualificationDoc

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


def _types(node: dict[str, Any]) -> list[str]:
    return [t for t in as_list(node.get("@type")) if isinstance(t, str)]


def _unit_hours(unit: Any) -> float | None:
    for u in as_list(unit):
        name = (
            plain_text(u.get("ceterms:targetNode") or u.get("ceterms:targetNodeName"))
            if isinstance(u, dict)
            else plain_text(u)
        )
        key = re.sub(r"[^a-z]", "", name.split(":")[-1].lower())
        for k, hours in CREDIT_HOURS.items():
            if k in key:
                return float(hours)
    return None


def _ctdl_hours(node: dict[str, Any]) -> float | None:
    for d in as_list(node.get("ceterms:estimatedDuration")):
        if isinstance(d, dict):
            for key in ("ceterms:exactDuration", "ceterms:maximumDuration", "ceterms:minimumDuration"):
                h = _iso_hours(plain_text(d.get(key)))
                if h:
                    return h
    for v in as_list(node.get("ceterms:creditValue")):
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
    def __init__(self, nodes: list[dict[str, Any]]):
        self.nodes = nodes
        self.by_id: dict[str, dict[str, Any]] = {}
        for n in nodes:
            for key in (n.get("@id"), n.get("ceterms:ctid")):
                if isinstance(key, str):
                    self.by_id[key] = n

    def resolve(self, ref: Any) -> dict[str, Any] | None:
        if isinstance(ref, dict):
            return self.by_id.get(ref.get("@id", ""), ref) if set(ref) <= {"@id"} else ref
        if isinstance(ref, str):
            return self.by_id.get(ref) or self.by_id.get(ref.rstrip("/").rsplit("/", 1)[-1])
        return None

    def name_of(self, ref: Any) -> str:
        node = self.resolve(ref)
        if node is not None:
            return plain_text(node.get("ceterms:name") or node.get("ceasn:name"))
        return ""

    def competency(self, cao: Any) -> str:
        """A competency's text from a CredentialAlignmentObject or a ceasn:Competency (by reference)."""
        node = self.resolve(cao)
        if node is None:
            return ""
        text = plain_text(
            node.get("ceterms:targetNodeName")
            or node.get("ceasn:competencyText")
            or node.get("ceasn:competencyLabel")
            or node.get("ceterms:name")
        )
        if not text and node.get("ceterms:targetNode"):
            target = self.resolve(node["ceterms:targetNode"])
            if target is not None and target is not node:
                text = plain_text(target.get("ceasn:competencyText") or target.get("ceasn:competencyLabel"))
        return text


def _ctdl_nodes(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict) and "@graph" in data:
        return [n for n in as_list(data["@graph"]) if isinstance(n, dict)]
    if isinstance(data, list):
        out = []
        for item in data:
            out += _ctdl_nodes(item)
        return out
    return [data] if isinstance(data, dict) else []


def _ctdl_level(node: dict[str, Any]) -> tuple[str, int] | None:
    for key in ("ceterms:audienceLevelType", "ceterms:credentialLevelType", "ceterms:inCatalog"):
        for cao in as_list(node.get(key)):
            if isinstance(cao, dict):
                lvl = level_from(
                    plain_text(cao.get("ceterms:frameworkName") or cao.get("ceterms:framework")),
                    plain_text(cao.get("ceterms:codedNotation") or cao.get("ceterms:targetNodeName")),
                )
                if lvl:
                    return lvl
    return None


def _ctdl_cost(node: dict[str, Any]) -> Any:
    for c in as_list(node.get("ceterms:estimatedCost")):
        if isinstance(c, dict) and c.get("ceterms:price") is not None:
            return c["ceterms:price"]
    return None


def _ctdl_delivery(node: dict[str, Any]) -> str:
    for d in as_list(node.get("ceterms:deliveryType")):
        name = plain_text(d.get("ceterms:targetNode") if isinstance(d, dict) else d).split(":")[-1].lower()
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
    quals: list[tuple[int, dict[str, Any]]] = []
    hours_of: dict[str, int] = {}
    id_of: dict[int, str] = {}
    for i, node in enumerate(graph.nodes):
        if not any(t in CTDL_OFFERING_TYPES for t in _types(node)):
            continue
        raw_id = plain_text(node.get("ceterms:ctid")) or plain_text(node.get("@id"))
        where = f"@graph[{i}]" + (f" ({raw_id})" if raw_id else "")
        if node.get("ceterms:hasPart"):
            quals.append((i, node))
            continue
        skills = [graph.competency(c) for c in as_list(node.get("ceterms:teaches"))]
        for cond in as_list(node.get("ceterms:requires")):
            cond = graph.resolve(cond)
            if isinstance(cond, dict):
                skills += [graph.competency(c) for c in as_list(cond.get("ceterms:targetCompetency"))]
        provider = ""
        for key in ("ceterms:offeredBy", "ceterms:ownedBy"):
            for ref in as_list(node.get(key)):
                provider = provider or graph.name_of(ref) or (ref if isinstance(ref, str) else "")
        hours = _ctdl_hours(node)
        raw = raw_row(
            id=short_id(raw_id, "ctdl"),
            title=plain_text(node.get("ceterms:name")),
            provider=provider,
            hours=math.ceil(hours) if hours else None,
            skills=[s for s in skills if s],
            level=_ctdl_level(node),
            cost=_ctdl_cost(node),
            delivery_mode=_ctdl_delivery(node),
            url=plain_text(node.get("ceterms:subjectWebpage")),
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
        offering = valid_row(raw, where, errors, i)
        if offering is not None:
            offerings.append(offering)
            hours_of[offering.id] = offering.hours
            id_of[id(node)] = offering.id
    qdocs: list[QualificationDoc] = []
    for i, node in quals:
        raw_id = plain_text(node.get("ceterms:ctid")) or plain_text(node.get("@id"))
        where = f"@graph[{i}]" + (f" ({raw_id})" if raw_id else "")
        parts = []
        for ref in as_list(node.get("ceterms:hasPart")):
            part = graph.resolve(ref)
            part_id = id_of.get(id(part)) if part is not None else None
            if part_id is None:
                errors.append(
                    FormatError(where, f"hasPart {plain_text(ref) or ref!r} is not an offering in this document")
                )
                continue
            parts.append(part_id)
        title = plain_text(node.get("ceterms:name"))
        if not parts or not title or not raw_id:
            errors.append(FormatError(where, "a qualification needs an id, a name and parts in this document"))
            continue
        own = _ctdl_hours(node)
        total = sum(hours_of[k] for k in parts)
        provider = next((graph.name_of(r) for r in as_list(node.get("ceterms:ownedBy")) if graph.name_of(r)), "")
        # Without a stated size, every part is needed; with one, parts count towards it (credit bank).
        qdocs.append(
            QualificationDoc(
                id=short_id(raw_id, "q"),
                title=title[:300],
                awarding_body=provider[:300],
                credits_required=Decimal(math.ceil(own)) if own else Decimal(total),
                unit="hours",
                level=_ctdl_level(node),
                url=plain_text(node.get("ceterms:subjectWebpage")),
                components=[ComponentDoc(offering=k, mandatory=own is None) for k in parts],
            )
        )
    return offerings, qdocs, errors
