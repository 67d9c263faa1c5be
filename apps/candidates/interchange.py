"""The interchange format (docs/architecture.md): parsing and validating jobs and candidates, no Django.

Errors name the line (for JSON-lines input) and the field, so a bad record is reported precisely
and nothing is half-imported.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from apps.credentials.levels import to_eqf

CREDENTIAL_KINDS = ("microcredential", "badge", "certificate", "course", "license", "degree")
# how the learning behind a credential was assessed (apps.credentials.models.AssessmentType)
ASSESSMENT_TYPES = ("proctored exam", "exam", "work sample", "portfolio", "attendance", "none")
# how an employer assessed a skill (apps.candidates.models.AssessmentMethod)
ASSESSMENT_METHODS = ("structured interview", "work sample", "exam")
MAX_HOURS = 100_000  # a whole degree is ~5,000 hours; more is a typo
MAX_ECTS = 1_000
MAX_ENDORSEMENTS = 1_000


class InterchangeError(ValueError):
    """A record that does not follow the interchange format; ``line`` is 1-based where known."""

    def __init__(self, message: str, *, line: int | None = None, field: str | None = None):
        self.message, self.line, self.field = message, line, field
        where = f"line {line}: " if line is not None else ""
        what = f"{field}: " if field else ""
        super().__init__(f"{where}{what}{message}")


@dataclass
class Level:
    framework: str
    value: int

    @property
    def eqf(self) -> int | None:
        return to_eqf(self.framework, self.value)


@dataclass
class SkillReq:
    name: str
    uri: str | None = None
    weight: float = 1.0
    required: bool = False
    min_level: int | None = None


@dataclass
class JobDoc:
    id: str
    title: str
    description: str = ""
    skills: list[SkillReq] = field(default_factory=list)


@dataclass
class CredentialDoc:
    title: str
    kind: str = "microcredential"
    issuer: str = ""
    issued: date | None = None
    expires: date | None = None
    verified: bool = False
    level: Level | None = None
    hours: int | None = None
    skills: list[str] = field(default_factory=list)
    ects: float | None = None
    quality_assured: bool | None = None  # None: unknown
    assessment: str = ""  # one of ASSESSMENT_TYPES, "" unknown
    endorsements: int = 0


@dataclass
class ExperienceDoc:
    """A role: skills used from ``start`` to ``end`` (None: ongoing)."""

    title: str
    organization: str = ""
    start: date | None = None
    end: date | None = None
    skills: list[str] = field(default_factory=list)


@dataclass
class AssessmentDoc:
    """An employer's assessment of one skill: method, score in [0, 1], date."""

    skill: str
    method: str
    score: float
    date: date | None = None
    assessor: str = ""


@dataclass
class CandidateDoc:
    id: str
    name: str = ""
    credentials: list[CredentialDoc] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    degrees: list[CredentialDoc] = field(default_factory=list)
    experience: list[ExperienceDoc] = field(default_factory=list)
    assessments: list[AssessmentDoc] = field(default_factory=list)


def _str(v: Any, name: str, *, required: bool = False, line: int | None = None) -> str:
    if v is None:
        if required:
            raise InterchangeError("is required", line=line, field=name)
        return ""
    if isinstance(v, int | float) and not isinstance(v, bool):
        return str(v)
    if not isinstance(v, str):
        raise InterchangeError(f"must be a string, got {type(v).__name__}", line=line, field=name)
    if required and not v.strip():
        raise InterchangeError("must not be empty", line=line, field=name)
    return v.strip()


def _date(v: Any, name: str, line: int | None) -> date | None:
    if v in (None, ""):
        return None
    if not isinstance(v, str):
        raise InterchangeError("must be an ISO date string (YYYY-MM-DD)", line=line, field=name)
    try:
        return date.fromisoformat(v[:10])
    except ValueError:
        raise InterchangeError(f"{v!r} is not an ISO date (YYYY-MM-DD)", line=line, field=name) from None


def _num(
    v: Any,
    name: str,
    line: int | None,
    *,
    integer: bool = False,
    minimum: float | None = 0,
    maximum: float | None = None,
):
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise InterchangeError(f"must be a number, got {v!r}", line=line, field=name)
    if not math.isfinite(v):
        raise InterchangeError("must be a finite number", line=line, field=name)
    if minimum is not None and v < minimum:
        raise InterchangeError(f"must be at least {minimum}, got {v}", line=line, field=name)
    if maximum is not None and v > maximum:
        raise InterchangeError(f"must be at most {maximum}, got {v}", line=line, field=name)
    return int(v) if integer else float(v)


