"""The duties of a CV's role bullets as short skill phrases (no Django).

A CV names most of its skills in what the person did, written as verb + object ("Negotiated supplier
contracts", "Loaded and unloaded delivery vehicles", "Plan and deliver lessons"), and the taxonomy
names skills the same way in the base form ("negotiate supplier arrangements", "load cargo"). The
extractor reads a whole bullet as one sentence-level unit and its n-grams, and on a CV that reading
often misses the duty that the bullet's words state plainly ("managed payroll for 240 employees").
This module cuts a bullet into its duties:

- clauses at ";", ","-separated verbs and "and" before a verb ("Prepared financial statements and
  managed budgets" → two duties);
- coordinated verbs share the object that follows them ("Loaded and unloaded delivery vehicles",
  "Recruited, trained and scheduled a team");
- coordinated objects share the verb before them ("Supervise picking, packing and dispatch");
- the verb goes to its base form (regular endings and the common irregular past forms; an "-ed"
  form whose base may or may not end in "e" gives both spellings to try);
- a lead-in that only says the duty was the person's is left out ("Responsible for managing payroll"),
  and a clause that opens with an action noun reads as its verb ("Preparation of VAT returns" →
  "prepare VAT returns");
- the object ends where a modifier begins (a preposition, a number: "for 240 employees", "of INR 40
  crore"); the phrase with that modifier is kept as a second reading ("present results to
  stakeholders").

A verb is a word of ``VERBS`` (base forms of the action verbs CVs use) in any of its forms, or the
first word of a bullet. Callers resolve the phrases with the normalizer and keep confident answers
(apps.candidates.resume.draft).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERBS = frozenset(
    """accomplish achieve adapt add address adjust administer advise advocate allocate analyse analyze answer
    apply appoint appraise approve arrange assemble assess assign assist attend audit automate balance bake
    bill book brief budget build calculate calibrate care carry catalogue categorise chair champion change
    check clean clear close coach code collaborate collect combine communicate compile complete comply
    compose compute conduct configure consolidate construct consult contribute control convert cook
    coordinate correct cost counsel count create cultivate cut debug decorate define delegate deliver
    demonstrate deploy design detect determine develop devise diagnose direct discharge dispatch dispense
    display distribute document draft draw dress drive edit educate empower enable encourage engage
    engineer enforce enhance ensure enter establish estimate evaluate examine execute expand expedite
    explain facilitate file fill finalise finalize fit fix forecast form formulate foster fulfil fulfill
    gather generate greet grow guide handle help hire host identify implement improve increase influence
    inform initiate innovate inspect install instruct integrate interpret interview introduce inventory
    investigate invoice issue keep label launch lead liaise load locate log maintain manage map market
    measure mediate mentor merge migrate minimise minimize model moderate modernise monitor motivate
    negotiate nurse nurture observe obtain onboard open operate optimise optimize order organise organize
    outline oversee pack package participate perform photograph pick pilot pitch place plan prepare
    present prevent price prioritise prioritize process procure produce program programme promote
    proofread propose prospect protect prototype provide publish purchase qualify raise read rebuild
    receive recommend reconcile record recruit redesign reduce refactor refine register rehabilitate
    release remove renew repair replace replenish report represent research resolve respond restock
    restore retain review revise rotate run safeguard schedule screen secure select sell serve service set
    settle ship shortlist simplify solve sort source speak specify staff standardise standardize start
    steer stock store streamline strengthen structure study submit supervise supply support survey
    sustain take teach test track trade train transcribe transform translate transport treat triage
    troubleshoot tutor undertake unload update upgrade use validate verify visit wash weld win work write""".split()
)
IRREGULAR = {
    "led": "lead",
    "wrote": "write",
    "written": "write",
    "ran": "run",
    "built": "build",
    "rebuilt": "rebuild",
    "taught": "teach",
    "made": "make",
    "kept": "keep",
    "held": "hold",
    "upheld": "uphold",
    "met": "meet",
    "sold": "sell",
    "bought": "buy",
    "drove": "drive",
    "driven": "drive",
    "gave": "give",
    "given": "give",
    "took": "take",
    "taken": "take",
    "oversaw": "oversee",
    "overseen": "oversee",
    "undertook": "undertake",
    "began": "begin",
    "brought": "bring",
    "sought": "seek",
    "won": "win",
    "spoke": "speak",
    "grew": "grow",
    "grown": "grow",
    "drew": "draw",
    "drawn": "draw",
    "fed": "feed",
    "dealt": "deal",
    "found": "find",
    "told": "tell",
    "sent": "send",
    "spent": "spend",
    "understood": "understand",
    "chose": "choose",
    "flew": "fly",
    "swept": "sweep",
    "set": "set",
    "cut": "cut",
    "put": "put",
}
# Words that end an object and begin a modifier (whom for, where, how, how much).
_MODIFIER = frozenset(
    """for across on at in with using via to from against into during per every each within by through over
    under alongside including such as while when after before so which who where whose that than like
    throughout around""".split()
)
_FREQUENCY = frozenset("daily weekly monthly quarterly annually yearly regularly".split())
_PARTICLES = frozenset("out up down off over back".split())  # "carry out", "set up", "follow up"
_NUMBERS = frozenset("one two three four five six seven eight nine ten twelve fifteen twenty several".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]|\d[\d,.]*%?|[^\sA-Za-z\d]")
_CLAUSE_BREAK = frozenset(";:()[]|•")
MAX_OBJECT_WORDS = 5
MAX_PHRASES = 12  # per bullet: a long paragraph gives no more than this


@dataclass(frozen=True)
class Duty:
    """One duty of a bullet: its readings (best first, each "verb object …" in base form) and the span
    of the words it was read from (offsets into the text given)."""

    phrases: tuple[str, ...]
    start: int
    end: int
    object: str  # the words of the object alone


def base_forms(word: str) -> list[str]:
    """The base forms ``word`` may be of, when it is a verb ("managed" → ["manage"], "trained" →
    ["train"], "planned" → ["plan"], "carries" → ["carry"]); [] for no verb. A form of a word not in
    ``VERBS`` is a verb only when it ends in "-ed" (then both spellings are returned when neither is
    known: "audited" → ["audit", "audite"])."""
    w = word.casefold().replace("’", "'")
    if w in IRREGULAR:
        return [IRREGULAR[w]]
    if w in VERBS:
        return [w]
    cands: list[str] = []
    if w.endswith("ied") or w.endswith("ies"):
        cands.append(w[:-3] + "y")
    if w.endswith("ed"):
        cands += [w[:-1], w[:-2]]
        if len(w) > 4 and w[-3] == w[-4] and w[-3] not in "aeiouls":
            cands.append(w[:-3])  # planned → plan
    if w.endswith("ing"):
        cands += [w[:-3], w[:-3] + "e"]
        if len(w) > 5 and w[-4] == w[-5]:
            cands.append(w[:-4])
    if w.endswith("es"):
        cands.append(w[:-2])
    if w.endswith("s"):
        cands.append(w[:-1])
    known = [c for c in cands if c in VERBS]
    if known:
        return known[:1]
    if w.endswith("ed") and len(w) > 4:
        return [w[:-2], w[:-1]]
    return []


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end)]


def duties(text: str, start: int = 0, end: int | None = None) -> list[Duty]:
    """The duties of the bullet or sentence ``text[start:end]`` (see the module docstring)."""
    end = len(text) if end is None else end
    toks = _tokens(text, start, end)
    while toks and not toks[0][2][0].isalnum():  # a bullet's marker
        toks = toks[1:]
    if not toks:
        return []
    # the bullet as clauses, each a list of tokens; ";" and brackets always cut
    clauses: list[list[tuple[int, int, str]]] = [[]]
    for t in toks:
        if t[2] in _CLAUSE_BREAK or t[2] == ".":
            clauses.append([])
        else:
            clauses[-1].append(t)
    out: list[Duty] = []
    for clause in clauses:
        clause = _lead_in(clause)
        out += _clause_duties(text, clause) + _noun_duty(text, clause)
        if len(out) >= MAX_PHRASES:
            break
    return out[:MAX_PHRASES]


def _is_verb_at(clause: list[tuple[int, int, str]], i: int) -> bool:
    w = clause[i][2]
    if not w[0].isalpha():
        return False
    forms = base_forms(w)
    if not forms:
        return False
    if i == 0:
        return True
    low = w.casefold()
    # after "and" or a comma, a base form of a known verb is a verb only when an object follows it
    # ("Plan and deliver lessons"); at the end of a list it is a noun ("picking, packing and dispatch")
    if (low in VERBS or (low.endswith("ing") and forms[0] in VERBS)) and not low.endswith("ed"):
        nxt = clause[i + 1][2] if i + 1 < len(clause) else ""
        return bool(nxt) and nxt[0].isalnum() and nxt.casefold() not in _MODIFIER and nxt.casefold() != "and"
    return low.endswith("ed") or low in IRREGULAR


# Words before a duty that say only that it was the person's ("Responsible for managing payroll", "In
# charge of stock control"): the duty begins after them.
LEAD_INS = (
    ("responsible", "for"),
    ("accountable", "for"),
    ("in", "charge", "of"),
    ("involved", "in"),
    ("tasked", "with"),
    ("duties", "included"),
    ("duties", "include"),
)
_ARTICLES = frozenset("a an the".split())
_PRONOUNS = frozenset("i we".split())
_LIST_WORDS = frozenset("and or & / ,".split())
# the action nouns of verbs ("preparation", "management", "supervision", "analysis"): a clause that
# begins "<action noun> of <object>" states the duty "<verb> <object>" ("Preparation of VAT returns")
_NOUN_ENDINGS = (("ation", ""), ("ation", "e"), ("ation", "ate"), ("ition", "ite"), ("ion", ""), ("ion", "e"))
_NOUN_ENDINGS += (("ment", ""), ("ance", "ain"), ("ance", ""), ("ysis", "yse"), ("ysis", "yze"), ("ery", "er"))
_NOUN_ENDINGS += (("al", ""), ("ing", ""), ("ing", "e"))
_ACTION_NOUNS = {"maintenance": "maintain", "approval": "approve", "sale": "sell", "sales": "sell"}


def action_verb(noun: str) -> str | None:
    """The verb of ``VERBS`` whose action ``noun`` names ("preparation" → "prepare", "maintenance" →
    "maintain", "analysis" → "analyse"), else None."""
    w = noun.casefold()
    if w in _ACTION_NOUNS:
        return _ACTION_NOUNS[w]
    for ending, verb_end in _NOUN_ENDINGS:
        if w.endswith(ending) and len(w) > len(ending) + 2:
            stem_ = w[: -len(ending)]
            for cand in (stem_ + verb_end, stem_[:-1] + verb_end if stem_[-1:] == stem_[-2:-1] else ""):
                if cand in VERBS:
                    return cand
    return None


def _lead_in(clause: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``clause`` from its duty on: a lead-in (``LEAD_INS``) and an article after it left out, and an
    opening "<action noun> of" read as the verb ("Preparation of" → "prepare", at the noun's offsets).
    A pronoun and adverbs before the verb are left out too ("I managed", "Successfully delivered")."""
    low = [t[2].casefold() for t in clause]
    # "I managed …", "Successfully delivered …": a pronoun and adverbs before the verb
    while low and (low[0] in _PRONOUNS or (len(low[0]) > 4 and low[0].endswith("ly") and not base_forms(low[0]))):
        clause, low = clause[1:], low[1:]
    for lead in LEAD_INS:
        if tuple(low[: len(lead)]) == lead:
            clause, low = clause[len(lead) :], low[len(lead) :]
            break
    if low and low[0] in _ARTICLES:
        clause, low = clause[1:], low[1:]
    if len(clause) > 2 and low[1] == "of" and not base_forms(clause[0][2]):
        verb = action_verb(clause[0][2])
        if verb:
            return [(clause[0][0], clause[0][1], verb), *clause[2:]]
    return clause


