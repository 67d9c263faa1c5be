"""A CV's bytes to a draft profile (no Django): who, contact, experience, education, certifications
and skills, each skill with the taxonomy concept it was normalized to, the section and span it came
from and a confidence.

The taxonomy is reached only through two callables, so this module runs (and is tested) without a
database: ``extract(text)`` finds skills in free text (apps.skills.services.skills_extract) and
``resolve(phrases)`` normalizes a list of short phrases (apps.skills.services.normalize).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from apps.skills.extraction import units
from apps.skills.normalizer import stem

from . import sections as sx
from .duties import Duty, base_forms, duties, japanese_duties, named_items
from .readers import Document, ResumeError, read

Extract = Callable[[str], list[dict]]
Resolve = Callable[[Sequence[str]], list[dict | None]]

SOURCES = ("skills", "experience", "summary", "education", "certifications")
# The normalizer's own floor for resolving a phrase to a concept (apps.skills.services
# RESOLVE_MIN_PROBABILITY): a listed item, or a single word in prose, gets a concept only at this.
RESOLVE_MIN = 0.6
# A listed item of two words or more that the concept's labels name word for word ("Microsoft Office" /
# *use Microsoft Office*) is kept at this instead (``_item_floor``; 0.1-0.5 gave the same dev figures).
NAMED_ITEM_MIN = 0.5
MAX_ITEM_WORDS = 6  # a skills-list item longer than this is prose: read as prose
# A one-word item is a name ("Figma", "Kubernetes"). A concept whose label shares no word stem with it
# is the normalizer's guess by meaning, and on a bare name that guess is often another product or a
# broader field ("Figma" → GIMP, "Docker" → dock operations): it is kept only when all but certain. A
# word that is two of the label's words written together ("Teamwork" / *work in teams*) shares them.
NAME_MIN = 0.95
# Free text (roles, summary, education, certification titles, a long item of a skills list) is read by
# the extractor, whose "suggested" floor is 0.55, and a concept is kept only at the confidence its
# section calls for. The extractor's confidence is calibrated on job-ad sentences, which ask for skills;
# a CV's sentences are also full of spans near a skill that name none ("board" → scaffolding
# components). What a person says they did (a role's bullets, a skills list written as sentences) names
# skills most often; a profile summary less; the titles of degrees and certifications hardly ever (a
# course name evokes a field, a certification a brand). Measured with bench/resume_eval.py
# (docs/quality.md, "CV import").
PROSE_MIN = {"skills": 0.7, "experience": 0.7, "summary": 0.8, "education": 0.9, "certifications": 0.8}
# bench/resume_eval.py --prose-min sets one value for every section through this (None: PROSE_MIN)
PROSE_MIN_CONFIDENCE: float | None = None
SKILLS_PER_TEXT = 40  # skills the extractor may propose per section or role
# What a person did, read as duties (verb + object, apps.candidates.resume.duties) and resolved by the
# normalizer, is kept at this confidence when the concept's labels name the duty (``_names_duty``). The
# normalizer's probability is calibrated on taxonomy labels: a duty written in a label's words ("managed
# budgets") comes back all but certain, and so does a near miss in other words ("supervise contractors"
# → *audit contractors*), which is why the labels must name it; with that check, the normalizer's own
# floor for a phrase (``RESOLVE_MIN``) is enough: on the ten dev CVs recall was 0.821 at 0.5 and 0.6,
# 0.811 at 0.7 and 0.779 at 0.8 (the floor before the naming rule was widened), precision 0.914-0.919
# throughout (bench/resume_eval.py --group dev, docs/quality.md "CV import").
DUTY_MIN = RESOLVE_MIN
# A Japanese duty (its labels cannot be compared word for word) goes the normalizer's foreign-phrase
# route, and only its confidence decides: right answers on the dev CVs came back at 0.72-0.97, wrong
# ones at 0.67 and under, or at 0.81 for a verbal noun read alone ("インストール", now read with its
# "<noun>の" as well).
JA_DUTY_MIN = 0.7
DUTY_SOURCES = ("experience",)
_PRIORITY = {s: i for i, s in enumerate(SOURCES)}


@dataclass
class Skill:
    """A proposed skill: the words of the CV, the concept (or None), where it was found and how sure."""

    phrase: str
    uri: str | None
    label: str | None
    source: str
    span: list[int] | None
    confidence: float
    context: str = ""


@dataclass
class ExperienceEntry:
    title: str
    organization: str
    start: str | None
    end: str | None
    skills: list[Skill] = field(default_factory=list)
    description: str = ""


@dataclass
class CredentialEntry:
    title: str
    issuer: str | None
    issued: str | None
    url: str | None


@dataclass
class EducationEntry:
    title: str
    institution: str
    start: str | None
    end: str | None


@dataclass
class Draft:
    """What a CV says, for a person to confirm: nothing here is evidence until confirmed."""

    file: str
    format: str | None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    skills: list[Skill] = field(default_factory=list)
    experience: list[ExperienceEntry] = field(default_factory=list)
    education: list[EducationEntry] = field(default_factory=list)
    credentials: list[CredentialEntry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    text: str = ""

    def as_dict(self, *, with_text: bool = False) -> dict[str, Any]:
        """The stateless contract's JSON object (docs/resume.md)."""

        def skill(s: Skill, *, top: bool = True) -> dict[str, Any]:
            d = {"phrase": s.phrase, "uri": s.uri, "label": s.label, "source": s.source, "span": s.span}
            d["confidence"] = round(s.confidence, 3)
            if not top:
                d.pop("source")
            return d

        out: dict[str, Any] = {
            "file": self.file,
            "format": self.format,
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "skills": [skill(s) for s in self.skills],
            "experience": [
                {
                    "title": e.title,
                    "organization": e.organization,
                    "start": e.start,
                    "end": e.end,
                    "skills": [skill(s, top=False) for s in e.skills],
                }
                for e in self.experience
            ],
            "education": [asdict(e) for e in self.education],
            "credentials": [asdict(c) for c in self.credentials],
            "errors": list(self.errors),
        }
        if with_text:
            out["text"] = self.text
        return out

    def to_json(self) -> dict[str, Any]:
        """Everything the confirm page shows (contexts and descriptions too, unlike ``as_dict``), as JSON
        data that ``from_json`` reads back: a draft kept while the person has not confirmed it yet. The
        extracted text is left out (nothing on the page shows it whole)."""
        out = asdict(self)
        out.pop("text")
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draft:
        """The draft ``to_json`` wrote."""
        fields = dict(data)
        skills = [Skill(**s) for s in fields.pop("skills", [])]
        roles = [
            ExperienceEntry(**{**e, "skills": [Skill(**s) for s in e.get("skills", [])]})
            for e in fields.pop("experience", [])
        ]
        education = [EducationEntry(**e) for e in fields.pop("education", [])]
        credentials = [CredentialEntry(**c) for c in fields.pop("credentials", [])]
        return cls(**fields, skills=skills, experience=roles, education=education, credentials=credentials)


