"""Helpers for tests that talk to a real broker and a real Celery worker."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from config.celery import app

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def broker(url: str) -> Iterator[None]:
    """Publish tasks to `url` instead of running them in-process."""
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = url, False
    _reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        _reset_pools()


def _reset_pools() -> None:
    # Connections are pooled per app; a new broker URL needs new pools.
    app._pool = None
    app.amqp._producer_pool = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def silent_server() -> Iterator[int]:
    """A TCP server that accepts connections and never answers (a hung broker)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        for sock in held:
            sock.close()
        server.close()


def worker_database_url() -> str:
    """The URL of the tests' own PostgreSQL database, for other processes."""
    db = connection.settings_dict
    user, host = db["USER"] or "postgres", db["HOST"] or "127.0.0.1"
    return f"postgres://{user}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def kill_worker(process: subprocess.Popen) -> None:
    """SIGKILL a worker's main process and its pool processes, as a crash would."""
    for pid in [*child_pids(process.pid), process.pid]:
        os.kill(pid, signal.SIGKILL)
    process.wait(10)


@contextmanager
def celery_worker(broker_url: str, pool: str = "solo") -> Iterator[subprocess.Popen]:
    """A real `celery worker` process on the tests' own PostgreSQL database
    (`pool="prefork"`: a main process and one pool process that runs the tasks)."""
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "CELERY_BROKER_URL": broker_url,
        "SECRET_KEY": "celery-worker-under-test-" + "x" * 40,
        "STATISTICS_REFRESH_DELAY": "1",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        f"--pool={pool}",
        "--concurrency=1",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-l",
        "INFO",
    ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    deadline = time.monotonic() + 30
    while not any("ready." in line for line in lines):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("Celery worker did not start:\n" + "".join(lines[-30:]))
        time.sleep(0.1)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until(predicate, timeout: float = 20.0, step: float = 0.2) -> bool:
    """Poll `predicate` until it is true or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
