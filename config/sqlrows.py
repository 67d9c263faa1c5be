"""Model instances from plain SQL rows, for the few reads that every page makes.

Building a query through the ORM (or ``Manager.raw``) costs the web process more CPU than the query
itself takes in PostgreSQL: about 0.2-0.4 ms per query, against a per-request budget of a few
milliseconds (docs/benchmarks.md, "Load"). The selectors that run on every dashboard request
(apps.accounts.selectors.user_with_membership, apps.matching.selectors.job_latest_finished_run) write
one SQL statement that joins what they need and build the instances here, with the same database
converters the ORM applies (SQLite returns datetimes as text, JSON columns arrive as text, ...), so the
instances are the ones the ORM would have built (tests/accounts/test_request_user.py and
tests/dashboard/test_request_reads.py compare them field by field). Replaced by ``select_related`` reads,
they made a cached shortlist page cost about a third more web CPU (docs/benchmarks.md, "Load", "Django's
own tools instead of the fast paths"), so they stay.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model

M = TypeVar("M", bound=Model)


class RowReader(Generic[M]):
    """Selects every concrete column of ``model`` under a table alias, and builds an instance from the
    same columns of a result row."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.pk_index = self.fields.index(model._meta.pk)
        self._converters: dict[str, list[tuple[int, Any, list[Callable]]]] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def columns(self, alias: str, using: str = "default") -> str:
        qn = connections[using].ops.quote_name
        return ", ".join(f"{alias}.{qn(f.column)}" for f in self.fields)

    def _converters_for(self, using: str) -> list[tuple[int, Any, list[Callable]]]:
        # As SQLCompiler.get_converters: the backend's converters, then the field's (from_db_value).
        convs = self._converters.get(using)
        if convs is None:
            connection = connections[using]
            convs = []
            for i, field in enumerate(self.fields):
                col = field.get_col(self.model._meta.db_table)
                found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                if found:
                    convs.append((i, col, found))
            self._converters[using] = convs
        return convs

    def build(self, row: Sequence[Any], start: int = 0, using: str = "default") -> M | None:
        """The instance held by ``row[start:start + len(self)]``; None when its primary key is NULL (the
        outer-joined row was not there)."""
        values = list(row[start : start + len(self.fields)])
        if values[self.pk_index] is None:
            return None
        connection = connections[using]
        for i, col, convs in self._converters_for(using):
            for convert in convs:
                values[i] = convert(values[i], col, connection)
        return self.model.from_db(using, self.attnames, values)