def parse(data: bytes, filename: str, *, extract: Extract, resolve: Resolve, max_bytes: int | None = None) -> Draft:
    """The draft of one CV file. Never raises on bad input: what cannot be read is in ``errors``."""
    try:
        doc = read(data, filename, **({"max_bytes": max_bytes} if max_bytes else {}))
    except ResumeError as exc:
        return Draft(file=filename, format=None, errors=[str(exc)])
    except (RecursionError, MemoryError) as exc:
        return Draft(file=filename, format=None, errors=[f"unreadable file ({type(exc).__name__})"])
    return from_document(doc, filename, extract=extract, resolve=resolve)


# A draft is read in passes (``from_document``): a pass asks its questions of the memo, which answers what
# it knows and notes the rest; the rest is then asked all at once. The questions of one pass depend on
# the answers of the last (a one-word hit is checked with the normalizer), so a CV takes a few passes;
# this many at the most before the memo asks each question as it comes.
MAX_PASSES = 6


class _Memo:
    """``extract`` and ``resolve`` for a pass of ``from_document``: an answer already fetched, else an
    empty one (no hit, no concept) with the question noted; ``fetch`` then asks every noted question in
    one extractor call and one normalizer call. Each text is extracted and each phrase resolved once per
    CV, and the label index is scanned once per batch instead of once per bullet, section and duty (each
    was a pass over every label vector). The answers are the extractor's and normalizer's own, which
    read each text and phrase on its own; a pass that noted nothing saw only real answers, so its draft
    is the one the direct calls give. ``direct``: a question not known is asked at once (the last pass)."""

    def __init__(self, extract: Extract, resolve: Resolve) -> None:
        many = getattr(extract, "many", None)
        self._extract_many: Callable[[list[str]], list[list[dict]]] = (
            many if many is not None else (lambda texts: [extract(t) for t in texts])
        )
        self._resolve = resolve
        self.found: dict[str, list[dict]] = {}
        self.resolved: dict[str, dict | None] = {}
        self.texts: dict[str, None] = {}  # noted, not yet fetched (a dict: in the order asked)
        self.phrases: dict[str, None] = {}
        self.direct = False

    def __call__(self, text: str) -> list[dict]:
        return self.many([text])[0]

    def many(self, texts: Sequence[str]) -> list[list[dict]]:
        for t in texts:
            if t not in self.found:
                self.texts[t] = None
        if self.direct:
            self.fetch()
        # copies: a caller may tell hits apart by identity (prose_hits) or build on them
        return [[dict(h) for h in self.found.get(t, ())] for t in texts]

    def resolve(self, phrases: Sequence[str]) -> list[dict | None]:
        phrases = list(phrases)
        for p in phrases:
            if p not in self.resolved:
                self.phrases[p] = None
        if self.direct:
            self.fetch()
        out: list[dict | None] = []
        for p in phrases:
            ans = self.resolved.get(p)
            out.append(dict(ans) if ans is not None else None)
        return out

    def fetch(self) -> bool:
        """Ask what the last pass noted; False when it noted nothing (its draft is final)."""
        if not self.texts and not self.phrases:
            return False
        texts, self.texts = list(self.texts), {}
        phrases, self.phrases = list(self.phrases), {}
        if texts:
            self.found.update(zip(texts, self._extract_many(texts), strict=True))
        if phrases:
            self.resolved.update(zip(phrases, self._resolve(phrases), strict=True))
        return True


