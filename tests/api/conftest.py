"""API tests run without the rate limit unless a test sets one: every test's
requests come from the same address, and the counts live in a shared cache."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_rate_limit(settings) -> None:
    settings.API_RATE_LIMIT = ""
