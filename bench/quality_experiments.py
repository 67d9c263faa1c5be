#!/usr/bin/env python
"""Normalization ideas that were measured on the dev split and NOT kept (docs/quality.md lists them).

Needs a database where the dev taxonomy was imported (e.g. the one evaluate.py leaves in /tmp, or
`DATABASE_URL=sqlite:////tmp/dev.sqlite3 manage.py migrate && manage.py import_esco ../shared/eval/dev/taxonomy`):

    DATABASE_URL=sqlite:////tmp/dev.sqlite3 .venv/bin/python bench/quality_experiments.py

Prints acc@1 (all / hard) on ../shared/eval/dev/normalization.jsonl for: plain max label cosine; max +
α·concept centroid; a ridge "adapter" mapping labels towards their concept's other labels; and a fusion
fitted on the taxonomy's own labels, by logistic regression and by gradient boosting (300 iterations,
otherwise scikit-learn's defaults).

This is the record of the experiments behind docs/quality.md's "Tried and not kept" table, which was
measured when the shipped normalizer was a logistic model over nine features. The normalizer has changed
since (16 features, rewrite rules, definition vectors, gradient-boosted trees with their own settings and
6,000 samples: apps.skills.normalizer, apps.skills.fusion). The script still runs against the current
code, but its two fusion rows then fit the current features *without* the rewrite-rule votes (no
``query_seqs`` are passed, so those five features are zero) and with the definition features only where
the database holds the definitions' vectors (imports before the change did not embed them): they measure
neither the old table's pipeline nor the shipped normalizer. The non-fusion rows do not depend on the
change. The shipped normalizer is measured by ../shared/eval/evaluate.py.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
DEV = ROOT.parent / "shared" / "eval" / "dev" / "normalization.jsonl"


def main() -> None:
    import django

    django.setup()
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from apps.skills.normalizer import tokens
    from apps.skills.selectors import taxonomy_index
    from apps.skills.text import normalize_phrase
    from apps.skills.vocabulary import encoder

    idx = taxonomy_index(with_fusion=False)
    rows = [json.loads(line) for line in DEV.open()]
    uri_to_c = {u: i for i, u in enumerate(idx.uris)}
    gold = np.array([uri_to_c[r["gold"]] for r in rows])
    hard = np.array([r["hard"] for r in rows])
    texts = [normalize_phrase(r["query"]) for r in rows]
    q = encoder().encode(texts)
    lab = idx.label_vecs

    def report(name: str, ok: np.ndarray) -> None:
        print(f"{name:38s} acc@1 {ok.mean():.3f}  hard {ok[hard].mean():.3f}")

    seg = np.maximum.reduceat(q @ lab.T, idx.seg_starts, axis=1)
    report("max label cosine (baseline)", np.argmax(seg, axis=1) == gold)
    cent = idx.centroid_sum / np.linalg.norm(idx.centroid_sum, axis=1, keepdims=True)
    for a in (0.1, 0.3):
        report(f"max + {a}·centroid", np.argmax(seg + a * (q @ cent.T), axis=1) == gold)
    rc = idx.row_concept
    mask = idx.n_labels[rc] > 1
    y = idx.centroid_sum[rc][mask] - lab[mask]
    y /= np.linalg.norm(y, axis=1, keepdims=True)
    x = lab[mask]
    w = np.linalg.solve(x.T @ x + 10.0 * np.eye(x.shape[1]), x.T @ y)
    la, qa = lab @ w, q @ w
    la /= np.linalg.norm(la, axis=1, keepdims=True)
    qa /= np.linalg.norm(qa, axis=1, keepdims=True)
    report("ridge adapter (λ=10)", np.argmax(np.maximum.reduceat(qa @ la.T, idx.seg_starts, axis=1), axis=1) == gold)
    dev = idx.features(q, [tokens(t) for t in texts])
    rng = np.random.default_rng(0)
    eligible = np.flatnonzero(mask & (np.arange(len(rc)) != idx.seg_starts[rc]))
    sample = rng.choice(eligible, size=min(8000, len(eligible)), replace=False)
    tr = idx.features(lab[sample], [idx.label_tokens[r] for r in sample], mask_rows=sample)
    xt = np.vstack([f for _, f in tr])
    yt = np.concatenate([c == rc[r] for r, (c, _) in zip(sample, tr, strict=True)])
    for name, model in (
        ("fusion: logistic regression", make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))),
        ("fusion: gradient boosting", HistGradientBoostingClassifier(max_iter=300)),
    ):
        model.fit(xt, yt)
        ok = np.array([c[np.argmax(model.predict_proba(f)[:, 1])] == g for (c, f), g in zip(dev, gold, strict=True)])
        report(name, ok)


if __name__ == "__main__":
    main()
