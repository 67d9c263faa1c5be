"""Skill extraction from free text (job descriptions, CVs, credential criteria) — no Django.

The text is read the way annotators of job-ad sentences read it (SkillSpan/WorkRB: "which taxonomy
skills does this sentence ask for?"), not only as a bag of phrases that happen to be labels:

1. **Units.** The text is cut into units: lines, bullet points and sentences. Each unit is scored on its
   own and a concept's score in the text is its best unit's. A line ending in ":" ("Nice to have:",
   "Requirements:") is a heading: the bullets under it inherit its cue.
2. **Cues.** A unit (or the part of it after the cue) is *optional* when it says "nice to have", "a
   plus", "preferred", "bonus", ...; a mention is *negated* when a negation ("no", "not required",
   "without", "no need for") governs its clause. Both are reported per suggestion; negated ones are never
   suggested for the editor.
3. **Segments.** Inside a unit: the unit itself, its clauses (commas, semicolons, brackets, list
   conjunctions) and word n-grams (1..``MAX_WORDS`` words, bounded by content words) — sentence,
   clause and span level. Lists ("Java, Python and C++") fall apart into their items this way.
4. **Signals per concept** (each a row over all concepts, from the taxonomy index):
   - the unit's cosine to the concept's labels (best label and preferred label) under the primary
     encoder and under the auxiliary one: the implied, sentence-level reading;
   - the best segment's cosine (clause or span), less a penalty for one-word spans: the explicit reading;
   - the unit's cosine to the concept's definition (the first sentence of its description);
   - a verbatim label among the n-grams (technology names and acronyms are labels in ESCO: "SQL",
     "PostgreSQL", "Git"); a one-word label that many concepts share ("design") counts for less unless the
     text writes it as an acronym ("ETL");
   - a prior: how many occupations hold the concept as essential (skills that many jobs ask for are
     more often what an ad means), from the imported occupation relations.
   The weighted sum ranks the concepts; the weights were tuned on the validation sentences of TECH and
   HOUSE only (docs/quality.md "Extraction on job-ad sentences"). Two stages keep it fast: each unit is
   compared with every label of every concept, which picks a shortlist of candidates; its clauses and
   n-grams are compared with the shortlisted concepts' labels only, and at most ``ngram_budget``
   n-grams per text are encoded (those with the rarest words first).
5. **Confidence.** A logistic map of the score, fitted on the same validation sentences, so that
   ``confidence`` estimates the probability that the concept is one an annotator marks. ``suggested`` is
   ``confidence >= SUGGEST_CONFIDENCE`` and not negated: what the job editor shows by default. A concept
   whose best evidence is the whole unit (no clause or span close to it) is ``implied``.

Returns a ranked list, one entry per concept (best first), long enough to rank by (``top_k``); spans may
overlap (a clause can evidence two skills). Used by apps.skills.services.skills_extract (API POST
/api/v1/skills/extract/, the job editor, the CV parser and the credential importer).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from .normalizer import TaxonomyIndex, tokens
from .text import normalize_phrase

MAX_WORDS = 5
MAX_CHARS = 20_000  # longer texts are cut: a description, not a book
MAX_UNIT_CHARS = 600  # a unit longer than this (a paragraph without punctuation) is cut into pieces
# Kept for callers that ask for "confident" answers only: the same floor as SUGGEST_CONFIDENCE.
MIN_CONFIDENCE = 0.0
SUGGEST_CONFIDENCE = 0.55
COMMON_WORD_CONCEPTS = 8  # a one-word label whose word occurs in more concepts' labels than this is "common"

# Words that never begin or end a skill span (they may sit inside one: "health and safety").
STOPWORDS = frozenset(
    """a an the and or nor but if then than so as of to in on at by for with from into onto about over under
    via per within without across through between among during after before while since until upon
    is are was were be been being am do does did done have has had having will would shall should can could
    may might must need needs needed i me my we our ours you your yours he him his she her it its they them
    their this that these those there here who whom whose which what when where why how all any both each
    few more most other some such no not only own same very just also too etc e.g i.e eg ie
    able ability abilities experience experienced strong excellent good great solid proven demonstrated
    knowledge understanding familiarity familiar skills skill skilled proficiency proficient working work
    years year plus including include includes etc. well new key required requirements require requires
    responsible responsibilities role candidate candidates team us please apply job position
    経験 実務 必須 歓迎 尚可 能力 スキル 知識 使用 業務 以上 年 年以上 方 もの こと""".split()
)
# Content words that alone say nothing about a skill (a span made only of these is dropped).
FILLER = frozenset("ensure ensures ensuring make makes making use uses using used help helps support various".split())

# Words: Latin-script words (with the characters of "node.js", "C++", "C#", "CI/CD"), and in Japanese runs
# of one script each (katakana, kanji, hiragana), since Japanese writes no spaces: "Pythonでのデータ分析"
# is "Python", "での", "データ", "分析". Pure-hiragana words are particles and endings (JA_FUNCTION).
_CJK = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f々〆ー"
_LATIN = rf"[^\W_{_CJK}](?:(?:[^\W{_CJK}]|[+#.'’/-])*(?:[^\W{_CJK}]|[+#]))?"
_WORD = re.compile(
    rf"[\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9fー]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]+|[\u3040-\u309f]+|{_LATIN}"
)
_HIRAGANA = re.compile(r"[\u3040-\u309f]+")
_CLAUSE = re.compile(
    r"[.!?;:,()\[\]{}|•·▪●■◦\n\r\t]+(?=\s|$)|[;,()\[\]{}|•·▪●■◦\n\r\t、。，．・；：！？（）「」『』【】／〜]+|\s[-–—*]\s"
)
# Units: line breaks, bullets, and sentence ends followed by a space.
_UNIT = re.compile(r"[\n\r]+|(?<=[.!?])\s+(?=\S)|(?<=[。！？])\s*|(?:^|\s)[•·▪●■◦*]+\s|\s[-–—]\s(?=[A-Z])")
_BULLET = re.compile(r"\s*(?:[•·▪●■◦*\-–—・]+|\(?\d{1,2}[.)])\s*")
_OPTIONAL = re.compile(
    r"\b(?:nice[- ]to[- ]haves?|(?:is |are |would be )?an? (?:big |huge |real )?(?:plus|bonus|advantage)|bonus points?"
    r"|preferred|preferably|preferable|desirable|desired|advantageous|ideally|optional|not (?:a )?must"
    r"|good to have|would be (?:great|nice|helpful)|is helpful|are helpful|beneficial)\b"
    # Japanese ads: "あれば尚可" (even better if), "歓迎" (welcome), "優遇" (given preference)
    r"|尚可|歓迎|優遇|あれば尚良",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:no|not|never|without|none|neither|nor|don't|do not|doesn't|does not|isn't|is not|aren't|are not"
    r"|no need (?:for|of|to)|not (?:required|necessary|needed|expected))\b"
    # Japanese: "不要" (not needed), "不問" (not asked for: "経験不問")
    r"|不要|不問",
    re.IGNORECASE,
)
# a negation that says the opposite of absence: "not only", "no doubt", "not limited to", "without delay"
_NOT_NEGATION = re.compile(
    r"\b(?:not only|not just|no doubt|not limited to|no matter|not least|without delay|never stop|no less)\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9+#./&-]{1,7}$")


@dataclass(frozen=True)
class Params:
    """Weights of the signals (see the module docstring); tuned on the validation sentences only."""

    unit_max: float = 0.5  # the unit's best label cosine
    unit_pref: float = 0.3  # the unit's cosine to the preferred label
    span: float = 1.0  # the best segment's best label cosine
    one_word_penalty: float = 0.15  # subtracted from a one-word span's cosine (one word alone is vague)
    aux_unit: float = 0.5  # the unit under the auxiliary encoder
    aux_span: float = 0.3  # the best segment under the auxiliary encoder
    gloss: float = 0.3  # the unit's cosine to the concept's definition
    exact: float = 0.35  # a verbatim label in the text
    exact_common: float = 0.1  # ... when it is one word many concepts share
    prior: float = 0.02  # log(1 + occupations holding the concept as essential)
    lex: float = 0.3  # share of the best label's word weight (IDF) that the unit contains
    lex_full: float = 0.1  # ... when the unit contains every word of that label
    # confidence = sigmoid(slope * (score - center))
    slope: float = 4.623
    center: float = 2.4186
    ngram_words: int = 3  # n-grams up to this many words are matched by meaning (0: clauses only)
    ngram_budget: int = 400  # at most this many n-grams per text are matched by meaning (the rarest words first)
    shortlist: int = 300  # concepts per unit that get the full score (by the cheap signals first)
    implied_below: float = 0.55  # best segment cosine under which a concept counts as implied
    # The least confidence of a concept written verbatim as a name ("SQL", "Python", "Apache Spark") or as
    # a label of several words: the share of such mentions the annotators marked on the validation
    # sentences (bench/extraction_verbatim.py: names 37 of 58, labels of several words 10 of 17). The
    # sentence-level signals of a long sentence that lists many skills keep each one's score low, and
    # without this floor the editor hid the very technologies an ad names.
    verbatim_tech: float = 0.64
    verbatim_multiword: float = 0.59

    @classmethod
    def of(cls, overrides: dict | None) -> Params:
        if not overrides:
            return DEFAULT_PARAMS
        known = {f.name for f in fields(cls)}
        return replace(DEFAULT_PARAMS, **{k: v for k, v in overrides.items() if k in known})


DEFAULT_PARAMS = Params()


@dataclass
class Span:
    start: int
    end: int
    text: str
    words: int


@dataclass
class Unit:
    start: int
    end: int
    optional: bool  # the unit, or the heading it sits under, says "nice to have"
    optional_from: int  # character offset from which the optional cue applies (the unit's start if inherited)


def clauses(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) character ranges of the clauses of ``text[start:end]``."""
    end = len(text) if end is None else end
    out, pos = [], start
    for m in _CLAUSE.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return [(s, e) for s, e in out if text[s:e].strip()]


