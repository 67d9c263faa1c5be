"""Session engine: Django's database sessions, read with one plain SQL statement.

Same table, same encoding, same expiry rule as django.contrib.sessions.backends.db (sessions move
between the two engines unchanged); only the read that every signed-in request makes skips the ORM's
query building (docs/benchmarks.md, "Load"). Sessions stay in the database, not a cache:
a logout deletes the row, and no process can read the session after that.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> SimpleNamespace | None:
        key = self.session_key  # None unless it passed SessionBase's validation
        if key is not None:
            using = router.db_for_read(self.model)
            connection = connections[using]
            qn = connection.ops.quote_name
            with connection.cursor() as cur:
                cur.execute(
                    f"SELECT {qn('session_data')} FROM {qn(self.model._meta.db_table)} "  # noqa: S608 - model metadata
                    f"WHERE {qn('session_key')} = %s AND {qn('expire_date')} > %s",
                    [key, connection.ops.adapt_datetimefield_value(timezone.now())],
                )
                row = cur.fetchone()
            if row is not None:
                return SimpleNamespace(session_data=row[0])  # what load() reads
        # as the ORM read does on a miss: a new session gets a new key, never the one the client sent
        self._session_key = None
        return None
