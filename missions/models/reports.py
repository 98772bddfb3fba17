"""Dated, sourced staffing figures: one mission's count of Cuban medical workers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    Count,
    F,
    Q,
    Window,
)
from django.db.models.functions import (
    ExtractMonth,
    ExtractYear,
    RowNumber,
    TruncMonth,
    TruncYear,
)
from simple_history.models import HistoricalRecords

from countries.dates import Precision, format_partial_date, starts_in_future
from countries.models import in_areas_q
from missions.models.sources import Source

__all__ = ["DOCTORS_WITHIN_WORKERS", "StaffingReport", "StaffingReportQuerySet"]

DOCTORS_WITHIN_WORKERS = "Doctors cannot outnumber all medical workers."


class StaffingReportQuerySet(models.QuerySet):
    """Reads of staffing figures."""

    def for_country(self, iso3: str) -> StaffingReportQuerySet:
        """A country's figures, oldest first, with mission and source loaded."""
        return (
            self.filter(mission__country_id=iso3)
            .select_related("mission", "source")
            .order_by("as_of", "mission__name", "pk")
        )

    def latest(self, count: int) -> list[StaffingReport]:
        """The `count` most recently dated figures, oldest of them first (one
        query; the rest stay in the database)."""
        newest = self.order_by("-as_of", "-mission__name", "-pk")[:count]
        return list(newest)[::-1]

    def latest_each(self, period: str) -> StaffingReportQuerySet:
        """Per mission and calendar `period` ("month" or "year"), only the period's
        latest figure (ties by newest entry): at most one point per mission and
        period, at any size."""
        trunc = {"month": TruncMonth, "year": TruncYear}[period]
        rank = Window(
            RowNumber(),
            partition_by=[F("mission_id"), trunc("as_of")],
            order_by=[F("as_of").desc(), F("pk").desc()],
        )
        # Rank narrow rows (ids and dates), then load the winners with what the
        # caller selected: ranking whole joined rows sorted 20,000 of them on disk.
        ranked = self.order_by().select_related(None).annotate(period_rank=rank)
        return self.filter(pk__in=ranked.filter(period_rank=1).values("pk"))

    def newest_per_country(self, count: int) -> StaffingReportQuerySet:
        """Per host country, the `count` most recently dated of these figures, as
        (iso3, id, as_of, position) rows, position 1 the newest (ties as `latest`
        breaks them): what `latest(count)` gives each country, for all in one
        query."""
        position = Window(
            RowNumber(),
            partition_by=[F("mission__country_id")],
            order_by=[F("as_of").desc(), F("mission__name").desc(), F("pk").desc()],
        )
        return (
            self.order_by()
            .select_related(None)
            .annotate(position=position)
            .filter(position__lte=count)
            .values_list("mission__country_id", "pk", "as_of", "position")
        )

    def _sizes(self) -> dict[str, Count]:
        # One integer per (mission, month): distinct integers count fast.
        month = ExtractYear("as_of") * 12 + ExtractMonth("as_of")
        return {
            "n": Count("pk"),
            "months": Count(F("mission_id") * 100_000 + month, distinct=True),
        }

    def count_and_mission_months(self) -> tuple[int, int]:
        """How many figures, and how many (mission, month) pairs they fall in: what
        a chart of each mission's latest figure per month would draw (one query)."""
        sizes = self.order_by().aggregate(**self._sizes())
        return sizes["n"], sizes["months"]

    def counts_by_country(self) -> list[tuple[str, int, int]]:
        """`count_and_mission_months` for every country at once (one query):
        (iso3, figures, mission-months) rows."""
        rows = self.order_by().values("mission__country_id").annotate(**self._sizes())
        return [(r["mission__country_id"], r["n"], r["months"]) for r in rows]

    def newest(self) -> StaffingReport | None:
        """The most recently dated figure, with its source (None without data)."""
        return (
            self.select_related("source", "mission").order_by("-as_of", "-pk").first()
        )

    def newest_in_countries(self, iso3s: list[str]) -> StaffingReportQuerySet:
        """Each of these countries' most recently dated figure (ties by newest
        entry), with mission and source: one query, whatever the number of rows."""
        rank = Window(
            RowNumber(),
            partition_by=[F("mission__country_id")],
            order_by=[F("as_of").desc(), F("pk").desc()],
        )
        return (
            self.filter(mission__country_id__in=iso3s)
            .annotate(country_rank=rank)
            .filter(country_rank=1)
            .select_related("mission", "source")
        )

    # What `countries.filtersets.AreaFilterSet` calls on the rows it filters.

    def in_areas(self, names: list[str]) -> StaffingReportQuerySet:
        """Figures for missions hosted in one of these M49 areas (any level)."""
        return self.filter(in_areas_q(names, prefix="mission__country__"))

    def in_countries(self, iso3s: list[str]) -> StaffingReportQuerySet:
        """Figures for missions in any of these host countries."""
        return self.filter(mission__country_id__in=iso3s)

    def in_years(
        self, first: int | None = None, last: int | None = None
    ) -> StaffingReportQuerySet:
        """Figures dated within a range of years (inclusive)."""
        qs = self
        if first is not None:
            qs = qs.filter(as_of__year__gte=first)
        if last is not None:
            qs = qs.filter(as_of__year__lte=last)
        return qs

    def matching(self, text: str) -> StaffingReportQuerySet:
        """Figures whose mission or host country's name contains every word (up to
        five)."""
        qs = self
        for word in text.split()[:5]:
            qs = qs.filter(
                Q(mission__name__icontains=word)
                | Q(mission__country__name__icontains=word)
            )
        return qs

    def facet_rows(self) -> StaffingReportQuerySet:
        """Counts by host country: enough to count the area filters' options."""
        return (
            self.order_by()
            .values(country_id=F("mission__country_id"))
            .annotate(n=models.Count("pk"))
        )