def units(text: str) -> list[Unit]:
    """Lines, bullets and sentences of ``text`` with their "nice to have" cue; a heading line ending in
    ':' passes its cue to the lines under it until a blank line or the next heading."""
    out: list[Unit] = []
    pos = 0
    inherited = False
    pieces: list[tuple[int, int, bool]] = []  # (start, end, starts a new paragraph)
    blank_before = False
    for m in _UNIT.finditer(text):
        if m.start() > pos:
            pieces.append((pos, m.start(), blank_before))
        blank_before = m.group().count("\n") >= 2
        pos = m.end()
    if pos < len(text):
        pieces.append((pos, len(text), blank_before))
    for s, e, para in pieces:
        m = _BULLET.match(text, s, e)
        if m:
            s = m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        piece = text[s:e]
        if para:
            inherited = False
        cue = _OPTIONAL.search(piece)
        heading = piece.endswith(":") or (len(piece) <= 40 and piece.rstrip(" :").istitle() and ":" in piece[-2:])
        if heading:
            inherited = bool(cue)
        for a in range(s, e, MAX_UNIT_CHARS):
            b = min(e, a + MAX_UNIT_CHARS)
            if cue:
                # "Python; Docker is a plus": the cue covers the clause it sits in and what follows it
                cut = max([c0 for c0, _ in clauses(text, s, e) if c0 <= s + cue.start()] or [s])
                while cut < e and text[cut].isspace():
                    cut += 1
                out.append(Unit(a, b, True, max(a, cut) if not inherited else a))
            else:
                out.append(Unit(a, b, inherited, a))
    return out


