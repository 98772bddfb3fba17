"""The README's `manage.py` lines work as written on a development checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(folder: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
    """Run a copy of manage.py that lives in `folder`, with no DEBUG or SECRET_KEY."""
    shutil.copy(ROOT / "manage.py", folder / "manage.py")
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update(extra_env, PYTHONPATH=str(ROOT))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, str(folder / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_manage_py_reads_the_local_env_file(tmp_path):
    (tmp_path / ".env").write_text("# written by make install\nDEBUG=true\n")
    out = _manage(tmp_path, "check")
    assert out.returncode == 0, out.stderr[-1500:]
    assert "no issues" in out.stdout


def test_without_the_file_the_error_says_how_to_fix_it(tmp_path):
    out = _manage(tmp_path, "check")
    assert out.returncode != 0
    assert "make install" in out.stderr


def test_the_environment_wins_over_the_file(tmp_path):
    (tmp_path / ".env").write_text("DEBUG=maybe\n")
    out = _manage(tmp_path, "check", DEBUG="true")
    assert out.returncode == 0, out.stderr[-1500:]


def test_the_docker_image_leaves_the_local_file_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored
