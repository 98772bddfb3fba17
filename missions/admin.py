"""Missions, staffing figures, sources and totals: where editors do daily work."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV

from countries.admin import (
    ChangeReasonForm,
    LoadedAutocompleteSelect,
    ReasonedHistoryAdmin,
    RegionFilter,
    YearFilter,
)
from countries.dates import format_partial_date
from missions.models import (
    SOURCE_URL_MESSAGE,
    Mission,
    ReportedTotal,
    Source,
    StaffingReport,
)
from missions.resources import StaffingReportResource


def show_count(value: int | None) -> SafeString:
    """A count as lists show it: with thousands separators, or 'unknown' if empty."""
    if value is None:
        # An empty count means the source gave none; "-" or 0 would read as a figure.
        return format_html('<span class="quiet">{}</span>', "unknown")
    return format_html("{}", f"{value:,}")


class AsOfYearFilter(YearFilter):
    """Staffing figures by the year they describe."""

    title = "as-of year"
    parameter_name = "as_of_year"
    field_name = "as_of"


class ReportRegionFilter(RegionFilter):
    """Staffing figures by their mission's host region."""

    field_path = "mission__country__region"


class SourceForm(ChangeReasonForm):
    """Points to the source already on file when its URL is entered again."""

    class Meta:
        # The form's own URL check speaks as the model's rule does.
        error_messages = {"url": {"invalid": SOURCE_URL_MESSAGE}}

    def clean_url(self) -> str:
        # Whether it is an http(s) URL is Source.url's own rule, checked by the model.
        url = self.cleaned_data["url"]
        existing = Source.objects.filter(url=url).exclude(pk=self.instance.pk).first()
        if existing:
            link = reverse("admin:missions_source_change", args=[existing.pk])
            raise ValidationError(
                format_html(
                    'This URL is already on file: <a href="{}">{}</a>. Reuse it.',
                    link,
                    existing,
                )
            )
        return url


@admin.register(Source)
class SourceAdmin(ReasonedHistoryAdmin):
    """Publications cited by figures and events; searched by autocomplete widgets."""

    form = SourceForm

    list_display = ("publisher", "title", "published_column", "language", "link")
    list_filter = ("language", "published_precision")
    search_fields = ("publisher", "title", "url")
    search_help_text = "Search by publisher, title or URL."
    ordering = ("publisher", "url")
    show_full_result_count = False
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("url", "publisher", "title", "language")}),
        ("Publication date", {"fields": (("published", "published_precision"),)}),
    )

    @admin.display(description="published", ordering="published")
    def published_column(self, obj: Source) -> str:
        return obj.published_display

    @admin.display(description="URL")
    def link(self, obj: Source) -> SafeString:
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
            obj.url,
            obj.url if len(obj.url) <= 60 else obj.url[:57] + "…",
        )


# A mission's page edits its newest figures; older ones are in the filtered list.
INLINE_REPORTS = 20


def mission_reports_url(mission_id: int) -> str:
    """The staffing-report list filtered to one mission, newest first."""
    url = reverse("admin:missions_staffingreport_changelist")
    return f"{url}?mission__id__exact={mission_id}"


class LatestReportsFormSet(BaseInlineFormSet):
    """The mission's newest INLINE_REPORTS figures, not all of them: a busy mission
    has thousands. `total` counts them all, for the link to the rest."""

    def get_queryset(self) -> QuerySet[StaffingReport]:
        if not hasattr(self, "_latest"):
            self._latest = super().get_queryset()[:INLINE_REPORTS]
        return self._latest

    def add_fields(self, form: forms.ModelForm, index: int | None) -> None:
        """Each row's source widget is labelled from the source already loaded."""
        super().add_fields(form, index)
        widget = getattr(form.fields["source"].widget, "widget", None)
        report = form.instance
        if isinstance(widget, LoadedAutocompleteSelect) and report.source_id:
            widget.loaded = {str(report.source_id): report.source}

    @cached_property
    def total(self) -> int:
        if self.instance.pk is None:
            return 0
        return StaffingReport.objects.filter(mission=self.instance).count()

    @cached_property
    def all_reports_url(self) -> str:
        return mission_reports_url(self.instance.pk)


class StaffingReportInline(admin.TabularInline):
    """A mission's newest staffing figures, edited on the mission's page."""

    model = StaffingReport
    formset = LatestReportsFormSet
    template = "admin/missions/mission/latest_reports_inline.html"
    fields = (
        "as_of",
        "as_of_precision",
        "workers",
        "doctors",
        "other_staff",
        "source",
        "note",
    )
    autocomplete_fields = ("source",)
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})}
    }
    extra = 0
    show_change_link = True
    ordering = ("-as_of", "-pk")

    def get_queryset(self, request: HttpRequest) -> QuerySet[StaffingReport]:
        # The row's label names the mission and its country code: no query per row.
        return super().get_queryset(request).select_related("mission", "source")

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs
    ) -> forms.Field | None:
        if db_field.name == "source":
            kwargs["widget"] = LoadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Mission)
