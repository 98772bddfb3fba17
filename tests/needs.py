"""Tests that need a real service skip with a one-line reason when it is absent,
except under CI (CI=true), where they fail, so that nothing is skipped silently."""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def need(ok: bool, reason: str) -> None:
    """Skip (or, under CI, fail) the calling test when a service is missing."""
    if ok:
        return
    if IN_CI:
        pytest.fail(f"{reason} (required under CI)", pytrace=False)
    pytest.skip(reason)
