"""Missions: their status, kind and dates, and the reads that join their newest
staffing figure (missions.models.reports)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import (
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import (
    Coalesce,
    Greatest,
)
from django.db.models.query import ModelIterable
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from countries.dates import Precision, format_partial_date
from countries.models import Country, in_areas_q
from missions.models.reports import (
    DOCTORS_WITHIN_WORKERS,
    StaffingReport,
    StaffingReportQuerySet,
)
from missions.models.sources import Source

__all__ = [
    "DOCTORS_WITHIN_WORKERS",
    "Mission",
    "MissionQuerySet",
    "StaffingReport",
    "StaffingReportQuerySet",
    "overall_status",
    "status_counts",
]


def status_counts() -> dict[str, models.Count]:
    """Aggregates counting missions by status, keyed as `overall_status` reads them
    (`phasing_out` for "phasing-out": aggregate names must be identifiers)."""
    return {
        _key(status): models.Count("pk", filter=Q(status=status))
        for status in Mission.Status.values
    }


def _key(status: str) -> str:
    return status.replace("-", "_")


def _newest_reports() -> models.QuerySet:
    """The reports of the outer query's mission, newest first (for subqueries)."""
    return StaffingReport.objects.filter(mission=OuterRef("pk")).order_by(
        "-as_of", "-pk"
    )


def attach_newest_reports(missions: list[Mission]) -> None:
    """Set each mission's `newest_reports` to [its newest report] (or []), with
    the report's source, in one query: the newest is found per mission, by index."""
    if not missions:
        return
    newest = (
        Mission.objects.filter(pk__in=[m.pk for m in missions])
        .annotate(newest=Subquery(_newest_reports().values("pk")[:1]))
        .values("newest")
    )
    reports = StaffingReport.objects.select_related("source").filter(pk__in=newest)
    by_mission = {r.mission_id: r for r in reports}
    for mission in missions:
        report = by_mission.get(mission.pk)
        mission.newest_reports = [report] if report else []


class _WithNewestReports(ModelIterable):
    """Missions as the queryset gives them, each chunk with its newest reports
    attached (`attach_newest_reports`) before it is handed on."""

    def __iter__(self):
        # A list (a page) in one chunk; `iterator()` (a download) in its chunks.
        size = self.chunk_size if self.chunked_fetch else None
        chunk: list[Mission] = []
        for mission in super().__iter__():
            chunk.append(mission)
            if size and len(chunk) >= size:
                attach_newest_reports(chunk)
                yield from chunk
                chunk = []
        attach_newest_reports(chunk)
        yield from chunk