def candidate_spans(text: str, max_words: int = MAX_WORDS, start: int = 0, end: int | None = None) -> list[Span]:
    """Word n-grams (1..max_words) inside each clause of ``text[start:end]``, bounded by content words."""
    spans: list[Span] = []
    for c0, c1 in clauses(text, start, end):
        words = [(m.start(), m.end(), m.group().casefold()) for m in _WORD.finditer(text, c0, c1)]
        for i, (s, _, w) in enumerate(words):
            if _function_word(w):
                continue
            for j in range(i, min(i + max_words, len(words))):
                if _function_word(words[j][2]):
                    continue
                inner = [x[2] for x in words[i : j + 1]]
                if all(_function_word(x) or x in FILLER for x in inner):
                    continue
                e = words[j][1]
                spans.append(Span(s, e, text[s:e], j - i + 1))
    return spans


def _function_word(w: str) -> bool:
    return w in STOPWORDS or _HIRAGANA.fullmatch(w) is not None


def negated_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Character ranges inside ``text[start:end]`` governed by a negation: from the cue to the end of
    its clause ("no prior Java experience required", "without SQL")."""
    out = []
    for c0, c1 in clauses(text, start, end):
        clause = text[c0:c1]
        for m in _NEGATION.finditer(clause):
            if _NOT_NEGATION.match(clause, m.start()):
                continue
            # Japanese puts the negation after what it negates ("Java経験不要"): the whole clause
            out.append((c0 if _cjk_share(m.group()) else c0 + m.start(), c1))
            break
    return out


def extract(text: str, index: TaxonomyIndex, encode: Callable[[list[str]], np.ndarray], **options: Any) -> list[dict]:
    """Taxonomy skills found in ``text``, ranked best first, one entry per concept:
    ``[{"uri", "label", "span": [start, end], "text", "confidence", "suggested", "implied", "optional",
    "negated"}]``. ``encode`` maps phrases to unit vectors (the configured encoder), ``aux_encode`` under
    the auxiliary encoder (if the index has one), ``prior`` is a per-concept log-count (selectors);
    ``options`` are :func:`extract_many`'s."""
    (found,) = extract_many([text], index, encode, **options)
    return found


