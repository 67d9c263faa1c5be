"""``normalize_skills [--top K] [--input FILE]``: one JSON line per input phrase, in order."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from apps.skills.services import normalize


class Command(BaseCommand):
    help = "Map phrases (one per line, FILE or stdin) to taxonomy concepts; prints JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("--top", type=int, default=5)
        parser.add_argument("--input", default=None, help="file with one phrase per line (default: stdin)")

    def handle(self, *args, **opts):
        if opts["top"] < 1:
            raise CommandError("--top must be at least 1")
        try:
            stream = open(opts["input"], encoding="utf-8") if opts["input"] else sys.stdin  # noqa: SIM115
        except OSError as e:
            raise CommandError(f"cannot read {opts['input']}: {e.strerror}") from e
        with stream:
            phrases = [line.rstrip("\r\n") for line in stream]
        for i in range(0, len(phrases), 512):
            chunk = phrases[i : i + 512]
            for text, matches in zip(chunk, normalize(texts=chunk, top_k=opts["top"]), strict=True):
                out = {"input": text, "matches": [{"uri": m.uri, "label": m.label, "score": m.score} for m in matches]}
                self.stdout.write(json.dumps(out, ensure_ascii=False))
