"""Admin pages for editors: add an announcement, preview and publish it, freshness.

Mounted by `PolicyEventAdmin.get_urls`, so they share the admin's login, permissions
and look.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from countries.dates import format_partial_date
from missions.models import Mission
from newswatch.models import Lead
from newswatch.services import lead_mark_drafted
from timeline.forms import AnnouncementForm
from timeline.models import EventEffect, PolicyEvent
from timeline.services import (
    announcement_publish,
    announcement_save,
    can_publish,
    status_kept,
)


def _context(admin: ModelAdmin, request: HttpRequest, title: str, **extra) -> dict:
    return {
        **admin.admin_site.each_context(request),
        "opts": admin.model._meta,
        "title": title,
        "can_publish": can_publish(request.user),
        **extra,
    }


def announcement_add(admin: ModelAdmin, request: HttpRequest) -> HttpResponse:
    """One form for the event, its source, its effect and any new figure."""
    if not admin.has_add_permission(request):
        raise PermissionDenied
    lead = _lead_or_none(request.GET.get("lead") or request.POST.get("lead"))
    initial = lead_initial(lead) if lead else None
    form = AnnouncementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("_action") == "publish"
        event_data, source_data, effect_data = form.inputs()
        try:
            event = announcement_save(
                event_data=event_data,
                source_data=source_data,
                effect_data=effect_data,
                user=request.user,
                reason=form.cleaned_data["reason"],
                publish=publish,
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except (ValidationError, DatabaseError) as exc:
            # Nothing was saved: the service runs in one transaction.
            form.add_error(None, _plain(exc))
        else:
            _report_saved(request, event, published=publish)
            if lead:
                lead_mark_drafted(lead_id=lead.pk)
            if form.existing_source:
                messages.info(
                    request,
                    f"The source {form.existing_source.url} was already on file; "
                    "it was reused, not duplicated.",
                )
            return HttpResponseRedirect(_preview_url(event))
    ctx = _context(admin, request, "Add announcement", form=form, lead=lead)
    return TemplateResponse(request, "admin/timeline/announcement_form.html", ctx)


def _lead_or_none(value: str | None) -> Lead | None:
    # A stale or mistyped lead id just means an empty form, never an error page.
    if not value or not value.isdigit():
        return None
    return Lead.objects.prefetch_related("countries").filter(pk=int(value)).first()


def lead_initial(lead: Lead) -> dict:
    """The announcement form's initial values from a news lead: its source, title,
    publication date and the countries it names (Cuba as the actor)."""
    countries = list(lead.countries.all())
    hosts = [c for c in countries if c.iso3 != "CUB"]
    published = lead.published_at.date().isoformat() if lead.published_at else ""
    return {
        "title": lead.title[:300],
        "source_url": lead.url,
        "source_publisher": lead.publisher,
        "source_title": lead.title[:300],
        "source_published": published,
        "affected_country": hosts[0].pk if hosts else None,
        "actor_countries": [c.pk for c in countries if c.iso3 == "CUB"],
        "reason": gettext("From a news lead (%(publisher)s)")
        % {"publisher": lead.publisher[:150]},
    }


def _plain(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return "The database refused this announcement; nothing was saved."


def _preview_url(event: PolicyEvent) -> str:
    return reverse("admin:timeline_policyevent_preview", args=[event.pk])


def _report_saved(request: HttpRequest, event: PolicyEvent, *, published: bool) -> None:
    verb = "published" if published else "saved as a draft (not public)"
    messages.success(request, f"The announcement “{event.title}” was {verb}.")
    effect = EventEffect.objects.filter(event=event).select_related("report").first()
    if effect and effect.report and effect.report.needs_review:
        messages.warning(
            request,
            "The new figure differs from the mission's previous one by more than half; "
            "it is flagged for review.",
        )


def announcement_preview(
    admin: ModelAdmin, request: HttpRequest, event_id: int
) -> HttpResponse:
    """The event as the public will see it, with the effect publishing applies."""
    if not admin.has_view_permission(request):
        raise PermissionDenied
    event = get_object_or_404(PolicyEvent.objects.for_list(), pk=event_id)
    effect = (
        EventEffect.objects.filter(event=event).select_related("figure_mission").first()
    )
    ctx = _context(
        admin,
        request,
        f"Preview: {event.title}",
        event=event,
        effect=effect,
        effect_lines=_effect_lines(event, effect) if effect else [],
    )
    return TemplateResponse(request, "admin/timeline/announcement_preview.html", ctx)


def _effect_lines(event: PolicyEvent, effect: EventEffect) -> list[SafeString]:
    """What publishing does (or did) to each mission, and the figure it adds."""
    lines = []
    if effect.new_status or effect.end is not None:
        end = format_partial_date(effect.end, effect.end_precision)
        for mission in event.affected_missions.with_country():
            parts = [_status_part(event, effect, mission)] if effect.new_status else []
            if end:
                parts.append(format_html("end {}", end))
            lines.append(
                format_html(
                    "{} ({}): {}",
                    mission.name,
                    mission.country.name,
                    format_html_join(", ", "{}", ((part,) for part in parts)),
                )
            )
    if effect.has_figure:
        lines.append(_figure_line(event, effect))
    return lines


def _status_part(
    event: PolicyEvent, effect: EventEffect, mission: Mission
) -> SafeString:
    status = mission.get_status_display()
    if effect.applied_at:
        return format_html("status now {}", status)
    if status_kept(mission, event):
        kept = "status {} (since {}) kept: this event is older"
        return format_html(kept, status, mission.status_as_of_display)
    new = effect.get_new_status_display()
    return format_html("status {} → <strong>{}</strong>", status, new)


def _figure_line(event: PolicyEvent, effect: EventEffect) -> SafeString:
    return format_html(
        "Staffing figure for {} as of {}: {} workers, {} doctors, {} other staff",
        effect.figure_mission.name if effect.figure_mission else "no mission",
        effect.figure_as_of_display or event.date_display,
        *(
            "unknown" if n is None else n
            for n in (effect.workers, effect.doctors, effect.other_staff)
        ),
    )


def preview_publish(
    admin: ModelAdmin, request: HttpRequest, event_id: int
) -> HttpResponse:
    """Publish a draft (POST only) and apply its effect."""
    if request.method != "POST" or not can_publish(request.user):
        raise PermissionDenied
    event = get_object_or_404(PolicyEvent, pk=event_id)
    reason = request.POST.get("reason", "").strip()[:200] or "Published"
    try:
        announcement_publish(event=event, user=request.user, reason=reason)
    except (ValidationError, DatabaseError) as exc:
        messages.error(request, f"Not published: {_plain(exc)}")
    else:
        _report_saved(request, event, published=True)
    return HttpResponseRedirect(_preview_url(event))


def freshness(admin: ModelAdmin, request: HttpRequest) -> HttpResponse:
    """Active missions whose latest figure or check is older than N days."""
    if not admin.has_view_permission(request):
        raise PermissionDenied
    try:
        days = int(request.GET.get("days", settings.FRESHNESS_DAYS))
    except ValueError:
        days = settings.FRESHNESS_DAYS
    days = min(max(days, 1), 36500)
    cutoff = dt.date.today() - dt.timedelta(days=days)
    missions = Mission.objects.needing_update(cutoff)
    ctx = _context(
        admin,
        request,
        "Missions to look up next",
        missions=missions,
        days=days,
        lead_countries=_with_stale_counts(Lead.objects.open().per_country(), missions),
    )
    return TemplateResponse(request, "admin/timeline/freshness.html", ctx)


def _with_stale_counts(rows: list[dict], missions) -> list[dict]:
    """Each country's open leads, with how many of its missions are on this page."""
    stale: dict[str, int] = {}
    for mission in missions:
        stale[mission.country_id] = stale.get(mission.country_id, 0) + 1
    return [{**row, "stale": stale.get(row["countries__iso3"], 0)} for row in rows]
