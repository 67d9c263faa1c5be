#!/usr/bin/env python
"""Would an int8 MiniLM (torch dynamic quantization of its Linear layers) speed up import and extraction
without changing answers? Quoted in docs/benchmarks.md ("import_esco").

Encodes the 1–3-word n-grams of bench/extraction_speed.py's 300-word job description (the phrases an
extraction encodes) with the shipped float32 model and with its int8 copy, and compares: CPU time (best
of three), cosine between each phrase's two vectors, and whether its nearest label among the first
``--labels`` ESCO preferred labels (encoded in float32, as import_esco stores them) stays the same.

  .venv/bin/python bench/encoder_int8.py [--esco ../shared/data/esco-v1.1.1] [--labels 3000] [--phrases 600]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from apps.skills.encoders import get_encoder  # noqa: E402
from bench.extraction_speed import DESCRIPTION  # noqa: E402


def ngrams(text: str, most: int) -> list[str]:
    words = text.split()
    grams = (" ".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1))
    return list(dict.fromkeys(grams))[:most]


def cpu_best(fn, texts: list[str]) -> tuple[float, np.ndarray]:
    best, out = float("inf"), None
    for _ in range(3):
        t = time.process_time()
        out = fn(texts)
        best = min(best, time.process_time() - t)
    return best, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--esco", type=Path, default=ROOT.parent / "shared" / "data" / "esco-v1.1.1")
    ap.add_argument("--labels", type=int, default=3000)
    ap.add_argument("--phrases", type=int, default=600)
    a = ap.parse_args()
    import torch

    with (a.esco / "classification-en" / "skills_en.csv").open(encoding="utf-8") as f:
        labels = [r["preferredLabel"] for r in csv.DictReader(f)][: a.labels]
    texts = ngrams(DESCRIPTION, a.phrases)
    enc = get_encoder("minilm")
    label_vecs = enc.encode(labels)
    t32, v32 = cpu_best(enc.encode, texts)
    float_model = enc._model
    enc._model = torch.ao.quantization.quantize_dynamic(float_model, {torch.nn.Linear}, dtype=torch.qint8)
    try:
        t8, v8 = cpu_best(enc.encode, texts)
    finally:
        enc._model = float_model
    cos = (v32 * v8).sum(axis=1)
    same = float(np.mean((v32 @ label_vecs.T).argmax(1) == (v8 @ label_vecs.T).argmax(1)))
    head = "| phrases | float32 CPU | int8 CPU | speed-up | cosine min / median | same nearest label"
    print(f"{head} (of {len(labels)}) |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {len(texts)} | {t32:.2f} s | {t8:.2f} s | {t32 / t8:.1f}× | {cos.min():.3f} / {np.median(cos):.3f} "
        f"| {same:.1%} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
