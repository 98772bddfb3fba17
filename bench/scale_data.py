"""Add synthetic rows to a PostgreSQL database that holds the real dataset.

    .venv/bin/python bench/scale_data.py --size small \\
        --database-url postgres://postgres@127.0.0.1:5432/tracker_scale

The scale dataset of the performance review (../shared/reviews/performance.md,
appendix A): the real data (import fixtures/ first) plus 40 synthetic missions per
country, 2,000 sources and, at `--size full`, 500,000 staffing reports and 100,000
events. Guatemala is the heavy country: 20,000 reports (4,400 on one mission) and
2,000 events. Smaller sizes keep the same shapes in proportion (`small`: 5,000
reports, 1,000 events; or any number of reports with `--reports`). History rows are
written as the import and the admin leave them. Every row is made by one
`INSERT ... SELECT generate_series` in a single transaction, so the full size takes
about a minute; run `manage.py refresh_statistics` afterwards.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = {"small": 5_000, "full": 500_000}
FULL_REPORTS = 500_000
MISSIONS_PER_COUNTRY = 40
SOURCES = 2_000
HEAVY_COUNTRY = "GTM"


@dataclass(frozen=True)
class Scale:
    """Row counts for a given number of synthetic staffing reports."""

    reports: int

    @property
    def factor(self) -> float:
        return self.reports / FULL_REPORTS

    @property
    def heavy_per(self) -> int:
        """Reports on the heavy Guatemalan mission (4,400 at full size)."""
        return max(1, round(4_400 * self.factor))

    @property
    def gtm_per(self) -> int:
        """Reports on each of the other 39 Guatemalan missions (400 at full size)."""
        return max(1, round(400 * self.factor))

    @property
    def other_reports(self) -> int:
        gtm = self.heavy_per + (MISSIONS_PER_COUNTRY - 1) * self.gtm_per
        return max(0, self.reports - gtm)

    @property
    def events(self) -> int:
        return max(50, round(100_000 * self.factor))


SOURCES_SQL = """
INSERT INTO missions_source (url, publisher, title, published, published_precision,
    language)
SELECT 'https://perf.example.org/source/' || i, 'Perf Publisher ' || (i % 50),
       'Synthetic report ' || i, DATE '2000-01-01' + (i * 37) % 9000, 'day', 'en'
FROM generate_series(1, {sources}) AS i;
CREATE TEMP TABLE psrc AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS n
FROM missions_source WHERE url LIKE 'https://perf.example.org/source/%';

INSERT INTO missions_mission (country_id, name, kind, status, status_as_of,
    status_as_of_precision, start, start_precision, "end", end_precision, summary,
    last_checked)
SELECT c.iso3, 'Synthetic mission ' || c.iso3 || ' ' || k,
       (ARRAY['bilateral_paid','free_solidarity','emergency','triangular','other'])
           [1 + (k / 5) % 5],
       (ARRAY['active','phasing-out','suspended','ended','unknown'])[1 + k % 5],
       NULL, 'day', make_date(1990 + k % 30, 1, 1), 'year',
       CASE WHEN k % 5 = 3 THEN make_date(2021 + k % 4, 6, 1) END, 'month',
       'A synthetic mission used for load tests; it stands for a contract of the '
       || 'usual kind.', NULL
FROM countries_country c CROSS JOIN generate_series(0, {per_country} - 1) AS k;
CREATE TEMP TABLE pmis AS
SELECT m.id, m.country_id, (m.country_id = '{heavy}') AS gtm,
       row_number() OVER (PARTITION BY (m.country_id = '{heavy}') ORDER BY m.id) - 1
           AS n
FROM missions_mission m WHERE m.name LIKE 'Synthetic mission %';
INSERT INTO missions_mission_sources (mission_id, source_id)
SELECT m.id, s.id FROM pmis m JOIN psrc s ON s.n = m.id % {sources};
"""

# {others}: the number of non-Guatemalan synthetic missions, read after they exist.
REPORTS_SQL = """
INSERT INTO missions_staffingreport (mission_id, as_of, as_of_precision, workers,
    doctors, other_staff, source_id, note, needs_review)
SELECT m.id,
       DATE '2000-01-01'
           + ((r / {others}) * {other_step} + (r % {others}) % 30)::int,
       'day', 50 + (r * 7) % 400,
       CASE WHEN r % 4 = 0 THEN NULL ELSE (50 + (r * 7) % 400) / 2 END, NULL,
       s.id, '', r % 500 = 0
FROM generate_series(0, {other_reports} - 1) AS r
JOIN pmis m ON NOT m.gtm AND m.n = r % {others}
JOIN psrc s ON s.n = (r / 7) % {sources};
INSERT INTO missions_staffingreport (mission_id, as_of, as_of_precision, workers,
    doctors, other_staff, source_id, note, needs_review)
