"""What a management command says about an input file it cannot use: one line naming the file, and
exit status 1 (Django prints a CommandError that way, never a traceback)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import CommandError

from .inputs import InputError


@contextlib.contextmanager
def input_file_errors(path: Path | str) -> Iterator[None]:
    """Inside the block, a file that cannot be read (OSError) or that breaks apps.core.inputs' rules
    (InputError, the interchange format's errors included) becomes a CommandError naming ``path``."""
    try:
        yield
    except OSError as e:
        raise CommandError(f"cannot read {path}: {e.strerror}") from e
    except InputError as e:
        raise CommandError(f"{path}: {e}") from e
