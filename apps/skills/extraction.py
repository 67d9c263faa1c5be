"""Skill extraction from free text (job descriptions, credential criteria) — no Django.

Text is cut into clauses (sentence ends, semicolons, commas, bullets, brackets), each clause into
word n-grams of up to ``MAX_WORDS`` words that neither start nor end with a function word and hold
at least one content word. Each candidate span is then scored against the taxonomy label index
(apps.skills.normalizer.TaxonomyIndex, built by apps.skills.selectors.taxonomy_index):

- an exact label hit (normalized text equal to a label) is certain, except a single word that
  the labels of many concepts share ("clean", "computer", "biology"): such a word alone often names
  no skill at all, so it gets ``COMMON_WORD_CONFIDENCE``, just above the default threshold and below
  every certain hit;
- every other span of two words or more goes through the same calibrated normalizer as
  ``normalize`` (semantic and lexical signals fused by the model fitted on the taxonomy), capped
  below a verbatim hit; only the spans whose best label cosine is among the highest are scored that
  way, which keeps a long text within a second or two.

Suggestions are then picked greedily, best first, so that no two overlap in the text and no
concept is suggested twice (the best span of a concept wins). Used by
apps.skills.services.skills_extract (API POST /api/v1/skills/extract/, the job editor and the
credential importer).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .normalizer import TaxonomyIndex, tokens
from .text import normalize_phrase

MAX_WORDS = 6
MAX_CHARS = 20_000  # longer texts are cut: a description, not a book
MIN_CONFIDENCE = 0.8
SEMANTIC_SHORTLIST = 80  # spans per text that get the full (fused) normalizer
COMMON_WORD_CONCEPTS = 8  # a one-word label whose word occurs in more concepts' labels than this is "common"
COMMON_WORD_CONFIDENCE = 0.85
# A single word that is no label is almost never a skill mention ("order", "systems" sit close to some
# label all the same): only spans of at least this many words are matched by meaning.
MIN_SEMANTIC_WORDS = 2
# Matches by meaning never outrank a label found verbatim.
SEMANTIC_CAP = 0.95

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
    responsible responsibilities role candidate candidates team us please apply job position""".split()
)
# Content words that alone say nothing about a skill (a span made only of these is dropped).
FILLER = frozenset("ensure ensures ensuring make makes making use uses using used help helps support various".split())

_WORD = re.compile(r"[^\W_](?:[\w+#.'’/-]*[\w+#])?")
_CLAUSE = re.compile(r"[.!?;:,()\[\]{}|•·▪●■◦\n\r\t]+(?=\s|$)|[;,()\[\]{}|•·▪●■◦\n\r\t]+|\s[-–—*]\s")


@dataclass
class Span:
    start: int
    end: int
    text: str
    words: int


def clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) character ranges of the clauses of ``text``."""
    out, pos = [], 0
    for m in _CLAUSE.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def candidate_spans(text: str, max_words: int = MAX_WORDS) -> list[Span]:
    """Word n-grams (1..max_words) inside each clause, bounded by content words."""
    spans: list[Span] = []
    for c0, c1 in clauses(text):
        words = [(m.start(), m.end(), m.group().casefold()) for m in _WORD.finditer(text, c0, c1)]
        for i, (s, _, w) in enumerate(words):
            if w in STOPWORDS:
                continue
            for j in range(i, min(i + max_words, len(words))):
                last = words[j][2]
                if last in STOPWORDS:
                    continue
                inner = [x[2] for x in words[i : j + 1]]
                if all(x in STOPWORDS or x in FILLER for x in inner):
                    continue
                end = words[j][1]
                spans.append(Span(s, end, text[s:end], j - i + 1))
    return spans


def extract(
    text: str,
    index: TaxonomyIndex,
    encode: Callable[[list[str]], np.ndarray],
    *,
    top_k: int = 10,
    min_confidence: float = MIN_CONFIDENCE,
    max_words: int = MAX_WORDS,
    aux_encode: Callable[[list[str]], np.ndarray] | None = None,
) -> list[dict]:
    """Taxonomy skills found in ``text``: ``[{"uri", "label", "span": [start, end], "text", "confidence"}]``,
    best first, spans never overlapping, one entry per concept. ``encode`` maps phrases to unit vectors
    (the configured encoder), ``aux_encode`` under the normalizer's auxiliary encoder (if the index has one)."""
    text = (text or "")[:MAX_CHARS]
    if index.size == 0 or not text.strip() or top_k < 1:
        return []
    spans = candidate_spans(text, max_words)
    by_key: dict[str, list[Span]] = {}
    for sp in spans:
        key = normalize_phrase(sp.text)
        if key:
            by_key.setdefault(key, []).append(sp)
    if not by_key:
        return []
    keys = list(by_key)
    scored: dict[str, tuple[int, float]] = {}  # key -> (concept index, confidence)
    semantic = []
    for k in keys:
        hit = index.exact.get(k)
        if hit is not None:
            scored[k] = (hit, COMMON_WORD_CONFIDENCE if _common_single_word(index, k) else 1.0)
        elif by_key[k][0].words >= MIN_SEMANTIC_WORDS:
            semantic.append(k)
    if semantic:
        vecs = encode(semantic)
        best = _best_cosines(index, vecs)
        keep = np.argsort(-best, kind="stable")[:SEMANTIC_SHORTLIST]
        short = [semantic[i] for i in keep]
        hits = index.search(short, vecs[keep], top_k=1, query_aux=aux_encode(short) if aux_encode else None)
        for k, h in zip(short, hits, strict=True):
            if h:
                scored[k] = (h[0][0], min(h[0][1], SEMANTIC_CAP))
    found = []
    for k, (concept, conf) in scored.items():
        if conf < min_confidence:
            continue
        for sp in by_key[k]:
            found.append((conf, sp.words, -sp.start, concept, sp))
    # best first; on equal confidence the longer span (more specific) wins, then the earlier one
    found.sort(key=lambda f: (f[0], f[1], f[2]), reverse=True)
    taken: list[tuple[int, int]] = []
    concepts: set[int] = set()
    out: list[dict] = []
    for conf, _, _, concept, sp in found:
        if concept in concepts or any(sp.start < e and s < sp.end for s, e in taken):
            continue
        taken.append((sp.start, sp.end))
        concepts.add(concept)
        out.append(
            {
                "uri": index.uris[concept],
                "label": index.labels[concept],
                "span": [sp.start, sp.end],
                "text": sp.text,
                "confidence": round(float(conf), 4),
            }
        )
        if len(out) >= top_k:
            break
    return out


def _common_single_word(index: TaxonomyIndex, key: str) -> bool:
    toks = tokens(key)
    if " " in key or len(toks) != 1:
        return False
    postings = index.postings.get(next(iter(toks)))
    return postings is not None and len(postings) > COMMON_WORD_CONCEPTS


def _best_cosines(index: TaxonomyIndex, vecs: np.ndarray) -> np.ndarray:
    out = np.empty(len(vecs), dtype=np.float32)
    for b in range(0, len(vecs), 256):
        out[b : b + 256] = (vecs[b : b + 256] @ index.label_vecs.T).max(axis=1)
    return out
