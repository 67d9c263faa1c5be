"""Every Django cursor the application opens is closed: opened as a ``with`` block's context, never
kept in a name or used inline (``connection.cursor().execute(...)`` leaves it to the garbage
collector, and a psycopg cursor holding a COPY keeps its server-side state until then)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _is_cursor_call(node: ast.AST) -> bool:
    """``connection.cursor()``, ``connections[alias].cursor()``, ``schema_editor.connection.cursor()``."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "cursor"):
        return False
    owner = node.func.value
    if isinstance(owner, ast.Subscript):
        owner = owner.value
    return (isinstance(owner, ast.Name) and owner.id in {"connection", "connections"}) or (
        isinstance(owner, ast.Attribute) and owner.attr in {"connection", "connections"}
    )


def unclosed_cursors(source: str) -> list[int]:
    tree = ast.parse(source)
    managed = {id(item.context_expr) for node in ast.walk(tree) if isinstance(node, ast.With) for item in node.items}
    return [node.lineno for node in ast.walk(tree) if _is_cursor_call(node) and id(node) not in managed]


def test_application_cursors_are_closed_by_with():
    files = [*ROOT.glob("apps/**/*.py"), *ROOT.glob("config/**/*.py")]
    found = [f"{p.relative_to(ROOT)}:{line}" for p in sorted(files) for line in unclosed_cursors(p.read_text())]
    assert found == []


def test_an_unclosed_cursor_is_found():
    # the shape the score writer had: a raw psycopg cursor taken from a Django cursor nobody closes
    assert unclosed_cursors("raw = connection.cursor().cursor\nraw.copy('COPY t FROM STDIN')\n") == [1]
    assert unclosed_cursors("connections['default'].cursor().execute('SELECT 1')\n") == [1]
    assert unclosed_cursors("with connection.cursor() as cur, cur.cursor.copy(q) as cp:\n    pass\n") == []