def from_document(doc: Document, filename: str, *, extract: Extract, resolve: Resolve) -> Draft:
    """The draft of a read document, with the taxonomy's questions batched (``_Memo``)."""
    memo = _Memo(extract, resolve)
    for n in range(MAX_PASSES):
        memo.direct = n == MAX_PASSES - 1
        draft = _from_document(doc, filename, extract=memo, resolve=memo.resolve)
        if not memo.fetch():
            return draft
    return draft


def _from_document(doc: Document, filename: str, *, extract: Extract, resolve: Resolve) -> Draft:
    draft = Draft(file=filename, format=doc.format, errors=list(doc.notes))
    if doc.data is not None:
        from .structured import fill_from_json

        fill_from_json(draft, doc.format, doc.data, extract=extract, resolve=resolve)
    else:
        _fill_from_text(draft, doc.text, extract=extract, resolve=resolve)
    draft.skills = dedupe(draft.skills)
    return draft


# --- text CVs --------------------------------------------------------------------------------------


def _context(text: str, start: int, end: int) -> str:
    """The line around a span (what the confirm page shows beside the skill)."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b < 0 else b
    line = text[a:b].strip()
    return line[:240]


def one_per_span(hits: list[dict]) -> list[dict]:
    """The best concept for each written span, spans not overlapping: words of a CV name one skill each.
    The extractor also proposes concepts a span merely suggests ("English" → *understand written
    English*, *German*); those stay out of a draft."""
    kept: list[dict] = []
    for h in sorted(hits, key=lambda h: -float(h.get("confidence", 1.0))):
        s, e = h["span"]
        if all(e <= k["span"][0] or s >= k["span"][1] for k in kept):
            kept.append(h)
    return kept


_QUALIFIER = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def prose_min(source: str) -> float:
    return PROSE_MIN_CONFIDENCE if PROSE_MIN_CONFIDENCE is not None else PROSE_MIN[source]


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip()


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:[+#.'’-][^\W_]+)*[+#]*", text.casefold())


def resembles(name: str, label: str) -> bool:
    """Whether ``label`` has a word sharing a stem with a word of ``name`` (five letters in common at
    the start, the whole of a shorter word, or the same stem: "troubleshooting" / "troubleshoot", "SAP" /
    "SAP R3", "tests" / "test"). ``label`` may hold the word stems of a concept's labels
    (apps.skills.normalizer.concept_words), which is why a word is compared by its stem too."""
    for w in _words(name):
        ws = stem(w)
        for t in _words(label):
            n = min(len(w), len(t))
            if (w[:n] == t[:n] and (n >= 5 or len(w) == len(t))) or ws == t or ws == stem(t):
                return True
    return False


def compound_of(name: str, label: str) -> bool:
    """Whether the one word ``name`` is two words of ``label`` written together ("Teamwork" / *work in
    teams*, "Bookkeeping" / *book keeping*): each part, three letters at least, shares a stem with one."""
    words = _words(name)
    if len(words) != 1 or len(words[0]) < 7:
        return False
    w = words[0]
    return any(resembles(w[:i], label) and resembles(w[i:], label) for i in range(3, len(w) - 2))


def _cjk(text: str) -> bool:
    return re.search(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]", text) is not None


def prose_hits(text: str, source: str, *, extract: Extract, resolve: Resolve, read_duties: bool = True) -> list[dict]:
    """The extractor's concepts in free text ``text``: one per written span, at the confidence the
    section calls for (``prose_min``). A concept evoked by a single word stays only when that word is
    its label or the normalizer, reading the word alone, gives the same concept at its floor: one word
    of a sentence ("workplace", "care", "reporting") is near many concepts it does not name, while
    "Python" names one."""
    if not text.strip():
        return []
    floor = prose_min(source)
    kept: list[dict] = []
    ask: list[dict] = []
    for h in one_per_span(extract(text)):
        if float(h.get("confidence", 1.0)) < floor:
            continue
        words = h.get("text") or text[h["span"][0] : h["span"][1]]
        if len(words.split()) == 1 and not _cjk(words) and _key(words) != _key(h.get("label") or ""):
            ask.append(h)
        else:
            kept.append(h)
    if ask:
        spans = [h.get("text") or text[h["span"][0] : h["span"][1]] for h in ask]
        for h, ans in zip(ask, resolve(spans), strict=True):
            if ans is not None and ans.get("uri") == h.get("uri") and float(ans.get("confidence", 0)) >= RESOLVE_MIN:
                kept.append(h)
    if source in DUTY_SOURCES and read_duties:
        kept += duty_hits(text, source, extract=extract, resolve=resolve)
        kept += _named_hits(text, source, extract=extract, resolve=resolve)
        # one hit per concept: the extractor's reading of the text first, then the duties'
        kept = list({h.get("uri") or id(h): h for h in reversed(kept)}.values())
    return sorted(kept, key=lambda h: h["span"][0])


# verbs that only say a duty was done, or helped with ("carried out risk assessments", "assisted with
# the maintenance of alarm systems"): the object names the skill
_LIGHT_VERBS = frozenset("carry perform conduct undertake provide do assist help".split())
# words of an object that say how often or how many, not what ("monthly payroll", "various reports")
_OBJECT_STOP = frozenset(
    """a an the and or of to for on in with at by new all our their its & / - daily weekly monthly quarterly
    annual yearly regular various multiple several""".split()
)


def _acts(label: str) -> bool:
    """Whether a concept's label begins with an action that is not a light verb ("audit contractors",
    "manage budgets"; not "electrical wiring diagrams", "perform software unit testing"): its verb must
    then be the duty's."""
    first = next(iter(_words(label)), "")
    return bool(base_forms(first)) and base_forms(first)[0] not in _LIGHT_VERBS


