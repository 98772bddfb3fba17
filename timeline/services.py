"""Announcements: an event, its source and its effect on missions, saved as one.

`announcement_save` records the event (draft or published) with its source and the
effect it states; `announcement_publish` makes a draft public and applies its effect.
Each runs in one transaction: either everything is saved or nothing is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from countries.models import Country
from missions.models import Mission, StaffingReport
from missions.services import source_get_or_create
from timeline.models import EventEffect, PolicyEvent

PUBLISH_PERMISSION = "timeline.publish_policyevent"
# A new count further than this from the mission's latest is flagged for review.
REVIEW_RATIO = 0.5


@dataclass
class SourceInput:
    """The publication an announcement cites; an existing URL is reused."""

    url: str
    publisher: str = ""
    title: str = ""
    published: dt.date | None = None
    published_precision: str = "day"


@dataclass
class EffectInput:
    """What the announcement changes: a status for its missions, and a figure."""

    new_status: str = ""
    end: dt.date | None = None
    end_precision: str = "day"
    figure_mission: Mission | None = None
    figure_as_of: dt.date | None = None
    figure_as_of_precision: str = "day"
    workers: int | None = None
    doctors: int | None = None
    other_staff: int | None = None


@dataclass
class EventInput:
    """The event itself."""

    date: dt.date
    date_precision: str
    kind: str
    title: str
    summary: str
    title_es: str = ""
    summary_es: str = ""
    affected_countries: list[Country] = field(default_factory=list)
    affected_missions: list[Mission] = field(default_factory=list)
    actor_countries: list[Country] = field(default_factory=list)
    actor_organisation: str = ""
    figures: str = ""


def can_publish(user: AbstractBaseUser) -> bool:
    """Publishers (and superusers) may publish; Editors only draft."""
    return user.has_perm(PUBLISH_PERMISSION)


@transaction.atomic
def announcement_save(
    *,
    event_data: EventInput,
    source_data: SourceInput,
    effect_data: EffectInput,
    user: AbstractBaseUser,
    reason: str,
    publish: bool,
) -> PolicyEvent:
    """Create an announcement's event, source and effect; publish it if asked.

    The source comes from `missions.services.source_get_or_create` (reused by URL).
    Statistics refresh after the transaction commits, once, from the save signals.
    """
    if publish and not can_publish(user):
        raise PermissionDenied("Only publishers can publish an announcement.")
    misplaced = missions_outside(
        countries=event_data.affected_countries,
        missions=[*event_data.affected_missions, effect_data.figure_mission],
    )
    if misplaced:
        raise ValidationError(misplaced)
    source_fields = {k: v for k, v in asdict(source_data).items() if k != "url"}
    source = source_get_or_create(
        url=source_data.url, defaults=source_fields, reason=reason
    )[0]
    links = ("affected_countries", "affected_missions", "actor_countries")
    fields = {k: v for k, v in event_data.__dict__.items() if k not in links}
    event = PolicyEvent(**fields, is_published=False)
    event.full_clean(exclude=["sources"])
    event._change_reason = reason
    event.save()
    event.sources.set([source])
    for name in links:
        getattr(event, name).set(getattr(event_data, name))
    effect = EventEffect(event=event, **effect_data.__dict__)
    effect.full_clean()
    effect.save()
    if publish:
        announcement_publish(event=event, user=user, reason=reason)
    return event


@transaction.atomic
def announcement_publish(
    *, event: PolicyEvent, user: AbstractBaseUser, reason: str
) -> list[StaffingReport]:
    """Publish a draft and apply its effect; returns reports flagged for review.

    Statistics refresh after the transaction commits, once, from the save signals.
    """
    if not can_publish(user):
        raise PermissionDenied("Only publishers can publish an announcement.")
    event = PolicyEvent.objects.select_for_update().get(pk=event.pk)
    effect = EventEffect.objects.filter(event=event, applied_at=None).first()
    if effect is not None:
        # Drafts saved before this check existed may still pair them wrongly.
        misplaced = missions_outside(
            countries=list(event.affected_countries.all()),
            missions=[*event.affected_missions.with_country(), effect.figure_mission],
        )
        if misplaced:
            raise ValidationError(misplaced)
    # PolicyEvent.save() stamps published_at, by which the feed lists events.
    event.is_published = True
    event._change_reason = reason
    event.save()
    if effect is None:
        return []
    _apply_status(event, effect, reason)
    flagged = _add_report(event, effect, reason)
    effect.applied_at = timezone.now()
    effect.save()
    return flagged


def missions_outside(
    *, countries: list[Country], missions: Iterable[Mission | None]
) -> list[str]:
    """A message for each mission hosted by none of an event's affected countries."""
    names = ", ".join(c.name for c in countries)
    where = "country" if len(countries) == 1 else "countries"
    messages = []
    for mission in missions:
        if mission is None or mission.country_id in {c.pk for c in countries}:
            continue
        name, host = mission.name, mission.country.name
        if countries:
            text = f"{name} is in {host}, not in the affected {where} ({names})."
        else:
            text = f"{name} is in {host}: choose {host} as the affected country."
        messages.append(text)
    return messages


