"""Policy events: announcements, sanctions, withdrawals and what they affect."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import ExtractYear, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from countries.dates import (
    Precision,
    format_partial_date,
    iso_partial_date,
    starts_in_future,
)
from countries.localized import local_text
from countries.models import Country, in_areas_q
from missions.models import Mission, Source

__all__ = ["PolicyEvent", "PolicyEventQuerySet"]


class PolicyEventQuerySet(models.QuerySet):
    """Reads of policy events."""

    def published(self) -> PolicyEventQuerySet:
        """Events the public may see (drafts excluded)."""
        return self.filter(is_published=True)

    def for_list(self) -> PolicyEventQuerySet:
        """Events with what a list shows, loaded in a fixed number of queries."""
        return self.prefetch_related("affected_countries", "actor_countries", "sources")

    def for_cards(self) -> PolicyEventQuerySet:
        """Events with their affected countries, for short lists."""
        return self.prefetch_related("affected_countries")

    def newest_first(self) -> PolicyEventQuerySet:
        """Newest event first; ties by newest entry."""
        return self.order_by("-date", "-pk")

    def newest_published_first(self) -> PolicyEventQuerySet:
        """Most recently published first, so a back-dated event still comes first;
        events published together (one import) by event date."""
        return self.order_by("-published_at", "-date", "-pk")

    def for_page(self) -> PolicyEventQuerySet:
        """Events with everything their own page shows, in a fixed number of queries."""
        return self.prefetch_related(
            "affected_countries",
            "actor_countries",
            "sources",
            Prefetch(
                "affected_missions",
                queryset=Mission.objects.select_related("country").order_by(
                    "country__name", "name"
                ),
            ),
        )

    def in_countries(self, iso3s: list[str]) -> PolicyEventQuerySet:
        """Events that affect any of these countries (each event once)."""
        ids = self.model.affected_countries.through.objects.filter(
            country_id__in=iso3s
        ).values("policyevent_id")
        return self.filter(pk__in=ids)

    def near(
        self, dates: dict[str, dt.date], within: dt.timedelta
    ) -> PolicyEventQuerySet:
        """Events affecting each of these countries no further than `within` from
        its date ({iso3: date}): what may explain each country's change, however
        many events the countries have at other times."""
        through = self.model.affected_countries.through.objects
        near = Q(pk__in=[])
        for iso3, date in dates.items():
            ids = through.filter(country_id=iso3).values("policyevent_id")
            near |= Q(pk__in=ids, date__range=(date - within, date + within))
        return self.filter(near)

    def in_areas(self, names: list[str]) -> PolicyEventQuerySet:
        """Events affecting a country in one of these M49 areas (any level)."""
        ids = self.model.affected_countries.through.objects.filter(
            in_areas_q(names, prefix="country__")
        ).values("policyevent_id")
        return self.filter(pk__in=ids)

    def in_years(
        self, first: int | None = None, last: int | None = None
    ) -> PolicyEventQuerySet:
        """Events dated within a range of years (inclusive)."""
        qs = self
        if first is not None:
            qs = qs.filter(date__year__gte=first)
        if last is not None:
            qs = qs.filter(date__year__lte=last)
        return qs

    def matching(self, text: str) -> PolicyEventQuerySet:
        """Events whose title or summary (in English or Spanish) contains every word
        (up to five)."""
        qs = self
        for word in text.split()[:5]:
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(title_es__icontains=word)
                | Q(summary_es__icontains=word)
            )
        return qs

    def counts_by_year_and_kind(self) -> list[dict[str, Any]]:
        """How many of these events fall in each year and kind, oldest year first:
        one GROUP BY, whatever the number of events (rows: year, kind, count)."""
        rows = (
            self.prefetch_related(None)
            .order_by()
            .values("kind", year=ExtractYear("date"))
            .annotate(count=Count("pk"))
            .order_by("year", "kind")
        )
        return list(rows)

    def counts_by_country(self) -> list[tuple[str, int]]:
        """(iso3, events affecting it) for every affected country (one query)."""
        rows = (
            self.order_by()
            .values("affected_countries")
            .annotate(n=Count("pk", distinct=True))
            .filter(affected_countries__isnull=False)
        )
        return [(r["affected_countries"], r["n"]) for r in rows]

    def facet_rows(self) -> PolicyEventQuerySet:
        """(event, kind, affected country) rows, to count every filter option."""
        return self.order_by().values("pk", "kind", country_id=F("affected_countries"))

    def of_country(self, iso3: str) -> PolicyEventQuerySet:
        """A country's published events, oldest first, with their sources."""
        return (
            self.published()
            .in_countries([iso3])
            .prefetch_related("sources", "affected_countries", "actor_countries")
            .order_by("date", "pk")
        )

    def latest(self, count: int) -> list[PolicyEvent]:
        """The `count` most recent of these events, oldest of them first."""
        return list(self.order_by("-date", "-pk")[:count])[::-1]

    def newest_per_country(self, count: int) -> models.QuerySet:
        """Per affected country, the ids of the `count` most recent of these events
        (by date, ties by newest entry, as `latest` takes them), as (iso3, id)
        rows: what `of_country(iso3).latest(count)` gives each country, for all in
        one query."""
        through = self.model.affected_countries.through
        position = Window(
            RowNumber(),
            partition_by=[F("country_id")],
            order_by=[F("policyevent__date").desc(), F("policyevent_id").desc()],
        )
        return (
            through.objects.filter(policyevent__in=self.order_by().values("pk"))
            .annotate(position=position)
            .filter(position__lte=count)
            .values_list("country_id", "policyevent_id")
        )

    def newest_in_countries(self, iso3s: list[str]) -> dict[str, PolicyEvent]:
        """Each of these countries' newest event among these (by date, ties by
        newest entry) with its sources, by ISO3: three queries at any size."""
        through = self.model.affected_countries.through
        rank = Window(
            RowNumber(),
            partition_by=[F("country_id")],
            order_by=[F("policyevent__date").desc(), F("policyevent_id").desc()],
        )
        links = dict(
            through.objects.filter(country_id__in=iso3s, policyevent__in=self)
            .annotate(country_rank=rank)
            .filter(country_rank=1)
            .values_list("country_id", "policyevent_id")
        )
        events = self.model.objects.prefetch_related("sources").in_bulk(
            set(links.values())
        )
        return {iso3: events[pk] for iso3, pk in links.items()}