def _names_duty(duty: Duty, label: str, label_words: str) -> bool:
    """Whether a concept whose preferred label is ``label`` and whose labels hold ``label_words`` names
    the duty. Either the duty is in its labels: every word of the object shares a stem with them, and
    so does the verb unless the verb is a light one or the label states no action of its own (a
    knowledge concept, or "perform ..." / "carry out ...": "read wiring diagrams" names *electrical
    wiring diagrams*, "write unit tests" *perform software unit testing*); or the label is in the duty:
    each of its words (two at least) shares a stem with the duty's, so the duty is a case of that
    broader skill ("organise induction training" → *organise training*). A near concept in other words
    is the normalizer's guess and names neither way ("operate reach trucks" → *operate dump truck*,
    "supervise contractors" → *audit contractors*)."""
    words = [w for w in _words(duty.object) if w not in _OBJECT_STOP]
    verb = duty.phrases[0].split()[0]
    if words and all(resembles(w, label_words) for w in words):
        if verb in _LIGHT_VERBS or resembles(verb, label_words) or not _acts(label):
            return True
    own = [w for w in _words(label) if w not in _OBJECT_STOP]
    said = " ".join(duty.phrases)
    return len(own) >= 2 and all(resembles(w, said) for w in own)


def _named_hits(text: str, source: str, *, extract: Extract, resolve: Resolve) -> list[dict]:
    """The things ``text``'s lines name as lists (a "Tools:" line, the tools a duty was done "in" or
    "with": apps.candidates.resume.duties.named_items), read as the items of a skills list are
    (``listed``), in the extractor's hit format."""
    items = [
        (item, [s, e], _context(text, s, e)) for u in units(text) for item, s, e in named_items(text, u.start, u.end)
    ]
    if not items:
        return []
    return [
        {"uri": k.uri, "label": k.label, "span": k.span, "text": k.phrase, "confidence": k.confidence}
        for k in listed(items, source, extract=extract, resolve=resolve)
        if k.uri and k.span
    ]