def _choice(v: Any, name: str, line: int | None, choices: tuple[str, ...], *, required: bool = False) -> str:
    value = _str(v, name, line=line, required=required).lower()
    if value and value not in choices:
        raise InterchangeError(f"unknown value {value!r}; one of {', '.join(choices)}", line=line, field=name)
    return value


def _list(v: Any, name: str, line: int | None) -> list:
    if v is None:
        return []
    if not isinstance(v, list):
        raise InterchangeError("must be a list", line=line, field=name)
    return v


def _level(v: Any, name: str, line: int | None) -> Level | None:
    if v is None:
        return None
    if isinstance(v, int) and not isinstance(v, bool):
        return Level("EQF", v)
    if not isinstance(v, dict):
        raise InterchangeError('must be {"framework": "EQF", "value": 5}', line=line, field=name)
    fw = _str(v.get("framework", "EQF"), f"{name}.framework", line=line) or "EQF"
    val = _num(v.get("value"), f"{name}.value", line, integer=True, minimum=0)
    if val is None:
        raise InterchangeError("is required", line=line, field=f"{name}.value")
    return Level(fw.upper(), val)


def _phrases(v: Any, name: str, line: int | None) -> list[str]:
    if v is None:
        return []
    if not isinstance(v, list):
        raise InterchangeError("must be a list of strings", line=line, field=name)
    out = []
    for i, s in enumerate(v):
        if not isinstance(s, str):
            raise InterchangeError(f"item {i} must be a string, got {s!r}", line=line, field=name)
        if s.strip():
            out.append(s.strip())
    return out


def parse_job(obj: Any) -> JobDoc:
    """Validate a job object; raises InterchangeError naming the field."""
    if not isinstance(obj, dict):
        raise InterchangeError("a job must be a JSON object")
    skills_raw = obj.get("skills")
    if not isinstance(skills_raw, list) or not skills_raw:
        raise InterchangeError("a job needs a non-empty list of required skills", field="skills")
    skills = []
    for i, s in enumerate(skills_raw):
        f = f"skills[{i}]"
        if isinstance(s, str):
            s = {"name": s}
        if not isinstance(s, dict):
            raise InterchangeError("must be an object with a name", field=f)
        weight = _num(s.get("weight", 1.0), f"{f}.weight", None)
        if weight is None or weight <= 0:
            raise InterchangeError("must be a positive number", field=f"{f}.weight")
        req = s.get("required", False)
        if not isinstance(req, bool):
            raise InterchangeError("must be true or false", field=f"{f}.required")
        skills.append(
            SkillReq(
                name=_str(s.get("name"), f"{f}.name", required=True),
                uri=_str(s.get("uri"), f"{f}.uri") or None,
                weight=weight,
                required=req,
                min_level=_num(s.get("min_level"), f"{f}.min_level", None, integer=True),
            )
        )
    return JobDoc(
        id=_str(obj.get("id"), "id") or "job",
        title=_str(obj.get("title"), "title") or _str(obj.get("id"), "id") or "Untitled job",
        description=_str(obj.get("description"), "description"),
        skills=skills,
    )


def _credential(c: Any, name: str, line: int | None, *, default_kind: str) -> CredentialDoc:
    if not isinstance(c, dict):
        raise InterchangeError("must be an object", line=line, field=name)
    kind = _str(c.get("kind", default_kind), f"{name}.kind", line=line) or default_kind
    if kind not in CREDENTIAL_KINDS:
        raise InterchangeError(
            f"unknown kind {kind!r}; one of {', '.join(CREDENTIAL_KINDS)}", line=line, field=f"{name}.kind"
        )
    verified = c.get("verified", False)
    if not isinstance(verified, bool):
        raise InterchangeError("must be true or false", line=line, field=f"{name}.verified")
    return CredentialDoc(
        title=_str(c.get("title"), f"{name}.title", required=True, line=line),
        kind=kind,
        issuer=_str(c.get("issuer"), f"{name}.issuer", line=line),
        issued=_date(c.get("issued"), f"{name}.issued", line),
        expires=_date(c.get("expires"), f"{name}.expires", line),
        verified=verified,
        level=_level(c.get("level"), f"{name}.level", line),
        hours=_num(c.get("hours"), f"{name}.hours", line, integer=True, maximum=MAX_HOURS),
        skills=_phrases(c.get("skills"), f"{name}.skills", line),
        ects=_num(c.get("ects"), f"{name}.ects", line, maximum=MAX_ECTS),
        quality_assured=_optional_bool(c.get("quality_assured"), f"{name}.quality_assured", line),
        assessment=_choice(c.get("assessment"), f"{name}.assessment", line, ASSESSMENT_TYPES),
        endorsements=_num(c.get("endorsements"), f"{name}.endorsements", line, integer=True, maximum=MAX_ENDORSEMENTS)
        or 0,
    )


