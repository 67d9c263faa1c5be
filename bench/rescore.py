#!/usr/bin/env python
"""One candidate's credential change reflected in many open runs (part of `make bench`, with --e2e).

Builds a throwaway PostgreSQL database (default postgres://postgres@127.0.0.1:5432/tsumiki_bench_rescore):
one organization with --jobs open jobs (the same 5 required skills each) and --pool candidates × 15 evidence
phrases over a synthetic vocabulary (bench/synthetic.py, vectors stored as real ones: no model
inference), and for every job a finished full run holding one score row per candidate (written with
COPY; their values are placeholders, as the figure is about the candidate whose evidence changes).

Then, --reps times, the target candidate gains (or loses again) a credential with three phrases and
``candidate_rescore`` runs as the Celery task does, commit callbacks included (the webhook signal per new
run): timed from the call to its return, after which every open job's latest run holds the candidate's
new score and its rank is counted on read. Also timed: reading that rank in one run (MatchRun.rank_of).
Medians; the database is dropped and made again on each start.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.e2e import recreate_database, setup_env  # noqa: E402

SKILLS_PER_JOB = 5


def seed(*, jobs: int, pool: int, vocab_size: int) -> tuple[int, list[int]]:
    """The organization, its jobs with one finished run each, and the pool; returns (target id, phrase
    ids the target's changing credential names)."""
    import numpy as np
    from django.db import connection

    from apps.accounts.models import Organization
    from apps.candidates.models import Candidate
    from apps.credentials.models import Credential, CredentialSkill
    from apps.jobs.models import Job, RequiredSkill
    from apps.matching.engine import MatchParams
    from apps.matching.models import MatchRun, MatchScore, RunKind, RunStatus
    from apps.skills.models import Phrase, PhraseVector
    from apps.skills.vocabulary import model_key
    from bench import synthetic

    rng = np.random.default_rng(23)
    # every job asks for the same skills (1,000 open jobs that all need SQL), so the change counts in each
    vocab, req = synthetic.vocabulary(rng, size=vocab_size, required=SKILLS_PER_JOB)
    key = model_key()
    outer = connection.cursor()  # its psycopg cursor does the COPYs; closed before returning
    raw = outer.cursor
    n_phrases = vocab_size + len(req)
    with raw.copy(f"COPY {Phrase._meta.db_table} (id, text, created_at, resolved_key) FROM STDIN") as cp:
        for i in range(n_phrases):
            cp.write_row((i + 1, f"phrase {i}", "2026-01-01", ""))
    with raw.copy(f"COPY {PhraseVector._meta.db_table} (phrase_id, model, vector) FROM STDIN") as cp:
        for i in range(vocab_size):
            cp.write_row((i + 1, key, vocab[i].tobytes()))
        for j in range(len(req)):
            cp.write_row((vocab_size + j + 1, key, req[j].tobytes()))
    with connection.cursor() as cur:
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{Phrase._meta.db_table}', 'id'), {n_phrases + 1})")
    org = Organization.objects.create(slug="bench-rescore", name="Bench rescore")
    job_objs = Job.objects.bulk_create(
        [Job(organization=org, external_id=f"job-{k}", title=f"Job {k}") for k in range(jobs)]
    )
    RequiredSkill.objects.bulk_create(
        [
            RequiredSkill(
                job=job,
                phrase_id=vocab_size + j + 1,
                name=f"skill {k}.{j}",
                weight=1.0 + (j % 3) * 0.5,
                must_have=j == 0,
                position=j,
            )
            for k, job in enumerate(job_objs)
            for j in range(SKILLS_PER_JOB)
        ],
        batch_size=5000,
    )
    cands = Candidate.objects.bulk_create(
        [Candidate(organization=org, external_id=f"c{c}", consent_given=True) for c in range(pool)], batch_size=5000
    )
    creds = Credential.objects.bulk_create(
        [Credential(candidate=c, title=f"Badge {i}", verification_status="verified") for i, c in enumerate(cands)],
        batch_size=5000,
    )
    CredentialSkill.objects.bulk_create(
        [
            CredentialSkill(credential=cr, phrase_id=int(p) + 1, text=f"phrase {int(p)}")
            for cr in creds
            for p in rng.choice(vocab_size, 15, replace=False)
        ],
        batch_size=10000,
    )
    params = MatchParams(as_of="2026-02-15").as_dict()
    runs = MatchRun.objects.bulk_create(
        [
            MatchRun(
                organization=org,
                job=job,
                status=RunStatus.SUCCEEDED,
                kind=RunKind.MATCH,
                parameters=params,
                pool_size=pool,
                progress=1.0,
                model_name=key.partition("@")[0],
            )
            for job in job_objs
        ],
        batch_size=5000,
    )
    scores = rng.uniform(0, 100, size=(len(runs), pool)).round(2)
    with raw.copy(
        f"COPY {MatchScore._meta.db_table} (run_id, candidate_id, score, must_have_met, verified_share, "
        "explanation, covered_skills, blind_code, must_haves_covered) FROM STDIN"
    ) as cp:
        for k, run in enumerate(runs):
            for c, cand in enumerate(cands):
                cp.write_row((run.id, cand.id, float(scores[k, c]), bool(c % 2), 0.5, "{}", "|", "", 0))
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    outer.close()
    # the phrases of the target's changing credential: three of the required skills themselves
    return cands[0].id, [vocab_size + j + 1 for j in range(3)]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/tsumiki_bench_rescore")
    ap.add_argument("--jobs", type=int, default=1000)
    ap.add_argument("--pool", type=int, default=200)
    ap.add_argument("--vocab", type=int, default=20_000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--json-out", type=Path, help="also write the figures to this file as one JSON object")
    a = ap.parse_args(argv)
    setup_env(a.db, "memory://")
    recreate_database(a.db)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True, env=os.environ)
    import django

    django.setup()
    from apps.candidates.models import Candidate
    from apps.credentials.models import Credential, CredentialSkill
    from apps.matching.models import MatchRun, RunStatus
    from apps.matching.selectors import latest_run
    from apps.matching.services import candidate_rescore

    t0 = time.perf_counter()
    target_id, phrases = seed(jobs=a.jobs, pool=a.pool, vocab_size=a.vocab)
    seeded = time.perf_counter() - t0
    target = Candidate.objects.get(id=target_id)
    times, reads, touched_counts = [], [], []
    for rep in range(a.reps + 1):  # the first one warms caches (phrase vectors, resolution) and is not counted
        if rep % 2 == 0:
            cr = Credential.objects.create(candidate=target, title=f"New {rep}", verification_status="verified")
            CredentialSkill.objects.bulk_create(
                [CredentialSkill(credential=cr, phrase_id=p, text=f"phrase {p - 1}") for p in phrases]
            )
        else:
            Credential.objects.filter(candidate=target, title__startswith="New").delete()
        t = time.perf_counter()
        touched = candidate_rescore(candidate=target)
        elapsed = time.perf_counter() - t
        run = MatchRun.objects.get(id=touched[0]) if touched else latest_run(job=target.organization.jobs.first())
        t = time.perf_counter()
        rank = run.rank_of(target_id)
        read = time.perf_counter() - t
        assert rank is not None and run.status == RunStatus.SUCCEEDED
        if rep:
            times.append(elapsed)
            reads.append(read)
            touched_counts.append(len(touched))
    print(
        f"\n## One candidate's credential change in {a.jobs:,} open runs (pools of {a.pool:,}; seeded in "
        f"{seeded:.0f} s)"
    )
    print("| step | median |")
    print("|---|---:|")
    print(
        f"| rescore: new score in every open run ({min(touched_counts)}–{max(touched_counts)} runs changed) "
        f"| {statistics.median(times) * 1000:.0f} ms |"
    )
    print(f"| read the candidate's rank in one run | {statistics.median(reads) * 1000:.1f} ms |")
    if a.json_out:
        a.json_out.write_text(
            json.dumps(
                {
                    "rescore_open_runs": a.jobs,
                    "rescore_pool": a.pool,
                    "rescore_runs_changed_min": min(touched_counts),
                    "rescore_one_candidate_all_runs_median_ms": round(statistics.median(times) * 1000, 1),
                    "rescore_rank_read_median_ms": round(statistics.median(reads) * 1000, 2),
                }
            )
        )


if __name__ == "__main__":
    main()
