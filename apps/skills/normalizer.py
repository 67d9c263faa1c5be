"""Normalization kernel: phrase → taxonomy concepts, over an in-memory label index (no Django).

Every label of every concept is a row of a unit-vector matrix, rows grouped by concept (preferred
label first), so a concept's semantic score is a segmented max over its labels. Candidates come from
four signals — semantic nearest labels, rare shared words, rewrite rules and nearest definitions — and
are scored by a fusion model (apps.skills.fusion) over features that each capture what one signal is
good at:

- the best label cosine, the second-best label of the same concept and the concept's centroid
  (all labels of a concept voting for it),
- IDF-weighted word overlap in both directions (rare terms and abbreviations),
- the gap to the best concept and the number of labels (how crowded the neighbourhood is),
- the support of a rewrite rule learned from the taxonomy's own label variants that turns the query
  into one of the concept's labels (apps.skills.label_rules), and how crowded those hits are,
- the cosine to the concept's definition (the first sentence of its description),
- the same cosines under a second, auxiliary encoder of another architecture (optional; by default the
  Universal Sentence Encoder, apps.skills.encoders): two encoders trained differently err on different
  paraphrases, and the fusion learns when to trust which.

The fusion is fitted with scikit-learn on the imported taxonomy itself (each sampled alternative label,
hidden from the index, must find its own concept), so its output is a calibrated probability that the
concept is the right one. An exact label match is certain.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial

import numpy as np

from .forked import fork_map
from .fusion import TreeFusion, fit_trees
from .label_rules import LabelRules, Seq, word_seq

FEATURES = (
    "max_cos",
    "second_cos",
    "centroid_cos",
    "pref_cos",
    "lex_q",
    "lex_l",
    "gap",
    "log_rank",
    "log_labels",
    "rule",
    "rule_hit",
    "rule_top",
    "rule_cos",
    "rule_crowd",
    "gloss_cos",
    "gloss_gap",
    "aux_max",
    "aux_gap",
    "aux_rank",
    "aux_centroid",
    "aux_gloss",
    "aux_gloss_gap",
    "mean_max",
)
_AUX = FEATURES.index("aux_max")  # first of the auxiliary encoder's features (zero without one)
_BASE = 9  # features computed per candidate by _feature_rows; the rest are filled in by features()
# queries scored against the whole index at once by TaxonomyIndex.features (one matrix product per block)
_FEATURE_BLOCK = 128
FIT_SAMPLES = 6000  # taxonomy labels the fit hides and searches for (import time vs. accuracy, docs/quality.md)
# Label samples whose fits are averaged. One fit's trees depend on which labels were sampled and on the
# last bits of the vectors (another machine's encoder rounding): the same code and taxonomy gave dev hard
# acc@1 0.778-0.817 from fit to fit. The mean of several fits' log-odds is one model with less of that
# variance (docs/quality.md, "Normalization"); each sample costs one more training set and fit at import.
FIT_BAG = 3
_WORD = re.compile(r"[a-z0-9+#]+")
_LETTERS = re.compile(r"[^\W\d_]+")  # words in any script, for telling a foreign phrase from an English one
# A phrase most of whose words no label of the taxonomy uses is read in another language (or script):
# the fusion, fitted on the taxonomy's own English labels, never saw such a query and its trees decided
# cross-lingual answers by chance (dev 0.649 at one fit; the held-out split 0.408 with its own fit). Such
# a phrase is answered by the multilingual auxiliary encoder alone: its best label plus half its label
# centroid, with a probability from a logistic fit of "right" on that score and its gap to the next
# concept (dev split's French/Spanish queries; bench/xlingual_stability.py, docs/quality.md).
FOREIGN_SHARE = 0.5
FOREIGN_CENTROID = 0.5
FOREIGN_CALIBRATION = (3.925, 7.122, -3.995)  # (score, gap, intercept)
_STOP = frozenset(
    "a an and or the of to in on for with by at from as into about via its their his her your own other "
    "e g etc use using related".split()
)
_SUFFIXES = (
    "isations",
    "izations",
    "isation",
    "ization",
    "ations",
    "ation",
    "ments",
    "ment",
    "ings",
    "ing",
    "ies",
    "ers",
    "er",
    "es",
    "ed",
    "ly",
    "s",
)


@lru_cache(maxsize=200_000)  # the taxonomy's ~100k labels share a few tens of thousands of words
def stem(word: str) -> str:
    """A deliberately small suffix stripper: enough for 'designing'/'design', 'tiles'/'tile'."""
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            return word[: -len(suf)] + ("y" if suf == "ies" else "")
    return word


def tokens(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _WORD.findall(text.casefold()) if w not in _STOP)


@dataclass
class TaxonomyIndex:
    skill_ids: np.ndarray  # (S,) database ids of concepts, in segment order
    uris: list[str]
    labels: list[str]  # preferred label per concept
    seg_starts: np.ndarray  # (S,) first label row of each concept (its preferred label)
    label_vecs: np.ndarray  # (N, d) unit rows grouped by concept
    label_tokens: list[frozenset[str]]  # (N,) word stems per label row
    exact: dict[str, int]  # normalized label text -> concept index (preferred labels win ties)
    fusion: TreeFusion | None = None
    key: tuple = ()
    label_seqs: list[Seq] | None = None  # ordered words per label row; enables the rewrite rules
    gloss_vecs: np.ndarray | None = None  # (S, d) unit vector of each concept's definition (zero if none)
    stored_rules: dict | None = None  # LabelRules.export() of the fit, so the rules are not re-learned
    aux_vecs: np.ndarray | None = None  # (N, d2) the label rows under the auxiliary encoder, if any
    aux_gloss_vecs: np.ndarray | None = None  # (S, d2) the definitions under the auxiliary encoder
    # normalized label text -> its first label row: the row's stored vectors are that phrase's vectors, so
    # a text that is a label needs no encoding (apps.skills.vocabulary.encode_known)
    phrase_rows: dict[str, int] = field(default_factory=dict)
    # derived
    row_concept: np.ndarray = field(init=False)
    seg_ends: np.ndarray = field(init=False)
    idf: dict[str, float] = field(init=False)
    _row_idf: dict[int, float] = field(init=False, repr=False)
    postings: dict[str, np.ndarray] = field(init=False)
    centroid_sum: np.ndarray = field(init=False)
    aux_centroid_sum: np.ndarray | None = field(init=False)
    n_labels: np.ndarray = field(init=False)
    rules: LabelRules | None = field(init=False)
    pref_vecs: np.ndarray = field(init=False)  # (S, d) each concept's preferred-label row
    aux_pref_vecs: np.ndarray | None = field(init=False)  # (S, d2) the same under the auxiliary encoder

    def __post_init__(self) -> None:
        n = len(self.label_tokens)
        self.seg_ends = np.append(self.seg_starts[1:], n).astype(np.int64)
        self.n_labels = self.seg_ends - self.seg_starts
        self.row_concept = np.repeat(np.arange(len(self.seg_starts)), self.n_labels)
        df: dict[str, int] = defaultdict(int)
        post: dict[str, set[int]] = defaultdict(set)
        for row, toks in enumerate(self.label_tokens):
            c = int(self.row_concept[row])
            for t in toks:
                df[t] += 1
                post[t].add(c)
        self.idf = {t: math.log((n + 1) / (d + 1)) + 1.0 for t, d in df.items()}
        self._row_idf = {}
        self.postings = {t: np.fromiter(cs, dtype=np.int64) for t, cs in post.items()}
        self.aux_centroid_sum = self._segment_sums(self.aux_vecs) if self.aux_vecs is not None and n else None
        self.rules = LabelRules(self.label_seqs, self.row_concept, self.stored_rules) if self.label_seqs else None
        # contiguous copies, made once: extraction compares every unit of a text with every preferred label
        self.pref_vecs = np.ascontiguousarray(self.label_vecs[self.seg_starts]) if n else self.label_vecs[:0]
        self.aux_pref_vecs = np.ascontiguousarray(self.aux_vecs[self.seg_starts]) if self.has_aux and n else None
        if n:
            self.centroid_sum = self._segment_sums(self.label_vecs)
        else:
            self.centroid_sum = np.zeros((0, self.label_vecs.shape[1] if self.label_vecs.ndim == 2 else 1))

    def _segment_sums(self, rows: np.ndarray) -> np.ndarray:
        """Per concept, the sum of its label rows: a sparse (concepts x rows) indicator times the rows,
        several times faster than ``np.add.reduceat`` over ~100k rows."""
        from scipy.sparse import csr_matrix

        n = len(self.row_concept)
        member = csr_matrix((np.ones(n, dtype=rows.dtype), (self.row_concept, np.arange(n))), shape=(self.size, n))
        return np.asarray(member @ rows)

    @property
    def words(self) -> frozenset[str]:
        """Every word of every label, in any script (built on first use)."""
        got = self.__dict__.get("_words")
        if got is None:
            got = self.__dict__["_words"] = frozenset(w for key in self.exact for w in _LETTERS.findall(key))
        return got

    def foreign(self, text: str) -> bool:
        """Whether most of ``text``'s words are in no label: a phrase in another language."""
        ws = _LETTERS.findall(text.casefold())
        if not ws:
            return False
        vocab = self.words
        return sum(w not in vocab for w in ws) >= FOREIGN_SHARE * len(ws)

    def _search_foreign(self, query_aux: np.ndarray, top_k: int) -> list[list[tuple[int, float]]]:
        """Top concepts under the auxiliary encoder alone (see FOREIGN_SHARE)."""
        best = np.maximum.reduceat(query_aux @ self.aux_vecs.T, self.seg_starts, axis=1)
        norms = self._aux_centroid_norms
        score = best + FOREIGN_CENTROID * (query_aux @ self.aux_centroid_sum.T) / norms
        a, b, c = FOREIGN_CALIBRATION
        k = min(max(top_k, 2), self.size)
        out = []
        for row in score:
            top = np.argpartition(-row, k - 1)[:k]
            top = top[np.argsort(-row[top], kind="stable")]
            s = row[top].astype(np.float64)
            others = np.where(np.arange(len(top)) == 0, s[1] if len(s) > 1 else 0.0, s[0])
            p = 1.0 / (1.0 + np.exp(-(a * s + b * (s - others) + c)))
            out.append([(int(t), float(min(1.0, max(0.0, q)))) for t, q in zip(top[:top_k], p[:top_k], strict=True)])
        return out

    @cached_property
    def _aux_centroid_norms(self) -> np.ndarray:
        """Norms of the concepts' auxiliary centroid sums, computed once per index (not per query)."""
        return np.maximum(np.linalg.norm(self.aux_centroid_sum, axis=1), 1e-9)

    @property
    def size(self) -> int:
        return len(self.skill_ids)

    @property
    def has_aux(self) -> bool:
        return self.aux_vecs is not None and len(self.aux_vecs) == len(self.label_tokens)

    # -- candidate generation and features ----------------------------------------------------
    def _lex(self, q: frozenset[str], row_toks: frozenset[str]) -> tuple[float, float]:
        if not q or not row_toks:
            return 0.0, 0.0
        idf = self.idf
        # fsum: exactly rounded whatever the (hash-dependent) set order, so fits are reproducible
        common = math.fsum(idf.get(t, 1.0) for t in q & row_toks)
        return common / math.fsum(idf.get(t, 8.0) for t in q), common / math.fsum(idf.get(t, 1.0) for t in row_toks)

    def _row_idf_sum(self, row: int) -> float:
        """_lex's second denominator for label ``row`` (its words' IDF), computed once per row."""
        got = self._row_idf.get(row)
        if got is None:
            got = self._row_idf[row] = math.fsum(self.idf.get(t, 1.0) for t in self.label_tokens[row])
        return got

    def _lexical_candidates(self, q: frozenset[str], k: int) -> list[int]:
        acc: dict[int, float] = defaultdict(float)
        for t in sorted(q):  # a fixed order: float sums and ties must not depend on string hashing
            cs = self.postings.get(t)
            if cs is None or len(cs) > 3000:  # common words find everything and say nothing
                continue
            w = self.idf[t]
            for c in cs.tolist():
                acc[c] += w
        return sorted(acc, key=lambda c: (-acc[c], c))[:k]

    def features(
        self,
        query_vecs: np.ndarray,
        query_tokens: list[frozenset[str]],
        *,
        k_sem: int = 30,
        k_lex: int = 10,
        mask_rows: np.ndarray | None = None,
        query_seqs: list[Seq] | None = None,
        k_gloss: int = 10,
        query_aux: np.ndarray | None = None,
        k_aux: int = 10,
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per query: (candidate concept indices, feature matrix). ``mask_rows`` hides one label row
        per query (used to fit the fusion on the taxonomy's own labels, leave-one-out); ``query_seqs``
        (ordered words) lets the rewrite rules vote; ``query_aux`` (the queries under the auxiliary
        encoder) adds that encoder's candidates and features."""
        out = []
        gloss = self.gloss_vecs if self.gloss_vecs is not None and len(self.gloss_vecs) == self.size else None
        aux = query_aux is not None and self.has_aux
        block = _FEATURE_BLOCK
        for b0 in range(0, len(query_vecs), block):
            sims = query_vecs[b0 : b0 + block] @ self.label_vecs.T
            asims = query_aux[b0 : b0 + block] @ self.aux_vecs.T if aux else None
            if mask_rows is not None:
                sims[np.arange(len(sims)), mask_rows[b0 : b0 + block]] = -2.0
                if asims is not None:
                    asims[np.arange(len(asims)), mask_rows[b0 : b0 + block]] = -2.0
            seg = np.maximum.reduceat(sims, self.seg_starts, axis=1)
            gsims = query_vecs[b0 : b0 + block] @ gloss.T if gloss is not None else None
            aseg = np.maximum.reduceat(asims, self.seg_starts, axis=1) if asims is not None else None
            k = min(k_sem, self.size)
            for i in range(len(sims)):
                qi = b0 + i
                row = seg[i]
                sem = np.argpartition(-row, k - 1)[:k]
                kg = min(k_gloss, self.size)
                by_gloss = np.argpartition(-gsims[i], kg - 1)[:kg].tolist() if gsims is not None else []
                masked = None if mask_rows is None else int(mask_rows[qi])
                ruled = (
                    self.rules.hits(query_seqs[qi], masked_row=masked)
                    if self.rules is not None and query_seqs is not None
                    else {}
                )
                ka = min(k_aux, self.size)
                by_aux = np.argpartition(-aseg[i], ka - 1)[:ka].tolist() if aseg is not None else []
                cands = list(
                    dict.fromkeys(
                        [
                            *sem.tolist(),
                            *self._lexical_candidates(query_tokens[qi], k_lex),
                            *sorted(ruled),
                            *by_gloss,
                            *by_aux,
                        ]
                    )
                )
                feats = np.zeros((len(cands), len(FEATURES)), dtype=np.float64)
                feats[:, :_BASE] = self._feature_rows(query_vecs[qi], query_tokens[qi], sims[i], row, cands, masked)
                self._fill_derived(feats, cands, ruled, gsims[i] if gsims is not None else None)
                if aseg is not None:
                    self._fill_aux(feats, cands, query_aux[qi], aseg[i], masked)
                out.append((np.asarray(cands, dtype=np.int64), feats))
        return out

    def _fill_aux(
        self,
        feats: np.ndarray,
        cands: list[int],
        qa: np.ndarray,
        aseg_row: np.ndarray,
        masked: int | None,
    ) -> None:
        """The auxiliary encoder's view of each candidate: best label, gap to its best concept, rank
        among the candidates, centroid of the concept's labels, definition; and the two encoders' mean."""
        idx = np.asarray(cands, dtype=np.int64)
        a = aseg_row[idx]
        order = np.argsort(-a, kind="stable")
        rank = np.empty(len(idx))
        rank[order] = np.arange(len(idx))
        csum = self.aux_centroid_sum[idx].astype(np.float64)
        if masked is not None:  # the hidden label must not vote for its own concept
            own = (self.seg_starts[idx] <= masked) & (masked < self.seg_ends[idx])
            csum[own] -= self.aux_vecs[masked]
        norms = np.linalg.norm(csum, axis=1)
        feats[:, _AUX] = a
        feats[:, _AUX + 1] = a - float(aseg_row.max())
        feats[:, _AUX + 2] = np.log1p(rank)
        feats[:, _AUX + 3] = np.where(norms > 1e-9, (csum @ qa) / np.maximum(norms, 1e-9), 0.0)
        ag = self.aux_gloss_vecs
        if ag is not None and len(ag) == self.size:
            # one product per query, not one per batch: a matrix product rounds differently from this
            # matrix-vector one, and the fit (import_esco) must stay what it was
            gs = ag @ qa
            feats[:, _AUX + 4] = gs[idx]
            feats[:, _AUX + 5] = gs[idx] - float(gs.max())
        feats[:, _AUX + 6] = (a + feats[:, 0]) / 2

    @staticmethod
    def _fill_derived(feats: np.ndarray, cands: list[int], ruled: dict[int, float], gsim) -> None:
        """Rewrite-rule and definition features, which depend on the whole candidate set."""
        col = {name: i for i, name in enumerate(FEATURES)}
        rule = np.array([ruled.get(c, 0.0) for c in cands])
        hit = (rule > 0).astype(np.float64)
        feats[:, col["rule"]] = rule
        feats[:, col["rule_hit"]] = hit
        feats[:, col["rule_top"]] = hit * (rule >= rule.max())
        feats[:, col["rule_cos"]] = hit * feats[:, col["max_cos"]]
        feats[:, col["rule_crowd"]] = hit * math.log1p(len(ruled))
        if gsim is not None:
            g = gsim[cands]
            feats[:, col["gloss_cos"]] = g
            feats[:, col["gloss_gap"]] = g - float(gsim.max())

    def _feature_rows(self, qv, qt, sims_row, seg_row, cands, masked) -> np.ndarray:
        best = float(seg_row.max())
        order = np.argsort(-seg_row[cands], kind="stable")
        rank = np.empty(len(cands), dtype=np.int64)
        rank[order] = np.arange(len(cands))
        feats = np.zeros((len(cands), _BASE), dtype=np.float64)
        label_tokens, idf = self.label_tokens, self.idf
        q_sum = math.fsum(idf.get(t, 8.0) for t in qt)  # _lex's first denominator, the same for every label
        for j, c in enumerate(cands):
            s, e = int(self.seg_starts[c]), int(self.seg_ends[c])
            rows = sims_row[s:e]
            n_lab = e - s
            csum = self.centroid_sum[c]
            if masked is not None and s <= masked < e:
                csum = csum - self.label_vecs[masked]
                n_lab -= 1
            top2 = np.sort(rows)[-2:] if len(rows) > 1 else rows
            second = float(top2[0]) if len(top2) > 1 and top2[0] > -1.5 else float(top2[-1])
            norm = float(np.linalg.norm(csum))
            centroid = float(qv @ csum) / norm if norm > 1e-9 else 0.0
            lq = ll = 0.0
            for r in range(s, e):
                row_toks = label_tokens[r]
                # a label sharing no word scores (0, 0), which never beats the best so far
                if r == masked or qt.isdisjoint(row_toks):
                    continue
                common = math.fsum(idf.get(t, 1.0) for t in qt & row_toks)
                a, b = common / q_sum, common / self._row_idf_sum(r)
                if a + b > lq + ll:
                    lq, ll = a, b
            pref = float(rows[0]) if masked != s else second
            feats[j] = (
                float(seg_row[c]),
                second,
                centroid,
                pref,
                lq,
                ll,
                float(seg_row[c]) - best,
                math.log1p(rank[j]),
                math.log(max(n_lab, 1)),
            )
        return feats

    # -- search ---------------------------------------------------------------------------------
    def search(
        self, texts: list[str], query_vecs: np.ndarray, top_k: int = 5, query_aux: np.ndarray | None = None
    ) -> list[list[tuple[int, float]]]:
        """Top concepts per query as (concept index, score in [0, 1]), best first. ``texts`` are
        normalized phrases (apps.skills.text.normalize_phrase); ``query_aux`` the same phrases under
        the auxiliary encoder, when the index has one."""
        if self.size == 0:
            return [[] for _ in texts]
        results: list[list[tuple[int, float]]] = [[] for _ in texts]
        # a foreign phrase is answered by the auxiliary encoder alone, so the fusion never reads it
        foreign = []
        if query_aux is not None and self.has_aux and self.aux_centroid_sum is not None:
            foreign = [i for i, t in enumerate(texts) if t not in self.exact and self.foreign(t)]
            if foreign:
                for i, found_i in zip(foreign, self._search_foreign(query_aux[foreign], top_k), strict=True):
                    results[i] = found_i
        skip = set(foreign)
        rest = [i for i in range(len(texts)) if i not in skip]
        if not rest:
            return results
        texts_r = [texts[i] for i in rest]
        qtoks = [tokens(t) for t in texts_r]
        qseqs = [word_seq(t) for t in texts_r]
        found = self.features(
            query_vecs[rest],
            qtoks,
            query_seqs=qseqs,
            query_aux=query_aux[rest] if query_aux is not None else None,
        )
        if self.fusion is not None and found:  # one pass over all candidates of all queries
            flat = self.fusion.proba(np.vstack([f for _, f in found]))
            bounds = np.cumsum([0, *(len(c) for c, _ in found)])
            scores = [flat[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        else:
            scores = [np.clip(f[:, 0], 0.0, 1.0) for _, f in found]
        for i, text, (cands, _), score in zip(rest, texts_r, found, scores, strict=True):
            hit = self.exact.get(text)
            if hit is not None:
                pos = np.flatnonzero(cands == hit)
                if len(pos):
                    score[pos[0]] = 1.0 + 1e-3
                else:
                    cands, score = np.append(cands, hit), np.append(score, 1.0 + 1e-3)
            top = np.argsort(-score, kind="stable")[:top_k]
            results[i] = [(int(cands[t]), float(min(1.0, max(0.0, score[t])))) for t in top]
        return results


def training_set(index: TaxonomyIndex, *, samples: int = FIT_SAMPLES, seed: int = 0, processes: int = 1):
    """Candidate features for ``samples`` non-preferred labels, each hidden from the index (and its
    concept's own rewrite rules discounted) as a query whose right answer is its concept.
    Returns (features, is-right, query number per row, sampled label rows). ``processes``: the queries
    are shared out among that many forked processes in parts of whole blocks of ``features``, so each
    query's features are those one process would compute, to the bit."""
    rng = np.random.default_rng(seed)
    rc = index.row_concept
    eligible = np.flatnonzero((index.n_labels[rc] > 1) & (np.arange(len(rc)) != index.seg_starts[rc]))
    rows = rng.choice(eligible, size=min(samples, len(eligible)), replace=False)
    step = max(_FEATURE_BLOCK, -(-len(rows) // (_FEATURE_BLOCK * max(1, processes))) * _FEATURE_BLOCK)
    parts = [rows[a : a + step] for a in range(0, len(rows), step)]
    feats = [f for part in fork_map(partial(_hidden_label_features, index), parts, processes=processes) for f in part]
    xs, ys, groups = [], [], []
    for g, (row, (cands, f)) in enumerate(zip(rows, feats, strict=True)):
        xs.append(f)
        ys.append(cands == index.row_concept[row])
        groups.append(np.full(len(cands), g))
    return np.vstack(xs), np.concatenate(ys), np.concatenate(groups), rows


def _hidden_label_features(index: TaxonomyIndex, rows: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """``index.features`` of the label rows ``rows`` as queries, each hidden from the index."""
    seqs = [index.label_seqs[r] for r in rows] if index.label_seqs else None
    return index.features(
        index.label_vecs[rows],
        [index.label_tokens[r] for r in rows],
        mask_rows=rows,
        query_seqs=seqs,
        query_aux=index.aux_vecs[rows] if index.has_aux else None,
    )


def fit_fusion(
    index: TaxonomyIndex,
    *,
    samples: int = FIT_SAMPLES,
    seed: int = 0,
    threads: int = 1,
    processes: int = 1,
    bag: int = FIT_BAG,
) -> tuple[TreeFusion, dict]:
    """Fit the fusion on the taxonomy's own labels (``training_set``): a model fitted on 80% of the
    sampled labels is measured on the other 20%, then the returned model is the mean (TreeFusion.mean)
    of ``bag`` models, each fitted on all labels of one sample (seeds ``seed``, ``seed + 1``, ...; the
    held-out figures describe one model fitted on a little less data than the one in use). ``threads``:
    the fitting's OpenMP threads (fit_trees); ``processes``: forked processes that share the first sample's
    queries and then fit its two models side by side, then take one other sample each (the same models as
    one process fits)."""
    x, y, grp, rows = training_set(index, samples=samples, seed=seed, processes=processes)
    split = int(len(rows) * 0.8)
    train, test = grp < split, grp >= split
    held_out, fusion = fork_map(
        lambda rows_: fit_trees(x[rows_], y[rows_], threads=threads), [train, slice(None)], processes=processes
    )
    p = held_out.proba(x[test])
    # held-out: acc@1 of the fused ranking vs max cosine, Brier score, and the calibration of the top
    # answer's probability (expected calibration error over 10 bins)
    starts = np.flatnonzero(np.diff(grp[test])) + 1  # held-out rows come query by query
    top_p, top_ok, acc_cos = [], [], 0
    for pg, yg, xg in zip(np.split(p, starts), np.split(y[test], starts), np.split(x[test], starts), strict=True):
        if len(pg):
            top_p.append(float(pg.max()))
            top_ok.append(bool(yg[np.argmax(pg)]))
            acc_cos += bool(yg[np.argmax(xg[:, 0])])
    n_test = max(1, len(top_ok))
    metrics = {
        "samples": int(len(rows)),
        "held_out": n_test,
        "acc1_fused": sum(top_ok) / n_test,
        "acc1_max_cos": acc_cos / n_test,
        "brier": float(np.mean((p - y[test]) ** 2)) if len(p) else 0.0,
        "ece_top1": calibration_error(np.asarray(top_p), np.asarray(top_ok)),
        "rules": index.rules.rule_count if index.rules is not None else 0,
        "features": list(FEATURES),
        "bag": max(1, bag),
    }
    # the other samples' training sets and fits, one sample per forked process
    fits = [
        fusion,
        *fork_map(partial(_sample_fit, index, samples, threads), range(seed + 1, seed + bag), processes=processes),
    ]
    return (TreeFusion.mean(fits) if len(fits) > 1 else fits[0]), metrics


def _sample_fit(index: TaxonomyIndex, samples: int, threads: int, seed: int) -> TreeFusion:
    """The fusion fitted on all labels of the sample ``seed`` draws (one of fit_fusion's averaged models)."""
    x, y, _, _ = training_set(index, samples=samples, seed=seed)
    return fit_trees(x, y, threads=threads)


def calibration_error(prob: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error: the share-weighted gap between stated probability and accuracy."""
    if len(prob) == 0:
        return 0.0
    which = np.minimum((prob * bins).astype(int), bins - 1)
    err = 0.0
    for b in range(bins):
        sel = which == b
        if sel.any():
            err += sel.mean() * abs(float(prob[sel].mean()) - float(correct[sel].mean()))
    return float(err)


_rows_of: dict[int, tuple[TaxonomyIndex, dict[str, int]]] = {}


def concept_words(index: TaxonomyIndex, uri: str) -> list[str]:
    """The word stems of every label of the concept ``uri`` (what the CV draft compares a one-word skill
    with: apps.candidates.resume.draft.resembles); [] for a concept the index does not hold."""
    got = _rows_of.get(id(index))
    if got is None or got[0] is not index:
        _rows_of.clear()  # one index per process at a time
        got = _rows_of[id(index)] = (index, {u: i for i, u in enumerate(index.uris)})
    row = got[1].get(uri)
    if row is None:
        return []
    rows = index.label_tokens[int(index.seg_starts[row]) : int(index.seg_ends[row])]
    return sorted(frozenset().union(*rows))
