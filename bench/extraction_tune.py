#!/usr/bin/env python
"""Signal study for the sentence-level extractor on the VALIDATION sentences of TECH and HOUSE.

Loads the taxonomy index from the database (DATABASE_URL, ESCO imported), the validation tasks exactly
as ../shared/eval/extraction.py builds them (its own ``load_tasks``), and scores each sentence with
WorkRB's metrics (the eval's ``_rank_metrics``), for the extractor as configured and for single signals.
Encoder outputs are cached per text under --cache, so a second run re-scores in seconds.

  DATABASE_URL=... .venv/bin/python bench/extraction_tune.py [--cache /tmp/extraction-tune.pkl] [--mode MODE]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
SHARED = ROOT.parent / "shared"


def load_eval():
    spec = importlib.util.spec_from_file_location("tsumiki_extraction_eval", SHARED / "eval" / "extraction.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class CachedEncoder:
    """Memoizes an encoder's vectors per text (the study re-runs the same texts many times)."""

    def __init__(self, enc, store: dict):
        self.enc, self.store = enc, store

    def encode(self, texts):
        import numpy as np

        todo = [t for t in dict.fromkeys(texts) if t not in self.store]
        if todo:
            for t, v in zip(todo, self.enc.encode(todo), strict=True):
                self.store[t] = v
        if not texts:
            return np.zeros((0, self.enc.dim), dtype=np.float32)
        return np.stack([self.store[t] for t in texts])


def release_index():
    """(index, prior) from the release files and the vectors stored in the database so far."""
    import dataclasses

    import numpy as np

    from apps.skills import esco
    from apps.skills.models import Phrase, PhraseVector
    from apps.skills.text import normalize_phrase
    from apps.skills.vocabulary import aux_spec, model_key
    from bench.multilingual_eval import build_index, gloss_keys, label_rows

    release = esco.read_release(SHARED / "data" / "esco-v1.1.1")
    rows = label_rows(release)
    ids = dict(Phrase.objects.values_list("text", "id"))
    vec: dict[str, dict[int, np.ndarray]] = {}
    for spec in (None, aux_spec()):
        key = model_key(spec)
        vec[key] = {
            pid: np.frombuffer(bytes(b), dtype=np.float32)
            for pid, b in PhraseVector.objects.filter(model=key).values_list("phrase_id", "vector").iterator(2000)
        }
    pk, ak = model_key(), model_key(aux_spec())

    def have(t):
        i = ids.get(normalize_phrase(t))
        return i is not None and i in vec[pk] and i in vec[ak]

    rows = [r for r in rows if have(r[2])]
    of = {t: vec[pk][i] for t, i in ids.items() if i in vec[pk]}
    aof = {t: vec[ak][i] for t, i in ids.items() if i in vec[ak]}
    zero = np.zeros(384, dtype=np.float32)
    index = build_index(
        release,
        rows,
        {
            **{normalize_phrase(r[2]): of[normalize_phrase(r[2])] for r in rows},
            **{k: of.get(k, zero) for k in gloss_keys(release, list(release.skills))},
        },
    )
    keys = gloss_keys(release, index.uris)
    aux_gloss = np.stack([aof.get(k, np.zeros(512, np.float32)) if k else np.zeros(512, np.float32) for k in keys])
    index = dataclasses.replace(
        index,
        aux_vecs=np.stack([aof[normalize_phrase(r[2])] for r in rows]),
        aux_gloss_vecs=aux_gloss,
    )
    counts: dict[str, int] = {}
    for _, skill, rel in release.occupation_skills:
        if rel == "essential":
            counts[skill] = counts.get(skill, 0) + 1
    prior = np.log1p(np.array([counts.get(u, 0) for u in index.uris], dtype=np.float32))
    print(f"release index: {len(rows)} label rows with both vectors, {index.size} concepts", file=sys.stderr)
    return index, prior


