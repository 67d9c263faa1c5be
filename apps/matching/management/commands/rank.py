"""``rank --job JOB.json --candidates CANDS.jsonl [--top K]``: score without storing, best first."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.candidates.interchange import InterchangeError, iter_candidates_jsonl, parse_job
from apps.matching.services import rank_documents


class Command(BaseCommand):
    help = "Rank candidates (interchange JSON lines) for a job (interchange JSON); prints JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("--job", required=True, type=Path)
        parser.add_argument("--candidates", required=True, type=Path)
        parser.add_argument("--top", type=int, default=None, help="print only the best K")

    def handle(self, *args, **opts):
        try:
            job_obj = json.loads(opts["job"].read_text(encoding="utf-8"))
        except OSError as e:
            raise CommandError(f"cannot read {opts['job']}: {e.strerror}") from e
        except json.JSONDecodeError as e:
            raise CommandError(f"{opts['job']}: invalid JSON ({e.msg} at line {e.lineno} column {e.colno})") from e
        try:
            job = parse_job(job_obj)
        except InterchangeError as e:
            raise CommandError(f"{opts['job']}: {e}") from e
        try:
            with opts["candidates"].open(encoding="utf-8") as f:
                cands = list(iter_candidates_jsonl(f))
        except OSError as e:
            raise CommandError(f"cannot read {opts['candidates']}: {e.strerror}") from e
        except InterchangeError as e:
            raise CommandError(f"{opts['candidates']}: {e}") from e
        rows = rank_documents(job=job, candidates=cands)
        if opts["top"] is not None:
            rows = rows[: opts["top"]]
        for row in rows:
            self.stdout.write(json.dumps(row, ensure_ascii=False))
