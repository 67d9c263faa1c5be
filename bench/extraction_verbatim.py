#!/usr/bin/env python
"""How often a verbatim taxonomy label in a job-ad sentence is a skill the annotators marked, by kind of
mention, beside the confidence the extractor gives it: the data behind the verbatim-label calibration.

Reads the validation sentences (TECH, HOUSE) of ../shared/data/skill-extraction, runs the product's
extractor (apps.skills.services.skills_extract, no confidence floor) on each against the database in
DATABASE_URL (the full ESCO import), and counts, per kind of verbatim mention (a technology-like token:
an acronym or a capitalized word inside the sentence; a label of several words; a common single word;
another single word) and for every other suggestion, how many are gold and their mean confidence.

  DATABASE_URL=sqlite:///<full ESCO import> .venv/bin/python bench/extraction_verbatim.py
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
DATA = ROOT.parent / "shared" / "data" / "skill-extraction"


def main() -> None:
    import django

    django.setup()
    from apps.skills.extraction import verbatim_kind
    from apps.skills.selectors import taxonomy_index
    from apps.skills.services import skills_extract
    from apps.skills.text import normalize_phrase

    index = taxonomy_index()
    by_label = {
        re.sub(r"\s+", " ", lab).strip().casefold(): uri for lab, uri in zip(index.labels, index.uris, strict=True)
    }
    stats: dict = defaultdict(lambda: [0, 0, 0.0])  # kind -> [n, gold, sum of confidence]
    for split in ("tech", "house"):
        gold: dict[str, set[str]] = defaultdict(set)
        with (DATA / f"{split}_validation_annotations.csv").open(encoding="utf-8") as f:
            for r in csv.DictReader(f):
                uri = by_label.get(re.sub(r"\s+", " ", r["label"]).strip().casefold())
                if uri:
                    gold[r["sentence"]].add(uri)
        for sentence, uris in gold.items():
            for s in skills_extract(text=sentence, top_k=50):
                a, b = s["span"]
                hit = index.exact.get(normalize_phrase(sentence[a:b]))
                own = hit is not None and index.uris[hit] == s["uri"]
                kind = (verbatim_kind(sentence, a, b, index) if own else None) or "other"
                st = stats[(split, kind)]
                st[0] += 1
                st[1] += s["uri"] in uris
                st[2] += s["confidence"]
    rows = {
        f"{k[0]}:{k[1]}": {"n": n, "gold": g, "precision": round(g / n, 3), "mean_confidence": round(c / n, 3)}
        for k, (n, g, c) in sorted(stats.items())
    }
    for k, v in rows.items():
        print(f"{k:28s} {v}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