def _optional_bool(v: Any, name: str, line: int | None) -> bool | None:
    if v is None or isinstance(v, bool):
        return v
    raise InterchangeError("must be true, false or null", line=line, field=name)


def _experience(e: Any, name: str, line: int | None) -> ExperienceDoc:
    if not isinstance(e, dict):
        raise InterchangeError("must be an object", line=line, field=name)
    doc = ExperienceDoc(
        title=_str(e.get("title"), f"{name}.title", required=True, line=line),
        organization=_str(e.get("organization"), f"{name}.organization", line=line),
        start=_date(e.get("start"), f"{name}.start", line),
        end=_date(e.get("end"), f"{name}.end", line),
        skills=_phrases(e.get("skills"), f"{name}.skills", line),
    )
    if doc.start and doc.end and doc.end < doc.start:
        raise InterchangeError("must not be before start", line=line, field=f"{name}.end")
    return doc


def _assessment(a: Any, name: str, line: int | None) -> AssessmentDoc:
    if not isinstance(a, dict):
        raise InterchangeError("must be an object", line=line, field=name)
    score = _num(a.get("score"), f"{name}.score", line, minimum=0, maximum=1)
    if score is None:
        raise InterchangeError("is required (a number from 0 to 1)", line=line, field=f"{name}.score")
    return AssessmentDoc(
        skill=_str(a.get("skill"), f"{name}.skill", required=True, line=line),
        method=_choice(a.get("method"), f"{name}.method", line, ASSESSMENT_METHODS, required=True),
        score=score,
        date=_date(a.get("date"), f"{name}.date", line),
        assessor=_str(a.get("assessor"), f"{name}.assessor", line=line),
    )


def parse_candidate(obj: Any, *, line: int | None = None) -> CandidateDoc:
    if not isinstance(obj, dict):
        raise InterchangeError("a candidate must be a JSON object", line=line)
    cid = _str(obj.get("id"), "id", required=True, line=line)
    creds = obj.get("credentials") or []
    if not isinstance(creds, list):
        raise InterchangeError("must be a list", line=line, field="credentials")
    degrees = obj.get("degrees") or []
    if not isinstance(degrees, list):
        raise InterchangeError("must be a list", line=line, field="degrees")
    return CandidateDoc(
        id=cid,
        name=_str(obj.get("name"), "name", line=line),
        credentials=[
            _credential(c, f"credentials[{i}]", line, default_kind="microcredential") for i, c in enumerate(creds)
        ],
        skills=_phrases(obj.get("skills"), "skills", line),
        degrees=[_credential(d, f"degrees[{i}]", line, default_kind="degree") for i, d in enumerate(degrees)],
        experience=[
            _experience(e, f"experience[{i}]", line)
            for i, e in enumerate(_list(obj.get("experience"), "experience", line))
        ],
        assessments=[
            _assessment(a, f"assessments[{i}]", line)
            for i, a in enumerate(_list(obj.get("assessments"), "assessments", line))
        ],
    )


def iter_candidates_jsonl(lines: Iterable[str]) -> Iterator[CandidateDoc]:
    """Parse JSON lines; blank lines are skipped; a bad line raises InterchangeError naming it.
    Duplicate ids are an error too, since every candidate must appear exactly once in a ranking."""
    seen: set[str] = set()
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as e:
            raise InterchangeError(f"invalid JSON ({e.msg} at column {e.colno})", line=n) from None
        doc = parse_candidate(obj, line=n)
        if doc.id in seen:
            raise InterchangeError(f"duplicate candidate id {doc.id!r}", line=n, field="id")
        seen.add(doc.id)
        yield doc