def extract_many(
    texts: list[str],
    index: TaxonomyIndex,
    encode: Callable[[list[str]], np.ndarray],
    *,
    top_k: int = 10,
    min_confidence: float = MIN_CONFIDENCE,
    max_words: int = MAX_WORDS,
    aux_encode: Callable[[list[str]], np.ndarray] | None = None,
    prior: np.ndarray | None = None,
    params: dict | Params | None = None,
) -> list[list[dict]]:
    """:func:`extract` of each of ``texts``, in order. Each text is read on its own (its units, its
    n-gram budget, its ranking); what they share is the work against the whole label index: one
    encoder call for all their phrases and one pass over each label matrix for all their units. A CV
    asks about dozens of short items at once, and one scan of the index per item was most of its time."""
    p = params if isinstance(params, Params) else Params.of(params)
    texts = [(t or "")[:MAX_CHARS] for t in texts]
    if index.size == 0 or top_k < 1:
        return [[] for _ in texts]
    scored = _score_texts(texts, index, encode, aux_encode, prior, p, max_words)
    return [_ranked(t, ours, index, p, top_k, min_confidence) for t, ours in zip(texts, scored, strict=True)]


def _ranked(
    text: str, scored: list[_UnitScores], index: TaxonomyIndex, p: Params, top_k: int, min_confidence: float
) -> list[dict]:
    """The text's concepts, best first, from its units' scores (see :func:`extract`)."""
    floors = {"tech": p.verbatim_tech, "multiword": p.verbatim_multiword}
    # Per concept, its best reading across the text's units: the highest (confidence, score), the first
    # in text order on a tie. Only the readings of the concepts returned are turned into evidence (span,
    # implied, negated): a text's units shortlist thousands of (unit, concept) pairs, and building each
    # one's evidence was most of a warm call's Python time.
    best: dict[int, tuple[float, float, _UnitScores, int]] = {}
    slope, center = p.slope, p.center
    for us in scored:
        verbatim = {
            c: kind for c, (s, e) in us.exact_at.items() if (kind := verbatim_kind(text, s, e, index)) is not None
        }
        for j, (c, score) in enumerate(zip(us.cands.tolist(), us.final.tolist(), strict=True)):
            conf = 1.0 / (1.0 + math.exp(-slope * (score - center)))
            if c in verbatim:
                conf = max(conf, floors.get(verbatim[c], 0.0))
            cur = best.get(c)
            if cur is None or (conf, score) > cur[:2]:
                best[c] = (conf, score, us, j)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
    out: list[dict] = []
    for concept, (conf, _score, us, j) in ranked:
        if conf < min_confidence:
            break
        info = us.evidence(text, j)
        s, e = info["span"]
        out.append(
            {
                "uri": index.uris[concept],
                "label": index.labels[concept],
                "span": [s, e],
                "text": text[s:e],
                "confidence": round(conf, 4),
                "suggested": bool(conf >= SUGGEST_CONFIDENCE and not info["negated"]),
                "implied": info["implied"],
                "optional": info["optional"],
                "negated": info["negated"],
            }
        )
        if len(out) >= top_k:
            break
    return out


