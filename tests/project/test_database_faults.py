"""A database that stops answering: pages say so within seconds, static files and
/healthz keep being served, and the site recovers by itself.

The site runs on gunicorn with docker-compose.yml's command line and environment,
against a throwaway PostgreSQL cluster that the test freezes with SIGSTOP (the
reliability review's D4: a stopped server whose kernel still acknowledges TCP).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from tests.celery_support import free_port, wait_until
from tests.fault_support import (
    Answer,
    Cluster,
    can_run_postgres,
    database_url,
    fetch,
    gunicorn_site,
    making_tables,
    site_environment,
    throwaway_postgres,
)
from tests.needs import need

PAGES = ["/", "/about/", "/missions/", "/timeline/", "/changes/"] * 2
# Pages nobody asked for before the freeze: no stored copy, so they need the database.
UNSEEN = ["/missions/?page=1", "/timeline/?page=1"]
LIMIT = 5.0  # seconds: what a reader waits at most for the "unavailable" page


def _while_frozen(
    cluster: Cluster, pages: list[str], health: str, static: str
) -> tuple[list[Answer], Answer, Answer]:
    """Freeze the server, then request everything at once (giving up after a while:
    before the fix, requests hung until the server was thawed)."""
    get = partial(fetch, timeout=LIMIT + 3)
    with ThreadPoolExecutor(len(pages) + 2) as pool:
        cluster.freeze()
        try:
            answers = pool.map(get, pages)
            health_answer, static_answer = (
                pool.submit(get, health),
                pool.submit(get, static),
            )
            return list(answers), health_answer.result(), static_answer.result()
        finally:
            cluster.thaw()


def _all_ok(urls: list[str]) -> bool:
    with ThreadPoolExecutor(len(urls)) as pool:
        return {answer.status for answer in pool.map(fetch, urls)} == {200}


def test_frozen_database_gives_503_within_seconds_and_the_site_recovers():
    need(can_run_postgres(), "needs PostgreSQL server binaries (initdb, postgres)")
    port = free_port()
    env = site_environment(database_url(port))
    # gunicorn and the process making the tables start while initdb runs.
    with (
        gunicorn_site(env) as site,
        making_tables(env) as tables_made,
        throwaway_postgres(port) as cluster,
    ):
        tables_made()
        site.wait_healthy()
        pages = [site.base + path for path in PAGES]
        unseen = [site.base + path for path in UNSEEN]
        health, static = site.base + "/healthz", site.base + "/static/css/site.css"
        # Warm up, so that every worker thread holds whatever connection it keeps.
        assert _all_ok(pages + [health]) and _all_ok(pages + [health]), site.log()
        started = time.monotonic()
        answers, health_answer, static_answer = _while_frozen(
            cluster, pages + unseen, health, static
        )
        print(
            f"frozen database: {sum(a.status == 200 for a in answers)} stored pages "
            f"served, pages {min(a.seconds for a in answers):.1f}-"
            f"{max(a.seconds for a in answers):.1f} s, /healthz "
            f"{health_answer.seconds:.1f} s, static {static_answer.seconds:.1f} s; "
            f"all in {time.monotonic() - started:.1f} s"
        )
        # A page a worker stored while it kept the statistics state row (nothing can
        # change while the database is frozen) is still served; any other page says
        # the site is unavailable.
        stored = answers[: len(pages)]
        assert any(answer.status == 200 for answer in stored), stored
        for answer in stored:
            assert answer.status == 200 or (
                (answer.status, answer.headers.get("Retry-After")) == (503, "30")
            ), answer
            assert answer.seconds < LIMIT, answer
        for answer in answers[len(pages) :]:
            assert (answer.status, answer.headers.get("Retry-After")) == (503, "30")
            assert answer.seconds < LIMIT, answer
        assert health_answer.status == 503 and health_answer.seconds < LIMIT
        assert static_answer.status == 200 and static_answer.seconds < LIMIT
        started = time.monotonic()
        assert wait_until(lambda: _all_ok(pages + [health]), timeout=10)
        print(f"recovered {time.monotonic() - started:.1f} s after SIGCONT")
