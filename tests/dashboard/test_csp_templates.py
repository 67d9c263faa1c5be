"""Every template keeps to the Content-Security-Policy (config.settings.base): no inline script or style, no
style attribute, no inline event handler, no htmx attribute that htmx evaluates as code. The browser test
(tests/e2e/test_csp.py) sees only the pages it visits; this reads them all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted(p for d in [ROOT / "templates", *ROOT.glob("apps/*/templates")] for p in d.rglob("*.html"))
REFUSED = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "inline style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "hx-on (evaluated by htmx)": re.compile(r"\s(?:data-)?hx-on[:-]", re.I),
    "js: values (evaluated by htmx)": re.compile(r"hx-vals\s*=\s*[\"']\s*(?:js|javascript):", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def _without_comments(text: str) -> str:
    return re.sub(r"\{#.*?#\}", "", re.sub(r"\{% comment %\}.*?\{% endcomment %\}", "", text, flags=re.S))


def test_templates_are_found():
    assert len(TEMPLATES) > 20 and ROOT / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_keeps_to_the_policy(path):
    text = _without_comments(path.read_text(encoding="utf-8"))
    found = [f"{name}: {m.group(0)!r}" for name, rx in REFUSED.items() for m in rx.finditer(text)]
    assert found == []


@pytest.mark.parametrize(
    "snippet", ['<p style="width: 5%">', "<script>alert(1)</script>", '<a onclick="x()">', '<b hx-on:click="x">']
)
def test_the_check_catches_what_the_policy_refuses(snippet):
    assert any(rx.search(snippet) for rx in REFUSED.values())