def _noun_duty(text: str, clause: list[tuple[int, int, str]]) -> list[Duty]:
    """A clause written as "<object> <action noun>" ("Payroll processing for 200 staff", "Stock
    replenishment", "Data analysis and reporting") as the duty "<verb> <object>" ("process payroll"):
    two to four words before any modifier or list, the last naming the action of a known verb
    (``action_verb``), the first no verb (a clause that opens with one is read as verb + object)."""
    cut = next(
        (i for i, t in enumerate(clause) if t[2].casefold() in _MODIFIER | _LIST_WORDS or not t[2][0].isalpha()),
        len(clause),
    )
    head = clause[:cut]
    if not 2 <= len(head) <= 4 or base_forms(head[0][2]):
        return []
    verb = action_verb(head[-1][2])
    if not verb:
        return []
    words = text[head[0][0] : head[-2][1]]
    return [Duty((f"{verb} {words}",), head[0][0], head[-1][1], words)]


def _clause_duties(text: str, clause: list[tuple[int, int, str]]) -> list[Duty]:
    if not clause or not _is_verb_at(clause, 0):
        return []
    # groups: runs "verb [object...]" cut at a verb that follows "and" or ","
    heads = [0]
    for i in range(1, len(clause)):
        prev = clause[i - 1][2].casefold()
        if prev in ("and", ",", "&", "then", "/") and _is_verb_at(clause, i):
            heads.append(i)
    groups = []
    for n, h in enumerate(heads):
        stop = heads[n + 1] if n + 1 < len(heads) else len(clause)
        verb = [clause[h]]
        body = clause[h + 1 : stop]
        if body and body[0][2].casefold() in _PARTICLES:
            verb, body = verb + body[:1], body[1:]
        while body and body[-1][2].casefold() in ("and", ",", "&", "then", "/"):
            body = body[:-1]
        groups.append((verb, body))
    # a verb without an object shares the next verb's object ("Loaded and unloaded delivery vehicles")
    for n in range(len(groups) - 2, -1, -1):
        if not groups[n][1]:
            groups[n] = (groups[n][0], groups[n + 1][1])
    out: list[Duty] = []
    for verb, body in groups:
        if not body:
            continue
        forms = [" ".join([f, *(t[2].casefold() for t in verb[1:])]) for f in base_forms(verb[0][2])]
        objects, rest = _objects(body)
        tail = text[rest[0][0] : rest[-1][1]] if rest else ""
        if not objects:  # "Deployed to cloud services": the modifier is all there is
            if tail:
                out.append(Duty(tuple(f"{f} {tail}" for f in forms), verb[0][0], rest[-1][1], tail))
            continue
        for obj in objects:
            words = text[obj[0][0] : obj[-1][1]]
            phrases = [f"{f} {words}" for f in forms]
            if tail and obj is objects[-1]:
                phrases.append(f"{forms[0]} {words} {tail}")
            out.append(Duty(tuple(phrases), verb[0][0], obj[-1][1], words))
    return out


def _objects(body: list[tuple[int, int, str]]) -> tuple[list[list[tuple[int, int, str]]], list]:
    """The objects of a verb (a coordinated list shares it: "picking, packing and dispatch") and the
    modifier after them, which the longest reading keeps ("to stakeholders")."""
    cut = len(body)
    for i, t in enumerate(body):
        low = t[2].casefold()
        if low in _MODIFIER or t[2][0].isdigit() or low in _NUMBERS:
            cut = i
            break
        if low == "of" and any(x[2][0].isdigit() or x[2].casefold() in _NUMBERS for x in body[i + 1 : i + 3]):
            cut = i  # "a team of 15", "a budget of INR 40 crore"
            break
    head, rest = body[:cut], body[cut:]
    items: list[list[tuple[int, int, str]]] = [[]]
    for t in head:
        if t[2].casefold() in (",", "and", "&", "or", "/"):
            items.append([])
        elif t[2][0].isalnum():
            items[-1].append(t)
    items = [it[:MAX_OBJECT_WORDS] for it in items if it]
    if items and len(items[-1]) > 1 and items[-1][-1][2].casefold() in _FREQUENCY:
        items[-1] = items[-1][:-1]  # "used a warehouse management system daily"
    # "health and safety procedures" is one object; "wireframes and user journeys", "picking, packing and
    # dispatch" are several: the parts of a list of things are plural or "-ing" nouns
    if len(items) > 1 and len(items[-1]) > 1:
        singles = [it[0][2].casefold() for it in items[:-1] if len(it) == 1]
        if len(singles) == len(items) - 1 and not all(w.endswith(("s", "ing")) for w in singles):
            words = [t for t in head if t[2][0].isalnum() or t[2] == "&"]
            return [words[: MAX_OBJECT_WORDS + 2]], rest
    return items, rest


