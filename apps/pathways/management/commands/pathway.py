"""``pathway --job JOB.json --candidate CANDIDATE.json --catalog CATALOG.csv``: stateless gap analysis.

Prints one JSON object, keys exactly as docs/architecture.md documents them (``covered``, ``missing``,
``uncoverable``, ``pathway``, ``total_hours``, ``score_now``, ``score_after``); ``--details`` prints the
full report instead (partial skills, alternatives, solver). A catalog row that breaks the layout is
reported on stderr with its line and skipped, the other rows are used; a bad header, job or candidate
stops the command with an error naming the file.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.commands import input_file_errors
from apps.core.inputs import read_json_file
from apps.core.interchange import parse_candidate, parse_job
from apps.credentials.catalog import CatalogError, read_catalog_rows
from apps.pathways.services import pathway_for_documents


class Command(BaseCommand):
    help = "Gap analysis and the cheapest pathway (learning hours) of catalog offerings; prints one JSON object."

    def add_arguments(self, parser):
        parser.add_argument("--job", required=True, type=Path, help="interchange job (JSON object)")
        parser.add_argument("--candidate", required=True, type=Path, help="one interchange candidate (JSON object)")
        parser.add_argument(
            "--catalog",
            required=True,
            type=Path,
            help="catalog CSV: id,title,provider,level_framework,level_value,hours,skills",
        )
        parser.add_argument(
            "--details",
            action="store_true",
            help="print the full report (partial skills, alternatives, solver) instead",
        )

    def handle(self, *args, **opts):
        with input_file_errors(opts["job"]):
            job = parse_job(read_json_file(opts["job"]))
        with input_file_errors(opts["candidate"]):
            obj = read_json_file(opts["candidate"])
            if isinstance(obj, list) and len(obj) == 1:
                obj = obj[0]  # a one-element array is a common way to hand over "one candidate"
            candidate = parse_candidate(obj)
        try:
            offerings, errors = read_catalog_rows(opts["catalog"])
        except OSError as e:
            raise CommandError(f"cannot read {opts['catalog']}: {e.strerror}") from e
        except UnicodeDecodeError as e:
            raise CommandError(f"{opts['catalog']}: not UTF-8 text ({e.reason})") from e
        except CatalogError as e:
            raise CommandError(f"{opts['catalog']}: {e}") from e
        for err in errors:
            self.stderr.write(f"{opts['catalog']}: {err} (row skipped)")
        report = pathway_for_documents(job=job, candidate=candidate, offerings=offerings)
        out = report.as_dict() if opts["details"] else report.contract()
        self.stdout.write(json.dumps(out, ensure_ascii=False))