def _duty_answer(duty: Duty, ans: dict | None) -> bool:
    """Whether the normalizer's answer for a reading of ``duty`` is its concept: confident
    (``DUTY_MIN``) and naming it (``_names_duty``). A Japanese duty and English labels share no words
    to compare: its confidence decides (``JA_DUTY_MIN``)."""
    if ans is None or not ans.get("uri"):
        return False
    if _cjk(duty.object):
        return float(ans.get("confidence", 0)) >= JA_DUTY_MIN
    label = ans.get("label") or ""
    return float(ans.get("confidence", 0)) >= DUTY_MIN and _names_duty(
        duty, label, " ".join([label, *(ans.get("words") or ())])
    )


def duty_hits(text: str, source: str, *, extract: Extract, resolve: Resolve) -> list[dict]:
    """Concepts of the duties of ``text``'s bullets and sentences (apps.candidates.resume.duties), in the
    extractor's hit format, spans on the duties' words: each duty's readings are resolved together and
    its concept is the surest answer that is confident and names the duty (``_duty_answer``); and the
    duties, written one per line, are read by the extractor as prose is."""
    found = [
        d
        for u in units(text)
        for d in (japanese_duties if _cjk(text[u.start : u.end]) else duties)(text, u.start, u.end)
    ]
    if not found:
        return []
    phrases = [p for d in found for p in d.phrases]
    answers = iter(resolve(phrases))
    out: list[dict] = []
    for d in found:
        # the surest of the readings' answers that names the duty
        best = None
        for _phrase in d.phrases:
            ans = next(answers)
            if ans is None or not _duty_answer(d, ans):
                continue
            if best is None or float(ans.get("confidence", 0)) > float(best.get("confidence", 0)):
                best = ans
        if best is None:
            continue
        out.append(
            {
                "uri": best["uri"],
                "label": best.get("label"),
                "span": [d.start, d.end],
                "text": text[d.start : d.end],
                "confidence": float(best["confidence"]),
            }
        )
    # the extractor reads the duties too, one per line in the base form: its unit is then the duty
    # itself, not the whole bullet around it ("carry out infection control", "operate counterbalance
    # forklifts"); a concept it finds there points at the duty's words in the CV
    plain = [d for d in found if not _cjk(d.object)]
    if plain:
        rewritten = "\n".join(d.phrases[0] for d in plain)
        starts = [0]
        for d in plain:
            starts.append(starts[-1] + len(d.phrases[0]) + 1)
        for h in prose_hits(rewritten, source, extract=extract, resolve=resolve, read_duties=False):
            line = max(i for i, st in enumerate(starts[:-1]) if st <= h["span"][0])
            d = plain[line]
            # the hit's own words when the CV writes them so ("wrote Python"), else the duty's
            words = h.get("text") or rewritten[h["span"][0] : h["span"][1]]
            at = text.casefold().find(words.casefold(), d.start, d.end) if words else -1
            s0, e0 = (at, at + len(words)) if at >= 0 else (d.start, d.end)
            out.append({**h, "span": [s0, e0], "text": text[s0:e0]})
    return out


def found_in(text: str, start: int, end: int, source: str, extract: Extract, resolve: Resolve) -> list[Skill]:
    """Skills the extractor finds in ``text[start:end]`` (``prose_hits``), spans shifted into ``text``."""
    chunk = text[start:end]
    out = []
    for hit in prose_hits(chunk, source, extract=extract, resolve=resolve):
        s, e = hit["span"]
        out.append(
            Skill(
                phrase=hit.get("text") or chunk[s:e],
                uri=hit.get("uri"),
                label=hit.get("label"),
                source=source,
                span=[start + s, start + e],
                confidence=float(hit.get("confidence", 1.0)),
                context=_context(text, start + s, start + e),
            )
        )
    return out


