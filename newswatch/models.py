"""The news watch: feeds to read, keyword rules, and the leads they produce."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from countries.models import Country
from missions.models import Source

# However many errors in a row, a feed is tried again at least once a day.
MAX_BACKOFF = dt.timedelta(hours=24)
# An error text longer than this is cut: it is shown in a list column.
ERROR_LENGTH = 500


class Language(models.TextChoices):
    """The languages the watch reads."""

    SPANISH = "es", _("Spanish")
    ENGLISH = "en", _("English")
    PORTUGUESE = "pt", _("Portuguese")


class FeedQuerySet(models.QuerySet):
    """Reads of feeds."""

    def due(self, now: dt.datetime | None = None) -> FeedQuerySet:
        """Enabled feeds whose next attempt time has come (or was never set)."""
        now = now or timezone.now()
        return self.filter(enabled=True).filter(
            Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now)
        )


class Feed(models.Model):
    """An RSS or Atom feed the watch reads, with what it learned from the last fetch."""

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(
        _("feed URL"),
        max_length=600,
        unique=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.SPANISH
    )
    enabled = models.BooleanField(_("on"), default=True)
    interval_minutes = models.PositiveIntegerField(
        _("minutes between fetches"),
        default=60,
        help_text=_("Never less than the polite minimum set for the site."),
    )
    # What the server said last time, sent back for a conditional GET.
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, editable=False)
    last_error = models.CharField(_("last error"), max_length=600, blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, editable=False)
    consecutive_errors = models.PositiveIntegerField(
        _("errors in a row"), default=0, editable=False
    )
    next_fetch_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")

    def __str__(self) -> str:
        return self.name

    @property
    def interval(self) -> dt.timedelta:
        """The time between fetches, never below the site's polite minimum."""
        minimum = settings.NEWSWATCH_MIN_INTERVAL_MINUTES
        return dt.timedelta(minutes=max(self.interval_minutes, minimum))

    def backoff(self) -> dt.timedelta:
        """The wait after the current run of errors: doubles with each, up to a day."""
        factor = 2 ** min(self.consecutive_errors, 16)
        return min(self.interval * factor, max(MAX_BACKOFF, self.interval))


class KeywordRuleQuerySet(models.QuerySet):
    """Reads of keyword rules."""

    def enabled(self) -> KeywordRuleQuerySet:
        """The rules the fetch matches items against."""
        return self.filter(enabled=True)


class KeywordRule(models.Model):
    """A phrase that makes a feed item a lead when its title or summary contains it."""

    phrase = models.CharField(
        _("phrase"),
        max_length=200,
        help_text=_("Matched as whole words, ignoring case and accents."),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    enabled = models.BooleanField(_("on"), default=True)

    objects = KeywordRuleQuerySet.as_manager()

    class Meta:
        ordering = ["language", "phrase"]
        verbose_name = _("keyword rule")
        verbose_name_plural = _("keyword rules")
        constraints = [
            models.UniqueConstraint(
                fields=["phrase", "language"], name="keywordrule_unique_phrase"
            )
        ]

    def __str__(self) -> str:
        return f"{self.phrase} ({self.language})"


class LeadQuerySet(models.QuerySet):
    """Reads of leads."""

    def open(self) -> LeadQuerySet:
        """Leads no editor has dealt with yet."""
        return self.filter(state=Lead.State.NEW)

    def for_inbox(self) -> LeadQuerySet:
        """With the feed, the countries and the id of a source already on file."""
        on_file = Source.objects.filter(url=models.OuterRef("url")).values("pk")[:1]
        return (
            self.select_related("feed")
            .prefetch_related("countries")
            .annotate(source_id=models.Subquery(on_file))
        )

    def recent(self, days: int) -> LeadQuerySet:
        """Leads found in the last `days` days."""
        return self.filter(found_at__gte=timezone.now() - dt.timedelta(days=days))

    def per_country(self) -> list[dict]:
        """Each country with leads here: iso3, name, how many and the newest's time."""
        return list(
            self.filter(countries__isnull=False)
            .values("countries__iso3", "countries__name")
            .annotate(leads=Count("pk"), newest=Max("found_at"))
            .order_by("-leads", "countries__name")
        )


class Lead(models.Model):
    """A feed item that matched a rule: a candidate announcement for an editor."""

    class State(models.TextChoices):
        NEW = "new", _("open")
        DRAFTED = "drafted", _("drafted")
        IRRELEVANT = "irrelevant", _("irrelevant")

    feed = models.ForeignKey(
        Feed, on_delete=models.SET_NULL, null=True, related_name="leads"
    )
    url = models.URLField(_("URL"), max_length=600, unique=True)
    title = models.CharField(_("title"), max_length=500)
    # The title lower-cased, without accents or punctuation: catches the same story
    # re-posted under another URL.
    title_key = models.CharField(max_length=500, db_index=True, editable=False)
    summary = models.TextField(_("summary"), blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    countries = models.ManyToManyField(
        Country, blank=True, related_name="leads", verbose_name=_("countries")
    )
    matched = models.CharField(_("matched rules"), max_length=500, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.NEW
    )
    found_at = models.DateTimeField(_("found"), auto_now_add=True, db_index=True)

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = [models.F("published_at").desc(nulls_last=True), "-pk"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")

    def __str__(self) -> str:
        return self.title