class PolicyEvent(models.Model):
    """A dated policy event, in our own words, with at least one source."""

    class Kind(models.TextChoices):
        MISSION_START = "mission_start", _("Mission start")
        WITHDRAWAL = "withdrawal", _("Withdrawal")
        EXPULSION = "expulsion", _("Expulsion")
        TERMINATION = "termination", _("Termination")
        SANCTION = "sanction", _("Sanction")
        VISA_RESTRICTION = "visa_restriction", _("Visa restriction")
        AGREEMENT = "agreement", _("Agreement")
        STATEMENT = "statement", _("Statement")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    date = models.DateField()
    date_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    title = models.CharField(max_length=300)
    summary = models.TextField(help_text="In our own words, not a quotation.")
    # Spanish text where an editor gives it; blank shows the English, marked lang="en".
    # db_default: rows written in SQL (bench/scale_data.py) need not name them.
    title_es = models.CharField(
        _("title in Spanish"), max_length=300, blank=True, default="", db_default=""
    )
    summary_es = models.TextField(
        _("summary in Spanish"),
        blank=True,
        help_text=_("Optional. Spanish pages show the English text while blank."),
        default="",
        db_default="",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor_countries = models.ManyToManyField(
        Country,
        related_name="acted_events",
        blank=True,
        verbose_name="acting countries",
    )
    actor_organisation = models.CharField(
        "acting organisation",
        max_length=200,
        blank=True,
        help_text="When the acting party is not a country, e.g. 'CARICOM'.",
    )
    affected_countries = models.ManyToManyField(
        Country, related_name="events", blank=True
    )
    affected_missions = models.ManyToManyField(
        Mission, related_name="events", blank=True
    )
    figures = models.CharField(
        max_length=300, blank=True, help_text="Numbers the source states, as text."
    )
    sources = models.ManyToManyField(Source, related_name="events")
    is_published = models.BooleanField(
        "published", default=False, help_text="Drafts are not shown to the public."
    )
    published_at = models.DateTimeField(
        "published at",
        null=True,
        blank=True,
        editable=False,
        help_text="When the event was last made public; empty while it is a draft.",
    )
    updated_at = models.DateTimeField("last changed", auto_now=True)

    objects = PolicyEventQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[actor_countries, affected_countries, affected_missions, sources]
    )

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "title"], name="event_unique_title"
            ),
        ]
        indexes = [
            # Published events newest first: the timeline and its pages.
            models.Index(
                fields=["is_published", "-date", "-id"], name="event_published_newest"
            ),
            # All events newest first: the admin list and its year bounds.
            models.Index(fields=["-date", "-id"], name="event_newest"),
            # The feed: most recently published first.
            models.Index(
                fields=["-published_at", "-date", "-id"],
                name="event_recently_published",
                condition=Q(is_published=True),
            ),
        ]
        permissions = [("publish_policyevent", "Can publish policy events")]

    def __str__(self) -> str:
        return f"{self.date_display}: {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep `published_at` in step with `is_published`, whichever path publishes
        (service, import, admin upload or revert): set when made public, cleared when
        taken down, so a republished event reaches the feed again."""
        if not self.is_published:
            self.published_at = None
        elif self.published_at is None:
            self.published_at = timezone.now()
        if kwargs.get("update_fields"):
            # auto_now only applies to the fields being saved.
            fields = {*kwargs["update_fields"], "published_at", "updated_at"}
            kwargs["update_fields"] = fields
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("timeline:event_detail", args=[self.pk])

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.date_precision)

    @property
    def date_iso(self) -> str:
        """The date at its precision for a `<time datetime>`: '2026-02', '1998'."""
        return iso_partial_date(self.date, self.date_precision)

    @property
    def actor_display(self) -> str:
        """The acting party as one phrase: countries' names (in the page's
        language), then any organisation."""
        names = [local_text(c, "name") for c in self.actor_countries.all()]
        if self.actor_organisation:
            names.append(self.actor_organisation)
        return ", ".join(names)

    def clean(self) -> None:
        if starts_in_future(self.date):
            raise ValidationError({"date": "An event cannot be dated in the future."})
