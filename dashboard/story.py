"""The story of recent years, derived from the data: which host countries' missions
ended, began phasing out, were suspended or started since a date, and the published
event that changed each one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy

from countries.localized import local_text, name_order
from missions.models import Mission
from timeline.models import PolicyEvent

STORY_SINCE = dt.date(2025, 1, 1)

_STATUS_DATE = {
    Mission.Status.ENDED: ("end", "end_display"),
    Mission.Status.PHASING_OUT: ("status_as_of", "status_as_of_display"),
    Mission.Status.SUSPENDED: ("status_as_of", "status_as_of_display"),
    Mission.Status.ACTIVE: ("start", "start_display"),
}
_CHANGE_WORDS = {
    Mission.Status.ENDED: gettext_lazy("ended"),
    Mission.Status.PHASING_OUT: gettext_lazy("phasing out"),
    Mission.Status.SUSPENDED: gettext_lazy("suspended"),
    Mission.Status.ACTIVE: gettext_lazy("started"),
}
# The kinds of event that make each change, preferred over statements and reports.
_CAUSES = {
    Mission.Status.ENDED: {"termination", "withdrawal", "expulsion"},
    Mission.Status.PHASING_OUT: {"termination", "withdrawal", "expulsion"},
    Mission.Status.SUSPENDED: {"termination", "withdrawal", "expulsion", "sanction"},
    Mission.Status.ACTIVE: {"mission_start", "agreement"},
}


# An event further than this from the change is not taken as its cause.
CAUSE_WITHIN = dt.timedelta(days=120)


def _cause(mission: Mission, date: dt.date, events: list[PolicyEvent]):
    """The country's event closest in date to the change (within `CAUSE_WITHIN`),
    preferring the kinds of event that make such a change."""
    own = [
        e
        for e in events
        if abs(e.date - date) <= CAUSE_WITHIN
        and any(c.iso3 == mission.country_id for c in e.affected_countries.all())
    ]
    causes = _CAUSES[mission.status]
    return min(
        own,
        key=lambda e: (e.kind not in causes, abs((e.date - date).days), -e.pk),
        default=None,
    )


def status_changes(since: dt.date = STORY_SINCE) -> list[dict[str, Any]]:
    """One entry per host country whose status changed since `since`, newest first
    (three queries: missions, the events near each change, their countries)."""
    missions = Mission.objects.changed_since(since).with_country()
    latest: dict[str, tuple[dt.date, Mission]] = {}
    for mission in missions:
        date = getattr(mission, _STATUS_DATE[mission.status][0])
        if mission.country_id not in latest or date > latest[mission.country_id][0]:
            latest[mission.country_id] = (date, mission)
    dates = {iso3: date for iso3, (date, _) in latest.items()}
    events = list(
        PolicyEvent.objects.published()
        .near(dates, CAUSE_WITHIN)
        .filter(date__gte=since)
        .for_cards()
    )
    changes = [
        {
            "country": mission.country,
            "status": mission.status,
            "change": _CHANGE_WORDS[mission.status],
            "date": date,
            "date_display": getattr(mission, _STATUS_DATE[mission.status][1]),
            "mission": mission,
            "event": _cause(mission, date, events),
        }
        for date, mission in latest.values()
    ]
    return sorted(
        changes,
        key=lambda c: (c["date"], name_order(local_text(c["country"], "name"))),
        reverse=True,
    )