SELECT m.id, DATE '2000-01-01' + (k * 9000) / {heavy_per}, 'day',
       100 + (k * 13) % 900,
       CASE WHEN k % 4 = 0 THEN NULL ELSE (100 + (k * 13) % 900) / 2 END,
       NULL, s.id, '', false
FROM pmis m CROSS JOIN generate_series(0, {heavy_per} - 1) AS k
JOIN psrc s ON s.n = k % {sources} WHERE m.gtm AND m.n = 0;
INSERT INTO missions_staffingreport (mission_id, as_of, as_of_precision, workers,
    doctors, other_staff, source_id, note, needs_review)
SELECT m.id, DATE '2000-01-01' + ((k * 9000) / {gtm_per} + m.n % 7)::int, 'day',
       20 + (k * 11) % 300,
       CASE WHEN k % 4 = 0 THEN NULL ELSE (20 + (k * 11) % 300) / 2 END,
       NULL, s.id, '', false
FROM pmis m CROSS JOIN generate_series(0, {gtm_per} - 1) AS k
JOIN psrc s ON s.n = (k + m.n) % {sources} WHERE m.gtm AND m.n > 0;
"""

EVENTS_SQL = """
INSERT INTO timeline_policyevent (date, date_precision, title, summary, kind,
    actor_organisation, figures, is_published, published_at, updated_at)
SELECT DATE '1990-01-01' + ((e::bigint * 7919) % 13000)::int, 'day',
       'Synthetic event ' || e,
       'A synthetic policy event for load tests: a government announced a change to '
       || 'the terms of the Cuban medical mission it hosts, as reported by the source.',
       (ARRAY['mission_start','withdrawal','expulsion','termination','sanction',
              'visa_restriction','agreement','statement','report','other'])[1 + e % 10],
       CASE WHEN e % 7 = 0 THEN 'PAHO' ELSE '' END,
       CASE WHEN e % 3 = 0 THEN (e % 900) || ' doctors' ELSE '' END, e % 10 <> 0,
       CASE WHEN e % 10 <> 0 THEN now() END, now()
FROM generate_series(1, {events}) AS e;
CREATE TEMP TABLE pev AS SELECT id, substring(title from 17)::int AS e
FROM timeline_policyevent WHERE title LIKE 'Synthetic event %';
CREATE TEMP TABLE pcty AS SELECT iso3, row_number() OVER (ORDER BY iso3) - 1 AS n
FROM countries_country WHERE iso3 <> '{heavy}';
INSERT INTO timeline_policyevent_affected_countries (policyevent_id, country_id)
SELECT ev.id, CASE WHEN ev.e % 50 = 1 THEN '{heavy}' ELSE c.iso3 END
FROM pev ev JOIN pcty c ON c.n = ev.e % {countries};
INSERT INTO timeline_policyevent_actor_countries (policyevent_id, country_id)
SELECT ev.id, c.iso3 FROM pev ev JOIN pcty c ON c.n = (ev.e * 31) % {countries}
WHERE ev.e % 3 = 0;
INSERT INTO timeline_policyevent_sources (policyevent_id, source_id)
SELECT ev.id, s.id FROM pev ev JOIN psrc s ON s.n = ev.e % {sources};
INSERT INTO timeline_policyevent_sources (policyevent_id, source_id)
SELECT ev.id, s.id FROM pev ev JOIN psrc s ON s.n = (ev.e + 1000) % {sources}
WHERE ev.e % 5 = 0;
"""

# History as the import and the admin leave it: a '+' row for every synthetic row,
# 600 later versions of the heavy mission, corrections to 1% of reports and events.
HISTORY_SQL = """
INSERT INTO missions_historicalsource (id, url, publisher, title, published,
    published_precision, language, history_date, history_change_reason, history_type)
SELECT id, url, publisher, title, published, published_precision, language,
       now() - interval '30 days', 'import_dataset', '+'
FROM missions_source WHERE url LIKE 'https://perf.example.org/source/%';
INSERT INTO missions_historicalmission (id, name, kind, status, status_as_of,
    status_as_of_precision, start, start_precision, "end", end_precision, summary,
    history_date, history_change_reason, history_type, country_id, last_checked)
SELECT m.id, m.name, m.kind, m.status, m.status_as_of, m.status_as_of_precision,
       m.start, m.start_precision, m."end", m.end_precision, m.summary,
       now() - interval '30 days',
       'import_dataset', '+', m.country_id, m.last_checked
FROM missions_mission m JOIN pmis p ON p.id = m.id;
INSERT INTO missions_historicalmission (id, name, kind, status, status_as_of,
    status_as_of_precision, start, start_precision, "end", end_precision, summary,
    history_date, history_change_reason, history_type, country_id, last_checked)
SELECT m.id, m.name, m.kind, (ARRAY['active','phasing-out'])[1 + v % 2],
       DATE '2020-01-01' + v, 'day', m.start, m.start_precision, m."end",
       m.end_precision, m.summary, now() - interval '29 days' + v * interval '1 hour',
       'Status update ' || v, '~', m.country_id, m.last_checked
