"""Docstrings, comments and docs name modules, functions and files (``apps.matching.services.x``,
``config/gunicorn_conf.py``) so a reader can follow them; after a move or a rename such a name points
nowhere. Every dotted name under apps./config. and every path under apps/, config/, bench/, tests/ and
docs/ in the comments and strings of apps/ and config/, and in docs/*.md, must still exist."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOTTED = re.compile(r"(?<![\w./-])((?:apps|config)\.[a-z_]\w*(?:\.[A-Za-z_]\w*)*)")
# possessive: a path followed by a placeholder (docs/model-card.<lang>.md, apps/*/tasks.py) is no path
PATH = re.compile(r"(?<![\w./-])((?:apps|config|bench|tests|docs)/[\w./-]*+)(?![<*])")
# task names are strings a queue holds, not places in the code (tests/ops/test_task_names.py)
TASK_NAME = re.compile(r"^apps\.api\.tasks\.\w+$")


def _module_file(dotted: str) -> Path | None:
    base = ROOT.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return base if base.is_dir() else None


def _names(node: ast.AST) -> dict[str, ast.AST | None]:
    """Names a module or class body defines (functions, classes, assignments, imports), and for a
    class the attributes its methods set on ``self``."""
    out: dict[str, ast.AST | None] = {}
    for n in getattr(node, "body", []):
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            out[n.name] = n
        elif isinstance(n, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = n.targets if isinstance(n, ast.Assign) else [n.target]
            out.update((e.id, None) for t in targets for e in ast.walk(t) if isinstance(e, ast.Name))
        elif isinstance(n, ast.Import | ast.ImportFrom):
            out.update(((a.asname or a.name).split(".")[0], None) for a in n.names)
        elif isinstance(n, ast.If | ast.Try | ast.With):
            out.update(_names(n))
    if isinstance(node, ast.ClassDef):
        for e in ast.walk(node):
            if isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and e.value.id == "self":
                out.setdefault(e.attr, None)
    return out


@cache
def _parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text())


def _exists(dotted: str) -> bool:
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        found = _module_file(".".join(parts[:i]))
        if found is None:
            continue
        scope: ast.AST | None = None if found.is_dir() else _parsed(found)
        for name in parts[i:]:
            if scope is None:
                return False
            names = _names(scope)
            if name not in names:
                return False
            scope = names[name]
            if not isinstance(scope, ast.ClassDef):
                return True  # an attribute of a function or value: beyond what a reader follows
        return True
    return False


def _prose(path: Path) -> list[tuple[int, str]]:
    """(line, text) of what a reader reads: a Python file's comments and strings, a page's lines."""
    text = path.read_text()
    if path.suffix != ".py":
        return list(enumerate(text.splitlines(), start=1))
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return [(t.start[0], t.string) for t in tokens if t.type in (tokenize.COMMENT, tokenize.STRING)]


def _dangling() -> list[str]:
    files = [p for p in ROOT.glob("apps/**/*.py") if "migrations" not in p.parts]
    files += [*ROOT.glob("config/**/*.py"), *ROOT.glob("docs/*.md")]
    out = []
    for path in sorted(files):
        for line, text in _prose(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            out += [
                f"{where} {m}"
                for m in DOTTED.findall(text)
                if not TASK_NAME.match(m) and m.rstrip(".") and not _exists(m.rstrip("."))
            ]
            out += [f"{where} {m}" for m in PATH.findall(text) if not (ROOT / m.rstrip(".-")).exists()]
    return out


def test_every_named_module_function_and_file_exists():
    assert _dangling() == []


def test_a_dangling_name_is_found():
    assert _exists("apps.matching.services.candidate_rescore")
    assert _exists("apps.skills.rsd.RsdError.code")  # set on self in __init__
    assert not _exists("apps.matching.services.no_such_function")
    assert not _exists("apps.no_such_app.models")
    assert PATH.findall("a page (docs/model-card.<lang>.md) or apps/*/tasks.py") == []
    assert PATH.findall("see config/gunicorn.py.") == ["config/gunicorn.py."]