class MissionQuerySet(models.QuerySet):
    """Reads of missions."""

    def with_country(self) -> MissionQuerySet:
        """Missions with their host country loaded in the same query."""
        return self.select_related("country")

    def with_latest_report(self) -> MissionQuerySet:
        """Annotate each mission with the id of its latest staffing report (or None)."""
        return self.annotate(
            latest_report_id=Subquery(_newest_reports().values("pk")[:1])
        )

    def needing_update(self, cutoff: dt.date) -> MissionQuerySet:
        """Active missions whose latest figure or check is older than `cutoff`.

        Oldest first; a mission never counted or checked comes first of all.
        """
        never = Value(dt.date(1, 1, 1))
        latest = Max("reports__as_of")
        freshest = Greatest(
            Coalesce(latest, "last_checked", never),
            Coalesce("last_checked", latest, never),
        )
        return (
            self.active()
            .with_country()
            .annotate(latest_figure=latest, freshest=freshest)
            .filter(freshest__lt=cutoff)
            .order_by("freshest", "country__name", "name")
        )

    def active(self) -> MissionQuerySet:
        """Missions still running, fully or winding down."""
        return self.filter(
            status__in=[Mission.Status.ACTIVE, Mission.Status.PHASING_OUT]
        )

    def changed_since(self, since: dt.date) -> MissionQuerySet:
        """Missions whose status changed on or after a date: ended, phasing out or
        suspended since then (by end or status date), or started since then."""
        return self.filter(
            Q(status=Mission.Status.ENDED, end__gte=since)
            | Q(
                status__in=[Mission.Status.PHASING_OUT, Mission.Status.SUSPENDED],
                status_as_of__gte=since,
            )
            | Q(status=Mission.Status.ACTIVE, start__gte=since)
        )

    def with_latest_figure(self) -> MissionQuerySet:
        """Annotate each mission with its latest report's figures, date and source.

        Annotations (not a prefetch) so that tables can sort by them; all are None
        for a mission without any report.
        """
        latest = _newest_reports()
        return self.annotate(
            **{
                f"latest_{name}": Subquery(latest.values(field)[:1])
                for name, field in _LATEST_FIELDS.items()
            }
        )

    def with_newest_report(self) -> MissionQuerySet:
        """With each mission's newest report and its source (`latest_report`, None
        without any), read in one query per chunk of missions loaded (a page, or a
        chunk of a download): each mission's newest is one step down its newest-
        first index, so a mission with 4,400 figures costs what one with 1 does.
        Tables sort by the stored statistics; `with_latest_figure` is for sorting
        by the report itself."""
        clone = self._chain()
        clone._iterable_class = _WithNewestReports
        return clone

    def with_headcount(self) -> MissionQuerySet:
        """With the best-known headcount and its source, as the statistics refresh
        stored them (`stats`, the timeline app's MissionStatistic; None before)."""
        return self.select_related("stats__source")

    def for_table(self) -> MissionQuerySet:
        """Missions with country, latest figure and best-known headcount, for lists
        and CSV downloads."""
        return self.with_country().with_newest_report().with_headcount()

    def for_country_page(self, iso3: str) -> MissionQuerySet:
        """A country's missions, current first, with sources and latest figure."""
        order = models.Case(
            *(models.When(status=s, then=i) for i, s in enumerate(Mission.Status)),
            default=len(Mission.Status),
        )
        return (
            self.filter(country_id=iso3)
            .with_newest_report()
            .with_headcount()
            .prefetch_related("sources")
            .order_by(order, "-start", "name")
        )

    def for_export(self) -> MissionQuerySet:
        """Missions by country code and name, with their country, their figures
        oldest first (`export_reports`) and their sources by address
        (`export_sources`): the data package's missions.csv, in three queries.

        Figures of one date stay in order of entry: the newer entry wins a tie
        for a mission's latest figure, and an import keeps the file's order."""
        reports = StaffingReport.objects.select_related("source").order_by(
            "as_of", "pk"
        )
        sources = Source.objects.order_by("url")
        return (
            self.select_related("country")
            .prefetch_related(
                Prefetch("reports", queryset=reports, to_attr="export_reports"),
                Prefetch("sources", queryset=sources, to_attr="export_sources"),
            )
            .order_by("country_id", "name")
        )

    def in_areas(self, names: list[str]) -> MissionQuerySet:
        """Missions whose host lies in one of these M49 areas (any level)."""
        return self.filter(in_areas_q(names, prefix="country__"))

    def in_countries(self, iso3s: list[str]) -> MissionQuerySet:
        """Missions in any of these host countries."""
        return self.filter(country_id__in=iso3s)

    def matching(self, text: str) -> MissionQuerySet:
        """Missions whose name (in English or Spanish) or host country's name
        contains every word (up to five)."""
        qs = self
        for word in text.split()[:5]:
            qs = qs.filter(
                Q(name__icontains=word)
                | Q(name_es__icontains=word)
                | Q(country__name__icontains=word)
            )
        return qs

    def in_years(
        self, first: int | None = None, last: int | None = None
    ) -> MissionQuerySet:
        """Missions present at some time between two years: a mission overlaps the
        range (unlike events, dated once); unknown start or end dates are included."""
        qs = self
        if first is not None:
            qs = qs.filter(Q(end__isnull=True) | Q(end__year__gte=first))
        if last is not None:
            qs = qs.filter(Q(start__isnull=True) | Q(start__year__lte=last))
        return qs

    def with_year_evidence(self, until: dt.date) -> MissionQuerySet:
        """Annotate each mission with its first and last report dates and the id of
        its latest report dated on or before `until` (one indexed subquery each)."""
        reports = StaffingReport.objects.filter(mission=OuterRef("pk"))
        return self.annotate(
            first_report=Subquery(reports.order_by("as_of").values("as_of")[:1]),
            last_report=Subquery(_newest_reports().values("as_of")[:1]),
            report_until_id=Subquery(
                _newest_reports().filter(as_of__lte=until).values("pk")[:1]
            ),
        )

    def status_by_country(self) -> MissionQuerySet:
        """One row per host country: how many of these missions have each status."""
        return self.order_by().values("country_id").annotate(**status_counts())

    def facet_rows(self) -> MissionQuerySet:
        """Counts by (country, status, kind): enough to count every filter option."""
        return (
            self.order_by()
            .values("country_id", "status", "kind")
            .annotate(n=models.Count("pk"))
        )


