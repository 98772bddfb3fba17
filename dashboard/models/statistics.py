"""Derived statistics, recomputed by `statistics_refresh` and only read by pages.

They live in the dashboard app because they summarise countries, missions and
events, and the dashboard may depend on all three apps.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connections, models, router
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from countries.dates import Precision, format_partial_date
from countries.models import Country

# Seconds a refresh may take (its task's hard time limit): one that started longer
# ago and has not finished has died.
REFRESH_TIME_LIMIT = 600


class StatisticsState(models.Model):
    """The single row saying which data version the stored statistics were built from.

    `data_version` goes up with every edit; `stats_version` is the data version the
    current statistics were computed from, written in the refresh's own transaction.
    """

    data_version = models.PositiveBigIntegerField(default=0)
    data_changed_at = models.DateTimeField(null=True, blank=True)
    stats_version = models.PositiveBigIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    refresh_count = models.PositiveBigIntegerField(default=0)
    refresh_queued_at = models.DateTimeField(null=True, blank=True)
    refresh_started_at = models.DateTimeField(null=True, blank=True)
    enqueue_failed_at = models.DateTimeField(null=True, blank=True)
    # Dates of observation, written by the refresh: what the data says, not when
    # the statistics were computed.
    latest_figure_on = models.DateField(null=True, blank=True)
    latest_figure_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    latest_event_on = models.DateField(null=True, blank=True)
    latest_event_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    # The data version of the newest data package: /data/ changes when one is built.
    package_version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "statistics state"

    def __str__(self) -> str:
        return f"statistics v{self.stats_version} of data v{self.data_version}"

    @classmethod
    def current(cls) -> StatisticsState:
        """The state row (created on first use).

        Every public request reads it, page cache hits included, so it is one plain
        SELECT of the row, its values converted as the ORM converts them: building
        the ORM's query took twice as long as running it (500 against 150 µs a read
        on PostgreSQL here), and a cache hit does little else."""
        fields = cls._meta.concrete_fields
        db = router.db_for_read(cls)
        connection = connections[db]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        sql = (
            f"SELECT {columns} FROM {quote(cls._meta.db_table)} WHERE {quote('id')} = 1"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            row = cursor.fetchone()
        if row is None:
            return cls.objects.get_or_create(pk=1)[0]
        values = []
        for f, value in zip(fields, row, strict=True):
            col = f.cached_col
            converters = connection.ops.get_db_converters(col)
            for convert in converters + f.get_db_converters(connection):
                value = convert(value, col, connection)
            values.append(value)
        return cls.from_db(db, [f.attname for f in fields], values)

    @classmethod
    def is_current_for(cls, request: HttpRequest) -> bool:
        """True when no edit has happened since the statistics were computed, as
        the state read for this request says (the page middleware reads it once;
        read here otherwise): only then do pages read the rows the refresh stored
        for them instead of counting and ranking for themselves."""
        state = getattr(request, "stats_state", None)
        if state is None:
            state = request.stats_state = cls.current()
        return not state.is_stale

    @property
    def is_stale(self) -> bool:
        """True when an edit has happened since the statistics were computed."""
        return self.stats_version < self.data_version or self.computed_at is None

    @property
    def refresh_running(self) -> bool:
        """True while a refresh that started after the last one finished may still
        be running (a killed one counts until its time limit has passed)."""
        started = self.refresh_started_at
        if started is None or (self.computed_at and started < self.computed_at):
            return False
        return timezone.now() - started < dt.timedelta(seconds=REFRESH_TIME_LIMIT)

    @property
    def behind_note(self) -> str:
        """Why the newest edits are not in the statistics yet ("" if they are)."""
        if not self.is_stale:
            return ""
        if self.refresh_queued_at or self.refresh_running:
            return _("totals being refreshed: the newest edits are not counted yet")
        failed, started = self.enqueue_failed_at, self.refresh_started_at
        if failed and (started is None or failed > started):
            return _(
                "the newest edits are not counted yet: their refresh could not be "
                "queued and is tried again every minute"
            )
        return _(
            "the newest edits are not counted yet: the totals are checked every "
            "minute and refreshed when behind"
        )

    @property
    def latest_figure_display(self) -> str:
        return format_partial_date(self.latest_figure_on, self.latest_figure_precision)

    @property
    def latest_event_display(self) -> str:
        return format_partial_date(self.latest_event_on, self.latest_event_precision)

    @property
    def cache_key(self) -> str:
        """A key for page caches: changes with every edit, every refresh (so a
        refresh also heals a version bump lost to a crash right after a commit) and
        every data package built."""
        return (
            f"{self.refresh_count}-{self.stats_version}-{self.data_version}"
            f"-{self.package_version}"
        )


class MissionStatistic(models.Model):
    """A mission's best-known headcount (see `dashboard.services.headcounts`)."""

    class Basis(models.TextChoices):
        """What a headcount counts."""

        STAFF = "staff", _("all staff")
        DOCTORS = "doctors", _("doctors only")

    mission = models.OneToOneField(
        "missions.Mission", on_delete=models.CASCADE, related_name="stats"
    )
    headcount = models.PositiveIntegerField()
    basis = models.CharField(max_length=8, choices=Basis.choices)
    as_of = models.DateField()
    as_of_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    source = models.ForeignKey(
        "missions.Source", on_delete=models.CASCADE, related_name="+"
    )
    computed_at = models.DateTimeField(default=timezone.now)
    data_version = models.PositiveBigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["headcount"])]

    def __str__(self) -> str:
        return f"{self.headcount} ({self.get_basis_display()}) for {self.mission_id}"

    @property
    def as_of_display(self) -> str:
        return format_partial_date(self.as_of, self.as_of_precision)


