"""The stack comes back by itself: compose restarts every service, Celery reconnects
to the broker forever, and the compose file stays in step with the settings."""

from __future__ import annotations

import re

from config.celery import app
from tests.fault_support import ROOT, compose


def _settings_variables() -> set[str]:
    source = (ROOT / "config" / "settings.py").read_text()
    return set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z_]+)"', source))


def test_every_service_restarts_unless_stopped():
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    for name, service in services.items():
        assert service.get("restart") == "unless-stopped", name


def test_celery_never_gives_up_reconnecting_to_the_broker():
    assert app.conf.broker_connection_max_retries is None
    assert app.conf.broker_connection_retry_on_startup is True


def test_compose_sets_only_variables_the_settings_read():
    for name, service in compose()["services"].items():
        unknown = set(service.get("environment", {})) - _settings_variables()
        if name in {"web", "worker", "beat"}:
            assert not unknown, f"{name} sets {unknown}, which settings never read"


def test_env_example_lists_every_variable_the_settings_read():
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert _settings_variables() <= listed, _settings_variables() - listed


def test_a_restart_of_web_never_reloads_the_dataset_over_editors_edits():
    command = compose()["services"]["web"]["command"]
    imports = [line for line in command.split("&&") if "import_dataset" in line]
    assert imports and all("--if-empty" in line for line in imports), command
