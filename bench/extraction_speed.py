#!/usr/bin/env python
"""Warm latency of ``skills_extract`` on a 300-word job description (p50 / p95 over repeated calls).

Runs in the project's checkout against DATABASE_URL (ESCO imported): one call warms the encoders and the
index, then ``--runs`` timed calls on the same description (and on a variant with its sentences in
another order, so that no cache of a whole text could help), twice:

- ``repeat``: as a server runs, with the process cache of recently encoded phrases
  (apps.skills.vocabulary.encode_known); after the first call every phrase of these texts is in it, so
  this is the figure for a description submitted again, or one made of phrases seen before;
- ``fresh``: that cache emptied before every call, as for a description whose phrases are all new
  (phrases that are taxonomy labels still take their stored vectors).

Prints the load average with the figures, and the CPU time of each call beside its wall-clock time: on
a shared machine the wall clock moves with the load. ``--profile`` adds
the functions that took the most time over the fresh calls (cProfile, cumulative).

  DATABASE_URL=... .venv/bin/python bench/extraction_speed.py [--runs 20] [--top 10] [--profile 25]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

DESCRIPTION = (
    "Data Engineer (Python, SQL, Spark). We are a growing analytics company looking for a data engineer to join "
    "our platform team in Osaka or remotely. You will design, build and maintain ETL pipelines in Python and SQL "
    "that move data from our operational systems into a PostgreSQL data warehouse, and you will model that data "
    "so that analysts and data scientists can use it. Responsibilities:\n"
    "- Build and operate batch and streaming pipelines with Apache Spark and Airflow.\n"
    "- Write clean, tested code and review the code of your colleagues; we use Git and GitHub.\n"
    "- Monitor data quality, fix broken jobs and document what you build.\n"
    "- Work with product managers to understand their needs and turn them into data models.\n"
    "- Automate deployments on Linux servers with Docker and continuous integration.\n"
    "Requirements:\n"
    "- At least three years of experience in data engineering or backend development.\n"
    "- Strong knowledge of SQL and relational databases, including query optimisation.\n"
    "- Good programming skills in Python; Java or Scala is a plus.\n"
    "- Experience with cloud platforms such as AWS or Google Cloud.\n"
    "- You communicate clearly in English, in writing and in meetings, and you enjoy working in an agile team.\n"
    "Nice to have:\n"
    "- Knowledge of machine learning and statistics.\n"
    "- Experience with data visualisation tools such as Tableau.\n"
    "No management experience is required. We offer flexible hours, a training budget and a friendly team that "
    "values curiosity, honesty and problem solving. You will also mentor junior engineers, take part in our on-call "
    "rotation once a month and help the security team keep personal data safe under the GDPR. Travel to our "
    "Tokyo office is occasionally needed. Please send your CV and a short motivation letter."
)


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def _stats(times: list[float], cpu: list[float]) -> dict:
    """Wall-clock and CPU (this process's) milliseconds per call: on a shared machine the wall clock
    moves with the load, the CPU time much less."""
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(_p95(times), 1),
        "max_ms": round(max(times), 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "cpu_p95_ms": round(_p95(cpu), 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--profile", type=int, default=0, help="print this many functions of the fresh calls' profile")
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args()
    import django

    django.setup()
    from apps.skills.services import skills_extract
    from apps.skills.vocabulary import clear_text_cache

    lines = DESCRIPTION.split("\n")
    variant = "\n".join(lines[::-1])
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    first = skills_extract(text=DESCRIPTION, top_k=a.top)
    warm_s = time.perf_counter() - t0
    res: dict = {"words": len(DESCRIPTION.split()), "first_call_s": round(warm_s, 2), "runs": a.runs}
    answers: dict[str, list] = {}
    prof = cProfile.Profile() if a.profile else None
    for mode in ("repeat", "fresh"):
        times, cpu = [], []
        for i in range(a.runs):
            text = DESCRIPTION if i % 2 == 0 else variant
            if mode == "fresh":
                clear_text_cache()
                if prof:
                    prof.enable()
            t, c = time.perf_counter(), time.process_time()
            found = skills_extract(text=text, top_k=a.top)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            if prof and mode == "fresh":
                prof.disable()
            answers.setdefault(f"{mode}:{i % 2}", found)
        res[mode] = _stats(times, cpu)
    # the cache changes how fast, never what: both modes must give the first call's answer
    same = answers["repeat:0"] == answers["fresh:0"] == first
    res["same_answers"] = same and answers["repeat:1"] == answers["fresh:1"]
    res["loadavg_before"] = [round(x, 2) for x in load_before]
    res["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    res["top"] = [(f["label"], f["confidence"]) for f in first[:10]]
    print(json.dumps(res, indent=1, ensure_ascii=False))
    if prof:
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(a.profile)
        print(buf.getvalue())
    if a.out:
        a.out.write_text(json.dumps(res, indent=1, ensure_ascii=False))
    return 0 if res["same_answers"] else 1


if __name__ == "__main__":
    sys.exit(main())
