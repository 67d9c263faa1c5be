#!/usr/bin/env python
"""Warm latency of the skills API: ``POST /api/v1/skills/normalize/`` and ``/skills/extract/`` (part of
`make bench`).

Runs in the project's checkout against DATABASE_URL (a taxonomy imported; work on a copy: both endpoints
store the phrases they encode). It creates an organization and an API key, warms the process as a server
does at start (apps.skills.warmup: encoders and label index), and then sends requests through Django's
whole request stack (middleware, authentication, throttling, DRF parsing and rendering) with Django's
test client: no socket, so the figures leave out the HTTP server and the network (a millisecond or so on
one machine).

Every request carries phrases no earlier request carried, so no cache of an answer helps:

- ``normalize_1``: one phrase per request, as a form field's lookup sends it. A third are taxonomy labels
  as written, a third labels as people type them (lower case, a word dropped or a few words around
  them: "experience with …", "… skills"), a third free text made of two labels' words;
- ``normalize_10``: ten such phrases per request (an import's batch);
- ``extract``: a 300-word job description (bench/extraction_speed.py's), its sentences shuffled per
  request so that each text is new (the phrases in it repeat: its fresh-phrase case is measured there).

Prints p50 / p95 / max and CPU per request for each, with the load average before and after; with
``--json-out`` the figures as one JSON object (bench/run.py puts them on its last line).

  DATABASE_URL=sqlite:////path/copy.sqlite3 .venv/bin/python bench/api_latency.py [--requests 200]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
# the bench sends requests back to back, faster than one key's default rate allows; the throttle's own
# cost (a cache read and write per request) stays in the figures
os.environ.setdefault("TSUMIKI_API_RATE", "1000000/minute")

AROUND = [
    ("experience with ", ""),
    ("strong ", " skills"),
    ("knowledge of ", ""),
    ("", " experience"),
    ("hands-on ", ""),
    ("proven ", " ability"),
]


def typed_phrases(labels: list[str], n: int, seed: int) -> list[str]:
    """``n`` distinct phrases as users write them (see the module docstring), in a shuffled order."""
    rng = random.Random(seed)
    out: dict[str, None] = {}
    while len(out) < n:
        kind = len(out) % 3
        label = rng.choice(labels)
        if kind == 0:
            phrase = label
        elif kind == 1:
            words = label.lower().split()
            if len(words) > 2 and rng.random() < 0.5:
                del words[rng.randrange(len(words))]
            before, after = rng.choice(AROUND)
            phrase = before + " ".join(words) + after
        else:
            a, b = label.split(), rng.choice(labels).split()
            phrase = " ".join(a[: max(1, len(a) // 2)] + b[len(b) // 2 :])
        out.setdefault(phrase[:200], None)
    phrases = list(out)
    rng.shuffle(phrases)
    return phrases


def _stats(ms: list[float], cpu: list[float]) -> dict[str, float | int]:
    q = statistics.quantiles(ms, n=20, method="inclusive")
    return {
        "requests": len(ms),
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(q[18], 1),
        "max_ms": round(max(ms), 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=200, help="timed requests per endpoint (extract: a fifth)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--json-out", type=Path, default=None)
    a = ap.parse_args(argv)

    import django

    django.setup()
    from django.test import Client

    from apps.accounts.services import api_key_create, organization_create
    from apps.skills.models import SkillLabel
    from apps.skills.warmup import LOADING, READY, state, warmup_start
    from bench.extraction_speed import DESCRIPTION

    labels = list(SkillLabel.objects.values_list("text", flat=True)[:200_000])
    if not labels:
        print("no taxonomy in DATABASE_URL: import one first (manage.py import_esco)", file=sys.stderr)
        return 2
    org = organization_create(slug="bench-api-latency", name="Bench API latency")
    _key, raw = api_key_create(organization=org, scopes=["read", "write"], name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def post(path: str, body: dict) -> tuple[float, float]:
        t, c = time.perf_counter(), time.process_time()
        r = client.post(path, data=json.dumps(body), content_type="application/json")
        wall, cpu = (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000
        if r.status_code != 200:
            raise SystemExit(f"{path}: HTTP {r.status_code}: {r.content[:300]!r}")
        return wall, cpu

    n = a.requests
    phrases = typed_phrases(labels, 4 * n + 10 * max(1, n // 5) + 40, a.seed)
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    warmup_start(force=True)
    while state().status == LOADING:
        time.sleep(0.1)
    if state().status != READY:
        raise SystemExit(f"warm start failed: {state().error}")
    warm_s = time.perf_counter() - t0
    for p in phrases[:20]:  # the first requests pay one-off costs (imports, query plans); not timed
        post("/api/v1/skills/normalize/", {"phrases": [p]})
    post("/api/v1/skills/extract/", {"text": DESCRIPTION})
    rest = iter(phrases[40:])
    res: dict[str, object] = {"warmup_s": round(warm_s, 2), "labels": len(labels)}
    walls, cpus = zip(*(post("/api/v1/skills/normalize/", {"phrases": [next(rest)]}) for _ in range(n)), strict=True)
    res["normalize_1"] = _stats(list(walls), list(cpus))
    m = max(1, n // 5)
    walls, cpus = zip(
        *(post("/api/v1/skills/normalize/", {"phrases": [next(rest) for _ in range(10)]}) for _ in range(m)),
        strict=True,
    )
    res["normalize_10"] = _stats(list(walls), list(cpus))
    lines = DESCRIPTION.split("\n")
    rng = random.Random(a.seed)
    texts = []
    for _ in range(m):
        rng.shuffle(lines)
        texts.append("\n".join(lines))
    walls, cpus = zip(*(post("/api/v1/skills/extract/", {"text": t}) for t in texts), strict=True)
    res["extract"] = _stats(list(walls), list(cpus))
    res["loadavg_before"] = [round(x, 2) for x in load_before]
    res["loadavg"] = [round(x, 2) for x in os.getloadavg()]

    print(f"\n## Skills API, warm (Django test client; load {res['loadavg_before']} → {res['loadavg']})")
    print("| endpoint | requests | p50 | p95 | max | CPU p50 |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in ("normalize_1", "normalize_10", "extract"):
        s = res[name]
        assert isinstance(s, dict)
        cells = [s["requests"], *(f"{s[k]} ms" for k in ("p50_ms", "p95_ms", "max_ms", "cpu_p50_ms"))]
        print(f"| {name} | " + " | ".join(str(c) for c in cells) + " |")
    if a.json_out:
        flat = {"api_warmup_s": res["warmup_s"]}
        for name in ("normalize_1", "normalize_10", "extract"):
            s = res[name]
            assert isinstance(s, dict)
            flat[f"api_{name}_p50_ms"] = s["p50_ms"]
            flat[f"api_{name}_p95_ms"] = s["p95_ms"]
        a.json_out.write_text(json.dumps(flat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
