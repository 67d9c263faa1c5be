#!/usr/bin/env python
"""The ``rank`` command as a whole process: wall clock from start to exit (part of `make bench`).

Needs a SQLite database with a taxonomy imported (``--esco-db``, or $TSUMIKI_BENCH_ESCO_DB; otherwise
``--esco-dir`` — default ../shared/data/esco-v1.1.1 — is imported once into a cached database under
``--cache-dir``: minutes the first time, and again after a change to the migrations or apps/skills).
Without either the section is skipped.

For each pool size it writes a job (10 skills, 3 of them required, all taxonomy labels) and a pool of
candidates with 15 evidence phrases each, spread over credentials, experience and self-declared skills:
``--free`` of the phrases are free text (a label inside a few words, from ``--free-phrases`` distinct
texts, which the encoders and the fused normalizer must handle), the others taxonomy labels drawn
uniformly, so a 100k pool names nearly every label of the taxonomy. Then it times ``manage.py rank`` as
a subprocess, ``--reps`` times each way:

- ``cold``: on a fresh copy of the taxonomy database, as right after ``import_esco``: every pool phrase
  is new to the vocabulary (labels have stored vectors but are not resolved yet; free text is embedded);
- ``warm``: again on the same copy, which now knows every phrase;
- ``cold, no snapshot``: a fresh copy again, with the label index snapshot turned off
  (``TSUMIKI_INDEX_SNAPSHOTS=""``), so the index is read from the database as on a machine where no
  import ran (apps.skills.index_snapshot). The other runs use a snapshot folder of their own, filled
  before the timed runs as ``import_esco`` fills it at its end.

The output is checked (every candidate once). Prints a table and, with ``--json-out``, the figures as
one JSON object (bench/run.py puts them on its last line).

  .venv/bin/python bench/rank_process.py --esco-db /path/esco.sqlite3 [--sizes 10000,100000] [--reps 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PER_CANDIDATE = 15
FREE_TEMPLATES = (
    "advanced {}",
    "basic {}",
    "{} in practice",
    "hands-on {}",
    "{} for small teams",
    "some {}",
    "{} (two years)",
    "strong {} skills",
)


def _env(db: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db}", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", **extra)
    env.pop("CELERY_BROKER_URL", None)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    return env


def cached_taxonomy(esco_dir: Path, cache_dir: Path) -> Path:
    """A SQLite database with ``esco_dir`` imported, made once per release folder (its files' sizes and
    times) and version of the code that imports it (the migrations and apps/skills) under ``cache_dir``.
    The import's vectors come from the persistent vector cache when it has them (apps.skills.vector_cache)."""
    release = sorted(esco_dir.rglob("*.csv"))
    code = sorted([*ROOT.glob("apps/*/migrations/*.py"), *ROOT.glob("apps/skills/*.py")])
    digest = hashlib.sha256()
    for p in release:
        digest.update(f"{p.relative_to(esco_dir)}:{p.stat().st_size}:{int(p.stat().st_mtime)}|".encode())
    for p in code:
        digest.update(p.read_bytes())
    tag = digest.hexdigest()[:12]
    db = cache_dir / f"esco-{tag}.sqlite3"
    if db.exists():
        return db
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = db.with_suffix(".partial")
    tmp.unlink(missing_ok=True)
    env = _env(tmp)
    print(f"(importing {esco_dir} once into {db}: minutes)", flush=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0", "--noinput"], cwd=ROOT, env=env, check=True)
    load = os.getloadavg()[0]
    t = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "import_esco", str(esco_dir)], cwd=ROOT, env=env, check=True)
    took = time.perf_counter() - t
    _checkpoint(tmp)
    tmp.rename(db)
    # the import's own wall clock, for `make bench` (bench/run.py): a fresh database, vectors from the
    # persistent vector cache where it had them
    import_record(db).write_text(
        json.dumps({"import_esco_s": round(took, 1), "measured_at": time.strftime("%Y-%m-%dT%H:%M"), "load": load})
    )
    return db


def import_record(db: Path) -> Path:
    """Where :func:`cached_taxonomy` keeps the figures of the import that made ``db``."""
    return db.with_suffix(".import.json")