def _segment_max(index: TaxonomyIndex, vecs: np.ndarray, *, aux: bool = False) -> np.ndarray:
    """(segments x concepts) best label cosine of each segment per concept, over all labels."""
    mat = index.aux_vecs if aux else index.label_vecs
    out = np.empty((len(vecs), index.size), dtype=np.float32)
    for b in range(0, len(vecs), 64):
        sims = vecs[b : b + 64] @ mat.T
        out[b : b + 64] = np.maximum.reduceat(sims, index.seg_starts, axis=1)
    return out


def _candidate_max(index: TaxonomyIndex, vecs: np.ndarray, cands: np.ndarray, *, aux: bool = False) -> np.ndarray:
    """(segments x candidates) best label cosine per candidate concept, over those concepts' labels only."""
    mat = index.aux_vecs if aux else index.label_vecs
    starts, ends = index.seg_starts[cands], index.seg_ends[cands]
    lengths = ends - starts
    rows = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths) + np.arange(lengths.sum())
    sims = vecs @ mat[rows].T
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    return np.maximum.reduceat(sims, offsets, axis=1) if len(rows) else np.zeros((len(vecs), 0), np.float32)


def _segments(text: str, u0: int, u1: int, spans: list[Span], ngram_words: int) -> dict[str, tuple[int, int, int]]:
    """The unit's clauses and its n-grams of up to ``ngram_words`` words: normalized text -> (start, end,
    words) of its first place; the unit itself is not among them."""
    segs: dict[str, tuple[int, int, int]] = {}
    for c0, c1 in clauses(text, u0, u1):
        while c0 < c1 and text[c0].isspace():
            c0 += 1
        while c1 > c0 and text[c1 - 1].isspace():
            c1 -= 1
        key = normalize_phrase(text[c0:c1])
        if key:
            segs.setdefault(key, (c0, c1, len(_WORD.findall(key))))
    for sp in spans:
        if sp.words <= ngram_words:
            key = normalize_phrase(sp.text)
            if key:
                segs.setdefault(key, (sp.start, sp.end, sp.words))
    segs.pop(normalize_phrase(text[u0:u1]), None)
    return segs


@dataclass
class _UnitPlan:
    unit: Unit
    key: str
    spans: list[Span]
    segs: dict[str, tuple[int, int, int]]  # segment text -> (start, end, words); the unit itself excluded
    cjk: bool


