#!/usr/bin/env python
"""The normalization part of the shared evaluation, in minutes, on a database imported once.

``../shared/eval/evaluate.py`` imports the split's taxonomy into a fresh database (minutes of embedding
and a fit), normalizes its English and French/Spanish queries, then ranks 30 jobs (most of its quarter
of an hour). This bench does the middle part only, on a database where the split's taxonomy was imported
before, and gives the same normalization figures as the evaluation (same queries, ``normalize`` with top
10 in chunks of 512 as ``normalize_skills`` reads them, same acc@1 / MRR@10 / recall@10 definitions):

    DATABASE_URL=sqlite:////tmp/dev.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/dev.sqlite3 .venv/bin/python manage.py import_esco ../shared/eval/dev/taxonomy
    DATABASE_URL=sqlite:////tmp/dev.sqlite3 .venv/bin/python bench/normalization_quick.py --refit

``--refit`` first fits the normalizer again with the code of this checkout (neither reading nor writing
the persistent fit cache) and stores it as the database's latest fit, so a change to the features or the
fitting is measured as the evaluation would measure it after a fresh import; without it the stored fit is
used. ``--seed`` fits on other samples of the taxonomy's labels (the spread of one figure), ``--bag 1``
fits one model on one sample (the normalizer before FIT_BAG);
``--misses FILE`` writes the wrong English answers (hard ones marked) as JSON lines. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def metrics(rows: list[dict], ranked: list[list[str]]) -> dict:
    """acc@1, MRR@10 and recall@10 over all rows and over the hard ones (the evaluation's definitions)."""
    out = {}
    for name, pick in (("all", lambda r: True), ("hard", lambda r: bool(r.get("hard")))):
        n = acc = 0
        mrr = rec = 0.0
        for r, uris in zip(rows, ranked, strict=True):
            if not pick(r):
                continue
            n += 1
            acc += uris[:1] == [r["gold"]]
            if r["gold"] in uris[:10]:
                rec += 1
                mrr += 1 / (uris.index(r["gold"]) + 1)
        d = max(n, 1)
        out[name] = {"n": n, "acc@1": acc / d, "mrr@10": mrr / d, "recall@10": rec / d}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--split", type=Path, default=ROOT.parent / "shared" / "eval" / "dev")
    ap.add_argument("--refit", action="store_true", help="fit the normalizer again with this checkout's code")
    ap.add_argument("--seed", type=int, default=0, help="sample seed of the refit (0: the import's)")
    ap.add_argument("--bag", type=int, default=0, help="label samples the refit averages (0: FIT_BAG)")
    ap.add_argument("--misses", type=Path, default=None, help="write the wrong English answers here (JSON lines)")
    a = ap.parse_args()

    import django

    django.setup()
    from django.conf import settings

    from apps.skills.models import NormalizerFit
    from apps.skills.normalizer import FIT_BAG, FIT_SAMPLES, fit_fusion
    from apps.skills.selectors import taxonomy_index, taxonomy_key
    from apps.skills.services import normalize
    from apps.skills.vocabulary import aux_model_key, model_key

    t0 = time.perf_counter()
    out: dict = {"split": a.split.name}
    if a.refit:
        index = taxonomy_index(with_fusion=False)
        bag = a.bag or FIT_BAG
        fusion, fit_metrics = fit_fusion(
            index, samples=FIT_SAMPLES, seed=a.seed, threads=settings.TSUMIKI_BLAS_THREADS, bag=bag
        )
        params = {
            **fusion.as_dict(),
            "rules": index.rules.export() if index.rules is not None else None,
            "aux": aux_model_key() if index.has_aux else None,
        }
        NormalizerFit.objects.create(model=model_key(), taxonomy_key=taxonomy_key(), metrics=fit_metrics, params=params)
        shown = ("samples", "acc1_fused", "acc1_max_cos", "brier", "ece_top1", "rules")
        out["fit"] = {k: fit_metrics[k] for k in shown}
        out["fit_s"] = round(time.perf_counter() - t0, 1)

    def run(path: Path) -> tuple[list[dict], list[list]]:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        got: list[list] = []
        texts = [r["query"] for r in rows]
        for i in range(0, len(texts), 512):  # as normalize_skills reads its input
            got += normalize(texts=texts[i : i + 512], top_k=10)
        return rows, got

    t1 = time.perf_counter()
    rows, got = run(a.split / "normalization.jsonl")
    out["norm"] = metrics(rows, [[m.uri for m in g] for g in got])
    xl = a.split / "normalization_xlingual.jsonl"
    if xl.exists():
        xrows, xgot = run(xl)
        out["xlingual"] = metrics(xrows, [[m.uri for m in g] for g in xgot])
    out["normalize_s"] = round(time.perf_counter() - t1, 1)
    if a.misses:
        with a.misses.open("w", encoding="utf-8") as f:
            for r, g in zip(rows, got, strict=True):
                if not g or g[0].uri != r["gold"]:
                    rank = next((i + 1 for i, m in enumerate(g) if m.uri == r["gold"]), None)
                    top = [[m.label, m.score] for m in g[:3]]
                    f.write(json.dumps({**r, "gold_rank": rank, "top": top}, ensure_ascii=False) + "\n")
    n, x = out["norm"], out.get("xlingual")
    print(
        f"acc@1 {n['all']['acc@1']:.3f} hard {n['hard']['acc@1']:.3f} (n={n['hard']['n']}) "
        f"MRR@10 {n['all']['mrr@10']:.3f}"
        + (f" | cross-lingual acc@1 {x['all']['acc@1']:.3f} MRR@10 {x['all']['mrr@10']:.3f}" if x else ""),
        file=sys.stderr,
    )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
