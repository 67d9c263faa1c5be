#!/usr/bin/env python
"""Japanese vs English skill extraction on the same sentences (bench/data/ja_en_job_sentences.tsv).

Each line holds a Japanese job-ad-style sentence, its English counterpart and the one ESCO skill it asks
for (see the file's header for how it was made: written for the project, not from real ads). Both sides go
through ``apps.skills.services.skills_extract`` against the imported taxonomy (DATABASE_URL, English
labels only unless an organization added Japanese ones); reported per language: acc@1 (the gold skill
ranked first), recall@5 and @10 (gold among the first 5 / 10), the share where the gold skill is
``suggested`` (what the job editor shows), and, for the sentences marked optional ("a plus" / "尚可"),
the share of gold hits flagged ``optional``.

  DATABASE_URL=... .venv/bin/python bench/ja_extraction_eval.py [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
DATA = ROOT / "bench" / "data" / "ja_en_job_sentences.tsv"


def load(path: Path = DATA) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0)
    a = ap.parse_args()
    import django

    django.setup()
    from apps.skills.services import skills_extract

    rows = load()
    if a.limit:
        rows = rows[: a.limit]
    skills_extract(text="warm start: Python and SQL", top_k=1)
    out: dict = {"sentences": len(rows)}
    for lang in ("en", "ja"):
        hit1 = hit5 = hit10 = shown = opt_n = opt_ok = 0
        t0 = time.perf_counter()
        for r in rows:
            found = skills_extract(text=r[lang], top_k=10)
            uris = [f["uri"] for f in found]
            gold = r["uri"]
            hit1 += uris[:1] == [gold]
            hit5 += gold in uris[:5]
            hit10 += gold in uris[:10]
            g = next((f for f in found if f["uri"] == gold), None)
            shown += bool(g and g["suggested"])
            if r["optional"] == "1" and g is not None:
                opt_n += 1
                opt_ok += g["optional"]
        n = len(rows)
        out[lang] = {
            "acc@1": round(hit1 / n, 4),
            "recall@5": round(hit5 / n, 4),
            "recall@10": round(hit10 / n, 4),
            "gold_suggested": round(shown / n, 4),
            "optional_flagged": f"{opt_ok}/{opt_n}",
            "seconds_per_sentence": round((time.perf_counter() - t0) / n, 3),
        }
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
