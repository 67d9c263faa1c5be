#!/usr/bin/env python
"""What each part of the shipped normalizer adds, on the dev split (docs/quality.md, "Normalization").

Needs a database where the dev taxonomy was imported, with the current code (its definitions embedded):

    DATABASE_URL=sqlite:////tmp/dev.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/dev.sqlite3 .venv/bin/python manage.py import_esco ../shared/eval/dev/taxonomy
    DATABASE_URL=sqlite:////tmp/dev.sqlite3 .venv/bin/python bench/normalizer_ablation.py

Builds the training set exactly as ``normalizer_fit`` does (the taxonomy's own hidden labels; the shipped
model is fitted on all of them), computes the candidate features of the 1,000 dev queries once, then fits
the fusion on subsets of the features, with the shipped trees and with logistic regression, and prints
acc@1 / hard acc@1 / MRR@10 as ``normalize`` ranks (an exact label match first). The first row is the
shipped normalizer. "Without the auxiliary encoder" rebuilds the training set and the queries' candidates
without it (as with ``TSUMIKI_AUX_ENCODER=''``); the other rows drop features but keep the candidates.
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
AUX = ("aux_max", "aux_gap", "aux_rank", "aux_centroid", "aux_gloss", "aux_gloss_gap", "mean_max")


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
    from apps.skills.vocabulary import aux_spec, encoder

    t0 = time.perf_counter()
    idx = taxonomy_index(with_fusion=False)
    if not idx.has_aux:
        sys.exit("no auxiliary vectors: import the taxonomy with TSUMIKI_AUX_ENCODER set (default 'use')")
    x, y, grp, sampled = training_set(idx)
    first80 = grp < int(len(sampled) * 0.8)  # the part the held-out measurement's model is fitted on
    rows = [json.loads(line) for line in DEV.open()]
    texts = [normalize_phrase(r["query"]) for r in rows]
    qv, qtok, qseq = encoder().encode(texts), [tokens(t) for t in texts], [word_seq(t) for t in texts]
    found = idx.features(qv, qtok, query_seqs=qseq, query_aux=encoder(aux_spec()).encode(texts))
    aux_vecs, idx.aux_vecs = idx.aux_vecs, None  # the same index as if the auxiliary encoder were off
    x_plain, y_plain, _, _ = training_set(idx)
    found_plain = idx.features(qv, qtok, query_seqs=qseq)
    idx.aux_vecs = aux_vecs
    uri_to_c = {u: i for i, u in enumerate(idx.uris)}
    gold = [uri_to_c[r["gold"]] for r in rows]
    hard = np.array([r["hard"] for r in rows])
    exact = [idx.exact.get(t) for t in texts]
    print(
        f"training rows {len(x)}, rewrite rules {idx.rules.rule_count if idx.rules else 0}, "
        f"features ready in {time.perf_counter() - t0:.0f} s",
        file=sys.stderr,
    )

    hits: dict[str, np.ndarray] = {}  # variant -> which queries it gets right

    def score(proba, found=found, name: str = "") -> tuple[float, float, float]:
        ok, rr = [], []
        for (cands, f), g, e in zip(found, gold, exact, strict=True):
            s = proba(f)
            if e is not None and (cands == e).any():
                s[np.flatnonzero(cands == e)[0]] = 2.0
            order = cands[np.argsort(-s, kind="stable")][:10].tolist()
            ok.append(order[:1] == [g])
            rr.append(1 / (order.index(g) + 1) if g in order else 0.0)
        ok = np.array(ok)
        hits[name] = ok
        return ok.mean(), ok[hard].mean(), float(np.mean(rr))

    def without(*groups: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(f for f in FEATURES if not any(f in g for g in groups))

    plain = (x_plain, y_plain, found_plain)
    variants = [
        ("shipped: trees, all features", "trees", FEATURES, None),
        (
            "trees, all features, fitted on 80% of the sampled labels",
            "trees",
            FEATURES,
            (x[first80], y[first80], found),
        ),
        ("trees, without the auxiliary encoder (its features and candidates)", "trees", without(AUX), plain),
        ("trees, without rewrite rules", "trees", without(RULES), None),
        ("trees, without definitions", "trees", without(GLOSS), None),
        ("trees, the 9 earlier features, no auxiliary encoder", "trees", without(RULES, GLOSS, AUX), plain),
        ("logistic regression, all features", "logistic", FEATURES, None),
        (
            "logistic regression, the 9 earlier features (previous normalizer)",
            "logistic",
            without(RULES, GLOSS, AUX),
            plain,
        ),
    ]
    print("| fusion | acc@1 | hard acc@1 | MRR@10 |\n|---|---:|---:|---:|")
    cosine = score(lambda f: f[:, FEATURES.index("max_cos")].copy(), found_plain)
    print(f"| max label cosine, no fusion | {cosine[0]:.3f} | {cosine[1]:.3f} | {cosine[2]:.3f} |")
    for name, kind, feats, data in variants:
        xs, ys, fs = data or (x, y, found)
        cols = [FEATURES.index(f) for f in feats]
        if kind == "trees":
            model = fit_trees(xs[:, cols], ys)
            proba = model.proba
        else:
            lr = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=3000)).fit(xs[:, cols], ys)
            proba = lambda f, lr=lr: lr.predict_proba(f)[:, 1]  # noqa: E731
        acc, acc_hard, mrr = score(lambda f, cols=cols, proba=proba: proba(f[:, cols]), fs, name)
        print(f"| {name} | {acc:.3f} | {acc_hard:.3f} | {mrr:.3f} |", flush=True)
    shipped, plain_ok = hits[variants[0][0]], hits[variants[2][0]]
    fixed, broken = np.flatnonzero(shipped & ~plain_ok), np.flatnonzero(~shipped & plain_ok)
    print(f"\nthe auxiliary encoder fixes {len(fixed)} queries and breaks {len(broken)}:")
    for label, which in (("fixed", fixed), ("broken", broken)):
        print(f"- {label}: " + "; ".join(f"{rows[i]['query']!r} -> {rows[i]['gold_label']!r}" for i in which))
    print(f"total {time.perf_counter() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
