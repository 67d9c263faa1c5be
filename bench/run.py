#!/usr/bin/env python
"""`make bench`: prints the figures quoted in docs/benchmarks.md, measured in one run on this machine.

Sections: the machine's own reference (GEMM, memory bandwidth); the scoring kernel at 10k/100k/1M
candidates; incremental rescoring of one candidate against 1,000 jobs; the naive ways at 10k
(extrapolated from a measured sample, marked as such); the `rank` command as a whole process on 10k and
100k generated pools (bench/rank_process.py: over ../shared/data/esco-v1.1.1 imported once into a cached
database, skipped without it); the skills API's warm normalize and extract latency on a copy of that
database (bench/api_latency.py); `import_esco` of the full release (the import that made that database)
and a re-import of it; and, with --e2e, an end-to-end match run from PostgreSQL with 1 and 2
Celery workers (bench/e2e.py) and one candidate's credential change reflected in
1,000 open runs (bench/rescore.py). Medians of several repetitions.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

from apps.matching import kernel  # noqa: E402
from apps.matching.engine import MatchParams, day_number, item_factors  # noqa: E402
from bench import synthetic  # noqa: E402

PARAMS = MatchParams(as_of="2026-02-15")
TODAY = date.fromisoformat(PARAMS.as_of)


def timed(fn, reps: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def machine_reference() -> list[tuple[str, str]]:
    a = np.random.default_rng(0).standard_normal((2048, 2048)).astype(np.float32)
    t, _ = timed(lambda: a @ a, 5)
    gflops = 2 * 2048**3 / t / 1e9
    big = np.ones(64 * 2**20 // 4, dtype=np.float32)  # 64 MiB
    dst = np.empty_like(big)
    t2, _ = timed(lambda: np.copyto(dst, big), 7)
    bw = 2 * big.nbytes / t2 / 2**30  # read + write
    return [("float32 GEMM 2048³", f"{gflops:.1f} GFLOP/s"), ("memory copy 64 MiB", f"{bw:.1f} GiB/s (read+write)")]


def prepare(pool, vocab):
    """Once per pool (as apps.matching.engine does when a pool or chunk is loaded): the pool's distinct
    phrases, their vectors, and each evidence item's position among them."""
    uniq, pos = np.unique(pool.phrase, return_inverse=True)
    return vocab[uniq], pos.astype(np.int32)


def job_kernel(pool, prepared, req, weights, must, min_level):
    """What a run does per job once the pool is in memory: similarity to the pool's distinct phrases,
    calibrated credit, the sparse kernel, and the top 100 in order."""
    pool_vecs, pos = prepared

    def run():
        sim = req @ pool_vecs.T
        credit = kernel.calibrate(sim, PARAMS.sim_floor, PARAMS.sim_ceiling)
        res = kernel.score_pool_fast(
            credit_sim=credit,
            ev_phrase=pos,
            offsets=pool.offsets,
            factor_of=lambda items: item_factors(pool, items, PARAMS, TODAY),
            level_of=lambda items: pool.level[items],
            weights=weights,
            must_have=must,
            min_level=min_level,
        )
        top = np.argpartition(-res.scores, 100)[:100]
        return res, top[np.argsort(-res.scores[top])]

    return run


def kernel_rows(sizes: list[int], reps: int) -> list[tuple]:
    rng = np.random.default_rng(42)
    vocab, req = synthetic.vocabulary(rng, size=50_000, required=20)
    weights = rng.choice([1.0, 2.0, 0.5], 20)
    must = np.zeros(20, dtype=bool)
    must[:3] = True
    min_level = np.full(20, np.nan, dtype=np.float32)
    min_level[5] = 5
    rows = []
    for n in sizes:
        pool = synthetic.pool(rng, candidates=n, per_candidate=15, vocab_size=50_000, today_day=day_number(TODAY))
        t_prep, prepared = timed(lambda pool=pool: prepare(pool, vocab), 1)
        run = job_kernel(pool, prepared, req, weights, must, min_level)
        run()  # warm
        t, (res, _) = timed(run, reps)
        tracemalloc.start()
        run()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        data = sum(
            a.nbytes
            for a in (
                pool.phrase,
                pool.source,
                pool.issued,
                pool.expires,
                pool.revoked,
                pool.level,
                pool.offsets,
                prepared[0],
                prepared[1],
            )
        )
        rows.append((n, t, peak / 2**20, data / 2**20, int((res.scores > 0).sum()), t_prep, len(prepared[0])))
    return rows


def incremental(reps: int) -> tuple[float, int]:
    """One candidate (15 phrases) against 1,000 open jobs × 20 required skills: one product of the
    candidate's vectors with every job's, then a max per job and skill (apps.matching.incremental)."""
    from apps.matching.incremental import rescore_candidate_arrays

    rng = np.random.default_rng(3)
    vocab, req = synthetic.vocabulary(rng, size=50_000, required=20_000)
    cand = vocab[rng.choice(50_000, 15, replace=False)]
    factors = rng.choice([1.0, 0.8, 0.7, 0.5], 15).astype(np.float32)
    job_offsets = np.arange(0, 20_001, 20, dtype=np.int64)
    weights = np.ones(20_000)
    t, out = timed(
        lambda: rescore_candidate_arrays(
            req_vecs=req, job_offsets=job_offsets, weights=weights, ev_vecs=cand, ev_factor=factors, params=PARAMS
        ),
        reps,
    )
    return t, len(out)