def extract_each(extract: Extract, texts: Sequence[str]) -> list[list[dict]]:
    """``extract`` of each of ``texts``: in one call when the extractor reads several texts together
    (a ``many`` method, as apps.candidates.services.resume_parse's has), else one by one."""
    many = getattr(extract, "many", None)
    if many is not None and texts:
        return list(many(list(texts)))
    return [extract(t) for t in texts]


def listed(
    items: Sequence[tuple[str, list[int] | None, str]], source: str, *, extract: Extract, resolve: Resolve
) -> list[Skill]:
    """Skills from a list of (item text, its span or None, context). An item of a list names one skill:
    its concept is the more confident of the extractor's best concept in it and the normalizer's answer
    for the whole item (that one at the normalizer's floor, ``RESOLVE_MIN``); an item with neither is
    kept as written, without a concept. An item longer than ``MAX_ITEM_WORDS`` words is a sentence and
    read as prose. Two items in other words never share a concept: the less sure one keeps its words
    without it ("Communication" is not "English" because the normalizer finds them close)."""
    out: list[Skill] = []
    short: list[tuple[str, list[int] | None, str]] = []
    for item, span, context in items:
        if len(item.split()) <= MAX_ITEM_WORDS:
            short.append((item, span, context))
            continue
        for hit in prose_hits(item, source, extract=extract, resolve=resolve):
            s, e = hit["span"]
            out.append(
                Skill(
                    phrase=hit.get("text") or item[s:e],
                    uri=hit.get("uri"),
                    label=hit.get("label"),
                    source=source,
                    span=[span[0] + s, span[0] + e] if span else None,
                    confidence=float(hit.get("confidence", 1.0)),
                    context=context or item,
                )
            )
    # "English (fluent)", "Python (5 years)", "日本語（ネイティブ）": the bracket qualifies the skill
    bare = [_QUALIFIER.sub("", t) or t for t, _, _ in short]
    answers = resolve(bare) if short else []
    extracted = extract_each(extract, [item for item, _, _ in short])
    picks: list[tuple[float, int, dict | None]] = []
    for n, (item, ans) in enumerate(zip(bare, answers, strict=True)):
        best: dict | None = None
        if ans is not None and ans.get("uri") and float(ans.get("confidence", 0)) >= _item_floor(item, ans):
            best = {
                "uri": ans["uri"],
                "label": ans.get("label"),
                "confidence": float(ans["confidence"]),
                "words": ans.get("words") or (),
            }
        # the extractor's concept counts for the item when its words are the item, or more than one
        # word of it, or a label: one word inside an item ("Office" of "Microsoft Office") is not the skill
        hits = [
            h
            for h in extracted[n]
            if len((h.get("text") or item[h["span"][0] : h["span"][1]]).split()) > 1
            or _key(h.get("text") or item[h["span"][0] : h["span"][1]]) in (_key(item), _key(h.get("label") or ""))
            or _cjk(item)
        ]
        if hits:
            top = max(hits, key=lambda h: float(h.get("confidence", 1.0)))
            if best is None or float(top.get("confidence", 1.0)) > best["confidence"]:
                best = {
                    "uri": top.get("uri"),
                    "label": top.get("label"),
                    "confidence": float(top.get("confidence", 1.0)),
                    "span": top["span"],
                    "text": top.get("text") or item[top["span"][0] : top["span"][1]],
                    "words": top.get("words") or (),
                }
        if (
            best is not None
            and len(item.split()) == 1
            and not _cjk(item)
            and not _names_item(item, " ".join([best.get("label") or "", *(best.get("words") or ())]))
            and best["confidence"] < NAME_MIN
        ):
            best = None
        picks.append((best["confidence"] if best else 0.0, n, best))
    # the surest item first claims its concept; another item in other words does not take it again
    taken: dict[str, str] = {}
    chosen: dict[int, dict | None] = {}
    for _conf, n, best in sorted(picks, key=lambda p: (-p[0], p[1])):
        uri = best.get("uri") if best else None
        if uri and uri in taken and taken[uri] != _key(short[n][0]):
            best = None
        elif uri:
            taken[uri] = _key(short[n][0])
        chosen[n] = best
    for n, (item, span, context) in enumerate(short):
        best = chosen[n]
        if best is None:
            out.append(Skill(item, None, None, source, span, 0.0, context or item))
            continue
        # the words that name it: the extractor's span inside the item, else the whole item
        s, e = best.get("span") or [0, len(item)]
        out.append(
            Skill(
                phrase=best.get("text") or item,
                uri=best["uri"],
                label=best.get("label"),
                source=source,
                span=[span[0] + s, span[0] + e] if span else None,
                confidence=best["confidence"],
                context=context or item,
            )
        )
    return out


