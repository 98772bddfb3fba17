"""Fault tests' helpers: a throwaway PostgreSQL cluster that a test may freeze with
SIGSTOP, and the site served by gunicorn exactly as docker-compose.yml runs it."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import IO

from tests.celery_support import child_pids, free_port, wait_until

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
STRONG_KEY = "fault-test-" + "k" * 30 + "-0123456789-abcdefghijklmnopqrstuvwxyz"


def compose() -> dict:
    """docker-compose.yml as data (the `<<: *app` merges resolved)."""
    import yaml

    return yaml.safe_load(COMPOSE_FILE.read_text())


def compose_environment(service: str = "web") -> dict[str, str]:
    """A service's environment, `${NAME:-default}` expanded from os.environ."""

    def expand(value: object) -> str:
        return re.sub(
            r"\$\{(\w+)(?::-([^}]*))?\}",
            lambda m: os.environ.get(m[1]) or (m[2] or ""),
            str(value),
        )

    environment = compose()["services"][service]["environment"]
    return {name: expand(value) for name, value in environment.items()}


def compose_gunicorn_args(port: int) -> list[str]:
    """The web service's gunicorn command line, bound to 127.0.0.1:`port`."""
    command = compose()["services"]["web"]["command"]
    args = shlex.split(command[command.index("gunicorn") :].strip().rstrip('"'))
    args[args.index("--bind") + 1] = f"127.0.0.1:{port}"
    return args[1:]


def postgres_bin() -> Path | None:
    """The folder holding initdb and postgres (the newest installed), or None."""
    found = shutil.which("initdb")
    candidates = [Path(found).parent] if found else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    return next((c for c in candidates if (c / "postgres").exists()), None)


def can_run_postgres() -> bool:
    """PostgreSQL refuses to run as root: as root we need the `postgres` user."""
    if postgres_bin() is None:
        return False
    if os.geteuid() != 0:
        return True
    import pwd

    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return True


@dataclass
class Cluster:
    """A running throwaway cluster; `url` names its empty database `tracker`."""

    url: str
    postmaster: subprocess.Popen

    def _signal_all(self, signum: int) -> None:
        pids = [self.postmaster.pid, *child_pids(self.postmaster.pid)]
        for pid in pids:
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass

    def freeze(self) -> None:
        """SIGSTOP the server: its kernel still accepts and acknowledges TCP."""
        self._signal_all(signal.SIGSTOP)

    def thaw(self) -> None:
        self._signal_all(signal.SIGCONT)


@contextmanager
def throwaway_postgres(port: int) -> Iterator[Cluster]:
    """initdb + postgres on `port` in a temporary folder; all removed after."""
    bin_dir = postgres_bin()
    user = "postgres" if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="tracker-pg-"))
    if user:
        shutil.chown(folder, user, user)
    data = folder / "data"
    as_user = {"user": user, "group": user, "cwd": folder}
    subprocess.run(
        [bin_dir / "initdb", "-D", data, "-A", "trust", "-U", "postgres"]
        + ["--no-sync", "-E", "UTF8"],
        check=True,
        capture_output=True,
        **as_user,
    )
    settings = ["listen_addresses=127.0.0.1", "fsync=off", "full_page_writes=off"]
    command = [bin_dir / "postgres", "-D", data, "-p", str(port), "-k", folder]
    postmaster = subprocess.Popen(
        command + [arg for s in settings for arg in ("-c", s)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **as_user,
    )
    cluster = Cluster(database_url(port), postmaster)
    try:
        assert wait_until(lambda: _create_database(port), timeout=30), "no postgres"
        yield cluster
    finally:
        cluster.thaw()
        postmaster.send_signal(signal.SIGQUIT)  # immediate shutdown
        try:
            postmaster.wait(10)
        except subprocess.TimeoutExpired:
            cluster._signal_all(signal.SIGKILL)
            postmaster.wait(5)
        shutil.rmtree(folder, ignore_errors=True)


def database_url(port: int) -> str:
    return f"postgres://postgres@127.0.0.1:{port}/tracker"


def _create_database(port: int) -> bool:
    import psycopg

    try:
        url = f"postgres://postgres@127.0.0.1:{port}/postgres"
        with psycopg.connect(url, autocommit=True, connect_timeout=2) as conn:
            conn.execute("CREATE DATABASE tracker")
        return True
    except psycopg.OperationalError:
        return False


def create_tables() -> None:
    """Every model's table, straight from the models: seconds faster than running
    the migrations, and enough for pages to render on an empty database. Waits for
    the database to accept connections first, so that it may start before it."""
    from django.apps import apps
    from django.db import OperationalError, connection

    def connects() -> bool:
        try:
            connection.ensure_connection()
            return True
        except OperationalError:
            return False

    assert wait_until(connects, timeout=60), "the database never came up"
    with connection.schema_editor() as editor:
        for model in apps.get_models():
            if model._meta.managed and not model._meta.proxy:
                editor.create_model(model)
        # The trigger that lets web processes keep the statistics state row.
        editor.execute(import_module("dashboard.migrations.0008_state_notify").CREATE)


def site_environment(database_url: str, **overrides: str) -> dict[str, str]:
    """The compose web service's environment, pointed at `database_url`."""
    ours = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"}
    base = {k: v for k, v in os.environ.items() if k not in ours}
    return {
        **base,
        **compose_environment("web"),
        "SECRET_KEY": STRONG_KEY,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_BROKER_URL": "",  # the database is under test, not the broker
        "CACHE_URL": "locmem",  # nor the page cache's Redis
        # Tests do not run collectstatic: serve the source files.
        "WHITENOISE_USE_FINDERS": "true",
        "DJANGO_SETTINGS_MODULE": "tests.settings_support",
        **overrides,
    }


@contextmanager
def making_tables(env: dict[str, str]) -> Iterator[Callable[[], None]]:
    """Start `create_tables` in a process with the site's environment; yields the
    function that waits for it to succeed."""
    code = "from tests.fault_support import create_tables; create_tables()"
    process = subprocess.Popen(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )

    def wait() -> None:
        output, _ = process.communicate(timeout=90)
        assert process.returncode == 0, output.decode()[-3000:]

    try:
        yield wait
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    seconds: float


def fetch(url: str, timeout: float = 15) -> Answer:
    """GET `url`; any HTTP status is an answer, a timeout is status 0."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status, headers = response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        status, headers = error.code, dict(error.headers)
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        status, headers = 0, {}
    return Answer(status, headers, time.monotonic() - started)


@dataclass
class Site:
    """The site served by gunicorn at `base`; `log()` is what gunicorn printed."""

    base: str
    _log: IO[bytes]

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    def wait_healthy(self, timeout: float = 30) -> None:
        """Wait until /healthz answers 200 (the site booted, the database answers)."""
        if not wait_until(
            lambda: fetch(self.base + "/healthz", 2).status == 200, timeout
        ):
            raise RuntimeError("the site is not healthy:\n" + self.log()[-3000:])


@contextmanager
def gunicorn_site(env: dict[str, str]) -> Iterator[Site]:
    """Start the site on gunicorn with the compose command line (without waiting:
    call `wait_healthy()`), and stop it, however stuck its threads are."""
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [gunicorn, *compose_gunicorn_args(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield Site(f"http://127.0.0.1:{port}", log)
    finally:
        # Its threads may be stuck on the database: no graceful shutdown.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
        log.close()
