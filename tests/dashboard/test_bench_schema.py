"""The benchmarks' generators keep up with the schema, so the README's tables can be
reproduced (the refresh benchmark once failed on a new NOT NULL column). Both run
here at a tiny size on PostgreSQL, in a few seconds."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from django.db.models import Count

from countries.models import Country
from dashboard.models import CountryStatistic
from dashboard.services import statistics_refresh
from missions.models import StaffingReport
from timeline.models import PolicyEvent

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_fills_the_current_schema_and_refreshes(postgres):
    bench = _load("refresh_statistics")
    (timing,) = bench.measure([200], repeat=1)
    assert timing.reports == 200
    assert timing.countries == 250
    assert CountryStatistic.objects.count() == 250


def test_the_scale_generator_adds_a_heavy_guatemala_to_the_real_data(
    postgres, real_data
):
    real_reports = StaffingReport.objects.count()
    real_events = PolicyEvent.objects.count()
    scale = _load("scale_data").generate(2_000)

    assert StaffingReport.objects.count() == real_reports + 2_000
    assert PolicyEvent.objects.count() == real_events + scale.events
    per_country = dict(
        Country.objects.annotate(n=Count("missions__reports")).values_list("iso3", "n")
    )
    assert max(per_country, key=per_country.get) == "GTM"
    # The real figures stay as they were, beside the synthetic ones.
    synthetic = StaffingReport.objects.filter(mission__name__startswith="Synthetic ")
    assert StaffingReport.objects.exclude(pk__in=synthetic).count() == real_reports

    statistics_refresh()
    assert CountryStatistic.objects.filter(country_id="GTM").exists()