def _item_floor(item: str, ans: dict) -> float:
    """The confidence at which the normalizer's answer for a listed item is its concept: its floor
    (``RESOLVE_MIN``), or ``NAMED_ITEM_MIN`` when the item has two words at least and each of them
    shares a stem with the concept's labels ("Microsoft Office" / *use Microsoft Office*)."""
    words = [w for w in _words(item) if w not in _OBJECT_STOP]
    label_words = " ".join([ans.get("label") or "", *(ans.get("words") or ())])
    if len(words) >= 2 and not _cjk(item) and all(resembles(w, label_words) for w in words):
        return NAMED_ITEM_MIN
    return RESOLVE_MIN


def _names_item(item: str, label_words: str) -> bool:
    return resembles(item, label_words) or compound_of(item, label_words)


def _fill_from_text(draft: Draft, text: str, *, extract: Extract, resolve: Resolve) -> None:
    draft.text = text
    parts = sx.split_sections(text)
    header = "\n".join(text[p.start : p.end] for p in parts if p.kind == "header")
    draft.name = sx.find_name(header or text[:500])
    draft.email = sx.find_email(header) or sx.find_email(text)
    draft.phone = sx.find_phone(header) or sx.find_phone(text)
    if not any(p.kind in SOURCES for p in parts):
        # no heading at all: read the whole text as a summary, so a plain letter still yields skills
        draft.skills += found_in(text, 0, len(text), "summary", extract, resolve)
        return
    # the items of every skills section are read together, so that no item is taken for a concept
    # that another one names (listed)
    items = [
        (ln.text, [ln.start, ln.end], _context(text, ln.start, ln.end))
        for part in parts
        if part.kind == "skills"
        for ln in sx.skill_items(text, part)
    ]
    draft.skills += listed(items, "skills", extract=extract, resolve=resolve)
    for part in parts:
        if part.kind == "experience":
            entries = sx.parse_entries(text, part)
            if not entries:
                draft.skills += found_in(text, part.start, part.end, "experience", extract, resolve)
            for e in entries:
                found: list[Skill] = []
                if e.body:
                    found = found_in(text, e.body[0].start, e.body[-1].end, "experience", extract, resolve)
                draft.experience.append(
                    ExperienceEntry(
                        title=e.title,
                        organization=e.organization,
                        start=e.start,
                        end=e.end,
                        skills=found,
                        description=text[e.body[0].start : e.body[-1].end] if e.body else "",
                    )
                )
                draft.skills += found
        elif part.kind == "education":
            for e in sx.parse_entries(text, part):
                draft.education.append(EducationEntry(e.title, e.organization, e.start, e.end))
            draft.skills += found_in(text, part.start, part.end, "education", extract, resolve)
        elif part.kind == "certifications":
            for c in sx.certification_lines(text, part):
                draft.credentials.append(CredentialEntry(c["title"], c["issuer"], c["issued"], c["url"]))
                ln = c["line"]
                at = text.find(c["title"], ln.start, ln.end)
                if at >= 0:
                    draft.skills += found_in(text, at, at + len(c["title"]), "certifications", extract, resolve)
        elif part.kind == "summary":
            draft.skills += found_in(text, part.start, part.end, "summary", extract, resolve)


def dedupe(skills: list[Skill]) -> list[Skill]:
    """One proposal per concept (per written phrase when there is no concept), keeping the one from the
    most telling section: a skill listed under Skills before the same skill named in a role."""
    best: dict[str, Skill] = {}
    order: list[str] = []
    for s in skills:
        key = s.uri or "phrase:" + re.sub(r"\s+", " ", s.phrase.casefold()).strip()
        if key not in best:
            best[key] = s
            order.append(key)
        elif (_PRIORITY[s.source], -s.confidence) < (_PRIORITY[best[key].source], -best[key].confidence):
            best[key] = s
    return [best[k] for k in order]
