"""The Spanish catalogue is complete: every message translated, placeholders kept,
and (where GNU gettext is installed, as in CI) every marked string in it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.i18n_support import read_catalogue
from tests.needs import need

ROOT = Path(__file__).resolve().parents[2]
_PLACEHOLDER = re.compile(r"%\(\w+\)s|%s|\{\{ *\w+ *\}\}")


def _pairs(message):
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return ids, strings


def test_every_message_has_a_spanish_translation():
    missing = [
        message.id
        for message in read_catalogue()
        if message.id and (message.fuzzy or not all(_pairs(message)[1]))
    ]
    assert missing == []


def test_translations_keep_their_placeholders():
    broken = []
    for message in read_catalogue():
        if not message.id:
            continue
        ids, strings = _pairs(message)
        wanted = set(_PLACEHOLDER.findall(ids[-1]))
        for index, string in enumerate(strings):
            found = set(_PLACEHOLDER.findall(string))
            if index == 0 and len(ids) > 1:
                # The singular ("The first mission is shown.") may leave out the
                # count, as its msgid does, but must keep the msgid's other names.
                ok = set(_PLACEHOLDER.findall(ids[0])) <= found <= wanted
            else:
                ok = found == wanted
            if not ok:
                broken.append((message.id, string))
    assert broken == []


def test_every_marked_string_is_in_the_catalogue(tmp_path):
    """makemessages over a copy of the project finds no msgid the .po lacks (a
    string marked but never translated) and none the .po has in excess."""
    need(bool(shutil.which("xgettext")), "needs GNU gettext (apt-get install gettext)")
    apps = (
        "config",
        "countries",
        "missions",
        "newswatch",
        "timeline",
        "dashboard",
        "api",
    )
    for name in apps:
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    env = {**os.environ, "DEBUG": "true", "PYTHONPATH": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-location"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = read_catalogue(tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po")
    ours = {(m.context, m.id) for m in read_catalogue() if m.id}
    found = {(m.context, m.id) for m in fresh if m.id}
    assert {"missing from the .po": found - ours, "no longer used": ours - found} == {
        "missing from the .po": set(),
        "no longer used": set(),
    }