_COLON_LIST = re.compile(r"^[\s•·▪●■◦*\-–—]*(?P<label>[A-Za-z][\w &/+-]{1,30})\s*:\s*(?P<items>\S.*)$")
_TOOL_CUE = re.compile(r"\b(?:in|with|using|via|on|to|into|from|against)\s+(?=[A-Z0-9])")
_TOOL_NAME = re.compile(r"[A-Z0-9][\w.+#/-]*(?:\s+[A-Z0-9][\w.+#/-]*){0,3}")


def named_items(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """The things a line names as a list: the items after a label and a colon ("Tools: Airflow, dbt,
    Snowflake") and the tools after "in", "with", "using" ("pipelines in Airflow and Python", "prototypes
    in Figma"): (item, start, end), offsets into ``text``. A tool is a run of capitalized words (names
    are written so); lower-case words after "in" are a place or a field, not a tool."""
    end = len(text) if end is None else end
    line = text[start:end]
    m = _COLON_LIST.match(line)
    out: list[tuple[str, int, int]] = []
    if m and ("," in m.group("items") or "、" in m.group("items")):
        base = start + m.start("items")
        for piece in re.finditer(r"[^,;、/]+", m.group("items")):
            raw = piece.group()
            item = raw.strip().rstrip(".")
            if item and len(item.split()) <= 6:
                s = base + piece.start() + (len(raw) - len(raw.lstrip()))
                out.append((item, s, s + len(item)))
        return out
    for cue in _TOOL_CUE.finditer(line):
        pos = cue.end()
        while True:
            name = _TOOL_NAME.match(line, pos)
            if not name:
                break
            out.append((name.group(), start + name.start(), start + name.end()))
            sep = re.match(r"\s*(?:,|and|&|or)\s*", line[name.end() :])
            if not sep or not sep.group().strip():
                break
            pos = name.end() + sep.end()
    return out


# Japanese duties: "<object>を<verb>" ("チームをリード", "決済 API を設計・開発") and "<object>の<verbal noun>"
# at a clause's end ("単体テストの整備"). The object is what follows the last particle before を (で, に,
# へ, の: "Go と PostgreSQL で決済 API" → "決済 API"); verbs joined by "・" share it.
_JA_VERB = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ffー]+(?:・[\u4e00-\u9fff\u30a0-\u30ffー]+)*")
_JA_PARTICLE = re.compile(r"(?:で|に|へ|の|から|まで|として|より)")
_JA_CLAUSE = re.compile(r"[、。，．,;；\n]|(?<=[\u4e00-\u9fff])し(?=[、\s])")
# verbal nouns that only say a duty was done: the object names the skill ("コードレビューを担当")
_JA_COUNT = re.compile(r"[\d\s]*[年名件人ヶか月]*")  # "5名", "3年": a count, no object
JA_LIGHT = frozenset("担当 実施 対応 推進 遂行 従事 経験".split())