_LATEST_FIELDS = {
    "workers": "workers",
    "doctors": "doctors",
    "as_of": "as_of",
    "as_of_precision": "as_of_precision",
    "source_url": "source__url",
    "publisher": "source__publisher",
}


class Mission(models.Model):
    """A Cuban medical mission in one host country."""

    class Kind(models.TextChoices):
        BILATERAL_PAID = "bilateral_paid", _("Long-term contract (paid by the host)")
        FREE_SOLIDARITY = "free_solidarity", _("Solidarity (free of charge)")
        EMERGENCY = "emergency", _("Emergency brigade (e.g. Henry Reeve)")
        TRIANGULAR = "triangular", _("Triangular (paid through a third party)")
        OTHER = "other", _("Other or terms not sourced")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PHASING_OUT = "phasing-out", _("Phasing out")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")
        UNKNOWN = "unknown", _("Unknown")

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="missions"
    )
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.UNKNOWN
    )
    status_as_of = models.DateField("status as of", null=True, blank=True)
    status_as_of_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    start = models.DateField(null=True, blank=True)
    start_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    end = models.DateField(null=True, blank=True)
    end_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    summary = models.TextField(
        blank=True, help_text="In our own words, not a quotation."
    )
    # Spanish text where an editor gives it; blank shows the English, marked lang="en".
    # db_default: rows written in SQL (bench/scale_data.py) need not name them.
    name_es = models.CharField(
        _("name in Spanish"), max_length=300, blank=True, default="", db_default=""
    )
    summary_es = models.TextField(
        _("summary in Spanish"),
        blank=True,
        help_text=_("Optional. Spanish pages show the English text while blank."),
        default="",
        db_default="",
    )
    sources = models.ManyToManyField(Source, related_name="missions", blank=True)
    last_checked = models.DateField(
        null=True,
        blank=True,
        help_text="When an editor last looked for a newer figure, found or not.",
    )

    objects = MissionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[sources])

    class Meta:
        ordering = ["country__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "name"], name="mission_unique_name"
            ),
            # Charts tell a country's missions apart by the name they show.
            models.UniqueConstraint(
                fields=["country", "name_es"],
                condition=~Q(name_es=""),
                name="mission_unique_name_es",
                violation_error_message=_(
                    "Another mission in this country has this Spanish name."
                ),
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True)
                | Q(end__isnull=True)
                | Q(end__gte=F("start")),
                name="mission_end_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "kind"]),
            # The home page's story (`changed_since`): each status with the date
            # that says when it changed, so that a few missions are read, not all.
            models.Index(fields=["status", "end"], name="mission_status_end"),
            models.Index(
                fields=["status", "status_as_of"], name="mission_status_as_of"
            ),
            models.Index(fields=["status", "start"], name="mission_status_start"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country_id})"

    @property
    def start_display(self) -> str:
        return format_partial_date(self.start, self.start_precision)

    @property
    def end_display(self) -> str:
        return format_partial_date(self.end, self.end_precision)

    @property
    def latest_report(self) -> StaffingReport | None:
        """The newest report, as `MissionQuerySet.with_newest_report` read it."""
        reports = self.newest_reports
        return reports[0] if reports else None

    @property
    def status_as_of_display(self) -> str:
        return format_partial_date(self.status_as_of, self.status_as_of_precision)


def overall_status(counts: dict[str, int]) -> str:
    """A country's status from its missions' counts by status: the most current one.

    Keys are status values with `_` for `-` (`phasing_out`), as aggregates name them.
    """
    for status in Mission.Status.values:
        if counts.get(_key(status)):
            return status
    return Mission.Status.UNKNOWN
