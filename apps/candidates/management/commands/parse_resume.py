"""``parse_resume FILE [FILE...]``: read CV files into draft profiles, one JSON line per file
(docs/resume.md). Exit status is 0 even for unreadable files (reported in ``errors``); non-zero only
for unusable arguments."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.candidates.services import resume_parse


class Command(BaseCommand):
    help = "Parse CVs (PDF, DOCX, text, JSON Resume, LER-RS) into draft profiles with normalized skills."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="CV files")
        parser.add_argument("--max-bytes", type=int, help="size limit per file (default: the credential limit, 5 MB)")
        parser.add_argument("--text", action="store_true", help="include the extracted text the spans point into")

    def handle(self, *args, **opts):
        limit = opts["max_bytes"]
        if limit is not None and limit <= 0:
            raise CommandError("--max-bytes must be positive")
        limit = limit or int(getattr(settings, "CREDENTIALS_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
        for name in opts["files"]:
            path = Path(name)
            try:
                with path.open("rb") as fh:
                    data = fh.read(limit + 1)
            except OSError as exc:
                line = _unread(name, "no such file" if not path.exists() else f"cannot read the file ({exc.strerror})")
            else:
                line = resume_parse(data=data, filename=name, max_bytes=limit).as_dict(with_text=opts["text"])
            self.stdout.write(json.dumps(line, ensure_ascii=False))


def _unread(name: str, why: str) -> dict:
    return {
        "file": name,
        "format": None,
        "name": None,
        "email": None,
        "phone": None,
        "skills": [],
        "experience": [],
        "education": [],
        "credentials": [],
        "errors": [why],
    }
