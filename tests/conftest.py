"""Shared fixtures: users, the real dataset, and the real services some tests need.

A test that needs PostgreSQL, Redis or Chromium skips with a one-line reason when the
service is absent, except under CI (CI=true), where it fails so nothing is skipped
silently.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import override_settings

from tests.dataset_support import (
    DatasetSnapshot,
    dataset_restore,
    dataset_snapshot,
    dataset_snapshot_shared,
)
from tests.needs import need

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
DATASET = Path(__file__).resolve().parent.parent / "fixtures"


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations() -> None:
    """The Spanish catalogue compiled as `make install` does (Babel), when the .po is
    newer than the .mo: a test run after editing a translation sees the edit."""
    from tests.i18n_support import compile_catalogue

    compile_catalogue()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in English: a request to a Spanish page leaves Spanish
    active in its thread (as Django's LocaleMiddleware does), which would make a
    later test's reverse() or date formatting Spanish."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """Hash test passwords with MD5: PBKDF2 takes about half a second per hash."""
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        yield


@pytest.fixture(scope="session", autouse=True)
def _state_read_every_time():
    """Pages read the statistics state row on every request, as on SQLite. A test
    that edits and then looks must not race PostgreSQL's notification to the state
    watch (dashboard/state_watch.py); tests/dashboard/test_state_watch.py and the
    tests that serve the site with gunicorn run with it on."""
    with override_settings(PAGE_STATE_WATCH=False):
        yield


@pytest.fixture
def postgres(db) -> None:
    """Require the tests' database to be PostgreSQL."""
    from django.db import connection

    need(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A Redis database on this machine reserved for tests."""
    need(port_open("127.0.0.1", 6379), "needs Redis on 127.0.0.1:6379")
    return REDIS_URL


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The system Chromium, for browser tests."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    need(bool(path), "needs Chromium: apt-get install chromium")
    return str(path)


# The groups the data migrations create, each as its permissions' natural keys,
# recorded once the test database is migrated: a transactional test's flush empties
# auth_group, and editors_group() puts them back as they were.
MIGRATED_GROUPS: dict[str, list[tuple[str, str, str]]] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> None:
    """The migrated test database; records the groups its data migrations made."""
    with django_db_blocker.unblock():
        for group in Group.objects.prefetch_related("permissions__content_type"):
            MIGRATED_GROUPS[group.name] = [
                permission.natural_key() for permission in group.permissions.all()
            ]


def editors_group() -> Group:
    """The Editors group of the data migrations (re-created after a flushing test)."""
    if "Editors" not in MIGRATED_GROUPS:
        pytest.fail("the test database has no Editors group: run pytest --create-db")
    for name, permissions in MIGRATED_GROUPS.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            group.permissions.set(
                [Permission.objects.get_by_natural_key(*key) for key in permissions]
            )
    return Group.objects.get(name="Editors")


@pytest.fixture(scope="session")
def _dataset_snapshot(
    django_db_setup, django_db_blocker, tmp_path_factory
) -> DatasetSnapshot:
    """The real dataset, imported once per run (see tests/dataset_support.py)."""
    with django_db_blocker.unblock():
        if not os.environ.get("PYTEST_XDIST_WORKER"):
            return dataset_snapshot(DATASET)
        # The workers' temporary folders share a parent that is new for every run.
        shared = tmp_path_factory.getbasetemp().parent / "dataset.pickle"
        return dataset_snapshot_shared(DATASET, shared)


@pytest.fixture
def real_data(_dataset_snapshot, db) -> str:
    """The real dataset in this test's database; returns the import's output.

    Restored for every test that asks, so a transactional test's flush is harmless.
    """
    dataset_restore(_dataset_snapshot)
    return _dataset_snapshot.output


@pytest.fixture
def brigade(db):
    """Guatemala's brigade before the 2026 announcement: active, last counted 2025."""
    from tests.factories import make_country, make_mission, make_report

    country = make_country(iso3="GTM", name="Guatemala")
    mission = make_mission(country=country, name="Brigada Medica Cubana")
    make_report(mission=mission, as_of=dt.date(2025, 6, 1), workers=420, doctors=336)
    return mission


@pytest.fixture(scope="module")
def browser(chromium_path):
    """Headless Chromium, one per test module."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM_ARGS

    # Playwright's sync API runs an event loop; Django refuses ORM calls inside one.
    # Set only while a browser module runs, so no other test inherits it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def editor(db) -> User:
    """A staff user in the Editors group, as created by the data migration."""
    user = User.objects.create_user(
        "editor", password="a long editor password", is_staff=True
    )
    user.groups.add(editors_group())
    return user


@pytest.fixture
def publisher(db) -> User:
    """A staff user in the Publishers group: drafts and publishes."""
    editors_group()
    user = User.objects.create_user(
        "publisher", password="a long publisher password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Publishers"))
    return User.objects.get(pk=user.pk)  # no cached permissions


@pytest.fixture
def publisher_client(client, publisher):
    client.force_login(publisher)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def _no_page_cache(settings) -> None:
    """Render every page: the data version moves only when an edit commits, which a
    test's own transaction never does, so a cached page would hide the test's edits
    (and a warm cache hides N+1 queries). tests/dashboard/test_page_cache.py turns
    the cache on; each test starts with it empty."""
    from django.core.cache import cache

    settings.PAGE_CACHE_STORE_SECONDS = 0
    cache.clear()


@pytest.fixture(autouse=True)
def _uncollected_static(settings) -> None:
    """Serve static files unhashed: tests do not run collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
