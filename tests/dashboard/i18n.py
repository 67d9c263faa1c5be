"""Compile the Japanese catalog for tests that render Japanese pages (the .mo is build output, not committed)."""

from __future__ import annotations

import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.translation import trans_real

from apps.dashboard.templatetags import chrome

from ..conftest import IN_CI


def ensure_japanese_catalog() -> None:
    """Compile locale/ja when its .mo is missing or older than the .po; skip (fail in CI) without gettext."""
    po = settings.BASE_DIR / "locale" / "ja" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return
    if shutil.which("msgfmt") is None:
        if IN_CI:
            pytest.fail("msgfmt (gettext) is required in CI to compile translations")
        pytest.skip("msgfmt (gettext) is not installed")
    call_command(
        "compilemessages", locale=["ja"], ignore_patterns=[".venv", "node_modules", "staticfiles"], verbosity=0
    )
    trans_real._translations = {}  # drop catalogs loaded before the compile
    chrome.clear()  # and page chrome rendered with them