def status_kept(mission: Mission, event: PolicyEvent) -> bool:
    """True when the mission's status is dated after the event, so publishing the
    event leaves that newer status and its date as they are."""
    return mission.status_as_of is not None and event.date < mission.status_as_of


# The mission fields an event's effect may change.
EFFECT_FIELDS = (
    "status",
    "status_as_of",
    "status_as_of_precision",
    "end",
    "end_precision",
)


def _apply_status(event: PolicyEvent, effect: EventEffect, reason: str) -> None:
    if not effect.new_status and effect.end is None:
        return
    sources = list(event.sources.all())
    for mission in event.affected_missions.prefetch_related("sources"):
        before = [getattr(mission, name) for name in EFFECT_FIELDS]
        if effect.new_status and not status_kept(mission, event):
            mission.status = effect.new_status
            mission.status_as_of = event.date
            mission.status_as_of_precision = event.date_precision
        if effect.end is not None:
            mission.end, mission.end_precision = effect.end, effect.end_precision
        if [getattr(mission, name) for name in EFFECT_FIELDS] == before:
            continue  # nothing to record: no empty row in the mission's history
        mission.full_clean()
        mission._change_reason = reason
        mission.save()
        missing = [s for s in sources if s not in mission.sources.all()]
        if missing:
            mission.sources.add(*missing)


def _add_report(
    event: PolicyEvent, effect: EventEffect, reason: str
) -> list[StaffingReport]:
    if not effect.has_figure or effect.figure_mission is None:
        return []
    report = StaffingReport(
        mission=effect.figure_mission,
        as_of=effect.figure_as_of or event.date,
        as_of_precision=(
            effect.figure_as_of_precision
            if effect.figure_as_of
            else event.date_precision
        ),
        workers=effect.workers,
        doctors=effect.doctors,
        other_staff=effect.other_staff,
        source=event.sources.first(),
        note=f"From the announcement: {event.title}",
    )
    report.needs_review = report_needs_review(report)
    report.full_clean()
    report._change_reason = reason
    report.save()
    effect.report = report
    return [report] if report.needs_review else []


def report_needs_review(report: StaffingReport) -> bool:
    """True when a count differs from the mission's latest known one by over half."""
    latest = (
        StaffingReport.objects.filter(mission=report.mission)
        .exclude(pk=report.pk)
        .order_by("-as_of", "-pk")
        .first()
    )
    if latest is None:
        return False
    for name in ("workers", "doctors"):
        old, new = getattr(latest, name), getattr(report, name)
        if old and new is not None and abs(new - old) > REVIEW_RATIO * old:
            return True
    return False


@transaction.atomic
def event_unpublish(*, event: PolicyEvent, user: AbstractBaseUser, reason: str) -> None:
    """Take a published event down; the effect it applied stays, as history shows it.

    Statistics refresh after the transaction commits, once, from the save signals.
    """
    if not can_publish(user):
        raise PermissionDenied("Only publishers can take an event down.")
    event = PolicyEvent.objects.select_for_update().get(pk=event.pk)
    if not event.is_published:
        return
    event.is_published = False
    event._change_reason = reason
    event.save()
