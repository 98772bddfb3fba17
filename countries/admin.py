"""Countries in the admin (view only for editors), and list filters other apps share."""

from __future__ import annotations

from dataclasses import replace

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connections, models, router, transaction
from django.db.models import Max, Min, Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import cached_property
from simple_history.admin import SimpleHistoryAdmin

from countries.history import (
    Inline,
    changes_since,
    has_history,
    lock_record,
    m2m_changes,
    record_version,
)
from countries.models import Country

STALE_FORM = "Nothing was saved: this record changed since you opened it. The changes:"
STALE_FORM_NEXT = (
    "Your entries are still in the form. Compare them with the changes above, "
    "then save again to keep yours."
)


class ChangeReasonForm(forms.ModelForm):
    """A model form that asks why a record is changed, for its history."""

    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=100,
        required=False,
        help_text="Kept in the history and shown on the public changes page.",
    )
    # The record's version when the form was opened (see countries/history.py).
    record_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # Rows edited on the same page, set by ReasonedHistoryAdmin.get_form.
    version_inlines: tuple[Inline, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance._state.adding:
            version = record_version(self.instance, self.version_inlines)
            self.initial["record_version"] = version

    def clean_change_reason(self) -> str:
        reason = self.cleaned_data["change_reason"].strip()
        if self.instance.pk and not reason:
            raise ValidationError("Say briefly why you change this record.")
        return reason or "Added in the admin"

    def clean(self) -> dict:
        """Refuse a save whose record changed since the form was opened."""
        cleaned = super().clean()
        if not self.instance._state.adding:
            self._check_version(cleaned.get("record_version") or "")
        return cleaned

    def _check_version(self, opened: str) -> None:
        # Runs inside the admin's save transaction: the lock holds until it commits.
        lock_record(self.instance, self.version_inlines)
        current = record_version(self.instance, self.version_inlines)
        if opened == current:
            return
        lines = changes_since(self.instance, opened, self.version_inlines) or [
            "The form came without its version: reopen the record."
        ]
        # The form now carries the version just shown, so saving again is a choice
        # made knowing what changed.
        self.data = self.data.copy()
        self.data[self.add_prefix("record_version")] = current
        raise ValidationError([STALE_FORM, *lines, STALE_FORM_NEXT])


def estimated_rows(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of an unfiltered queryset's rows (pg_class.reltuples),
    kept by ANALYZE and autovacuum; None when filtered, elsewhere, or never analyzed."""
    query = queryset.query
    if query.where or query.distinct or query.is_sliced or query.combinator:
        return None
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [connection.ops.quote_name(queryset.model._meta.db_table)],
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None


class EstimatedCountPaginator(Paginator):
    """A changelist paginator that does not count every row of a large table.

    Unfiltered, on PostgreSQL, it takes the planner's row estimate when that is large;
    filtered lists, small tables and SQLite get the exact COUNT(*). The pagination
    line then says "about" (templates/admin/pagination.html).
    """

    # Below this the exact count is cheap, and a small table's estimate may be stale.
    exact_below = 10_000
    estimated = False

    @cached_property
    def count(self) -> int:
        estimate = estimated_rows(self.object_list)
        if estimate is not None and estimate >= self.exact_below:
            self.estimated = True
            return estimate
        return super().count


class LoadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose chosen option is labelled from an object already loaded
    (`loaded`, set per form), not from a query per rendered row."""

    loaded: dict[str, Model] = {}

    def optgroups(self, name: str, value: list, attr=None) -> list:
        chosen = {str(v) for v in value if v not in self.choices.field.empty_values}
        if not chosen or not chosen <= self.loaded.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance
        for key in sorted(chosen):
            obj = self.loaded[key]
            options.append(
                self.create_option(name, key, label(obj), True, len(options))
            )
        return [(None, options, 0)]


class ReasonedHistoryAdmin(SimpleHistoryAdmin):
    """History admin whose every save records the editor's reason (restores too)."""

    form = ChangeReasonForm
    paginator = EstimatedCountPaginator
    # No second COUNT(*) of the whole table beside the filtered one, and no "Show
    # counts" link: its counts group every row of the table for each filter.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    # A source URL typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        why = ("Why", {"fields": ("change_reason", "record_version")})
        return [*fieldsets, why]

    def get_form(self, request: HttpRequest, obj: Model | None = None, **kwargs):
        """The model form, told which inline rows its version covers."""
        form = super().get_form(request, obj, **kwargs)
        form.version_inlines = self.version_inlines()
        return form

    def version_inlines(self) -> tuple[Inline, ...]:
        """The history-tracked inlines: a change to them makes the form stale too."""
        found = []
        for inline in self.inlines:
            if has_history(inline.model):
                fk_name = inline.fk_name or next(
                    field.name
                    for field in inline.model._meta.get_fields()
                    if field.many_to_one and field.related_model is self.model
                )
                found.append(Inline(inline.model, fk_name))
        return tuple(found)

    def set_history_delta_changes(
        self, request: HttpRequest, historical_records, foreign_keys_are_objs=True
    ) -> None:
        """What each version changed, as django-simple-history shows it, with the
        many-to-many fields read for the whole page at once (it reads two queries'
        worth per row)."""
        records = list(historical_records)
        m2m_fields = [
            field.name for field in self.model.history.model._history_m2m_fields
        ]
        m2m = m2m_changes(records, foreign_keys_are_objs=foreign_keys_are_objs)
        for newer, older in zip(records, records[1:], strict=False):
            delta = newer.diff_against(
                older,
                excluded_fields=m2m_fields,
                foreign_keys_are_objs=foreign_keys_are_objs,
            )
            changes = sorted(
                [*delta.changes, *m2m.get(newer.history_id, [])],
                key=lambda change: change.field,
            )
            delta = replace(
                delta, changes=changes, changed_fields=[c.field for c in changes]
            )
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(delta)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ) -> HttpResponse:
        """A revert saves as the change form does: with the change permission, in one
        transaction, and refused if the record changed since the form was opened."""
        try:
            self.model._meta.pk.to_python(object_id), int(version_id)
        except (ValidationError, ValueError):
            # django-simple-history would answer a malformed id with a 500.
            raise Http404("No such version.") from None
        # django-simple-history lets anyone who may view the history POST a revert.
        if request.method == "POST" and not self.has_change_history_permission(request):
            raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(
                request, object_id, version_id, extra_context
            )

    def save_model(self, request: HttpRequest, obj: Model, form, change: bool) -> None:
        obj._change_reason = form.cleaned_data.get("change_reason", "")
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        """Inline rows get the parent form's reason in their history too."""
        reason = form.cleaned_data.get("change_reason", "")
        for obj in formset.save(commit=False):
            obj._change_reason = reason
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class YearFilter(admin.SimpleListFilter):
    """Filter a date field by year, the one precision every partial date has."""

    # Not date_hierarchy: its month drill-down files a year-only date under January.
    title = "year"
    parameter_name = "year"
    field_name = "date"  # subclasses name their date field

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, str]]:
        """Every year from the newest row's to the oldest's, newest first.

        Two index probes (the first and last date), not a DISTINCT over every row on
        every list view; a year inside the span may hold no rows.
        """
        span = model_admin.model._default_manager.aggregate(
            first=Min(self.field_name), last=Max(self.field_name)
        )
        if span["first"] is None:
            return []
        years = range(span["last"].year, span["first"].year - 1, -1)
        return [(str(year), str(year)) for year in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        """Rows dated in the chosen year; a malformed year is ignored."""
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{f"{self.field_name}__year": int(value)})
        return queryset