class StaffingReport(models.Model):
    """A dated, sourced count of the Cuban medical workers on one mission."""

    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.PROTECT, related_name="reports"
    )
    as_of = models.DateField("as of")
    as_of_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    workers = models.PositiveIntegerField(
        "medical workers",
        null=True,
        blank=True,
        help_text="Empty means unknown, not zero.",
    )
    doctors = models.PositiveIntegerField(null=True, blank=True)
    other_staff = models.PositiveIntegerField(null=True, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="reports")
    note = models.TextField(blank=True)
    needs_review = models.BooleanField(
        "flagged for review",
        default=False,
        help_text="Differs from the mission's previous figure by more than half.",
    )

    objects = StaffingReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["mission", "-as_of"]
        constraints = [
            models.CheckConstraint(
                condition=Q(workers__isnull=True) | Q(workers__gte=0),
                name="report_workers_not_negative",
                violation_error_message="The number of workers cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(doctors__isnull=True) | Q(doctors__gte=0),
                name="report_doctors_not_negative",
                violation_error_message="The number of doctors cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(other_staff__isnull=True) | Q(other_staff__gte=0),
                name="report_other_not_negative",
                violation_error_message="The number of other staff cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(workers__isnull=True)
                | Q(doctors__isnull=True)
                | Q(doctors__lte=F("workers")),
                name="report_doctors_within_workers",
                violation_error_message=DOCTORS_WITHIN_WORKERS,
            ),
            models.CheckConstraint(
                condition=Q(workers__isnull=False)
                | Q(doctors__isnull=False)
                | Q(other_staff__isnull=False),
                name="report_has_a_count",
                violation_error_message=(
                    "Give at least one count (workers, doctors or other)."
                ),
            ),
            models.UniqueConstraint(
                fields=["mission", "as_of", "source"],
                name="report_unique_per_source",
                violation_error_message=(
                    "This source already has a figure for this mission on this date."
                ),
            ),
        ]
        indexes = [
            # A mission's figures newest first: its latest figure, its change page.
            models.Index(
                fields=["mission", "-as_of", "-id"], name="report_mission_newest"
            ),
            # All figures newest first: the admin list, the newest figure, year bounds.
            models.Index(fields=["-as_of", "-id"], name="report_newest"),
            # The few figures flagged for review, newest first (the admin's filter).
            models.Index(
                fields=["-as_of", "-id"],
                name="report_flagged_newest",
                condition=Q(needs_review=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mission} as of {self.as_of_display}"

    @property
    def as_of_display(self) -> str:
        return format_partial_date(self.as_of, self.as_of_precision)

    @staticmethod
    def check_counts(*, workers: int | None, doctors: int | None) -> None:
        """Raise ValidationError (on doctors) when doctors outnumber all workers.

        The rule of the constraint report_doctors_within_workers, for forms and
        importers that check counts before any report exists; an unknown count
        (None) passes, as in the database.
        """
        if workers is not None and doctors is not None and doctors > workers:
            raise ValidationError(
                {"doctors": DOCTORS_WITHIN_WORKERS}, code="doctors_exceed_workers"
            )

    def clean(self) -> None:
        if starts_in_future(self.as_of):
            raise ValidationError(
                {"as_of": "A staffing figure cannot be dated in the future."}
            )
