"""Gunicorn settings for the web service (docker-compose.yml, Dockerfile):
`gunicorn -c config/gunicorn.conf.py config.wsgi`. Each can be changed with the
environment variable named beside it.

Workers stay small: each is replaced, gracefully, after `max_requests` requests
plus a random share of `max_requests_jitter` (so that the workers do not all
restart at once), which returns whatever memory a heavy request left behind.
The application is loaded once in the master and forked (`preload_app`), so a
replacement worker is ready in milliseconds rather than re-importing Django. What
the master loaded is frozen out of the garbage collector's reach before each fork
(`pre_fork`): collections in a worker then skip those objects, which also stay
shared with the master instead of being copied into each worker as the collector
touches them.
"""

from __future__ import annotations

import gc
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, "") or default)


bind = os.environ.get("GUNICORN_BIND", "") or "0.0.0.0:8000"
# 2 workers x 4 threads suits a 2-core host: the pages are CPU-bound (README,
# "Scaling out"); scale out with more web containers rather than more workers.
workers = _int("GUNICORN_WORKERS", 2)
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 30)
# A replacement is not free: a new worker starts with an empty local page cache
# (without CACHE_URL) and renders its first pages again. At 2,000 requests, cached
# pages served at a thousand a second replaced each worker every two seconds, which
# halved their throughput; at 20,000, a replacement inside a 5-second benchmark run
# still took that run's p95 to 100 ms (README, "Scaling out").
max_requests = _int("GUNICORN_MAX_REQUESTS", 100000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 20000)
preload_app = True
# Gunicorn's control socket is of no use in a container.
control_socket_disable = True


def pre_fork(server: object, worker: object) -> None:
    """Before each worker is forked: the master's objects (Django, the URLs, the
    settings) live as long as the process, so no collection needs to scan them.

    The digest of the code in every ETag is taken here too, once, from the code
    the master loaded: a worker forked later runs that code, whatever the files
    on disk say by then, and sends the same ETags as its siblings."""
    from dashboard.middleware import code_version

    code_version()
    gc.freeze()