class CountryStatisticQuerySet(models.QuerySet):
    def with_source(self) -> CountryStatisticQuerySet:
        """With the country, the sources of the figures it cites and the mission
        whose last figure an ended country shows."""
        return self.select_related(
            "country", "headcount_source", "last_mission__stats__source"
        )


class CountryStatistic(models.Model):
    """Per host country: missions by status, latest known staffing, events."""

    country = models.OneToOneField(
        Country, on_delete=models.CASCADE, related_name="stats"
    )
    status = models.CharField(max_length=20)
    missions_current = models.PositiveIntegerField(
        default=0, help_text="Active and phasing-out missions"
    )
    # Sums of the current missions' newest reports, for /about/: each leaves out
    # the missions whose newest report does not count that basis.
    workers = models.PositiveIntegerField(null=True, help_text="None means unknown")
    doctors = models.PositiveIntegerField(null=True, help_text="None means unknown")
    # The sum of the current missions' best-known headcounts (see MissionStatistic).
    headcount = models.PositiveIntegerField(null=True, help_text="None means unknown")
    headcount_missions = models.PositiveIntegerField(default=0)
    headcount_doctors_only = models.PositiveIntegerField(
        default=0, help_text="Missions whose headcount counts doctors only"
    )
    headcount_from = models.DateField(null=True)
    headcount_from_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    headcount_to = models.DateField(null=True)
    headcount_to_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    headcount_source = models.ForeignKey(
        "missions.Source", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_mission = models.ForeignKey(
        "missions.Mission",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Without a current mission: the one that ended last",
    )
    first_year = models.PositiveSmallIntegerField(null=True)
    last_year = models.PositiveSmallIntegerField(null=True)
    # What the country page counts, so it need not count 20,000 figures a request.
    report_count = models.PositiveIntegerField(default=0)
    report_mission_months = models.PositiveIntegerField(
        default=0, help_text="(mission, month) pairs the figures fall in"
    )
    event_count = models.PositiveIntegerField(
        default=0, help_text="Published events affecting the country"
    )
    # What the country page shows (`dashboard.country_page`), so that it need not
    # rank 20,000 figures a request. None: not stored yet (the page ranks them).
    latest_report_ids = models.JSONField(
        null=True, help_text="The newest figures, which the page lists"
    )
    latest_event_ids = models.JSONField(
        default=list, help_text="The newest published events, which the page lists"
    )
    chart_period = models.CharField(
        max_length=5,
        blank=True,
        help_text="'': the chart draws every figure; 'month' or 'year': each "
        "mission's latest figure of each",
    )
    chart_report_ids = models.JSONField(
        default=list, help_text="The figures the chart draws, with a period"
    )
    chart_since = models.PositiveSmallIntegerField(
        null=True, help_text="The first year the chart draws, when older are left out"
    )
    computed_at = models.DateTimeField(default=timezone.now)
    data_version = models.PositiveBigIntegerField(default=0)

    objects = CountryStatisticQuerySet.as_manager()

    class Meta:
        ordering = ["country__name"]

    def __str__(self) -> str:
        return f"statistics for {self.country_id}"

    @property
    def headcount_from_display(self) -> str:
        return format_partial_date(self.headcount_from, self.headcount_from_precision)

    @property
    def headcount_to_display(self) -> str:
        return format_partial_date(self.headcount_to, self.headcount_to_precision)


class AreaStatisticQuerySet(models.QuerySet):
    def for_area(self, *, region: str = "", area: str = "") -> AreaStatistic | None:
        """The totals for an area slug (sub-region or intermediate), a region slug,
        or the world when both are empty; None when there are none."""
        if area:
            levels = [AreaStatistic.Level.SUBREGION, AreaStatistic.Level.INTERMEDIATE]
            return self.filter(level__in=levels, slug=area).order_by("level").first()
        if region:
            return self.filter(level=AreaStatistic.Level.REGION, slug=region).first()
        return self.filter(level=AreaStatistic.Level.WORLD).first()


class AreaStatistic(models.Model):
    """Totals for the world, an M49 region, sub-region or intermediate region."""

    class Level(models.TextChoices):
        WORLD = "world", _("World")
        REGION = "region", _("Region")
        SUBREGION = "subregion", _("Sub-region")
        INTERMEDIATE = "intermediate", _("Intermediate region")

    level = models.CharField(max_length=12, choices=Level.choices)
    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60)
    workers = models.PositiveIntegerField(null=True)
    doctors = models.PositiveIntegerField(null=True)
    headcount = models.PositiveIntegerField(null=True)
    headcount_countries = models.PositiveIntegerField(default=0)
    headcount_missions = models.PositiveIntegerField(default=0)
    headcount_doctors_only = models.PositiveIntegerField(default=0)
    headcount_from = models.DateField(null=True)
    headcount_to = models.DateField(null=True)
    missions_current = models.PositiveIntegerField(default=0)
    countries_total = models.PositiveIntegerField(default=0)
    countries_active = models.PositiveIntegerField(default=0)
    countries_phasing_out = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)
    data_version = models.PositiveBigIntegerField(default=0)

    objects = AreaStatisticQuerySet.as_manager()

    class Meta:
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "slug"], name="area_unique_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.name}"


