#!/usr/bin/env python
"""What each part of the shipped normalizer adds, on the dev split (docs/quality.md, "Normalization").

Needs a database where the dev taxonomy was imported, with the current code (its definitions embedded):

    DATABASE_URL=sqlite:////tmp/dev.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/dev.sqlite3 .venv/bin/python manage.py import_esco ../shared/eval/dev/taxonomy
    DATABASE_URL=sqlite:////tmp/dev.sqlite3 .venv/bin/python bench/normalizer_ablation.py

Builds the training set exactly as ``normalizer_fit`` does (the taxonomy's own hidden labels), computes
the candidate features of the 1,000 dev queries once, then fits the fusion on subsets of the features,
with the shipped trees and with logistic regression, and prints acc@1 / hard acc@1 / MRR@10 as
``normalize`` ranks (an exact label match first). The first row is the shipped normalizer.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
DEV = ROOT.parent / "shared" / "eval" / "dev" / "normalization.jsonl"

RULES = ("rule", "rule_hit", "rule_top", "rule_cos", "rule_crowd")
GLOSS = ("gloss_cos", "gloss_gap")


def main() -> None:
    import django

    django.setup()
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from apps.skills.fusion import fit_trees
    from apps.skills.label_rules import word_seq
    from apps.skills.normalizer import FEATURES, tokens, training_set
    from apps.skills.selectors import taxonomy_index
    from apps.skills.text import normalize_phrase
    from apps.skills.vocabulary import encoder

    t0 = time.perf_counter()
    idx = taxonomy_index(with_fusion=False)
    x, y, grp, sampled = training_set(idx)
    train = grp < int(len(sampled) * 0.8)  # the part normalizer_fit trains on
    x, y = x[train], y[train]
    rows = [json.loads(line) for line in DEV.open()]
    texts = [normalize_phrase(r["query"]) for r in rows]
    found = idx.features(encoder().encode(texts), [tokens(t) for t in texts], query_seqs=[word_seq(t) for t in texts])
    uri_to_c = {u: i for i, u in enumerate(idx.uris)}
    gold = [uri_to_c[r["gold"]] for r in rows]
    hard = np.array([r["hard"] for r in rows])
    exact = [idx.exact.get(t) for t in texts]
    print(f"training rows {len(x)}, rewrite rules {idx.rules.rule_count if idx.rules else 0}, "
          f"features ready in {time.perf_counter() - t0:.0f} s", file=sys.stderr)

    def score(proba) -> tuple[float, float, float]:
        ok, rr = [], []
        for (cands, f), g, e in zip(found, gold, exact, strict=True):
            s = proba(f)
            if e is not None and (cands == e).any():
                s[np.flatnonzero(cands == e)[0]] = 2.0
            order = cands[np.argsort(-s, kind="stable")][:10].tolist()
            ok.append(order[:1] == [g])
            rr.append(1 / (order.index(g) + 1) if g in order else 0.0)
        ok = np.array(ok)
        return ok.mean(), ok[hard].mean(), float(np.mean(rr))

    variants = [
        ("shipped: trees, all features", "trees", FEATURES),
        ("trees, without rewrite rules", "trees", tuple(f for f in FEATURES if f not in RULES)),
        ("trees, without definitions", "trees", tuple(f for f in FEATURES if f not in GLOSS)),
        ("trees, neither (the 9 earlier features)", "trees", tuple(f for f in FEATURES if f not in RULES + GLOSS)),
        ("logistic regression, all features", "logistic", FEATURES),
        ("logistic regression, the 9 earlier features", "logistic", tuple(f for f in FEATURES
                                                                           if f not in RULES + GLOSS)),
    ]
    print("| fusion | acc@1 | hard acc@1 | MRR@10 |\n|---|---:|---:|---:|")
    cosine = score(lambda f: f[:, FEATURES.index("max_cos")].copy())
    print(f"| max label cosine, no fusion | {cosine[0]:.3f} | {cosine[1]:.3f} | {cosine[2]:.3f} |")
    for name, kind, feats in variants:
        cols = [FEATURES.index(f) for f in feats]
        if kind == "trees":
            model = fit_trees(x[:, cols], y)
            proba = model.proba
        else:
            lr = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=3000)).fit(x[:, cols], y)
            proba = lambda f, lr=lr: lr.predict_proba(f)[:, 1]  # noqa: E731
        acc, acc_hard, mrr = score(lambda f, cols=cols, proba=proba: proba(f[:, cols]))
        print(f"| {name} | {acc:.3f} | {acc_hard:.3f} | {mrr:.3f} |", flush=True)
    print(f"total {time.perf_counter() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