FROM missions_mission m JOIN pmis p ON p.id = m.id AND p.gtm AND p.n = 0
CROSS JOIN generate_series(1, 600) AS v;
INSERT INTO missions_historicalstaffingreport (id, as_of, as_of_precision, workers,
    doctors, other_staff, note, history_date, history_change_reason, history_type,
    mission_id, source_id, needs_review)
SELECT r.id, r.as_of, r.as_of_precision, r.workers, r.doctors, r.other_staff, r.note,
       now() - interval '30 days', 'import_dataset', '+', r.mission_id, r.source_id,
       r.needs_review
FROM missions_staffingreport r JOIN pmis p ON p.id = r.mission_id;
INSERT INTO missions_historicalstaffingreport (id, as_of, as_of_precision, workers,
    doctors, other_staff, note, history_date, history_change_reason, history_type,
    mission_id, source_id, needs_review)
SELECT r.id, r.as_of, r.as_of_precision, r.workers + 10, r.doctors, r.other_staff,
       r.note,
       now() - interval '20 days' + (r.id % 1000) * interval '1 minute',
       'Corrected per source', '~', r.mission_id, r.source_id, r.needs_review
FROM missions_staffingreport r JOIN pmis p ON p.id = r.mission_id WHERE r.id % 100 = 0;
INSERT INTO timeline_historicalpolicyevent (id, date, date_precision, title, summary,
    kind, actor_organisation, figures, is_published, published_at, updated_at,
    history_date, history_change_reason, history_type)
SELECT ev.id, ev.date, ev.date_precision, ev.title, ev.summary, ev.kind,
       ev.actor_organisation, ev.figures, ev.is_published, ev.published_at,
       ev.updated_at,
       now() - interval '30 days', 'import_dataset', '+'
FROM timeline_policyevent ev JOIN pev p ON p.id = ev.id;
INSERT INTO timeline_historicalpolicyevent (id, date, date_precision, title, summary,
    kind, actor_organisation, figures, is_published, published_at, updated_at,
    history_date, history_change_reason, history_type)
SELECT ev.id, ev.date, ev.date_precision, ev.title || ' (corrected)', ev.summary,
       ev.kind, ev.actor_organisation, ev.figures, ev.is_published, ev.published_at,
       ev.updated_at, now() - interval '10 days' + (ev.id % 1000) * interval '1 minute',
       'Fixed title', '~'
FROM timeline_policyevent ev JOIN pev p ON p.id = ev.id WHERE p.e % 100 = 0;
"""


def _run(cursor, sql: str, **values: object) -> None:
    for key, value in values.items():
        sql = sql.replace("{" + key + "}", str(value))
    cursor.execute(sql)


def generate(reports: int) -> Scale:
    """Add the synthetic rows for `reports` staffing reports to the default
    database (PostgreSQL, real dataset already imported), in one transaction."""
    from django.db import connection, transaction

    from dashboard.services.triggers import data_version_bump

    scale = Scale(reports)
    common = {"sources": SOURCES, "heavy": HEAVY_COUNTRY}
    with transaction.atomic(), connection.cursor() as cursor:
        _run(cursor, SOURCES_SQL, per_country=MISSIONS_PER_COUNTRY, **common)
        cursor.execute("SELECT count(*) FROM pmis WHERE NOT gtm")
        others = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pmis WHERE gtm")
        if cursor.fetchone()[0] != MISSIONS_PER_COUNTRY:
            raise RuntimeError(f"import the real dataset first: no {HEAVY_COUNTRY}")
        _run(
            cursor,
            REPORTS_SQL,
            others=others,
            other_reports=scale.other_reports,
            other_step=8600 // max(1, math.ceil(scale.other_reports / others)),
            heavy_per=scale.heavy_per,
            gtm_per=scale.gtm_per,
            **common,
        )
        _run(
            cursor,
            EVENTS_SQL,
            events=scale.events,
            countries=others // MISSIONS_PER_COUNTRY,
            **common,
        )
        _run(cursor, HISTORY_SQL)
        cursor.execute("DROP TABLE psrc, pmis, pev, pcty")
        # Raw SQL skips the save signals: tell pages and ETags the data changed.
        data_version_bump()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return scale


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--reports", type=int, help="overrides --size")
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    os.environ.update(
        DATABASE_URL=args.database_url,
        SECRET_KEY=os.environ.get("SECRET_KEY") or "bench-" + "x" * 50,
        DJANGO_SETTINGS_MODULE="config.settings",
        DB_STATEMENT_TIMEOUT="0",
    )
    import django

    django.setup()
    started = time.perf_counter()
    scale = generate(args.reports or SIZES[args.size])
    print(
        f"added {scale.reports:,} staffing reports and {scale.events:,} events "
        f"in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