class SeriesPointQuerySet(models.QuerySet):
    def events_in(self, year: int) -> int:
        """How many published events are dated in a year."""
        total = self.filter(basis=SeriesPoint.Basis.EVENTS, year=year).aggregate(
            n=models.Sum("value")
        )["n"]
        return total or 0

    def event_counts_by_year_and_kind(self) -> list[dict[str, Any]]:
        """Published events per year and kind as the last refresh counted them,
        oldest year first (rows: year, kind, count), for the timeline."""
        rows = self.filter(basis=SeriesPoint.Basis.EVENTS).order_by("year", "metric")
        return [
            {"year": year, "kind": kind, "count": count}
            for year, kind, count in rows.values_list("year", "metric", "value")
        ]

    def for_about(self) -> SeriesPointQuerySet:
        """Our yearly sums and sources' claimed totals, with the claims' sources."""
        return self.filter(
            basis__in=[SeriesPoint.Basis.REPORTS, SeriesPoint.Basis.CLAIMED]
        ).select_related("source")


class SeriesPoint(models.Model):
    """One value of a yearly time series.

    Series built from our staffing reports and totals claimed by sources are different
    series (`basis`), never summed together.
    """

    class Basis(models.TextChoices):
        REPORTS = "reports", _("Sum of our staffing figures")
        CLAIMED = "claimed", _("Total claimed by a source")
        EVENTS = "events", _("Count of published events")

    basis = models.CharField(max_length=8, choices=Basis.choices)
    metric = models.CharField(
        max_length=30, help_text="workers, doctors, or an event kind"
    )
    year = models.PositiveSmallIntegerField()
    value = models.BigIntegerField()
    source = models.ForeignKey(
        "missions.Source", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField(default=timezone.now)
    data_version = models.PositiveBigIntegerField(default=0)

    objects = SeriesPointQuerySet.as_manager()

    class Meta:
        ordering = ["basis", "metric", "year"]
        indexes = [models.Index(fields=["basis", "metric", "year"])]

    def __str__(self) -> str:
        return f"{self.basis}:{self.metric} {self.year} = {self.value}"
