"""The refresh benchmark's generator keeps up with the schema, so the README's
benchmark table can be reproduced (it once failed on a new NOT NULL column)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from dashboard.models import CountryStatistic
from dashboard.services import statistics_refresh

BENCH = Path(__file__).resolve().parents[2] / "bench" / "refresh_statistics.py"


def test_the_benchmark_fills_the_current_schema_and_refreshes(postgres):
    spec = importlib.util.spec_from_file_location("bench_refresh", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.fill(200)
    statistics_refresh()
    assert CountryStatistic.objects.count() == 250
