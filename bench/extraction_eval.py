#!/usr/bin/env python
"""Skill extraction on a labelled set built from ESCO occupation descriptions; quoted in
docs/quality.md.

The set (deterministic, seed 0): ESCO occupations in a seeded random order; an occupation enters
when at least one of its *essential* skills has an English preferred or alternative label that
occurs in the occupation's description as whole words (case-insensitive, after the vocabulary's
normalization); its gold skills are exactly those essential skills. The first 100 such occupations
form the set. "lenient" precision also accepts any essential or optional skill of the occupation
(the strict gold is incomplete: descriptions mention more skills than the ones whose labels they
spell out, and the strict figure counts those as errors).

The extractor (apps.skills.extraction.extract) runs against an index of the whole release built as
``apps.skills.selectors.taxonomy_index`` builds it after an import (labels of every kind and language,
word sequences for the rewrite rules, definition vectors), with the fusion fitted as ``normalizer_fit``
does (bench/multilingual_eval.py shares the builder and its vector cache under --cache). Figures:
macro-averaged precision@k (hits among what was returned, at most k) and recall@k (hits / gold), for
the default confidence threshold and others, beside "exact labels only" (the confidence-1.0 label hits
alone).

  .venv/bin/python bench/extraction_eval.py [--esco ../shared/data/esco-v1.1.1] [--encoder minilm]
      [--n 100] [--dump set.jsonl]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from apps.skills import esco  # noqa: E402
from apps.skills.encoders import get_encoder  # noqa: E402
from apps.skills.extraction import MIN_CONFIDENCE, extract  # noqa: E402
from apps.skills.text import normalize_phrase  # noqa: E402
from bench.multilingual_eval import label_rows, product_index  # noqa: E402


def build_set(release: esco.EscoRelease, n: int, seed: int = 0) -> list[dict]:
    essential: dict[str, set[str]] = {}
    related: dict[str, set[str]] = {}
    for occ, skill, rel in release.occupation_skills:
        related.setdefault(occ, set()).add(skill)
        if rel == "essential":
            essential.setdefault(occ, set()).add(skill)
    occupations = sorted(release.occupations)
    order = np.random.default_rng(seed).permutation(len(occupations))
    items = []
    for i in order:
        uri, title, desc = occupations[i]
        text = normalize_phrase(desc)
        if not text:
            continue
        gold = []
        for s_uri in sorted(essential.get(uri, ())):
            s = release.skills[s_uri]
            labels = {normalize_phrase(t) for t in [s.preferred.get("en", ""), *s.alternatives.get("en", [])]}
            if any(len(lab) >= 3 and re.search(rf"(?<!\w){re.escape(lab)}(?!\w)", text) for lab in labels):
                gold.append(s_uri)
        if gold:
            items.append(
                {"occupation": uri, "title": title, "text": desc, "gold": gold, "related": sorted(related.get(uri, ()))}
            )
        if len(items) == n:
            break
    return items


def scores(items: list[dict], preds: list[list[dict]], k: int, threshold: float, exact_only: bool = False) -> dict:
    p, r, pl, returned = [], [], [], []
    for item, pred in zip(items, preds, strict=True):
        got = [f["uri"] for f in pred if f["confidence"] >= threshold and (not exact_only or f["confidence"] >= 1.0)]
        got = got[:k]
        gold, related = set(item["gold"]), set(item["related"])
        hits = len(set(got) & gold)
        returned.append(len(got))
        r.append(hits / len(gold))
        if got:
            p.append(hits / len(got))
            pl.append(len(set(got) & related) / len(got))
    return {
        "precision": statistics.mean(p) if p else 0.0,
        "recall": statistics.mean(r),
        "precision_lenient": statistics.mean(pl) if pl else 0.0,
        "mean_returned": statistics.mean(returned),
        "texts_with_output": len(p),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--esco", type=Path, default=ROOT.parent / "shared" / "data" / "esco-v1.1.1")
    ap.add_argument("--encoder", default="minilm")
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "tsumiki-vectors")
    ap.add_argument("--dump", type=Path, default=None, help="write the labelled set here (JSON lines)")
    a = ap.parse_args()
    release = esco.read_release(a.esco)
    items = build_set(release, a.n)
    if a.dump:
        a.dump.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    rows = label_rows(release)
    index, info = product_index(release, rows, a.encoder, a.cache, 1)
    fit = info["fit"]
    print(
        f"fit: {fit.get('samples')} samples , held-out acc@1 "
        f"{fit.get('acc1_fused', 0):.3f} (max cosine {fit.get('acc1_max_cos', 0):.3f}), {fit.get('rules')} rules; "
        f"embedding {info['embed_s']}s ({info['distinct_texts']} distinct texts), fit {info['fit_s']}s",
        flush=True,
    )
    enc = get_encoder(a.encoder, 1)
    t = time.perf_counter()
    preds = [extract(i["text"], index, enc.encode, top_k=10, min_confidence=0.0) for i in items]
    per_text = (time.perf_counter() - t) / len(items)
    n_gold = [len(i["gold"]) for i in items]
    chars = statistics.mean(len(i["text"]) for i in items)
    print(
        f"set: {len(items)} occupation descriptions, {sum(n_gold)} gold skills "
        f"(mean {statistics.mean(n_gold):.2f}, max {max(n_gold)}), mean {chars:.0f} chars; "
        f"index {index.size} concepts / {len(rows)} labels ({a.encoder}); extraction {per_text:.2f}s per text"
    )
    out = {
        "items": len(items),
        "gold": sum(n_gold),
        "seconds_per_text": round(per_text, 3),
        "index": {"concepts": index.size, "labels": len(rows), **info},
        "results": {},
    }
    variants = [
        ("exact labels only", 1.0, True),
        (f"extract (default, >= {MIN_CONFIDENCE})", MIN_CONFIDENCE, False),
        ("extract, >= 0.5", 0.5, False),
        ("extract, >= 0.9", 0.9, False),
    ]
    for name, threshold, exact_only in variants:
        for k in (5, 10):
            m = scores(items, preds, k, threshold, exact_only)
            out["results"][f"{name} @{k}"] = m
            print(
                f"{name:32s} @{k:<2d} P={m['precision']:.3f} R={m['recall']:.3f} "
                f"P_lenient={m['precision_lenient']:.3f} returned={m['mean_returned']:.1f}"
            )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
