#!/usr/bin/env python
"""Ranking on the dev split for a grid of MatchParams (docs/quality.md: the defaults were kept).

Needs a database where the dev taxonomy was imported (see bench/quality_experiments.py):

    DATABASE_URL=sqlite:////tmp/dev.sqlite3 .venv/bin/python bench/rank_sweep.py \\
        '{"sim_floor": [0.4, 0.5, 0.55], "sim_ceiling": [0.75, 0.85]}'

Prints mean NDCG@10 and Spearman over the 30 dev jobs (the evaluation's own metric functions) for the
defaults and for each combination.
"""

from __future__ import annotations

import itertools
import json
import os
import statistics
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(EVAL))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def main() -> None:
    import django

    django.setup()
    from evaluate import ndcg_at, spearman

    from apps.candidates.interchange import iter_candidates_jsonl, parse_job
    from apps.matching.services import default_params, documents_rank

    jobs = []
    for jf in sorted((EVAL / "dev" / "ranking").glob("job-*[0-9].json")):
        truth = json.loads(jf.with_name(jf.stem + ".truth.json").read_text())
        with jf.with_name(jf.stem + ".candidates.jsonl").open() as f:
            jobs.append((parse_job(json.loads(jf.read_text())), list(iter_candidates_jsonl(f)), truth))

    def evaluate(params) -> tuple[float, float]:
        nd, sp = [], []
        for job, cands, truth in jobs:
            order = [r["id"] for r in documents_rank(job=job, candidates=cands, params=params)]
            nd.append(ndcg_at(order, truth))
            sp.append(spearman(order, truth))
        return statistics.mean(nd), statistics.mean(sp)

    base = default_params()
    print("defaults", "ndcg@10={:.4f} spearman={:.4f}".format(*evaluate(base)), flush=True)
    grid = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    for values in itertools.product(*grid.values()):
        changes = dict(zip(grid, values, strict=True))
        print(changes, "ndcg@10={:.4f} spearman={:.4f}".format(*evaluate(replace(base, **changes))), flush=True)


if __name__ == "__main__":
    main()
