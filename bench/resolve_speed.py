#!/usr/bin/env python
"""Phrase resolution at pool scale: ``phrases_resolve`` on many distinct phrases new to the database.

On a throwaway copy of a SQLite database with a taxonomy imported (``--esco-db``), as a pool's first
match run or ``rank`` meets them: ``--labels`` distinct taxonomy labels (stored with vectors by the
import, never resolved), ``--near`` labels written with other punctuation ("problem-solving." for
"problem solving"), and ``--free`` free-text phrases (a label inside a few words) that no lookup answers.
Times the first call (wall clock and this process's CPU, the encoders' loading and the free phrases'
embedding included) and a second call (every answer stored), and says how many phrases each way
answered. The load average is printed with the figures.

  .venv/bin/python bench/resolve_speed.py --esco-db /path/esco.sqlite3 [--labels 100000] [--near 1000] [--free 500]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--esco-db", type=Path, required=True)
    ap.add_argument("--labels", type=int, default=100_000)
    ap.add_argument("--near", type=int, default=1000)
    ap.add_argument("--free", type=int, default=500)
    ap.add_argument("--json-out", type=Path)
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="resolve-bench-") as tmp:
        db = Path(tmp) / "taxonomy.sqlite3"
        shutil.copyfile(a.esco_db, db)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import django

        django.setup()
        from apps.skills.models import SkillLabel
        from apps.skills.services import phrases_resolve
        from apps.skills.text import normalize_phrase
        from apps.skills.vocabulary import phrases_ensure

        rng = random.Random(5)
        labels = list(
            dict.fromkeys(
                normalize_phrase(t)
                for t in SkillLabel.objects.filter(skill__is_group=False).values_list("text", flat=True)
            )
        )
        picked = rng.sample(labels, min(a.labels, len(labels)))
        near = [t.replace(" ", "-", 1) + "." for t in rng.sample(labels, a.near) if " " in t]
        free = [
            f"{rng.choice(('advanced', 'basic', 'hands-on', 'some'))} {rng.choice(labels)} {i}" for i in range(a.free)
        ]
        ids = phrases_ensure(texts=[*picked, *near, *free], embed=False)
        phrase_ids = list(ids.values())
        t, c = time.perf_counter(), time.process_time()
        first = phrases_resolve(phrase_ids=phrase_ids)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        t = time.perf_counter()
        again = phrases_resolve(phrase_ids=phrase_ids)
        stored = time.perf_counter() - t
        assert again == first
        load = os.getloadavg()[0]
        resolved_free = sum(ids[normalize_phrase(f)] in first for f in free)
        print(
            f"\n## Phrase resolution: {len(phrase_ids):,} distinct new phrases ({len(picked):,} labels, {len(near):,} "
            f"near-exact, {len(free):,} free text; load average {load:.1f})"
        )
        print("| call | wall | CPU | resolved |")
        print("|---|---:|---:|---:|")
        print(f"| first (lookup, then search for the rest) | {wall:.2f} s | {cpu:.2f} s | {len(first):,} |")
        print(f"| second (answers stored) | {stored:.2f} s | | {len(again):,} |")
        print(f"(free-text phrases resolved by the search: {resolved_free} of {len(free)})")
        figures = {
            "resolve_phrases": len(phrase_ids),
            "resolve_first_s": round(wall, 2),
            "resolve_first_cpu_s": round(cpu, 2),
            "resolve_stored_s": round(stored, 2),
            "resolve_load_average": round(load, 2),
        }
        if a.json_out:
            a.json_out.write_text(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
