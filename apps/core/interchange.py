"""The interchange format (docs/architecture.md, "Interchange format"): jobs and candidates, declared once (no Django).

Each record is a tuple of field declarations (``JOB``, ``SKILL_REQUIREMENT``, ``CANDIDATE``,
``CREDENTIAL``, ``LEVEL``). A declaration is the whole truth about a field: its type, default, bounds
and help text. The parser below, the API's request schema (apps.api.schema.interchange_serializer)
and the limits table in docs/api.md all read the same declarations, so a new field is added in one
place: append a declaration to its record and a matching attribute to its dataclass.

This module imports no app (apps.core sits below every layer of the import-linter contract).
Values arrive already checked by apps.core.inputs (finite numbers, depth, valid Unicode without NUL);
the declarations re-check text and numbers so that Python callers (tests, seed data) get the same rules.
Errors name the line (for JSON-lines input) and the field, so a bad record is reported precisely and
nothing is half-imported.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from apps.core.inputs import InputError, check_text, iter_json_buffer, iter_json_lines

CREDENTIAL_KINDS = ("microcredential", "badge", "certificate", "course", "license", "degree")

# Bounds stated in docs/api.md ("Limits"); most are the database column widths.
MAX_ID = 100
MAX_NAME = 200
MAX_JOB_TITLE = 300
MAX_DESCRIPTION = 50_000
MAX_SKILL_NAME = 500
MAX_URI = 300
MAX_SKILLS_PER_JOB = 200
MAX_WEIGHT = 100.0
MAX_EQF = 8
MAX_CREDENTIAL_TITLE = 500
MAX_ISSUER = 300
MAX_FRAMEWORK = 20
MAX_LEVEL_VALUE = 20
MAX_HOURS = 100_000
MAX_PHRASE = 500
MAX_PHRASES = 500
MAX_CREDENTIALS = 500
MAX_ECTS = 1_000
MAX_ENDORSEMENTS = 1_000
MAX_ROLES = 200
MAX_ASSESSMENTS = 500
MAX_ROLE_TITLE = 300
MAX_ORGANIZATION = 300
MAX_ASSESSOR = 200
MAX_RESUME_SKILLS = 500
# how the learning behind a credential was assessed (apps.credentials.models.AssessmentType)
ASSESSMENT_TYPES = ("proctored exam", "exam", "work sample", "portfolio", "attendance", "none")
# how an employer assessed a skill (apps.matching.models.AssessmentMethod)
ASSESSMENT_METHODS = ("structured interview", "work sample", "exam")


class InterchangeError(InputError):
    """A record that does not follow the interchange format; ``line`` is 1-based where known."""


# --- field declarations -------------------------------------------------------------------------
# What Field.fast answers when the value is not one of the plain cases it settles alone: then
# Field.parse decides (and, for a bad value, names the field and the line).
SLOW: Any = object()
_BAD = re.compile("[\x00\ud800-\udfff]")  # apps.core.inputs.text_problem's characters
_DATES: dict[str, date] = {}  # ISO text -> date: a pool repeats a few thousand dates
_MAX_DATES = 50_000
_MAX_SHAPES = 512  # distinct key sets per record that Record.parse remembers


@dataclass(frozen=True)
class Field:
    """One key of a record. ``attr`` is the dataclass attribute (defaults to ``name``)."""

    name: str
    help: str = ""
    required: bool = False
    attr: str | None = None
    kind: ClassVar[str] = "any"

    @property
    def target(self) -> str:
        return self.attr or self.name

    def parse(self, value: Any, path: str, line: int | None, default: Any = None) -> Any:
        raise NotImplementedError

    def fast(self, value: Any) -> Any:
        """``parse(value, ...)`` without a path or a line, for the values that need neither (common, valid
        ones); SLOW for any other, which ``parse`` then reads. Records are read by the million, and most
        of a record's fields are absent or plain."""
        return SLOW

    def limits(self) -> str:
        """The bounds in words, for the documentation table."""
        return ""


def _err(message: str, path: str, line: int | None) -> InterchangeError:
    return InterchangeError(message, line=line, field=path)