def naive(sample: int) -> dict[str, float]:
    """(a) one embedding per whole profile per job (the common résumé-matcher approach) and (b) per-pair
    phrase embedding without a vocabulary, measured on ``sample`` candidates with the real encoder."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    from apps.skills.vocabulary import encoder

    enc = encoder()
    rng = np.random.default_rng(5)
    words = [
        "manage",
        "data",
        "analysis",
        "python",
        "patient",
        "care",
        "warehouse",
        "safety",
        "solar",
        "panel",
        "install",
        "accounting",
        "ledger",
        "report",
        "customer",
        "service",
        "machine",
        "learning",
    ]
    profiles = [[" ".join(rng.choice(words, 3)) for _ in range(15)] for _ in range(sample)]
    job = [" ".join(rng.choice(words, 3)) for _ in range(20)]
    enc.encode(["warm up"])
    t0 = time.perf_counter()
    for p in profiles:  # (a): job text and profile text embedded for every candidate
        v = enc.encode([", ".join(job), ", ".join(p)])
        float(v[0] @ v[1])
    a = (time.perf_counter() - t0) / sample
    t0 = time.perf_counter()
    for p in profiles:  # (b): every phrase of both sides embedded per pair, nothing cached
        r, e = enc.encode(job), enc.encode(p)
        (r @ e.T).max(axis=1).mean()
    b = (time.perf_counter() - t0) / sample
    return {"a_per_candidate": a, "b_per_candidate": b}


ESCO_DIR = ROOT.parent / "shared" / "data" / "esco-v1.1.1"


def _taxonomy_db(section: str) -> Path | None:
    """The imported taxonomy the `rank` section uses ($TSUMIKI_BENCH_ESCO_DB, or the release imported
    once into ~/.cache/tsumiki-bench), or None (the section is skipped)."""
    from bench.rank_process import cached_taxonomy

    given = os.environ.get("TSUMIKI_BENCH_ESCO_DB")
    if not given and not ESCO_DIR.is_dir():
        print(f"\n## {section}: skipped (no $TSUMIKI_BENCH_ESCO_DB and no release at {ESCO_DIR})")
        return None
    return Path(given) if given else cached_taxonomy(ESCO_DIR, Path.home() / ".cache" / "tsumiki-bench")


def _copy_db(db: Path, folder: Path) -> Path:
    """A copy of the SQLite database ``db`` (its backup API: a WAL database is more than its file)."""
    import sqlite3

    copy = folder / "esco.sqlite3"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    return copy


def _django_env(db: Path) -> dict[str, str]:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db}", DJANGO_SETTINGS_MODULE="config.settings.local")
    env.pop("CELERY_BROKER_URL", None)
    return env


def api_latency(figures: dict[str, float | int]) -> None:
    """Warm normalize and extract API latency (bench/api_latency.py) on a copy of the taxonomy database
    that the `rank` section imported (or $TSUMIKI_BENCH_ESCO_DB): both endpoints write the phrases they
    encode, so the cached database itself stays as it was."""
    import subprocess
    import tempfile

    db = _taxonomy_db("Skills API")
    if db is None:
        return
    sys.stdout.flush()
    with tempfile.TemporaryDirectory(prefix="api-bench-") as tmp:
        copy = _copy_db(db, Path(tmp))
        out = Path(tmp) / "api.json"
        script = str(ROOT / "bench" / "api_latency.py")
        subprocess.run([sys.executable, script, "--json-out", str(out)], cwd=ROOT, env=_django_env(copy), check=True)
        figures.update(json.loads(out.read_text()))
        # the label index from the database or mapped from its snapshot (bench/index_snapshot.py), same copy
        script = str(ROOT / "bench" / "index_snapshot.py")
        subprocess.run([sys.executable, script, "--json-out", str(out)], cwd=ROOT, env=_django_env(copy), check=True)
        figures.update(json.loads(out.read_text()))


def import_timing(figures: dict[str, float | int]) -> None:
    """`import_esco` as a whole process: the full import that made the cached taxonomy (timed when it
    was made, this run or an earlier one: its date is printed) and a re-import of the same release into
    a copy of it, timed here."""
    import subprocess
    import tempfile

    from bench.rank_process import import_record

    db = _taxonomy_db("import_esco")
    if db is None or os.environ.get("TSUMIKI_BENCH_ESCO_DB"):
        if db is not None:
            print("\n## import_esco: skipped (the taxonomy was given: $TSUMIKI_BENCH_ESCO_DB)")
        return
    print("\n## import_esco of the full release, as a whole process")
    print("| case | load at start | time |")
    print("|---|---:|---:|")
    record = import_record(db)
    if record.exists():
        made = json.loads(record.read_text())
        figures["import_esco_full_s"] = made["import_esco_s"]
        print(
            f"| fresh database (vectors from the cache where it had them), {made['measured_at']} "
            f"| {made['load']:.1f} | {made['import_esco_s']:.1f} s |"
        )
    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        copy = _copy_db(db, Path(tmp))
        load = os.getloadavg()[0]
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "import_esco", str(ESCO_DIR)],
            cwd=ROOT,
            env=_django_env(copy),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        took = time.perf_counter() - t
    figures["import_esco_reimport_s"] = round(took, 1)
    print(f"| the same release again into the same database (now) | {load:.1f} | {took:.1f} s |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--naive-sample", type=int, default=100)
    ap.add_argument("--e2e", action="store_true", help="also run the PostgreSQL + Celery end-to-end benchmark")
    ap.add_argument("--no-rank", action="store_true", help="skip timing the rank command as a whole process")
    ap.add_argument("--rank-reps", type=int, default=3, help="runs of rank per pool size and way (cold, warm)")
    ap.add_argument("--no-api", action="store_true", help="skip the skills API's warm latency")
    ap.add_argument("--no-import", action="store_true", help="skip timing import_esco")
    a = ap.parse_args()
    print(f"# Tsumiki benchmarks — {time.strftime('%Y-%m-%d %H:%M')} — {os.cpu_count()} CPUs, numpy {np.__version__}")
    print("\n## Machine reference")
    for k, v in machine_reference():
        print(f"| {k} | {v} |")
    print("\n## Scoring kernel (20 required skills × 15 evidence phrases per candidate, 50k-phrase vocabulary)")
    print(
        "| candidates | per job: median time | peak extra memory | pool in memory | candidates with credit "
        "| once per pool: distinct phrases (preparation time) |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    krows = kernel_rows([int(s) for s in a.sizes.split(",")], a.reps)
    figures: dict[str, float | int] = {}
    for n, t, peak, data, hits, t_prep, distinct in krows:
        figures[f"kernel_{n}_median_ms"] = round(t * 1000, 2)
        figures[f"kernel_{n}_peak_mib"] = round(peak, 1)
        figures[f"kernel_{n}_prepare_ms"] = round(t_prep * 1000, 1)
        print(
            f"| {n:,} | {t * 1000:.1f} ms | {peak:.0f} MiB | {data:.0f} MiB | {hits:,} | "
            f"{distinct:,} ({t_prep * 1000:.0f} ms) |"
        )
    t_inc, jobs = incremental(a.reps)
    print("\n## Incremental rescoring")
    print(f"| one candidate × {jobs:,} open jobs (20 skills each) | {t_inc * 1000:.1f} ms |")
    figures[f"incremental_one_candidate_{jobs}_jobs_ms"] = round(t_inc * 1000, 2)
    nv = naive(a.naive_sample)
    k10 = next((t for n, t, *_ in krows if n == 10_000), None)
    print(f"\n## Naive ways at 10,000 candidates (measured on {a.naive_sample}, extrapolated linearly)")
    print("| method | time for 10k (extrapolated) | vs the kernel |")
    print("|---|---:|---:|")
    for key, label in (
        ("a_per_candidate", "(a) embed each whole profile per job"),
        ("b_per_candidate", "(b) embed phrase pairs, no vocabulary"),
    ):
        total = nv[key] * 10_000
        figures[f"naive_{key[0]}_10k_extrapolated_s"] = round(total, 1)
        ratio = f"{total / k10:,.0f}×" if k10 else "n/a"
        print(f"| {label} | {total:.1f} s (extrapolated) | {ratio} |")
    import subprocess
    import tempfile

    if not a.no_rank:
        # `rank` as a whole process on generated 10k and 100k pools (bench/rank_process.py): its own
        # processes, over a SQLite copy of an imported taxonomy
        sys.stdout.flush()
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "rank.json"
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "bench" / "rank_process.py"),
                    "--reps",
                    str(a.rank_reps),
                    "--json-out",
                    str(out),
                ],
                check=True,
            )
            figures.update(json.loads(out.read_text()))
    if not a.no_api:
        api_latency(figures)
    if not a.no_import:
        import_timing(figures)
    if a.e2e:
        # its own process: it configures Django for a throwaway PostgreSQL database
        sys.stdout.flush()
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "e2e.json"
            subprocess.run([sys.executable, str(ROOT / "bench" / "e2e.py"), "--json-out", str(out)], check=True)
            figures.update(json.loads(out.read_text()))
            # one candidate's credential change reflected in 1,000 open runs (bench/rescore.py)
            out = Path(tmp) / "rescore.json"
            subprocess.run([sys.executable, str(ROOT / "bench" / "rescore.py"), "--json-out", str(out)], check=True)
            figures.update(json.loads(out.read_text()))
    # the last line: every figure of this run as one JSON object, for tools that read the bench
    print(json.dumps({"measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "cpus": os.cpu_count(), **figures}))


if __name__ == "__main__":
    main()