class RegionFilter(admin.SimpleListFilter):
    """Filter by the host country's M49 region, listed from the country table."""

    # Django's own filter would read distinct values from the filtered table: on the
    # staffing reports that is a join over every row on every page view.
    title = "region"
    parameter_name = "region"
    field_path = "country__region"  # subclasses give the path to the region field

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, str]]:
        """The regions of countries that have hosted a mission."""
        return [(name, name) for name in Country.objects.hosts().region_names()]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        """Rows in the chosen region."""
        if self.value():
            return queryset.filter(**{self.field_path: self.value()})
        return queryset


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    """Reference data loaded from ISO 3166 and UN M49; editors may only view it."""

    list_display = ("iso3", "name", "region", "subregion", "intermediate_region")
    list_display_links = ("iso3", "name")
    list_filter = ("region", "subregion")
    search_fields = ("iso3", "name", "name_es")
    search_help_text = "Search by name (English or Spanish) or ISO code."
    ordering = ("name",)
    list_per_page = 100
    fieldsets = (
        (None, {"fields": ("iso3", "m49_code", "name", "name_es")}),
        ("UN M49 regions", {"fields": ("region", "subregion", "intermediate_region")}),
        ("Map point", {"fields": (("latitude", "longitude"),)}),
    )

    def get_readonly_fields(
        self, request: HttpRequest, obj: Country | None = None
    ) -> tuple[str, ...]:
        """The ISO code is the primary key: fixed once the country exists."""
        return ("iso3",) if obj else ()
