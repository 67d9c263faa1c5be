#!/usr/bin/env python
"""The label index read from the database against mapped from its snapshot (apps/skills/index_snapshot.py).

Each way runs in a fresh process (``--reps`` times, alternating) on DATABASE_URL, a database with a
taxonomy imported and fitted (work on a copy): ``database`` with ``TSUMIKI_INDEX_SNAPSHOTS=""``, ``snapshot``
with a temporary snapshot folder that one untimed process filled first, as ``import_esco`` fills it. A
process times ``taxonomy_index()`` and then, on the index it got, the product a normalize query makes over
the label rows under the primary encoder (median of 30), so that reading mapped vectors is compared with
reading them from memory. Prints medians; with ``--json-out`` one JSON object.

  DATABASE_URL=sqlite:////path/copy.sqlite3 .venv/bin/python bench/index_snapshot.py [--reps 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, statistics, sys, time
import django
django.setup()
import numpy as np
from apps.skills import selectors
t = time.perf_counter()
index = selectors.taxonomy_index()
built = time.perf_counter() - t
q = np.random.default_rng(0).random((1, index.label_vecs.shape[1])).astype(np.float32)
times = []
for _ in range(30):
    t = time.perf_counter()
    q @ index.label_vecs.T
    times.append(time.perf_counter() - t)
print(json.dumps({"index_s": built, "product_ms": statistics.median(times) * 1000,
                  "mapped": isinstance(index.label_vecs, np.memmap), "labels": int(index.label_vecs.shape[0])}))
"""


def _run(snapshots: str) -> dict:
    env = dict(os.environ, TSUMIKI_INDEX_SNAPSHOTS=snapshots, TSUMIKI_WARM_START="0")
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    out = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--json-out", type=Path)
    a = ap.parse_args(argv)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="index-snapshot-bench-") as folder:
        first = _run(folder)  # builds from the database and stores the snapshot (untimed)
        runs: dict[str, list[dict]] = {"database": [], "snapshot": []}
        for _ in range(a.reps):
            runs["database"].append(_run(""))
            runs["snapshot"].append(_run(folder))
    if not all(r["mapped"] for r in runs["snapshot"]) or any(r["mapped"] for r in runs["database"]):
        raise SystemExit("the snapshot was not used as expected")
    figures = {"index_labels": first["labels"], "index_snapshot_load_average": round(load, 2)}
    print(f"\n## The label index: from the database or mapped ({first['labels']:,} label rows; load {load:.1f})")
    print("| way | index ready: median (runs) | one query's product over the label rows: median |")
    print("|---|---:|---:|")
    for way, rows in runs.items():
        ready = [r["index_s"] for r in rows]
        product = statistics.median(r["product_ms"] for r in rows)
        figures[f"index_{way}_s"] = round(statistics.median(ready), 2)
        figures[f"index_{way}_product_ms"] = round(product, 2)
        print(
            f"| {way} | {statistics.median(ready):.2f} s ({', '.join(f'{t:.2f}' for t in ready)}) | {product:.1f} ms |"
        )
    if a.json_out:
        a.json_out.write_text(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