def _plan(text: str, max_words: int, p: Params, index: TaxonomyIndex) -> list[_UnitPlan]:
    """Units with their spans and segments; n-grams beyond the text's budget of meaning-matched
    n-grams are dropped, keeping those whose rarest word is rarest in the labels (the likeliest names)."""
    plans = []
    for unit in units(text):
        key = normalize_phrase(text[unit.start : unit.end])
        spans = candidate_spans(text, max_words, unit.start, unit.end) if key else []
        if not spans:
            continue
        segs = _segments(text, unit.start, unit.end, spans, p.ngram_words)
        plans.append(_UnitPlan(unit, key, spans, segs, _cjk_share(key) > 0.3))
    ngrams = [(k, pl) for pl in plans for k, v in pl.segs.items() if v[2] <= p.ngram_words and _is_ngram(pl, v)]
    if len(ngrams) > p.ngram_budget:
        idf = index.idf

        def rarity(kv):
            k, pl = kv
            return (max((idf.get(t, 0.0) for t in tokens(k)), default=0.0), pl.segs[k][2])

        keep = {(k, id(pl)) for k, pl in sorted(ngrams, key=rarity, reverse=True)[: p.ngram_budget]}
        for k, pl in ngrams:
            if (k, id(pl)) not in keep:
                del pl.segs[k]
    return plans


def _is_ngram(plan: _UnitPlan, seg: tuple[int, int, int]) -> bool:
    return any(sp.start == seg[0] and sp.end == seg[1] for sp in plan.spans)