def _checkpoint(db: Path) -> None:
    """Fold the write-ahead log into the file, so that copying the one file copies the database."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def labels_of(db: Path) -> list[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT l.text FROM skills_skilllabel l JOIN skills_skill s ON s.id = l.skill_id "
            "WHERE s.is_group = 0 AND l.lang = 'en' ORDER BY l.id"
        ).fetchall()
    return list(dict.fromkeys(r[0] for r in rows))


def write_pool(folder: Path, labels: list[str], n: int, *, free: float, free_phrases: int, seed: int = 7) -> tuple:
    rng = random.Random(seed)
    job_skills = rng.sample(labels, 10)
    job = {
        "id": "bench-job",
        "title": "Benchmark job",
        "skills": [{"name": s, "weight": 1.0 + (i % 3) * 0.5, "required": i < 3} for i, s in enumerate(job_skills)],
    }
    free_texts = [FREE_TEMPLATES[i % len(FREE_TEMPLATES)].format(rng.choice(labels)) for i in range(free_phrases)]
    job_path = folder / f"job-{n}.json"
    job_path.write_text(json.dumps(job))
    cands_path = folder / f"candidates-{n}.jsonl"
    with cands_path.open("w", encoding="utf-8") as f:
        for c in range(n):
            phrases = [
                rng.choice(free_texts) if free_texts and rng.random() < free else rng.choice(labels)
                for _ in range(PER_CANDIDATE)
            ]
            doc = {
                "id": f"c{c}",
                "name": f"Candidate {c}",
                "credentials": [
                    {
                        "title": "Badge A",
                        "kind": "badge",
                        "issuer": "Bench Institute",
                        "issued": "2024-05-01",
                        "verified": True,
                        "skills": phrases[0:4],
                    },
                    {"title": "Course B", "kind": "course", "issued": "2023-01-15", "skills": phrases[4:8]},
                ],
                "experience": [
                    {"title": "Engineer", "start": "2020-01-01", "end": "2023-06-30", "skills": phrases[8:12]}
                ],
                "skills": phrases[12:],
            }
            f.write(json.dumps(doc) + "\n")
    return job_path, cands_path


def store_index_snapshot(db: Path, snapshots: Path) -> None:
    """What ``import_esco`` does at its end: build the label index of ``db`` once, which stores its
    snapshot in ``snapshots`` (untimed; on a copy, which keeps the import's fit and so the snapshot's key)."""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from apps.skills import selectors; selectors.taxonomy_index()"],
        cwd=ROOT,
        env=_env(db, TSUMIKI_INDEX_SNAPSHOTS=str(snapshots)),
        check=True,
    )


def time_rank(db: Path, job: Path, cands: Path, n: int, snapshots: Path | None) -> float:
    t = time.perf_counter()
    p = subprocess.run(
        [sys.executable, "manage.py", "rank", "--job", str(job), "--candidates", str(cands)],
        cwd=ROOT,
        env=_env(db, TSUMIKI_INDEX_SNAPSHOTS=str(snapshots) if snapshots else ""),
        capture_output=True,
        text=True,
    )
    dt = time.perf_counter() - t
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-3000:])
        raise SystemExit(f"rank failed ({p.returncode})")
    ids = [json.loads(line)["id"] for line in p.stdout.splitlines() if line.strip()]
    if len(ids) != n or len(set(ids)) != n:
        raise SystemExit(f"rank returned {len(ids)} lines ({len(set(ids))} distinct) for {n} candidates")
    return dt


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--esco-db", type=Path, default=os.environ.get("TSUMIKI_BENCH_ESCO_DB") or None)
    ap.add_argument("--esco-dir", type=Path, default=ROOT.parent / "shared" / "data" / "esco-v1.1.1")
    ap.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "tsumiki-bench")
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--free", type=float, default=0.01, help="share of evidence phrases that are free text")
    ap.add_argument("--free-phrases", type=int, default=200, help="distinct free-text phrases in a pool")
    ap.add_argument("--json-out", type=Path)
    a = ap.parse_args(argv)
    db = a.esco_db
    if db is None:
        if not a.esco_dir.is_dir():
            print(f"\n## rank as a whole process: skipped (no --esco-db and no release at {a.esco_dir})")
            if a.json_out:
                a.json_out.write_text("{}")
            return 0
        db = cached_taxonomy(a.esco_dir, a.cache_dir)
    db = db.resolve()
    if os.access(db, os.W_OK):
        _checkpoint(db)
    labels = labels_of(db)
    figures: dict[str, float | int] = {}
    load = os.getloadavg()[0]
    print(
        f"\n## rank as a whole process ({len(labels):,} taxonomy labels; {PER_CANDIDATE} phrases per candidate, "
        f"{a.free:.0%} free text from {a.free_phrases:,} phrases; load average {load:.1f} at the start)"
    )
    print("| candidates | cold: median (runs) | warm: median (runs) | cold, no index snapshot: median (runs) |")
    print("|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="rank-bench-") as tmp:
        folder = Path(tmp)
        snapshots = folder / "index"
        copy = folder / "taxonomy.sqlite3"
        shutil.copyfile(db, copy)
        store_index_snapshot(copy, snapshots)
        copy.unlink()
        for n in (int(s) for s in a.sizes.split(",")):
            job, cands = write_pool(folder, labels, n, free=a.free, free_phrases=a.free_phrases)
            cold, warm, bare = [], [], []
            for _ in range(a.reps):
                shutil.copyfile(db, copy)
                cold.append(time_rank(copy, job, cands, n, snapshots))
                warm.append(time_rank(copy, job, cands, n, snapshots))
                shutil.copyfile(db, copy)
                bare.append(time_rank(copy, job, cands, n, None))
                copy.unlink()
            for name, runs in (("cold", cold), ("warm", warm), ("cold_nosnapshot", bare)):
                figures[f"rank_process_{n}_{name}_median_s"] = round(statistics.median(runs), 2)
            print(
                f"| {n:,} | "
                + " | ".join(
                    f"{statistics.median(runs):.2f} s ({', '.join(f'{t:.1f}' for t in runs)})"
                    for runs in (cold, warm, bare)
                )
                + " |",
                flush=True,
            )
    figures["rank_process_load_average"] = round(load, 2)
    if a.json_out:
        a.json_out.write_text(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
