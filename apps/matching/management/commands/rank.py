"""``rank --job JOB.json --candidates CANDS.jsonl [--top K]``: score without storing, best first.

Both files are read through apps.core.inputs (UTF-8, finite numbers, bounded depth, valid Unicode
without NUL) and apps.core.interchange; any bad input stops the command with one line naming the file,
the line and the field, and exit status 1 (never a traceback, never partial output)."""

import argparse
import gc
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.commands import input_file_errors
from apps.core.inputs import read_json_file
from apps.core.interchange import InterchangeError, iter_candidates_jsonl, parse_job
from apps.matching.services import documents_rank


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def read_job(path: Path):
    """The interchange job in ``path``; CommandError naming the file and the field otherwise."""
    with input_file_errors(path):
        return parse_job(read_json_file(path))


def read_candidates(path: Path) -> list:
    """Every interchange candidate of the JSON-lines file ``path``; CommandError naming the line.
    Read as bytes, split on "\\n" only, so a line that is not UTF-8 is reported by its number (the
    whole file at once: apps.core.inputs.iter_json_buffer)."""
    with input_file_errors(path), open(path, "rb") as f:
        return list(iter_candidates_jsonl(f.read()))


class Command(BaseCommand):
    help = "Rank candidates (interchange JSON lines) for a job (interchange JSON); prints JSON lines."
    # The system checks import every URL module (the API schema, its serializers) and change nothing a
    # ranking reads; `manage.py check` and every server start still run them. A rank process loads only
    # what it uses: no encoder unless a phrase is new, no label index unless a phrase is no label.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--job", required=True, type=Path)
        parser.add_argument("--candidates", required=True, type=Path)
        parser.add_argument("--top", type=non_negative_int, default=None, help="print only the best K (0 or more)")

    def handle(self, *args, **opts):
        # A pool is millions of small objects that live until the command ends; the cyclic garbage
        # collector would traverse them again and again as they are made (a third of a 100,000-candidate
        # run), and they form no cycles worth collecting before the process exits.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._rank(opts)
        finally:
            if collecting:
                gc.enable()

    def _rank(self, opts) -> None:
        job = read_job(opts["job"])
        cands = read_candidates(opts["candidates"])
        rows = documents_rank(job=job, candidates=cands)
        if opts["top"] is not None:
            rows = rows[: opts["top"]]
        # json.dumps with these options, without making an encoder per row
        encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
        try:
            out = [encode(row) for row in rows]
        except ValueError as e:  # a non-finite score would not be JSON; never print it
            raise CommandError(f"internal error: a score is not a finite number ({e})") from e
        if out:  # one write: the wrapper ends it with a line break, as it ends each line written alone
            self.stdout.write("\n".join(out))


__all__ = ["Command", "InterchangeError", "non_negative_int", "read_candidates", "read_job"]
