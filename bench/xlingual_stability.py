#!/usr/bin/env python
"""How much the cross-lingual figure depends on the fusion's fit, and what answering foreign phrases with
the multilingual encoder alone (apps.skills.normalizer.FOREIGN_SHARE) gives instead.

The shared evaluation's held-out split gave cross-lingual acc@1 0.408 where dev gave 0.645; a held-out
split has its own taxonomy sample, hence its own fit. With ``--seeds`` the fusion is refitted per seed on
the same imported taxonomy (other labels hidden); without, the database's stored fit is used. Each fit is
scored on the split's French/Spanish and English queries, and with ``--pseudo N`` on N French/Spanish
preferred labels (ESCO v1.0, ../shared/data/esco-v1.0-multilang) of other concepts of the taxonomy than
the split's queries: a held-out set of the same kind. "product" is what ``TaxonomyIndex.search`` answers,
"fusion only" the same with the foreign-phrase route switched off.

  DATABASE_URL=sqlite:///<a database with SPLIT/taxonomy imported> \
      .venv/bin/python bench/xlingual_stability.py --split ../shared/eval/dev [--seeds 0 1 2] [--pseudo 1000]

Prints one line per fit and one JSON line.
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


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _acc(rows: list[dict], ranked: list[list[str]], hard: bool | None = None) -> tuple[float, int]:
    picked = [(r, g) for r, g in zip(rows, ranked, strict=True) if hard is None or bool(r.get("hard")) == hard]
    if not picked:
        return 0.0, 0
    return sum(bool(g) and g[0] == r["gold"] for r, g in picked) / len(picked), len(picked)


def _pseudo(index, taken: list[dict], n: int) -> list[dict]:
    """N French/Spanish preferred labels (alternately) of concepts of the index the split does not ask for."""
    import csv
    import random

    labels: dict[str, dict[str, str]] = {}
    for lang in ("fr", "es"):
        path = ROOT.parent / "shared" / "data" / "esco-v1.0-multilang" / f"skills_{lang}.csv"
        with path.open(encoding="utf-8") as f:
            for r in csv.DictReader(f):
                labels.setdefault(r["conceptUri"], {})[lang] = r["preferredLabel"]
    asked = {r["gold"] for r in taken}
    pool = [u for u in index.uris if u not in asked and u in labels]
    random.Random(7).shuffle(pool)
    out = []
    for i, uri in enumerate(pool):
        query = labels[uri].get("fr" if i % 2 == 0 else "es")
        if query:
            out.append({"query": query, "gold": uri})
        if len(out) == n:
            break
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", type=Path, default=ROOT.parent / "shared" / "eval" / "dev")
    ap.add_argument("--seeds", type=int, nargs="*", default=[])
    ap.add_argument("--pseudo", type=int, default=0)
    ap.add_argument("--samples", type=int, default=None)
    a = ap.parse_args()

    import django

    django.setup()
    from apps.skills import normalizer
    from apps.skills.normalizer import FIT_SAMPLES, fit_fusion
    from apps.skills.selectors import taxonomy_index
    from apps.skills.text import normalize_phrase
    from apps.skills.vocabulary import aux_spec, encode_known

    index = taxonomy_index(with_fusion=not a.seeds)
    sets = {
        "xlingual": _rows(a.split / "normalization_xlingual.jsonl"),
        "english": _rows(a.split / "normalization.jsonl"),
    }
    if a.pseudo:
        sets["pseudo"] = _pseudo(index, sets["xlingual"], a.pseudo)
    enc = {}
    for name, rows in sets.items():
        texts = [normalize_phrase(r["query"]) for r in rows]
        vecs = encode_known(texts, known_rows=index.phrase_rows, known_vecs=index.label_vecs)
        aux = encode_known(texts, spec=aux_spec(), known_rows=index.phrase_rows, known_vecs=index.aux_vecs)
        enc[name] = (texts, vecs, aux)
    out: dict = {
        "taxonomy_concepts": index.size,
        "foreign_share": {name: round(sum(map(index.foreign, t)) / len(t), 4) for name, (t, _, _) in enc.items()},
        "seeds": {},
    }
    print("share of queries taken as foreign:", out["foreign_share"], flush=True)
    share = normalizer.FOREIGN_SHARE
    for seed in a.seeds or ["stored"]:
        t0 = time.perf_counter()
        line: dict = {}
        if seed != "stored":
            fusion, metrics = fit_fusion(index, samples=a.samples or FIT_SAMPLES, seed=seed)
            index.fusion = fusion
            line = {"fit_s": round(time.perf_counter() - t0, 1), "fit_acc1": round(metrics["acc1_fused"], 4)}
        for route, label in ((share, "product"), (float("inf"), "fusion_only")):
            normalizer.FOREIGN_SHARE = route
            for name, (texts, vecs, aux) in enc.items():
                got = index.search(texts, vecs, 10, query_aux=aux)
                ranked = [[index.uris[c] for c, _ in g] for g in got]
                line[f"{name}_{label}"] = round(_acc(sets[name], ranked)[0], 4)
                if name == "english":
                    line[f"english_hard_{label}"] = round(_acc(sets[name], ranked, hard=True)[0], 4)
        normalizer.FOREIGN_SHARE = share
        out["seeds"][seed] = line
        print(f"seed {seed}: {line}", flush=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
