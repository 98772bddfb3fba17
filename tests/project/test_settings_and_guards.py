"""Project-level guards: migrations, deploy checks, settings from env, health check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 20 + "-a-long-random-looking-secret-for-the-deploy-check-0987654321"


def _settings_process(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"}
    }
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_defaults_are_sqlite_and_in_process_celery():
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG)"
    )
    out = _settings_process({"SECRET_KEY": STRONG_KEY}, code)
    assert out.stdout.split() == ["django.db.backends.sqlite3", "True", "False"], (
        out.stderr
    )


def test_env_selects_postgres_and_redis():
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    env = {
        "SECRET_KEY": STRONG_KEY,
        "DATABASE_URL": "postgres://u@db.invalid:5432/x",
        "CELERY_BROKER_URL": "redis://broker.invalid:6379/0",
    }
    out = _settings_process(env, code)
    assert out.stdout.split() == ["config.postgresql", "False"], out.stderr


def test_secret_key_is_required_when_debug_is_off():
    out = _settings_process({}, "pass")
    assert out.returncode != 0
    assert "SECRET_KEY is required" in out.stderr


def test_malformed_boolean_is_a_clear_start_up_error():
    out = _settings_process({"SECRET_KEY": STRONG_KEY, "DEBUG": "maybe"}, "pass")
    assert "DEBUG must be true or false" in out.stderr


def test_malformed_number_is_a_clear_start_up_error():
    env = {"SECRET_KEY": STRONG_KEY, "STATISTICS_REFRESH_MINUTES": "soon"}
    out = _settings_process(env, "pass")
    assert out.returncode != 0
    assert "STATISTICS_REFRESH_MINUTES" in out.stderr and "soon" in out.stderr


def test_deploy_checks_pass_behind_https():
    env = {
        "SECRET_KEY": STRONG_KEY,
        "SECURE_SSL": "true",
        "ALLOWED_HOSTS": "missions.example.org",
    }
    code = (
        "from django.core.management import call_command; "
        "call_command('check', '--deploy', '--fail-level', 'WARNING')"
    )
    out = _settings_process(env, code)
    assert out.returncode == 0, out.stderr


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] is True


def test_code_is_ruff_clean():
    ruff = Path(sys.executable).with_name("ruff")
    for args in (["check", "."], ["format", "--check", "."]):
        out = subprocess.run(
            [str(ruff), *args], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert out.returncode == 0, out.stdout + out.stderr


def test_database_outage_is_a_503_page_not_a_server_error():
    code = (
        "from django.test import Client; "
        "r = Client(raise_request_exception=False).get('/'); "
        "print(r.status_code, r['Retry-After'], b'unavailable' in r.content)"
    )
    env = {
        "SECRET_KEY": STRONG_KEY,
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "ALLOWED_HOSTS": "testserver",
    }
    out = _settings_process(env, code)
    assert out.stdout.split() == ["503", "30", "True"], out.stderr[-2000:]
