"""The news watch in the admin: feeds and rules to manage, and the leads inbox."""

from __future__ import annotations

import logging

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from missions.models import Source
from newswatch.models import Feed, KeywordRule, Lead
from newswatch.services import leads_mark_irrelevant

logger = logging.getLogger(__name__)


def draft_url(lead: Lead) -> str:
    """The announcement form, to be prefilled from this lead."""
    # The form belongs to timeline, which depends on this app: reached by URL name.
    return reverse("admin:timeline_policyevent_announce") + f"?lead={lead.pk}"


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    """The feeds the watch reads, with the outcome of each one's last fetch."""

    list_display = (
        "name",
        "language",
        "enabled",
        "health",
        "last_success_at",
        "next_fetch_at",
        "lead_count",
    )
    list_filter = ("enabled", "language")
    search_fields = ("name", "url")
    actions = ("fetch_now",)
    readonly_fields = (
        "last_fetched_at",
        "last_success_at",
        "last_error",
        "last_error_at",
        "consecutive_errors",
    )
    fieldsets = (
        (None, {"fields": ("name", "url", "language", "enabled", "interval_minutes")}),
        (_("Last fetch"), {"fields": readonly_fields + ("next_fetch_at",)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(lead_total=Count("leads"))

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"  # a URL typed without one
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("leads"), ordering="lead_total")
    def lead_count(self, feed: Feed) -> SafeString:
        url = reverse("admin:newswatch_lead_changelist") + f"?feed__id__exact={feed.pk}"
        return format_html('<a href="{}">{}</a>', url, feed.lead_total)

    @admin.display(description=_("last error"), ordering="-consecutive_errors")
    def health(self, feed: Feed) -> SafeString | str:
        if not feed.consecutive_errors:
            return gettext("OK")
        return format_html(
            '<strong class="feed-error">{}</strong> ({}, {})',
            feed.last_error,
            ngettext(
                "%(n)d error in a row",
                "%(n)d errors in a row",
                n := feed.consecutive_errors,
            )
            % {"n": n},
            feed.last_error_at.strftime("%d %b %Y %H:%M") if feed.last_error_at else "",
        )

    @admin.action(description=_("Fetch the selected feeds now"))
    def fetch_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        from newswatch.tasks import fetch_feeds_task

        count = queryset.filter(enabled=True).update(next_fetch_at=None)
        transaction.on_commit(lambda: _enqueue(fetch_feeds_task))
        messages.success(
            request,
            ngettext(
                "%(n)d feed is due now and will be fetched in a moment.",
                "%(n)d feeds are due now and will be fetched in a moment.",
                count,
            )
            % {"n": count},
        )


def _enqueue(task) -> None:
    try:
        task.delay()
    except Exception:  # noqa: BLE001 - the feeds are due: the next beat fetches them
        logger.exception("News watch: could not queue a fetch")


@admin.register(KeywordRule)
class KeywordRuleAdmin(admin.ModelAdmin):
    """Phrases that make a feed item a lead."""

    list_display = ("phrase", "language", "enabled")
    list_editable = ("enabled",)
    list_filter = ("language", "enabled")
    search_fields = ("phrase",)


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    """The inbox: feed items that matched a rule, newest first."""

    list_display = (
        "published_column",
        "headline",
        "publisher",
        "language",
        "country_list",
        "state",
        "on_file",
        "draft_button",
    )
    list_filter = (
        "state",
        "language",
        ("countries", admin.RelatedOnlyFieldListFilter),
        "feed",
    )
    search_fields = ("title", "summary", "url")
    actions = ("mark_irrelevant",)
    list_per_page = 50
    fields = (
        "title",
        "link",
        "publisher",
        "published_at",
        "feed",
        "language",
        "countries",
        "matched",
        "summary",
        "state",
        "found_at",
        "source_on_file",
        "draft_button",
    )
    readonly_fields = tuple(f for f in fields if f != "state")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # leads come from the feeds

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return Lead.objects.for_inbox()

    @admin.display(description=_("published"), ordering="published_at")
    def published_column(self, lead: Lead) -> str:
        when = lead.published_at or lead.found_at
        return when.strftime("%d %b %Y %H:%M") if when else ""

    @admin.display(description=_("title"), ordering="title")
    def headline(self, lead: Lead) -> SafeString:
        url = reverse("admin:newswatch_lead_change", args=[lead.pk])
        return format_html('<a href="{}">{}</a>', url, lead.title)

    @admin.display(description=_("link"))
    def link(self, lead: Lead) -> SafeString:
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
            lead.url,
            lead.url,
        )

    @admin.display(description=_("countries"))
    def country_list(self, lead: Lead) -> str:
        return ", ".join(c.iso3 for c in lead.countries.all())

    @admin.display(description=_("source on file"))
    def on_file(self, lead: Lead) -> SafeString | str:
        if not lead.source_id:
            return ""
        url = reverse("admin:missions_source_change", args=[lead.source_id])
        return format_html('<a href="{}">{}</a>', url, gettext("already a source"))

    @admin.display(description=_("source on file"))
    def source_on_file(self, lead: Lead) -> SafeString | str:
        source = Source.objects.filter(url=lead.url).first()
        if source is None:
            return gettext("No: this URL is not cited yet.")
        url = reverse("admin:missions_source_change", args=[source.pk])
        users = format_html_join(", ", '<a href="{}">{}</a>', _citing(source))
        return format_html(
            '{} <a href="{}">{}</a>. {} {}',
            gettext("Yes:"),
            url,
            source,
            gettext("Used by:"),
            users or gettext("nothing yet"),
        )

    @admin.display(description=_("announcement"))
    def draft_button(self, lead: Lead) -> SafeString:
        return format_html(
            '<a class="button draft-announcement" href="{}">{}</a>',
            draft_url(lead),
            gettext("Draft an announcement"),
        )

    @admin.action(description=_("Mark as irrelevant"))
    def mark_irrelevant(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = leads_mark_irrelevant(leads=list(queryset.values_list("pk", flat=True)))
        messages.success(
            request,
            ngettext(
                "%(n)d lead marked irrelevant; it will not come back.",
                "%(n)d leads marked irrelevant; they will not come back.",
                count,
            )
            % {"n": count},
        )


def _citing(source: Source) -> list[tuple[str, str]]:
    """(admin URL, label) of each record that cites `source`, through any relation.

    Read through Source's reverse relations, so this app needs no import of the apps
    that cite sources (timeline comes after it).
    """
    links = []
    for relation in source._meta.related_objects:
        if relation.related_model._meta.model_name.startswith("historical"):
            continue  # past versions, not users
        accessor = relation.get_accessor_name()
        if not accessor or relation.one_to_one:
            continue
        for obj in getattr(source, accessor).all()[:10]:
            meta = obj._meta
            try:
                url = reverse(
                    f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]
                )
            except NoReverseMatch:
                continue
            links.append((url, f"{meta.verbose_name}: {obj}"))
    return links
