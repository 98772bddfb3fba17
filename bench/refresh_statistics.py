"""Time a full statistics refresh on a synthetic dataset in PostgreSQL.

    .venv/bin/python bench/refresh_statistics.py --reports 10000 500000

For each size it fills a scratch database (default `tracker_bench`, created if
missing) with 250 countries, 10,000 missions, the given number of staffing reports
(a fifth counting doctors only, so the headcount rule looks back 12 months)
and reports/5 events, then times `statistics_refresh()` (best of --repeat runs).
It writes nothing to any other database.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GENERATE = """
INSERT INTO countries_country (iso3, m49_code, name, region, subregion,
    intermediate_region, latitude, longitude)
SELECT chr(65 + i / 26) || chr(65 + i % 26) || 'Z', '', 'Bench ' || i,
       (ARRAY['Africa','Americas','Asia','Europe','Oceania'])[1 + i % 5],
       'Sub ' || (i % 17),
       CASE WHEN i % 3 = 0 THEN 'Inter ' || (i % 7) ELSE '' END, 0, 0
FROM generate_series(0, 249) AS i;

INSERT INTO missions_source (url, publisher, title, published, published_precision,
    language)
SELECT 'https://bench.example.org/' || i, 'Publisher ' || (i % 50), '', NULL, 'day', ''
FROM generate_series(1, 2000) AS i;

INSERT INTO missions_mission (country_id, name, kind, status, status_as_of,
    status_as_of_precision, start, start_precision, "end", end_precision, summary)
SELECT c.iso3, 'Mission ' || m, 'bilateral_paid',
       (ARRAY['active','phasing-out','suspended','ended','unknown'])[1 + m % 5],
       NULL, 'day', make_date(1990 + m % 30, 1, 1), 'year', NULL, 'day', ''
FROM generate_series(1, 10000) AS m
JOIN (SELECT iso3, row_number() OVER (ORDER BY iso3) - 1 AS n FROM countries_country) c
  ON c.n = m % 250;

INSERT INTO missions_staffingreport (mission_id, as_of, as_of_precision, workers,
    doctors, other_staff, source_id, note, needs_review)
SELECT mm.id, DATE '1995-01-01' + (r / 10000) * 100 + (r % 10000) % 7,
       'day', CASE WHEN r % 5 = 0 THEN NULL ELSE 310 + r % 400 END,
       CASE WHEN r % 4 = 0 AND r % 5 <> 0 THEN NULL ELSE 5 + r % 300 END, NULL,
       s.id, '', false
FROM generate_series(0, {reports} - 1) AS r
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM missions_mission) mm
  ON mm.n = r % 10000
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM missions_source) s
  ON s.n = (r / 10000) % 2000;

INSERT INTO timeline_policyevent (date, date_precision, title, summary, kind,
    actor_organisation, figures, is_published, published_at, updated_at)
SELECT DATE '1990-01-01' + e % 13000, 'day', 'Event ' || e, '',
       (ARRAY['termination','statement','agreement','sanction'])[1 + e % 4], '', '',
       e % 10 <> 0, CASE WHEN e % 10 <> 0 THEN now() END, now()
FROM generate_series(1, {events}) AS e;

INSERT INTO timeline_policyevent_affected_countries (policyevent_id, country_id)
SELECT ev.id, c.iso3
FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM timeline_policyevent) ev
JOIN (SELECT iso3, row_number() OVER (ORDER BY iso3) - 1 AS n FROM countries_country) c
  ON c.n = ev.n % 250;
ANALYZE;
"""

TABLES = (
    "timeline_policyevent_affected_countries, timeline_policyevent, "
    "missions_staffingreport, missions_mission_sources, missions_mission, "
    "missions_reportedtotal, missions_source, countries_country, "
    "dashboard_countrystatistic, dashboard_areastatistic, dashboard_seriespoint, "
    "dashboard_missionstatistic"
)


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname=%s", [name]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def fill(reports: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLES} CASCADE")
        sql = GENERATE.replace("{reports}", str(reports))
        cursor.execute(sql.replace("{events}", str(max(reports // 5, 1))))


@dataclass(frozen=True)
class Timing:
    reports: int
    fill: float
    refresh: float  # best of the repeats
    countries: int


def measure(sizes: list[int], repeat: int) -> Iterator[Timing]:
    """Fill the default database at each size and time the refresh."""
    from dashboard.services import statistics_refresh

    for reports in sizes:
        started = time.perf_counter()
        fill(reports)
        filled = time.perf_counter() - started
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = statistics_refresh()
            timings.append(time.perf_counter() - started)
        yield Timing(reports, filled, min(timings), result.countries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, nargs="+", default=[10_000, 500_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/tracker_bench"
    )
    args = parser.parse_args()
    ensure_database(args.database_url)
    os.environ.update(
        DATABASE_URL=args.database_url,
        SECRET_KEY="bench-" + "x" * 50,
        DJANGO_SETTINGS_MODULE="config.settings",
        # Filling a million reports is one statement of a minute or more.
        DB_STATEMENT_TIMEOUT="0",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print("  reports  events  fill s  refresh s (best)  countries")
    for row in measure(args.reports, args.repeat):
        print(
            f"{row.reports:>9,} {row.reports // 5:>7,} {row.fill:>7.1f} "
            f"{row.refresh:>17.2f} {row.countries:>9}"
        )


if __name__ == "__main__":
    main()