class MissionAdmin(ReasonedHistoryAdmin):
    """Missions with their figures inline; the list shows each one's latest figure."""

    list_display = (
        "country",
        "name",
        "kind",
        "status",
        "start_column",
        "end_column",
        "report_count",
        "latest_figure",
    )
    list_display_links = ("name",)
    list_filter = ("status", "kind", "country__region", "country__subregion")
    list_select_related = ("country",)
    search_fields = ("name", "name_es", "country__name", "country__iso3")
    search_help_text = "Search by mission name, country name or ISO code."
    autocomplete_fields = ("country", "sources")
    inlines = (StaffingReportInline,)
    list_per_page = 100
    history_list_display = ("status", "kind")
    actions = ("mark_checked",)
    fieldsets = (
        (None, {"fields": ("country", "name", "kind", "summary")}),
        (_("In Spanish"), {"fields": ("name_es", "summary_es")}),
        (
            "Status",
            {
                "fields": (
                    ("status", "status_as_of", "status_as_of_precision"),
                    "last_checked",
                )
            },
        ),
        (
            "Dates",
            {"fields": (("start", "start_precision"), ("end", "end_precision"))},
        ),
        ("Sources", {"fields": ("sources",)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Mission]:
        """Missions with report count and latest figure, so rows need no queries."""
        # A correlated count rather than Count("reports"): a join would aggregate every
        # report before the page is cut, and make the paginator's count do it again.
        counts = (
            StaffingReport.objects.filter(mission=OuterRef("pk"))
            .order_by()
            .values("mission")
            .annotate(n=Count("pk"))
            .values("n")
        )
        missions = super().get_queryset(request).with_latest_figure()
        return missions.annotate(report_total=Coalesce(Subquery(counts), 0))

    @admin.action(description="Mark as checked today", permissions=["change"])
    def mark_checked(self, request: HttpRequest, queryset: QuerySet[Mission]) -> None:
        """Record that an editor looked for a newer figure, found or not."""
        today = dt.date.today()
        # save(), not update(): the history and the statistics trigger need signals.
        with transaction.atomic():
            missions = list(queryset.select_related(None).prefetch_related(None))
            for mission in missions:
                mission.last_checked = today
                mission._change_reason = "Checked for a newer figure"
                mission.save(update_fields=["last_checked"])
        self.message_user(request, f"{len(missions)} mission(s) marked as checked.")

    @admin.display(description="start", ordering="start")
    def start_column(self, obj: Mission) -> str:
        return obj.start_display

    @admin.display(description="end", ordering="end")
    def end_column(self, obj: Mission) -> str:
        return obj.end_display

    @admin.display(description="reports", ordering="report_total")
    def report_count(self, obj: Mission) -> SafeString:
        """The number of figures, linked to the mission's figures in their list."""
        url = mission_reports_url(obj.pk)
        return format_html('<a href="{}">{}</a>', url, f"{obj.report_total:,}")

    @admin.display(description="latest workers", ordering="latest_workers")
    def latest_figure(self, obj: Mission) -> SafeString | None:
        if obj.latest_as_of is None:
            return None  # no figure at all: the admin's empty marker
        when = format_partial_date(obj.latest_as_of, obj.latest_as_of_precision)
        return format_html("{} ({})", show_count(obj.latest_workers), when)


@admin.register(StaffingReport)
class StaffingReportAdmin(ImportMixin, ReasonedHistoryAdmin):
    """Dated, sourced staffing figures: the biggest table, so every column is joined."""

    # Bulk upload (upload, preview, confirm), checked as the dataset import is.
    resource_classes = [StaffingReportResource]
    import_formats = [CSV]

    list_display = (
        "mission",
        "country",
        "as_of_column",
        "workers_column",
        "doctors_column",
        "other_staff_column",
        "publisher",
        "needs_review",
    )
    list_filter = (
        "needs_review",
        "mission__status",
        "mission__kind",
        ReportRegionFilter,
        AsOfYearFilter,
    )
    list_select_related = ("mission__country", "source")
    search_fields = (
        "mission__name",
        "mission__country__name",
        "source__publisher",
        "source__url",
    )
    search_help_text = "Search by mission, country, or source publisher or URL."
    autocomplete_fields = ("mission", "source")
    ordering = ("-as_of", "-pk")
    show_full_result_count = False
    list_per_page = 50
    history_list_display = ("workers", "doctors", "other_staff")
    fieldsets = (
        (None, {"fields": ("mission", "source")}),
        ("Date", {"fields": (("as_of", "as_of_precision"),)}),
        (
            "Counts",
            {
                "fields": (("workers", "doctors", "other_staff"),),
                "description": "Leave a count empty when the source does not give it.",
            },
        ),
        (None, {"fields": ("note", "needs_review")}),
    )

    @admin.display(description="country", ordering="mission__country__name")
    def country(self, obj: StaffingReport) -> str:
        return obj.mission.country.name

    @admin.display(description="as of", ordering="as_of")
    def as_of_column(self, obj: StaffingReport) -> str:
        return obj.as_of_display

    @admin.display(description="workers", ordering="workers")
    def workers_column(self, obj: StaffingReport) -> SafeString:
        return show_count(obj.workers)

    @admin.display(description="doctors", ordering="doctors")
    def doctors_column(self, obj: StaffingReport) -> SafeString:
        return show_count(obj.doctors)

    @admin.display(description="other staff", ordering="other_staff")
    def other_staff_column(self, obj: StaffingReport) -> SafeString:
        return show_count(obj.other_staff)

    @admin.display(description="source", ordering="source__publisher")
    def publisher(self, obj: StaffingReport) -> str:
        return obj.source.publisher


@admin.register(ReportedTotal)
class ReportedTotalAdmin(ReasonedHistoryAdmin):
    """Worldwide totals as each source claims them."""

    list_display = ("year", "metric", "value_column", "publisher")
    list_filter = ("metric", "year")
    list_select_related = ("source",)
    search_fields = ("source__publisher", "source__url", "note")
    search_help_text = "Search by source publisher, URL or note."
    autocomplete_fields = ("source",)
    ordering = ("-year", "metric")
    history_list_display = ("value",)

    @admin.display(description="value", ordering="value")
    def value_column(self, obj: ReportedTotal) -> SafeString:
        return show_count(obj.value)

    @admin.display(description="source", ordering="source__publisher")
    def publisher(self, obj: ReportedTotal) -> str:
        return obj.source.publisher