def japanese_duties(text: str, start: int = 0, end: int | None = None) -> list[Duty]:
    """The duties of a Japanese line ``text[start:end]`` (see above)."""
    end = len(text) if end is None else end
    out: list[Duty] = []
    pos = start
    bounds = [m.start() for m in _JA_CLAUSE.finditer(text, start, end)] + [end]
    for stop in bounds:
        c0, c1 = pos, stop
        pos = stop + 1
        clause = text[c0:c1]
        at = clause.rfind("を")
        if at > 0:
            verb_m = _JA_VERB.match(clause, at + 1)
            obj_text = clause[:at]
        else:
            tail = re.search(r"の(?P<v>[\u4e00-\u9fff]{2})\s*$", clause)
            if not tail:
                continue
            verb_m = _JA_VERB.match(clause, tail.start("v"))
            obj_text = clause[: tail.start()]
        if not verb_m:
            continue
        parts = list(_JA_PARTICLE.finditer(obj_text))
        head = obj_text[parts[-1].end() :] if parts else obj_text
        head = re.sub(r"^[\s\-–—•・*]+", "", head).strip()
        if not head or len(head) > 30 or _JA_COUNT.fullmatch(head):
            continue
        s = c0 + obj_text.index(head)
        # "<noun>の<head>": the noun before の says what the head is of, and a verbal noun alone often
        # names no skill ("ソフトウェアのインストール", software installation, not "インストール"): that
        # longer object is a second reading
        heads = [head]
        if parts and parts[-1].group() == "の":
            before = obj_text[parts[-2].end() if len(parts) > 1 else 0 : parts[-1].start()]
            before = re.sub(r"^[\s\-–—•・*]+", "", before).strip()
            if before and len(before) + len(head) <= 30 and not _JA_COUNT.fullmatch(before):
                heads.append(f"{before}の{head}")
                s = c0 + obj_text.index(before)
        for verb in verb_m.group().split("・"):
            phrases = tuple(h if verb in JA_LIGHT else f"{h}を{verb}" for h in heads)
            out.append(Duty(phrases, s, c0 + verb_m.end(), head))
    return out
