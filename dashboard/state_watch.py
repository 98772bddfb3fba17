"""The statistics state for public pages, kept in process memory for as long as
PostgreSQL says it has not changed (LISTEN/NOTIFY).

Every public request needs the state row: its versions make the page's ETag and its
cache key. Reading the row is a round trip to PostgreSQL and costs more than all the
rest of a page-cache hit (README, "Load benchmark"). So a web process keeps the row it
read last, and a thread of its own listens on the channel `statistics_state`, which a
trigger on the row's table notifies (dashboard migration 0008) whenever the row is
inserted, updated, deleted or truncated. PostgreSQL delivers the notification when the
changing transaction commits; the thread then forgets the kept row, and the next
request reads it again. While the thread is not listening (starting, or reconnecting
after it lost its connection) every request reads the row, as before.

What this trades:
- Another process's edit reaches this one when the notification does, a few
  milliseconds after the commit, not before the next statement.
- One more connection per web process, idle but for notifications.
- While the database is frozen, hits are still served: nothing can change the data.
  A web node cut off from PostgreSQL while others still write keeps its copy until
  the listening connection's keepalives give up (10 + 3 x 3 s, config/settings.py).

Only on PostgreSQL, with `PAGE_STATE_WATCH` on, and never inside a transaction: a test
case's or a refresh's own writes are seen by its next statement, not notified yet.
"""

from __future__ import annotations

import logging
import os
import threading

import psycopg
from django.conf import settings
from django.db import connections, router

from dashboard.models import StatisticsState

CHANNEL = "statistics_state"
TRIGGER_EXISTS = (
    "SELECT 1 FROM pg_trigger WHERE tgname = 'dashboard_statisticsstate_notify' "
    "AND tgrelid = to_regclass('dashboard_statisticsstate')"
)
RETRY_SECONDS = 2.0
logger = logging.getLogger(__name__)


class StateWatch:
    """One process's kept state row and the thread that keeps it honest.

    `generation` counts the moments the kept row may have become wrong (a
    notification, a lost or new connection): a row read before one of them is never
    kept after it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: StatisticsState | None = None
        self._generation = 0
        self._listening = False
        self._pid: int | None = None
        self._stop = threading.Event()

    @property
    def listening(self) -> bool:
        return self._listening

    def started_here(self) -> bool:
        return self._pid == os.getpid()

    def snapshot(self) -> tuple[StatisticsState | None, int]:
        """The kept row (None if there is none to trust) and the generation."""
        with self._lock:
            return self._state, self._generation

    def keep(self, state: StatisticsState, generation: int) -> None:
        """Keep `state`, read during `generation`, if nothing happened since."""
        with self._lock:
            if self._listening and generation == self._generation:
                self._state = state

    def forget(self, listening: bool) -> None:
        with self._lock:
            self._generation += 1
            self._state = None
            self._listening = listening

    def start(self, params: dict) -> None:
        """Start listening, once per process (a forked worker starts its own)."""
        pid = os.getpid()
        with self._lock:
            if self._pid == pid:
                return
            self._pid = pid
            self._state, self._listening = None, False
            self._generation += 1
            self._stop = stop = threading.Event()
        self._thread = threading.Thread(
            target=self._listen, args=(params, stop), name="state-watch", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop listening and close the connection (tests: a database with a
        connection open cannot be dropped); the next request starts again."""
        with self._lock:
            if self._pid != os.getpid():
                return
            self._pid = None
            self._stop.set()
        self._thread.join()
        self.forget(listening=False)

    def _listen(self, params: dict, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                with psycopg.connect(**params, autocommit=True) as conn:
                    if not conn.execute(TRIGGER_EXISTS).fetchone():
                        # Nothing would ever notify: keep reading the row.
                        logger.warning("statistics state watch: no trigger (migrate)")
                        stop.wait(60)
                        continue
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.forget(listening=True)
                    while not stop.is_set():  # wakes twice a second to see `stop`
                        for _ in conn.notifies(timeout=0.5):
                            self.forget(listening=True)
            except Exception as exc:  # lost connection, server gone, bad settings
                logger.warning("statistics state watch: not listening: %s", exc)
            self.forget(listening=False)
            stop.wait(RETRY_SECONDS)


_watch = StateWatch()


def _listen_params(alias: str) -> dict:
    """psycopg.connect() arguments for the same database as Django's connection."""
    params = connections[alias].get_connection_params()
    for django_only in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(django_only, None)
    params["application_name"] = "tracker state watch"
    return params


def page_state() -> StatisticsState:
    """The state row for a public request: the kept copy while it is known to be
    current, else read (and kept when it may be)."""
    if not _watching():
        return StatisticsState.current()
    state, generation = _started_snapshot()
    if state is None:
        state = StatisticsState.current()
        _watch.keep(state, generation)
    return state


def kept_state() -> StatisticsState | None:
    """The kept copy of the state row if it is known to be current, else None."""
    return _started_snapshot()[0] if _watching() else None


def _started_snapshot() -> tuple[StatisticsState | None, int]:
    if not _watch.started_here():
        _watch.start(_listen_params(router.db_for_read(StatisticsState)))
    return _watch.snapshot()


def _watching() -> bool:
    if not settings.PAGE_STATE_WATCH:
        return False
    connection = connections[router.db_for_read(StatisticsState)]
    return connection.vendor == "postgresql" and not connection.in_atomic_block
