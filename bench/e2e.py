#!/usr/bin/env python
"""End-to-end match runs from PostgreSQL with 1 and 2 Celery worker processes (part of `make bench`).

Builds a throwaway database (default postgres://postgres@127.0.0.1:5432/tsumiki_bench): 100k candidates
× 15 evidence phrases over a 50k-phrase vocabulary whose vectors are synthetic (bench/synthetic.py;
stored exactly as real ones, so no model inference is involved — as in production, where every phrase
was embedded once when it first arrived). Then times match_run_start → succeeded, with workers already
started and warm (one warm-up run each), median of --reps runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_env(db_url: str, broker: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["CELERY_BROKER_URL"] = broker
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"


def recreate_database(db_url: str) -> None:
    import psycopg

    base, name = db_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def seed(candidates: int, vocab_size: int, per_candidate: int) -> int:
    import numpy as np
    from django.db import connection

    from apps.accounts.models import Organization
    from apps.candidates.models import Candidate
    from apps.credentials.models import Credential, CredentialSkill
    from apps.jobs.models import Job, RequiredSkill
    from apps.skills.models import Phrase, PhraseVector
    from apps.skills.vocabulary import model_key
    from bench import synthetic

    rng = np.random.default_rng(11)
    vocab, req = synthetic.vocabulary(rng, size=vocab_size, required=20)
    pool = synthetic.pool(rng, candidates=candidates, per_candidate=per_candidate, vocab_size=vocab_size)
    key = model_key()
    outer = connection.cursor()  # its psycopg cursor does the COPYs; closed before returning
    raw = outer.cursor  # psycopg cursor: COPY is the bulk path PostgreSQL offers
    with raw.copy(f"COPY {Phrase._meta.db_table} (id, text, created_at, resolved_key) FROM STDIN") as cp:
        for i in range(vocab_size + 20):
            cp.write_row((i + 1, f"phrase {i}", "2026-01-01", ""))
    with raw.copy(f"COPY {PhraseVector._meta.db_table} (phrase_id, model, vector) FROM STDIN") as cp:
        for i in range(vocab_size):
            cp.write_row((i + 1, key, vocab[i].tobytes()))
        for j in range(20):
            cp.write_row((vocab_size + j + 1, key, req[j].tobytes()))
    with connection.cursor() as cur:
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{Phrase._meta.db_table}', 'id'), {vocab_size + 21})")
    org = Organization.objects.create(slug="bench", name="Bench")
    job = Job.objects.create(organization=org, external_id="bench-job", title="Benchmark job")
    RequiredSkill.objects.bulk_create(
        [
            RequiredSkill(
                job=job,
                phrase_id=vocab_size + j + 1,
                name=f"skill {j}",
                weight=1.0 + (j % 3) * 0.5,
                must_have=j < 3,
                position=j,
            )
            for j in range(20)
        ]
    )
    with raw.copy(
        f"COPY {Candidate._meta.db_table} (id, organization_id, external_id, name, email, consent_given, "
        f"created_at, updated_at) FROM STDIN"
    ) as cp:
        for c in range(candidates):
            cp.write_row((c + 1, org.id, f"c{c}", "", "", True, "2026-01-01", "2026-01-01"))
    issued = pool.issued
    with raw.copy(
        f"COPY {Credential._meta.db_table} (id, candidate_id, kind, title, issued_on, level_framework, "
        f"verification_status, verification_checks, format, created_at, level_source, external_id, assessment, "
        f"endorsements, source_url) "
        f"FROM STDIN"
    ) as cp:
        for c in range(candidates):
            day = int(issued[c * per_candidate])
            cp.write_row(
                (
                    c + 1,
                    c + 1,
                    "microcredential",
                    f"Badge {c}",
                    np.datetime64(day, "D").astype(str),
                    "",
                    "verified" if c % 3 else "unverified",
                    "[]",
                    "interchange",
                    "2026-01-01",
                    "",
                    "",
                    "",
                    0,
                    "",
                )
            )
    t = 0
    with raw.copy(f"COPY {CredentialSkill._meta.db_table} (credential_id, phrase_id, text) FROM STDIN") as cp:
        for c in range(candidates):
            for _ in range(per_candidate):
                pid = int(pool.phrase[t]) + 1
                cp.write_row((c + 1, pid, f"phrase {pid - 1}"))
                t += 1
    for model in (Candidate, Credential):
        with connection.cursor() as cur:
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{model._meta.db_table}', 'id'), {candidates + 1})")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    outer.close()
    return job.id


def start_workers(n: int, env: dict, log_dir: Path) -> list[subprocess.Popen]:
    procs = []
    for i in range(n):
        log = (log_dir / f"bench-worker{i}.log").open("w")
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-P",
                    "solo",
                    "-n",
                    f"bench{i}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel=WARNING",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    from config.celery_app import app

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if len(app.control.ping(timeout=1.0) or []) >= n:
            return procs
    raise SystemExit("workers did not start")


TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int, *, reaped: bool = False) -> float:
    """User + system CPU seconds of process ``pid`` (Linux /proc), 0 once it is gone; ``reaped``: with
    those of its children that exited and were waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if reaped else 0)
    return ticks / TICK