@dataclass(frozen=True)
class Text(Field):
    """A string (a number is accepted and kept as its text), stripped; ``max_length`` in characters."""

    max_length: int = 500
    default: str | None = ""
    kind: ClassVar[str] = "string"

    def parse(self, value: Any, path: str, line: int | None, default: Any = None) -> str:
        if value is None:
            if self.required:
                raise _err("is required", path, line)
            return self.default if default is None else default
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                raise _err("must be a string, got a non-finite number", path, line)
            value = str(value)
        if not isinstance(value, str):
            raise _err(f"must be a string, got {type(value).__name__}", path, line)
        check_text(value, field=path, line=line)
        value = value.strip()
        if self.required and not value:
            raise _err("must not be empty", path, line)
        if len(value) > self.max_length:
            raise _err(f"must be at most {self.max_length} characters (got {len(value)})", path, line)
        return value or (self.default if default is None else default)

    def fast(self, value: Any) -> Any:
        if type(value) is str:
            s = value.strip()
            if s and len(s) <= self.max_length and _BAD.search(value) is None:
                return s
            return SLOW
        if value is None and not self.required:
            return self.default
        return SLOW

    def limits(self) -> str:
        return f"at most {self.max_length} characters"


@dataclass(frozen=True)
class Choice(Text):
    choices: tuple[str, ...] = ()
    kind: ClassVar[str] = "choice"

    def parse(self, value: Any, path: str, line: int | None, default: Any = None) -> str:
        value = super().parse(value, path, line, default)
        if value == "" and not self.required and self.default == "":
            return value  # optional, not given
        if value not in self.choices:
            raise _err(f"unknown value {value!r}; one of {', '.join(self.choices)}", path, line)
        return value

    def fast(self, value: Any) -> Any:
        value = super().fast(value)
        if value is SLOW:
            return SLOW
        if value in self.choices or (value == "" and not self.required and self.default == ""):
            return value
        return SLOW

    def limits(self) -> str:
        return "one of " + ", ".join(self.choices)


@dataclass(frozen=True)
class Number(Field):
    """A finite number in [minimum, maximum] (``exclusive_minimum``: strictly above minimum)."""

    minimum: float = 0
    maximum: float = 1e9
    exclusive_minimum: bool = False
    default: float | None = None
    noun: str = ""  # what the number is, for messages: "an EQF level"
    kind: ClassVar[str] = "number"

    def _number(self, value: Any, path: str, line: int | None) -> float | int | None:
        if value is None:
            if self.required:
                raise _err("is required", path, line)
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _err(f"must be a number, got {value!r}"[:200], path, line)
        if isinstance(value, float) and not math.isfinite(value):
            raise _err("must be a finite number", path, line)
        too_low = value <= self.minimum if self.exclusive_minimum else value < self.minimum
        if too_low or value > self.maximum:
            raise _err(f"must be {self.limits()}, got {value}", path, line)
        return value

    def parse(self, value: Any, path: str, line: int | None, default: Any = None) -> float | None:
        value = self._number(value, path, line)
        if value is None:
            return self.default if default is None else default
        return float(value)

    def _fast_number(self, value: Any) -> Any:
        """``value`` when _number would return it unchanged (an int or a finite float within bounds)."""
        kind = type(value)
        if kind is not int and (kind is not float or not math.isfinite(value)):
            return SLOW
        too_low = value <= self.minimum if self.exclusive_minimum else value < self.minimum
        return SLOW if too_low or value > self.maximum else value

    def fast(self, value: Any) -> Any:
        if value is None:
            return SLOW if self.required else self.default
        value = self._fast_number(value)
        return value if value is SLOW else float(value)

    def limits(self) -> str:
        if self.exclusive_minimum:
            low = "positive" if self.minimum == 0 else f"above {self.minimum:g}"
        else:
            low = f"at least {self.minimum:g}"
        return f"{self.noun + ' ' if self.noun else ''}{low} and at most {self.maximum:g}"


@dataclass(frozen=True)
class Integer(Number):
    """A whole number in [minimum, maximum] (``5.0`` is 5, as JSON does not tell them apart; 5.5 is refused)."""

    kind: ClassVar[str] = "integer"

    def parse(self, value: Any, path: str, line: int | None, default: Any = None) -> int | None:
        value = self._number(value, path, line)
        if value is None:
            return self.default if default is None else default
        if value != int(value):
            raise _err(f"must be a whole number, got {value}", path, line)
        return int(value)

    def fast(self, value: Any) -> Any:
        if value is None:
            return SLOW if self.required else self.default
        return self._fast_number(value) if type(value) is int else SLOW

    def limits(self) -> str:
        return f"{self.noun + ' ' if self.noun else ''}from {int(self.minimum)} to {int(self.maximum)}"


