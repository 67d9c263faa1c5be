"""``import_esco DIR``: import an ESCO CSV release (idempotent), embedding each distinct label once."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.skills.services import taxonomy_import


class Command(BaseCommand):
    help = "Import an ESCO CSV release folder: concepts, labels (all languages found), hierarchy, occupations."

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path)

    def handle(self, *args, **opts):
        root: Path = opts["dir"]
        if not root.is_dir():
            raise CommandError(f"{root} is not a directory")
        t0 = time.perf_counter()

        def progress(msg: str) -> None:
            self.stderr.write(f"[{time.perf_counter() - t0:7.1f}s] {msg}")

        try:
            rep = taxonomy_import(root=root, progress=progress)
        except FileNotFoundError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            f"imported ESCO from {root}: {rep.skills_created} concepts created, {rep.skills_updated} updated, "
            f"{rep.labels_created} labels added, {rep.labels_removed} removed, {rep.broader_links} broader links, "
            f"{rep.occupations} occupations, languages {','.join(rep.languages)}, "
            f"{rep.phrases_embedded} new phrases embedded in {time.perf_counter() - t0:.1f}s"
        )