def _score_texts(
    texts: list[str], index, encode, aux_encode, prior, p: Params, max_words: int
) -> list[list[_UnitScores]]:
    """Per text, the scores of the concepts worth ranking in each of its units.

    Two stages keep a long text fast: every unit is compared with every label (its sentence-level
    reading, plus definitions, words, verbatim labels and the prior), which picks ``shortlist``
    candidate concepts per unit; the unit's clauses and n-grams are then compared with those
    candidates' labels only. The units of all ``texts`` go through the first stage together."""
    per_text = [_plan(t, max_words, p, index) if t.strip() else [] for t in texts]
    owner = [ti for ti, plans in enumerate(per_text) for _ in plans]
    plans = [pl for text_plans in per_text for pl in text_plans]
    result: list[list[_UnitScores]] = [[] for _ in texts]
    if not plans:
        return result
    phrases = list(dict.fromkeys([t for pl in plans for t in (pl.key, *pl.segs)]))
    row = {t: i for i, t in enumerate(phrases)}
    vecs = encode(phrases)
    has_aux = aux_encode is not None and index.has_aux
    avecs = aux_encode(phrases) if has_aux else None
    unit_rows = np.array([row[pl.key] for pl in plans])
    sims_u = _segment_max(index, vecs[unit_rows])
    asims_u = _segment_max(index, avecs[unit_rows], aux=True) if avecs is not None else sims_u
    pref_u = vecs[unit_rows] @ index.pref_vecs.T
    apref_u = avecs[unit_rows] @ index.aux_pref_vecs.T if avecs is not None else pref_u
    gl = index.gloss_vecs if index.gloss_vecs is not None and len(index.gloss_vecs) == index.size else None
    agl = index.aux_gloss_vecs if index.aux_gloss_vecs is not None and len(index.aux_gloss_vecs) == index.size else None
    # the unit-level signals of all units at once: one pass over each concept matrix, not one per unit
    cjk_units = [pl.cjk and avecs is not None for pl in plans]
    gloss_u = vecs[unit_rows] @ gl.T if gl is not None and p.gloss else None
    agloss_u = None
    if avecs is not None and agl is not None and p.gloss and any(cjk_units):
        agloss_u = avecs[unit_rows] @ agl.T
    cover_u = _label_cover(index, [pl.key for pl in plans]) if p.lex or p.lex_full else None
    for u, pl in enumerate(plans):
        cjk = cjk_units[u]
        # Japanese (or Chinese): the primary encoder is English-only, so the multilingual auxiliary one
        # reads the text for both, against the same English (and any Japanese) labels. Without the
        # auxiliary encoder its weights go to the primary one, so that scores keep their scale.
        v, m_aux = (avecs, True) if cjk else (vecs, False)
        unit_max = asims_u[u] if cjk else sims_u[u]
        unit_pref = apref_u[u] if cjk else pref_u[u]
        score = p.unit_max * unit_max + p.unit_pref * unit_pref + p.aux_unit * asims_u[u]
        g = agloss_u if cjk else gloss_u
        if g is not None:
            score = score + p.gloss * g[u]
        if cover_u is not None:
            cover = cover_u[u]
            score = score + p.lex * cover + p.lex_full * (cover >= 0.999)
        if prior is not None and len(prior) == index.size and p.prior:
            score = score + p.prior * prior
        exact_at: dict[int, tuple[int, int]] = {}
        bonus = np.zeros(index.size, dtype=np.float32)
        for sp in pl.spans:
            key = normalize_phrase(sp.text)
            hit = index.exact.get(key)
            if hit is None or hit in exact_at:
                continue
            common = sp.words == 1 and _common_single_word(index, key) and not _ACRONYM.match(sp.text)
            bonus[hit] = p.exact_common if common else p.exact
            exact_at[hit] = (sp.start, sp.end)
        score = score + bonus
        # the unit as its own best segment; clauses and n-grams can only add to it
        base = score + p.span * np.maximum(unit_max, 0.0) + p.aux_span * np.maximum(asims_u[u], 0.0)
        k = min(p.shortlist, index.size)
        cands = np.argpartition(-base, k - 1)[:k]
        cands = np.union1d(cands, np.fromiter(exact_at, dtype=np.int64, count=len(exact_at)))
        final = base[cands].astype(np.float64)
        seg_keys = list(pl.segs)
        best_seg = seg_cos = None
        if seg_keys:
            srows = np.array([row[t] for t in seg_keys])
            words = np.array([pl.segs[t][2] for t in seg_keys])
            pen = (p.one_word_penalty * (words == 1))[:, None]
            ssims = _candidate_max(index, v[srows], cands, aux=m_aux)
            asims = _candidate_max(index, avecs[srows], cands, aux=True) if avecs is not None else ssims
            adj = ssims - pen
            best_seg = adj.argmax(axis=0)
            seg_cos = ssims[best_seg, np.arange(len(cands))]
            gain = np.maximum(adj.max(axis=0) - np.maximum(unit_max[cands], 0.0), 0.0)
            again = np.maximum((asims - pen).max(axis=0) - np.maximum(asims_u[u][cands], 0.0), 0.0)
            final = final + p.span * gain + p.aux_span * again
        result[owner[u]].append(
            _UnitScores(pl, cands, final, exact_at, seg_keys, best_seg, seg_cos, unit_max, p.implied_below)
        )
    return result


@dataclass
class _UnitScores:
    """One unit's shortlisted concepts and their scores, with what it takes to say, for any of them,
    where in the text the evidence lies (:meth:`evidence`)."""

    plan: _UnitPlan
    cands: np.ndarray  # concept indices
    final: np.ndarray  # their scores
    exact_at: dict[int, tuple[int, int]]  # concept -> span of its label written verbatim
    seg_keys: list[str]
    best_seg: np.ndarray | None  # per candidate, its best segment (index into seg_keys)
    seg_cos: np.ndarray | None  # ... and that segment's cosine
    unit_max: np.ndarray  # per concept, the unit's best label cosine
    implied_below: float

    def evidence(self, text: str, j: int) -> dict:
        """Span, implied, negated and optional of candidate ``j``."""
        pl, c = self.plan, int(self.cands[j])
        if c in self.exact_at:
            (s, e), implied = self.exact_at[c], False
        elif self.seg_cos is not None and self.best_seg is not None and self.seg_cos[j] >= self.implied_below:
            s, e, _ = pl.segs[self.seg_keys[self.best_seg[j]]]
            implied = False
        else:
            s, e = pl.unit.start, pl.unit.end
            implied = bool(self.unit_max[c] < self.implied_below)
        negated = any(a <= s < b for a, b in negated_ranges(text, pl.unit.start, pl.unit.end))
        optional = pl.unit.optional and s >= pl.unit.optional_from
        return {"span": (s, e), "implied": implied, "negated": negated, "optional": optional}


