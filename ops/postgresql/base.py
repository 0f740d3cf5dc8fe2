"""Django's PostgreSQL backend, its connection's health checked without a statement.

With CONN_HEALTH_CHECKS (config/settings/database.py) Django checks a kept connection
before each request's first query by running `SELECT 1` on it: a round trip and a
statement on every request that touches the database, which no query count sees (it
bypasses Django's cursor). A connection the server has ended — a restart, a failover,
`pg_terminate_backend`, `idle_session_timeout`, a proxy closing it — has the server's
goodbye (a FATAL message, then end of file) waiting on its socket; a connection in good
health, idle between requests, has nothing to read. So the check here asks the socket
whether anything is waiting (a poll with no timeout: a few µs, no statement) and reconnects
when something is. A link cut without a word (no FIN) fails the request as `SELECT 1`
would have, after the socket's timeout.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status != TransactionStatus.IDLE:
            return super().is_usable()  # mid-transaction: only a statement can tell
        try:
            waiting, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not waiting