def postgres_cpu_seconds() -> float:
    """CPU seconds of every PostgreSQL server process on this machine (the backends that serve the run,
    the checkpointer and WAL writer too, and through the postmaster's children's times the backends that
    have exited: a task's connection closes with it); the database runs here, so its cost is the run's."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                comm = (entry / "comm").read_text().strip()
            except OSError:
                continue
            if comm.startswith("postgres"):
                total += _cpu_seconds(int(entry.name), reaped=True)
    return total


def peak_rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def time_run(job_id: int, workers: list[subprocess.Popen] | None = None) -> dict:
    """One run from match_run_start to succeeded: wall seconds, the split between the chunks (start to
    the last chunk's end) and what follows them (ranking, the run marked done), and the CPU seconds the
    workers and PostgreSQL spent meanwhile."""
    from apps.jobs.models import Job
    from apps.matching.models import ChunkStatus, MatchChunk, RunStatus
    from apps.matching.services import match_run_start

    pids = [p.pid for p in workers or []]
    cpu0, db0 = sum(_cpu_seconds(p) for p in pids), postgres_cpu_seconds()
    t = time.perf_counter()
    run = match_run_start(job=Job.objects.get(id=job_id))
    chunks_done = None
    while True:
        run.refresh_from_db()
        if run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED):
            break
        chunks = MatchChunk.objects.filter(run=run)
        if chunks_done is None and chunks.exists() and not chunks.exclude(status=ChunkStatus.DONE).exists():
            chunks_done = time.perf_counter()
        time.sleep(0.05)
    wall = time.perf_counter() - t
    if run.status != RunStatus.SUCCEEDED:
        raise SystemExit(f"run failed: {run.error}")
    # polled every 50 ms: a run whose last chunk and ranking end between two polls counts 0
    after = t + wall - chunks_done if chunks_done is not None else 0.0
    return {
        "wall": wall,
        "after_chunks": after,
        "worker_cpu": sum(_cpu_seconds(p) for p in pids) - cpu0,
        "db_cpu": postgres_cpu_seconds() - db0,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/tsumiki_bench")
    ap.add_argument("--broker", default="redis://127.0.0.1:6379/14")
    ap.add_argument("--candidates", type=int, default=100_000)
    ap.add_argument("--vocab", type=int, default=50_000)
    ap.add_argument("--chunk", type=int, default=12_500)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--json-out", type=Path, help="also write the figures to this file as one JSON object")
    a = ap.parse_args(argv)
    setup_env(a.db, a.broker)
    recreate_database(a.db)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True, env=os.environ)
    import django

    django.setup()
    from config.celery_app import app

    app.control.purge()
    t0 = time.perf_counter()
    job_id = seed(a.candidates, a.vocab, 15)
    print(
        f"\n## End-to-end match run from PostgreSQL ({a.candidates:,} candidates × 15 phrases, "
        f"chunks of {a.chunk:,}; seeded in {time.perf_counter() - t0:.0f} s)"
    )
    print(
        "| workers | first run (cold workers) | median of warm runs | after the last chunk | worker CPU | "
        "PostgreSQL CPU | candidates per worker CPU-second | worker peak RSS |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    env = dict(os.environ, TSUMIKI_CHUNK_SIZE=str(a.chunk), TSUMIKI_EXPLAIN_TOP="500")
    results: dict[int, float] = {}
    colds: dict[int, float] = {}
    capacity: dict[str, float] = {}
    for n in (1, 2):
        procs = start_workers(n, env, Path(tempfile.gettempdir()))
        try:
            cold = time_run(job_id, procs)["wall"]
            warm_runs = [time_run(job_id, procs) for _ in range(a.reps)]
            rss = max(peak_rss_mib(p.pid) for p in procs)
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=30)
        med = {k: statistics.median(r[k] for r in warm_runs) for k in warm_runs[0]}
        results[n], colds[n] = med["wall"], cold
        rate = a.candidates / med["worker_cpu"] if med["worker_cpu"] else float("nan")
        capacity.update(
            {
                f"e2e_{n}_workers_after_chunks_s": round(med["after_chunks"], 2),
                f"e2e_{n}_workers_worker_cpu_s": round(med["worker_cpu"], 2),
                f"e2e_{n}_workers_db_cpu_s": round(med["db_cpu"], 2),
                f"e2e_{n}_workers_peak_rss_mib": round(rss, 1),
            }
        )
        print(
            f"| {n} | {cold:.1f} s | {med['wall']:.1f} s | {med['after_chunks']:.1f} s | {med['worker_cpu']:.1f} s | "
            f"{med['db_cpu']:.1f} s | {rate:,.0f} | {rss:,.0f} MiB |"
        )
    print(f"\n2 workers vs 1: {results[1] / results[2]:.2f}× faster (warm medians, same run)")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    if a.json_out:
        figures = {
            "e2e_candidates": a.candidates,
            **{f"e2e_{n}_workers_cold_s": round(colds[n], 2) for n in colds},
            **{f"e2e_{n}_workers_warm_median_s": round(results[n], 2) for n in results},
            "e2e_speedup_2_vs_1": round(results[1] / results[2], 3),
            **capacity,
        }
        a.json_out.write_text(json.dumps(figures))


if __name__ == "__main__":
    main()
