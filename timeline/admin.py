"""Policy events in the admin: editors draft and source them, publishers publish."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import Field
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV

from countries.admin import ReasonedHistoryAdmin, YearFilter
from timeline import admin_views
from timeline.models import PolicyEvent
from timeline.resources import PolicyEventResource
from timeline.services import announcement_publish, can_publish, event_unpublish

SOURCE_REQUIRED = "Cite at least one source: an event without a source cannot be saved."
REASON = "Published from the admin list"
UNPUBLISH_REASON = "Unpublished from the admin list"
# Set on the request by save_model when a revert would move publication.
PENDING_PUBLICATION = "_pending_publication"
# Beyond this many names the column stops listing and gives the remainder as a number.
MAX_COUNTRIES_SHOWN = 5


class EventYearFilter(YearFilter):
    """Events by the year they happened."""

    field_name = "date"


@admin.register(PolicyEvent)
class PolicyEventAdmin(ImportMixin, ReasonedHistoryAdmin):
    """Dated policy events; drafts stay hidden until an editor publishes them."""

    # Bulk upload (upload, preview, confirm), checked as the dataset import is.
    resource_classes = [PolicyEventResource]
    import_formats = [CSV]

    list_display = (
        "date_column",
        "title",
        "kind",
        "affected",
        "is_published",
        "preview_link",
    )
    list_display_links = ("title",)
    list_filter = ("kind", "is_published", EventYearFilter)
    search_fields = ("title", "summary", "title_es", "summary_es")
    search_help_text = "Search by title or summary."
    autocomplete_fields = (
        "actor_countries",
        "affected_countries",
        "affected_missions",
        "sources",
    )
    actions = ("publish_selected", "unpublish_selected")
    show_full_result_count = False
    list_per_page = 50
    history_list_display = ("is_published",)
    fieldsets = (
        (None, {"fields": ("title", "kind", "summary", "figures")}),
        (_("In Spanish"), {"fields": ("title_es", "summary_es")}),
        ("Date", {"fields": (("date", "date_precision"),)}),
        (
            "Who",
            {
                "fields": (
                    "actor_countries",
                    "actor_organisation",
                    "affected_countries",
                    "affected_missions",
                )
            },
        ),
        ("Sources", {"fields": ("sources",)}),
        ("Publication", {"fields": ("is_published",)}),
    )

    change_list_template = "admin/timeline/policyevent/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        """The announcement flow, preview, publish, and the freshness page."""
        view = self.admin_site.admin_view
        own = [
            ("announce/", admin_views.announcement_add, "announce"),
            ("<int:event_id>/preview/", admin_views.announcement_preview, "preview"),
            (
                "<int:event_id>/publish/",
                admin_views.preview_publish,
                "publish",
            ),
            ("freshness/", admin_views.freshness, "freshness"),
        ]
        return [
            path(route, view(self._bind(func)), name=f"timeline_policyevent_{name}")
            for route, func, name in own
        ] + super().get_urls()

    def _bind(self, func):
        def bound(request: HttpRequest, **kwargs) -> HttpResponse:
            return func(self, request, **kwargs)

        return bound

    def view_on_site(self, obj: PolicyEvent) -> str:
        """A published event's public page; a draft's preview (its page would 404)."""
        if obj.is_published:
            return obj.get_absolute_url()
        return reverse("admin:timeline_policyevent_preview", args=[obj.pk])

    def get_queryset(self, request: HttpRequest) -> QuerySet[PolicyEvent]:
        """Events with their affected countries: one extra query for the whole page."""
        return super().get_queryset(request).prefetch_related("affected_countries")

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField, request: HttpRequest, **kwargs
    ) -> Field | None:
        """Say in plain words why an event without a source is refused."""
        if db_field.name == "sources":
            kwargs["required"] = True
            kwargs["error_messages"] = {"required": SOURCE_REQUIRED}
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="date", ordering="date")
    def date_column(self, obj: PolicyEvent) -> str:
        return obj.date_display

    @admin.display(description="affected countries")
    def affected(self, obj: PolicyEvent) -> str:
        names = [country.name for country in obj.affected_countries.all()]
        shown = ", ".join(names[:MAX_COUNTRIES_SHOWN])
        hidden = len(names) - MAX_COUNTRIES_SHOWN
        return f"{shown} and {hidden} more" if hidden > 0 else shown

    def get_readonly_fields(
        self, request: HttpRequest, obj: PolicyEvent | None = None
    ) -> tuple[str, ...]:
        """Publishing is an action, so that a draft's effect is applied with it."""
        return ("is_published",)

    def has_publish_permission(self, request: HttpRequest) -> bool:
        """Only publishers may make an event public or take it down."""
        return can_publish(request.user)

    @admin.action(description="Publish selected events", permissions=["publish"])
    def publish_selected(
        self, request: HttpRequest, queryset: QuerySet[PolicyEvent]
    ) -> None:
        published, flagged = 0, 0
        for event in queryset.prefetch_related(None).filter(is_published=False):
            try:
                flagged += len(
                    announcement_publish(event=event, user=request.user, reason=REASON)
                )
            except ValidationError as error:
                # Each event publishes in its own transaction; the others go ahead.
                text = " ".join(error.messages)
                self.message_user(request, f"{event}: {text}", messages.ERROR)
            else:
                published += 1
        self.message_user(request, f"{published} event(s) published.", messages.SUCCESS)
        if flagged:
            note = f"{flagged} new figure(s) differ sharply and are flagged for review."
            self.message_user(request, note, messages.WARNING)

    @admin.action(description="Unpublish selected events", permissions=["publish"])
    def unpublish_selected(
        self, request: HttpRequest, queryset: QuerySet[PolicyEvent]
    ) -> None:
        events = list(queryset.prefetch_related(None).filter(is_published=True))
        for event in events:
            event_unpublish(event=event, user=request.user, reason=UNPUBLISH_REASON)
        self.message_user(
            request, f"{len(events)} event(s) unpublished.", messages.SUCCESS
        )

    @admin.display(description="preview")
    def preview_link(self, obj: PolicyEvent) -> SafeString | str:
        """A draft's way to its preview, where a publisher publishes it."""
        if obj.is_published:
            return ""
        url = reverse("admin:timeline_policyevent_preview", args=[obj.pk])
        return format_html('<a href="{}">Preview and publish</a>', url)

    # History → Revert restores a whole version, publication included. Publication
    # moves only through the services, and only for publishers.

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ) -> HttpResponse:
        """Revert, saying first what it does to publication; all or nothing."""
        if request.method == "GET":
            self._warn_publication(request, object_id, version_id)
        try:
            return super().history_form_view(
                request, object_id, version_id, extra_context
            )
        except ValidationError as error:
            # The revert's transaction was rolled back with the failed publication.
            text = " ".join(error.messages)
            messages.error(request, f"Nothing was restored: {text}")
            return HttpResponseRedirect(request.path)

    def save_model(
        self, request: HttpRequest, obj: PolicyEvent, form, change: bool
    ) -> None:
        """Save with the stored publication; a revert's is applied after, if allowed."""
        stored = (
            PolicyEvent.objects.filter(pk=obj.pk)
            .values_list("is_published", flat=True)
            .first()
        )
        # Only a revert gets here with another value: the form shows it read-only.
        if change and stored is not None and obj.is_published != stored:
            if can_publish(request.user):
                setattr(request, PENDING_PUBLICATION, obj.is_published)
            obj.is_published = stored
        super().save_model(request, obj, form, change)

    def response_change(self, request: HttpRequest, obj: PolicyEvent) -> HttpResponse:
        """After a publisher's revert is saved, publish or unpublish it as asked."""
        wanted = request.__dict__.pop(PENDING_PUBLICATION, None)
        if wanted is not None:
            reason = obj._change_reason
            if wanted:
                announcement_publish(event=obj, user=request.user, reason=reason)
            else:
                event_unpublish(event=obj, user=request.user, reason=reason)
            verb = "published" if wanted else "taken down"
            self.message_user(request, f"The event was {verb}.", messages.SUCCESS)
        return super().response_change(request, obj)

    def _warn_publication(
        self, request: HttpRequest, object_id: str, version_id: str
    ) -> None:
        if not (object_id.isdigit() and version_id.isdigit()):
            return  # not a version: the history view answers 404
        version = (
            PolicyEvent.history.filter(id=object_id, history_id=version_id)
            .values_list("is_published", flat=True)
            .first()
        )
        stored = (
            PolicyEvent.objects.filter(pk=object_id)
            .values_list("is_published", flat=True)
            .first()
        )
        if version is None or stored is None or version == stored:
            return
        if can_publish(request.user):
            verb = (
                "publish the event and apply its effect" if version else "take it down"
            )
            messages.warning(request, f"Reverting to this version will {verb}.")
        else:
            state = "published" if stored else "a draft"
            messages.info(
                request,
                f"Reverting restores this version's content; the event stays {state}: "
                "only publishers can publish an event or take it down.",
            )
