"""Small plain factories for tests: make_<model>(**overrides) with sensible defaults."""

from __future__ import annotations

import datetime as dt
import itertools

from countries.models import Country
from missions.models import Mission, Source, StaffingReport
from timeline.models import PolicyEvent

_seq = itertools.count(1)


def make_country(**overrides) -> Country:
    n = next(_seq)
    fields = {
        # "X" and two letters: alphabetic like a real code, never one of them.
        "iso3": "X" + chr(65 + n // 26 % 26) + chr(65 + n % 26),
        "name": f"Country {n}",
        "region": "Americas",
        "subregion": "Latin America and the Caribbean",
        "intermediate_region": "Central America",
        "latitude": 15.0,
        "longitude": -90.0,
    }
    fields.update(overrides)
    return Country.objects.create(**fields)


def make_source(**overrides) -> Source:
    n = next(_seq)
    fields = {"url": f"https://news.example.org/{n}", "publisher": f"Publisher {n}"}
    fields.update(overrides)
    return Source.objects.create(**fields)


def make_mission(**overrides) -> Mission:
    if "country" not in overrides:
        overrides["country"] = make_country()
    fields = {
        "name": f"Brigade {next(_seq)}",
        "kind": Mission.Kind.BILATERAL_PAID,
        "status": Mission.Status.ACTIVE,
    }
    fields.update(overrides)
    return Mission.objects.create(**fields)


def make_report(**overrides) -> StaffingReport:
    if "mission" not in overrides:
        overrides["mission"] = make_mission()
    if "source" not in overrides:
        overrides["source"] = make_source()
    fields = {"as_of": dt.date(2025, 1, 1), "workers": 100, "doctors": 80}
    fields.update(overrides)
    return StaffingReport.objects.create(**fields)


def make_event(*, countries=(), actors=(), sources=None, **overrides) -> PolicyEvent:
    fields = {
        "date": dt.date(2026, 2, 10),
        "title": f"Event {next(_seq)}",
        "summary": "Something happened.",
        "kind": PolicyEvent.Kind.TERMINATION,
        "is_published": True,
    }
    fields.update(overrides)
    event = PolicyEvent.objects.create(**fields)
    event.sources.set(sources or [make_source()])
    event.affected_countries.set(countries)
    event.actor_countries.set(actors)
    return event