def fit_confidence(pairs: list[tuple[float, int]]) -> None:
    """Logistic regression of "annotated" on the raw score; prints slope, center and a reliability table."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    conf = np.clip(np.array([c for c, _ in pairs]), 1e-6, 1 - 1e-6)
    x = np.log(conf / (1 - conf))[:, None]
    y = np.array([g for _, g in pairs])
    m = LogisticRegression(C=100.0).fit(x, y)
    slope = float(m.coef_[0, 0])
    center = float(-m.intercept_[0] / slope)
    print(f"confidence fit: slope {slope:.3f}, center {center:.4f} on {len(y)} (score, annotated) pairs")
    p = 1 / (1 + np.exp(-slope * (x[:, 0] - center)))
    for lo in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        sel = (p >= lo) & (p < lo + 0.1)
        if sel.any():
            n, mp, ya = int(sel.sum()), p[sel].mean(), y[sel].mean()
            print(f"  p in [{lo:.1f}, {lo + 0.1:.1f}): n {n}, mean p {mp:.3f}, annotated {ya:.3f}")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7):
        sel = p >= t
        if sel.any():
            n, prec, rec = int(sel.sum()), y[sel].mean(), y[sel].sum() / max(y.sum(), 1)
            print(f"  p >= {t}: n {n}, precision {prec:.3f}, recall {rec:.3f}")


def load_cache(path: Path) -> dict:
    import numpy as np

    if not path.exists():
        return {}
    z = np.load(path, allow_pickle=False)
    out: dict = {}
    for name in ("primary", "aux"):
        if f"{name}_texts" in z:
            out[name] = dict(zip(z[f"{name}_texts"].tolist(), z[f"{name}_vecs"], strict=True))
    return out


def save_cache(path: Path, cache: dict) -> None:
    import numpy as np

    arrays = {}
    for name, store in cache.items():
        if store:
            arrays[f"{name}_texts"] = np.array(list(store))
            arrays[f"{name}_vecs"] = np.stack(list(store.values()))
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "extraction-tune.npz")
    ap.add_argument("--top-k", type=int, default=50)
    ap.add_argument("--params", default="{}", help="JSON overrides of extraction.Params")
    ap.add_argument("--dump", type=Path, default=None)
    ap.add_argument("--sweep", type=Path, default=None, help="JSON {run name: Params overrides}, one run each")
    ap.add_argument(
        "--fit-confidence",
        action="store_true",
        help="fit the logistic map score -> P(annotated) on the returned lists and print it",
    )
    ap.add_argument(
        "--from-release",
        action="store_true",
        help="build the index from the ESCO CSVs and the phrase vectors stored so far (labels without both "
        "vectors left out): for a study while an import is still embedding",
    )
    a = ap.parse_args()
    import django

    django.setup()
    from apps.skills import extraction
    from apps.skills.selectors import taxonomy_index
    from apps.skills.vocabulary import aux_spec, encoder

    ev = load_eval()
    labels, uris = ev.load_targets(ev.ESCO)
    tasks, _ = ev.load_tasks(ev.DATA, labels, uris, ["validation"])
    uri_ix = {u: i for i, u in enumerate(uris)}
    t0 = time.perf_counter()
    if a.from_release:
        index, prior = release_index()
    else:
        from apps.skills.selectors import skill_prior

        index = taxonomy_index()
        prior = skill_prior(index)
    print(f"index {index.size} concepts in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    cache = load_cache(a.cache)
    enc = CachedEncoder(encoder(), cache.setdefault("primary", {}))
    aux = CachedEncoder(encoder(aux_spec()), cache.setdefault("aux", {})) if index.has_aux else None
    runs = json.loads(a.sweep.read_text()) if a.sweep else {"run": json.loads(a.params)}
    for name, params in runs.items():
        if a.fit_confidence:  # raw scores: confidence = sigmoid(score), inverted below
            params = {**params, "slope": 1.0, "center": 0.0}
        pairs: list[tuple[float, int]] = []
        out = {}
        t0 = time.perf_counter()
        dump = []
        for t, qs in tasks.items():
            if not t.startswith("extract/"):
                continue
            items, shown = [], []
            for q in qs:
                found = extraction.extract(
                    q["text"],
                    index,
                    enc.encode,
                    top_k=a.top_k,
                    aux_encode=aux.encode if aux else None,
                    prior=prior,
                    params=params,
                )
                got = [uri_ix.get(f["uri"], -1) for f in found]
                items.append((ev.ranks_in_list(got, q["gold"]), len(q["gold"])))
                for g, f in zip(got, found, strict=True):
                    pairs.append((f["confidence"], int(g in q["gold"])))
                shown.append(([g for g, f in zip(got, found, strict=True) if f.get("suggested")], q["gold"]))
                dump.append(
                    {
                        "task": t,
                        "text": q["text"],
                        "gold": [labels[g] for g in q["gold"]],
                        "found": [(f["label"], f["text"], f["confidence"]) for f in found[:10]],
                    }
                )
            m = ev._rank_metrics(items, "extract")
            out[t] = {k: m[k] for k in ("map", "rp@5", "rp@10", "mrr")}
            sm = ev.set_metrics(shown)
            out[t]["suggested"] = {k: sm[k] for k in ("precision", "recall", "returned_per_query")}
        wall = time.perf_counter() - t0
        save_cache(a.cache, cache)
        print(name, json.dumps(out), f"{wall:.1f}s", flush=True)
        if a.fit_confidence:
            fit_confidence(pairs)
        if a.dump:
            a.dump.write_text(json.dumps(dump, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