@dataclass(frozen=True)
class Boolean(Field):
    default: bool = False
    kind: ClassVar[str] = "boolean"

    def parse(self, value: Any, path: str, line: int | None, default: Any = None) -> bool:
        if value is None:
            return self.default
        if not isinstance(value, bool):
            raise _err("must be true or false", path, line)
        return value

    def fast(self, value: Any) -> Any:
        if value is True or value is False:
            return value
        return self.default if value is None else SLOW


@dataclass(frozen=True)
class OptionalBoolean(Boolean):
    """true, false, or null/absent for "not stated" (None)."""

    default: bool | None = None  # type: ignore[assignment]

    def parse(self, value: Any, path: str, line: int | None, default: Any = None) -> bool | None:
        if value is None:
            return None
        return super().parse(value, path, line, default)

    def fast(self, value: Any) -> Any:
        return value if value is None or value is True or value is False else SLOW


@dataclass(frozen=True)
class Date(Field):
    kind: ClassVar[str] = "date"

    def parse(self, value: Any, path: str, line: int | None, default: Any = None) -> date | None:
        if value in (None, ""):
            return None
        if not isinstance(value, str):
            raise _err("must be an ISO date string (YYYY-MM-DD)", path, line)
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise _err(f"{value[:40]!r} is not an ISO date (YYYY-MM-DD)", path, line) from None

    def fast(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        if type(value) is not str:
            return SLOW
        got = _DATES.get(value)
        if got is None:
            try:
                got = date.fromisoformat(value[:10])
            except ValueError:
                return SLOW
            if len(_DATES) < _MAX_DATES:
                _DATES[value] = got
        return got

    def limits(self) -> str:
        return "YYYY-MM-DD"


@dataclass(frozen=True)
class Phrases(Field):
    """A list of strings; blank items are dropped."""

    max_items: int = MAX_PHRASES
    max_length: int = MAX_PHRASE
    kind: ClassVar[str] = "phrases"

    def parse(self, value: Any, path: str, line: int | None, default: Any = None) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise _err("must be a list of strings", path, line)
        if len(value) > self.max_items:
            raise _err(f"must have at most {self.max_items} items (got {len(value)})", path, line)
        got = self.fast(value)
        if got is not SLOW:
            return got
        out = []
        for i, s in enumerate(value):
            if not isinstance(s, str):
                raise _err(f"item {i} must be a string, got {type(s).__name__}", path, line)
            check_text(s, field=f"{path}[{i}]", line=line)
            s = s.strip()
            if len(s) > self.max_length:
                raise _err(f"must be at most {self.max_length} characters", f"{path}[{i}]", line)
            if s:
                out.append(s)
        return out

    def fast(self, value: Any) -> Any:
        # the common case in one pass over the list (a pool of 100,000 candidates has 1.5M phrases); any
        # item that breaks a rule sends the whole list through parse's loop, which names it
        if value is None:
            return []
        if type(value) is not list or len(value) > self.max_items:
            return SLOW
        try:
            joined = "\x01".join(value)  # a TypeError for any item that is not a string
        except TypeError:
            return SLOW
        if _BAD.search(joined) is not None:
            return SLOW
        stripped = [s.strip() for s in value]
        if len(joined) > self.max_length and max(map(len, stripped)) > self.max_length:
            return SLOW
        return stripped if all(stripped) else [s for s in stripped if s]

    def limits(self) -> str:
        return f"at most {self.max_items} items of at most {self.max_length} characters"


@dataclass(frozen=True)
class Nested(Field):
    """One sub-record (an object)."""

    record: Record | None = None
    kind: ClassVar[str] = "object"

    def parse(self, value: Any, path: str, line: int | None, default: Any = None) -> Any:
        if value is None:
            if self.required:
                raise _err("is required", path, line)
            return None
        assert self.record is not None
        return self.record.parse(value, path=path, line=line)

    def fast(self, value: Any) -> Any:
        return None if value is None and not self.required else SLOW


@dataclass(frozen=True)
class Many(Field):
    """A list of sub-records; ``defaults`` override the sub-record's field defaults (degrees: kind)."""

    record: Record | None = None
    min_items: int = 0
    max_items: int = MAX_CREDENTIALS
    defaults: tuple[tuple[str, Any], ...] = ()
    kind: ClassVar[str] = "list"

    def parse(self, value: Any, path: str, line: int | None, default: Any = None) -> list:
        assert self.record is not None
        if value is None or (value == [] and not self.min_items):
            value = []
        if not isinstance(value, list):
            raise _err("must be a list", path, line)
        if len(value) < self.min_items:
            raise _err(f"needs at least {self.min_items} item(s)", path, line)
        if len(value) > self.max_items:
            raise _err(f"must have at most {self.max_items} items (got {len(value)})", path, line)
        parse, defaults = self.record.parse, dict(self.defaults) or None
        return [parse(item, path=f"{path}[{i}]", line=line, defaults=defaults) for i, item in enumerate(value)]

    def fast(self, value: Any) -> Any:
        return [] if (value is None or value == []) and not self.min_items else SLOW

    def limits(self) -> str:
        low = f"at least {self.min_items}, " if self.min_items else ""
        return f"{low}at most {self.max_items} items"


@dataclass(frozen=True)
class Record:
    """A JSON object of declared fields, built into ``cls``; unknown keys are ignored (docs/architecture.md).
    ``shorthand``: a bare value accepted for the whole record (a string skill means ``{"name": ...}``)."""

    name: str
    cls: type
    fields: tuple[Field, ...]
    shorthand: str | None = None
    shorthand_types: tuple[type, ...] = (str,)

    def parse(self, obj: Any, *, path: str = "", line: int | None = None, defaults: dict | None = None) -> Any:
        if self.shorthand and isinstance(obj, self.shorthand_types) and not isinstance(obj, bool):
            obj = {self.shorthand: obj}
        if not isinstance(obj, dict):
            raise InterchangeError(f"a {self.name} must be a JSON object", line=line, field=path or None)
        get = obj.get
        values = {}
        if defaults:
            for name, target, parse, _, _ in self._plan:
                values[target] = parse(get(name), f"{path}.{name}" if path else name, line, defaults.get(name))
        elif (shape := self._shape(obj)) is not None:
            # the fields this record's keys hold, in declaration order, so that of two bad fields the
            # first is named, as ever; the others have their absent values (which no rule refuses)
            template, fresh, present = shape
            values = template.copy()
            for target in fresh:
                values[target] = []
            for name, target, parse, fast in present:
                value = fast(obj[name])
                if value is SLOW:  # the path of a field is only made for a value Field.parse reads
                    value = parse(obj[name], f"{path}.{name}" if path else name, line, None)
                values[target] = value
        else:
            for name, target, parse, fast, _ in self._plan:
                value = fast(get(name))
                if value is SLOW:
                    value = parse(get(name), f"{path}.{name}" if path else name, line, None)
                values[target] = value
        if self._direct:
            # the dataclass's __init__ would set the same attributes one keyword at a time
            doc = object.__new__(self.cls)
            doc.__dict__ = values
            return doc
        return self.cls(**values)

    def _shape(self, obj: dict) -> tuple[dict, tuple[str, ...], tuple[tuple[str, str, Any, Any], ...]] | None:
        """For an object with ``obj``'s keys (in their order): the values of the fields it does not hold
        (with a placeholder for those it holds, so that attributes keep the declaration order), the
        attributes whose absent value is a new empty list, and (key, attribute, parser, fast parser) of
        the fields it holds. None when a field it lacks is required, or when too many shapes were seen:
        then every field is read in turn. Made once per shape: a pool's records have a few."""
        shapes = self.__dict__.get("_shapes")
        if shapes is None:
            shapes = {}
            object.__setattr__(self, "_shapes", shapes)
        keys = tuple(obj)
        if keys in shapes:
            return shapes[keys]
        if len(shapes) >= _MAX_SHAPES:
            return None
        held = set(keys)
        template: dict[str, Any] = {}
        fresh: list[str] = []
        present = []
        shape: tuple | None = None
        for name, target, parse, fast, _ in self._plan:
            template[target] = None
            if name in held:
                present.append((name, target, parse, fast))
                continue
            absent = fast(None)
            if absent is SLOW:
                break
            if isinstance(absent, list):
                fresh.append(target)
            else:
                template[target] = absent
        else:
            shape = (template, tuple(fresh), tuple(present))
        shapes[keys] = shape
        return shape

    @property
    def _plan(self) -> tuple[tuple[str, str, Any, Any, Field], ...]:
        """(key, attribute, parser, fast parser, field) per field, made once per record (records are read
        by the million)."""
        plan = self.__dict__.get("_plan_cache")
        if plan is None:
            plan = tuple((f.name, f.target, f.parse, f.fast, f) for f in self.fields)
            object.__setattr__(self, "_plan_cache", plan)
        return plan

    @property
    def _direct(self) -> bool:
        """Whether ``cls`` is a plain dataclass whose attributes are exactly the fields' (no __post_init__,
        no slots, nothing frozen), so that an instance can be made by setting its __dict__."""
        direct = self.__dict__.get("_direct_cache")
        if direct is None:
            params = getattr(self.cls, "__dataclass_params__", None)
            attrs = getattr(self.cls, "__dataclass_fields__", {})
            direct = bool(
                params is not None
                and not params.frozen
                and not hasattr(self.cls, "__post_init__")
                and not hasattr(self.cls, "__slots__")
                and set(attrs) == {f.target for f in self.fields}
            )
            object.__setattr__(self, "_direct_cache", direct)
        return direct

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


# --- the records --------------------------------------------------------------------------------
@dataclass
class Level:
    """A level as sent; its EQF equivalent is apps.credentials.levels.to_eqf(framework, value)
    (kept out of here so that this module depends on no app)."""

    framework: str
    value: int


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
    quality_assured: bool | None = None  # None: not stated
    assessment: str = ""  # one of ASSESSMENT_TYPES, "" not stated
    endorsements: int = 0


@dataclass
class ExperienceDoc:
    """A role: the skills used from ``start`` to ``end`` (None: ongoing)."""

    title: str
    organization: str = ""
    start: date | None = None
    end: date | None = None
    skills: list[str] = field(default_factory=list)


@dataclass
class AssessmentDoc:
    """An employer's assessment of one skill: method, score in [0, 1], date, assessor."""

    skill: str
    method: str
    score: float
    date: date | None = None
    assessor: str = ""


@dataclass
class ResumeSkillDoc:
    """A skill a CV states (a ``parse_resume`` skill): the words as written and, when the reader
    normalized them, the taxonomy concept."""

    phrase: str
    uri: str | None = None
    label: str | None = None

    @property
    def text(self) -> str:
        """The phrase that is evidence: the concept's label when the reader gave one, else the words."""
        return self.label if self.uri and self.label else self.phrase


@dataclass
class ResumeRoleDoc:
    title: str = ""
    skills: list[ResumeSkillDoc] = field(default_factory=list)


@dataclass
class ResumeDoc:
    """What a CV says (``parse_resume``'s object; its other keys are ignored), not confirmed by anyone:
    every skill in it counts as self-declared (docs/resume.md, "What counts how much")."""

    skills: list[ResumeSkillDoc] = field(default_factory=list)
    experience: list[ResumeRoleDoc] = field(default_factory=list)


@dataclass
class CandidateDoc:
    id: str
    name: str = ""
    credentials: list[CredentialDoc] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    degrees: list[CredentialDoc] = field(default_factory=list)
    experience: list[ExperienceDoc] = field(default_factory=list)
    assessments: list[AssessmentDoc] = field(default_factory=list)
    resume: ResumeDoc | None = None


def resume_source(role: str = "") -> str:
    """How an explanation names a skill of a candidate's ``resume``: "self-declared (CV)", or
    "self-declared (CV: Data analyst)" for one a role of the CV names."""
    return f"self-declared (CV: {role})" if role else "self-declared (CV)"


def resume_evidence(doc: CandidateDoc) -> list[tuple[str, str]]:
    """(phrase, role title or "") for each skill of the candidate's ``resume``, once each (by
    normalized text): a role's skills first, then the rest. A phrase the candidate also declares in
    ``skills`` is not repeated: the same statement twice is not more evidence."""
    if doc.resume is None:
        return []
    seen = {_norm(s) for s in doc.skills}
    out: list[tuple[str, str]] = []
    roles = [(s, r.title) for r in doc.resume.experience for s in r.skills]
    for skill, role in [*roles, *((s, "") for s in doc.resume.skills)]:
        key = _norm(skill.text)
        if key and key not in seen:
            seen.add(key)
            out.append((skill.text, role))
    return out


def _norm(text: str) -> str:
    # case and spacing only: the phrase's own normalization (apps.skills.text) lives above this layer
    return " ".join(text.casefold().split())


def _level(framework: str, value: int | None) -> Level:
    return Level(framework.upper() or "EQF", value)  # type: ignore[arg-type]


LEVEL = Record(
    "level",
    _level,  # type: ignore[arg-type]
    (
        Text("framework", max_length=MAX_FRAMEWORK, default="EQF", help="EQF, NZQF, AQF, AQRF or JQF; default EQF"),
        Integer("value", required=True, minimum=0, maximum=MAX_LEVEL_VALUE, help="the level in that framework"),
    ),
    shorthand="value",
    shorthand_types=(int,),
)

SKILL_REQUIREMENT = Record(
    "skill requirement",
    SkillReq,
    (
        Text("name", required=True, max_length=MAX_SKILL_NAME, help="the skill, in any words"),
        Text("uri", max_length=MAX_URI, default=None, help="an ESCO concept URI, optional"),
        Number(
            "weight",
            minimum=0,
            exclusive_minimum=True,
            maximum=MAX_WEIGHT,
            default=1.0,
            help="positive, default 1",
        ),
        Boolean("required", help="must-have, default false"),
        Integer("min_level", minimum=0, maximum=MAX_EQF, noun="an EQF level", help="minimum EQF level"),
    ),
    shorthand="name",
)

JOB = Record(
    "job",
    JobDoc,
    (
        Text(
            "id",
            max_length=MAX_ID,
            help="your identifier for the job (unique in your organization); generated if absent",
        ),
        Text("title", max_length=MAX_JOB_TITLE, help="defaults to the id"),
        Text("description", max_length=MAX_DESCRIPTION),
        Many("skills", record=SKILL_REQUIREMENT, min_items=1, max_items=MAX_SKILLS_PER_JOB, help="required skills"),
    ),
)

CREDENTIAL = Record(
    "credential",
    CredentialDoc,
    (
        Text("title", required=True, max_length=MAX_CREDENTIAL_TITLE),
        Choice("kind", choices=CREDENTIAL_KINDS, default="microcredential", max_length=20),
        Text("issuer", max_length=MAX_ISSUER),
        Date("issued"),
        Date("expires"),
        Boolean("verified", help="the issuer's proof was checked by the sender"),
        Nested("level", record=LEVEL, help='{"framework": "EQF", "value": 5}, or a bare EQF number'),
        Integer("hours", minimum=0, maximum=MAX_HOURS, help="notional learning hours"),
        Phrases("skills", help="the skills it proves (a degree's: its learning outcomes)"),
        Number("ects", minimum=0, maximum=MAX_ECTS, help="ECTS credits; used for volume when hours are absent"),
        OptionalBoolean("quality_assured", help="on a quality-assured register or from an accredited provider"),
        Choice("assessment", choices=ASSESSMENT_TYPES, default="", max_length=20, help="how it was assessed"),
        Integer("endorsements", minimum=0, maximum=MAX_ENDORSEMENTS, default=0, help="by known organizations"),
    ),
)

EXPERIENCE = Record(
    "experience",
    ExperienceDoc,
    (
        Text("title", required=True, max_length=MAX_ROLE_TITLE, help="the role"),
        Text("organization", max_length=MAX_ORGANIZATION, help="shown for the record; never scored"),
        Date("start"),
        Date("end", help="absent or null while the role goes on"),
        Phrases("skills", help="the skills used"),
    ),
)

ASSESSMENT = Record(
    "assessment",
    AssessmentDoc,
    (
        Text("skill", required=True, max_length=MAX_SKILL_NAME, help="the skill assessed"),
        Choice("method", required=True, choices=ASSESSMENT_METHODS, max_length=30),
        Number("score", required=True, minimum=0, maximum=1, help="0 (not shown) to 1 (fully shown)"),
        Date("date"),
        Text("assessor", max_length=MAX_ASSESSOR),
    ),
)

RESUME_SKILL = Record(
    "resume skill",
    ResumeSkillDoc,
    (
        Text("phrase", required=True, max_length=MAX_PHRASE, help="the words of the CV"),
        Text("uri", max_length=MAX_URI, default=None, help="the concept the reader normalized them to, or null"),
        Text("label", max_length=MAX_PHRASE, default=None, help="that concept's label; the evidence when uri is set"),
    ),
    shorthand="phrase",
)

RESUME_ROLE = Record(
    "resume role",
    ResumeRoleDoc,
    (
        Text("title", max_length=MAX_ROLE_TITLE, help="names the role in explanations; never scored"),
        Many("skills", record=RESUME_SKILL, max_items=MAX_RESUME_SKILLS, help="the skills the role names"),
    ),
)

RESUME = Record(
    "resume",
    ResumeDoc,
    (
        Many("skills", record=RESUME_SKILL, max_items=MAX_RESUME_SKILLS, help="every skill the CV names"),
        Many("experience", record=RESUME_ROLE, max_items=MAX_ROLES, help="its roles with their skills"),
    ),
)

CANDIDATE = Record(
    "candidate",
    CandidateDoc,
    (
        Text("id", required=True, max_length=MAX_ID, help="your identifier for the candidate"),
        Text("name", max_length=MAX_NAME),
        Many("credentials", record=CREDENTIAL),
        Phrases("skills", help="self-declared"),
        Many(
            "degrees",
            record=CREDENTIAL,
            max_items=50,
            defaults=(("kind", "degree"),),
            help="title, institution and level never scored; listed skills count as learning outcomes",
        ),
        Many("experience", record=EXPERIENCE, max_items=MAX_ROLES, help="roles, dated by their end"),
        Many("assessments", record=ASSESSMENT, max_items=MAX_ASSESSMENTS, help="employer assessments"),
        Nested(
            "resume",
            record=RESUME,
            help="a CV as parse_resume reads it, unconfirmed: each skill counts as self-declared",
        ),
    ),
)


# --- entry points -------------------------------------------------------------------------------
def parse_job(obj: Any) -> JobDoc:
    """Validate a job object; raises InterchangeError naming the field."""
    if isinstance(obj, dict) and not (isinstance(obj.get("skills"), list) and obj["skills"]):
        raise InterchangeError("a job needs a non-empty list of required skills", field="skills")
    doc = JOB.parse(obj)
    doc.id = doc.id or "job"
    doc.title = doc.title or doc.id or "Untitled job"
    return doc


def parse_candidate(obj: Any, *, line: int | None = None) -> CandidateDoc:
    """Validate a candidate object; raises InterchangeError naming the field (and ``line``)."""
    doc = CANDIDATE.parse(obj, line=line)
    for i, e in enumerate(doc.experience):
        if e.start and e.end and e.end < e.start:
            raise InterchangeError("must not be before start", line=line, field=f"experience[{i}].end")
    return doc


def iter_candidates_jsonl(lines: Iterable[str | bytes] | bytes) -> Iterator[CandidateDoc]:
    """Parse JSON lines (an iterable of lines, or a whole file's bytes: apps.core.inputs.iter_json_buffer);
    blank lines are skipped; a bad line raises InterchangeError naming it. Duplicate ids are an error too,
    since every candidate must appear exactly once in a ranking."""
    seen: set[str] = set()
    numbered = iter_json_buffer(lines) if isinstance(lines, bytes) else iter_json_lines(lines)
    try:
        for n, obj in numbered:
            doc = parse_candidate(obj, line=n)
            if doc.id in seen:
                raise InterchangeError(f"duplicate candidate id {doc.id!r}", line=n, field="id")
            seen.add(doc.id)
            yield doc
    except InterchangeError:
        raise
    except InputError as e:
        raise InterchangeError(e.message, line=e.line, field=e.field) from None


def limits_markdown() -> str:
    """The "Input rules and limits" tables of docs/api.md, rendered from the declarations above
    (tests/core/test_interchange.py keeps the document equal to this)."""
    out: list[str] = []
    seen: set[str] = set()
    queue = [JOB, CANDIDATE]
    while queue:
        record = queue.pop(0)
        if record.name in seen:
            continue
        seen.add(record.name)
        shorthand = f" (or a bare {record.shorthand})" if record.shorthand else ""
        out += [f"**{record.name}**{shorthand}", "", "| field | type | limits |", "|---|---|---|"]
        for f in record.fields:
            kind = f.kind
            if isinstance(f, Many | Nested) and f.record is not None:
                kind = f"list of {f.record.name}" if isinstance(f, Many) else f.record.name
                queue.append(f.record)
            required = ", required" if f.required else ""
            out.append(f"| `{f.name}` | {kind}{required} | {f.limits() or '-'} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
