"""Django's PostgreSQL backend, with a health check that gives up after half a second.

With persistent connections (`DB_CONN_MAX_AGE` > 0) Django checks a reused connection
with `SELECT 1` before a request uses it (`CONN_HEALTH_CHECKS`). Against a server
that stopped answering while its kernel still acknowledges TCP (a frozen process, a
stalled VM), that query waits until the server wakes: keepalives and
tcp_user_timeout see a healthy peer. This check sends an empty query through
psycopg's libpq wrapper (`psycopg.pq`, public API) and waits at most
`HEALTH_CHECK_SECONDS`; a connection that does not answer is replaced, and a new
connection to a dead server fails after `connect_timeout`.
"""

from __future__ import annotations

import selectors
import time

import psycopg
from django.db.backends.postgresql import base
from psycopg import pq

HEALTH_CHECK_SECONDS = 0.5


def answers_within(pgconn: pq.abc.PGconn, seconds: float) -> bool:
    """Send an empty query on an idle connection; True if it is answered in time."""
    deadline = time.monotonic() + seconds
    pgconn.send_query(b"")
    with selectors.DefaultSelector() as selector:
        selector.register(pgconn.socket, selectors.EVENT_READ | selectors.EVENT_WRITE)
        while pgconn.flush():  # psycopg's connections are non-blocking
            if not selector.select(max(deadline - time.monotonic(), 0)):
                return False
        selector.modify(pgconn.socket, selectors.EVENT_READ)
        pgconn.consume_input()
        while pgconn.is_busy():
            if not selector.select(max(deadline - time.monotonic(), 0)):
                return False  # left busy: the caller closes the connection
            pgconn.consume_input()
    statuses = []
    while (result := pgconn.get_result()) is not None:
        statuses.append(result.status)
    return statuses == [pq.ExecStatus.EMPTY_QUERY]


class DatabaseWrapper(base.DatabaseWrapper):
    """The stock backend; only `is_usable` differs."""

    def is_usable(self) -> bool:
        if self.connection is None:
            return False
        pgconn = self.connection.pgconn
        if pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return super().is_usable()  # inside a transaction: Django's own check
        try:
            return answers_within(pgconn, HEALTH_CHECK_SECONDS)
        except psycopg.Error:
            return False