_lexicons: dict[int, tuple[object, dict[str, int], object]] = {}


def _label_cover(index: TaxonomyIndex, unit_keys: list[str]) -> np.ndarray:
    """(units x concepts): per unit and concept, the largest share of one of the concept's labels' word
    weight (IDF) that the unit contains: 1.0 when every word of some label occurs in the unit ("SQL",
    "manage databases")."""
    got = _lexicons.get(id(index))
    if got is None or got[0] is not index:
        from scipy.sparse import csr_matrix

        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for r, toks in enumerate(index.label_tokens):
            total = math.fsum(index.idf.get(t, 1.0) for t in toks)
            for t in sorted(toks):
                rows.append(r)
                cols.append(vocab.setdefault(t, len(vocab)))
                vals.append(index.idf.get(t, 1.0) / total)
        mat = csr_matrix((vals, (rows, cols)), shape=(len(index.label_tokens), max(len(vocab), 1)), dtype=np.float32)
        _lexicons.clear()  # one index per process at a time
        got = _lexicons[id(index)] = (index, vocab, mat)
    _, vocab, mat = got
    out = np.zeros((len(unit_keys), index.size), dtype=np.float32)
    q = np.zeros((mat.shape[1], len(unit_keys)), dtype=np.float32)
    hit = []
    for u, key in enumerate(unit_keys):
        present = [vocab[t] for t in tokens(key) if t in vocab]
        if present:
            q[present, u] = 1.0
            hit.append(u)
    if not len(index.label_tokens):
        return out
    # a sparse product per 32 units rather than per unit (each column sums its label rows as a product per
    # unit did); in blocks, so that a long text's (labels x units) matrix stays small
    for b in range(0, len(hit), 32):
        block = hit[b : b + 32]
        cover = np.asarray(mat @ q[:, block])
        out[block] = np.maximum.reduceat(cover, index.seg_starts, axis=0).T
    return out


def _cjk_share(text: str) -> float:
    letters = [c for c in text if c.isalnum()]
    return sum(1 for c in letters if re.match(f"[{_CJK}]", c)) / len(letters) if letters else 0.0


def _common_single_word(index: TaxonomyIndex, key: str) -> bool:
    toks = tokens(key)
    if " " in key or len(toks) != 1:
        return False
    postings = index.postings.get(next(iter(toks)))
    return postings is not None and len(postings) > COMMON_WORD_CONCEPTS


_SENTENCE_START = frozenset(".!?:;•*·-–—\n\r\t")


def verbatim_kind(text: str, start: int, end: int, index: TaxonomyIndex) -> str | None:
    """What kind of verbatim label ``text[start:end]`` is, or None when it is no label of the index:
    ``"tech"`` when it is written as a name (an acronym, a word with a capital inside it, or a capitalized
    word that does not open a sentence or list item: "SQL", "PostgreSQL", "Apache Spark", "Git"),
    ``"multiword"`` for a label of several words, ``"common"`` for one word many concepts share, and
    ``"word"`` for another single word. Job ads name tools and technologies this way, and annotators
    mark them far more often than the same words written in lower case."""
    span = text[start:end]
    key = normalize_phrase(span)
    if not key or index.exact.get(key) is None:
        return None
    words = span.split()
    before = text[:start].rstrip()
    opens = not before or before[-1] in _SENTENCE_START
    for i, w in enumerate(words):
        if _ACRONYM.match(w) or any(c.isupper() for c in w[1:]):
            return "tech"
        if w[:1].isupper() and not (i == 0 and opens):
            return "tech"
    if len(words) > 1:
        return "multiword"
    return "common" if _common_single_word(index, key) else "word"
