"""The editors' announcement form: an event, its source and its effect in one go."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from countries.dates import parse_partial_date, starts_in_future
from countries.models import Country
from missions.models import Mission, Source, StaffingReport
from timeline.models import EventEffect, PolicyEvent
from timeline.services import EffectInput, EventInput, SourceInput, missions_outside

DATE_HELP = "YYYY, YYYY-MM or YYYY-MM-DD: as precise as the source is."


class PartialDateField(forms.CharField):
    """A date known to the year, month or day; cleans to (date, precision)."""

    def __init__(self, *, future_ok: bool = False, **kwargs) -> None:
        kwargs.setdefault("help_text", DATE_HELP)
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)
        self.future_ok = future_ok

    def clean(self, value: str) -> tuple[dt.date, str] | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            date, precision = parse_partial_date(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        if not self.future_ok and starts_in_future(date):
            raise ValidationError("This date is in the future.")
        return date, precision


class CountField(forms.IntegerField):
    """A head count: empty means unknown, never zero."""

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, min_value=0, max_value=10_000_000, **kwargs)


def _picker(
    model: type[PolicyEvent | EventEffect], name: str, *, multiple: bool = False
) -> forms.Select:
    """The admin's type-ahead select for a country or mission, as the change form has.

    `model.name` is the relation the admin's autocomplete view searches through.
    """
    widget = AutocompleteSelectMultiple if multiple else AutocompleteSelect
    return widget(model._meta.get_field(name), admin.site)


class AnnouncementForm(forms.Form):
    """Everything an editor records about one announcement."""

    date = PartialDateField(label="Date of the event")
    kind = forms.ChoiceField(choices=[("", "---------"), *PolicyEvent.Kind.choices])
    title = forms.CharField(max_length=300)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), help_text="In our own words."
    )
    title_es = forms.CharField(
        label=_("Title in Spanish"), max_length=300, required=False
    )
    summary_es = forms.CharField(
        label=_("Summary in Spanish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Spanish pages show the English text while blank."),
    )
    affected_country = forms.ModelChoiceField(
        Country.objects.all(),
        required=False,
        widget=_picker(PolicyEvent, "affected_countries"),
    )
    actor_countries = forms.ModelMultipleChoiceField(
        Country.objects.all(),
        required=False,
        label="Acting countries",
        widget=_picker(PolicyEvent, "actor_countries", multiple=True),
    )
    actor_organisation = forms.CharField(max_length=200, required=False)
    figures = forms.CharField(
        max_length=300, required=False, help_text="Numbers the source states, as text."
    )

    source_url = forms.CharField(
        label="Source URL", max_length=Source._meta.get_field("url").max_length
    )
    source_publisher = forms.CharField(
        label="Publisher",
        max_length=300,
        required=False,
        help_text="Required for a source not yet on file.",
    )
    source_title = forms.CharField(label="Headline", max_length=300, required=False)
    source_published = PartialDateField(label="Published", required=False)

    affected_missions = forms.ModelMultipleChoiceField(
        Mission.objects.with_country(),
        required=False,
        help_text="Missions whose status or end date this announcement changes.",
        widget=_picker(PolicyEvent, "affected_missions", multiple=True),
    )
    new_status = forms.ChoiceField(
        choices=[("", "No change"), *Mission.Status.choices], required=False
    )
    end = PartialDateField(label="Mission end", required=False, future_ok=True)
    figure_mission = forms.ModelChoiceField(
        Mission.objects.with_country(),
        required=False,
        label="Mission of the figure",
        widget=_picker(EventEffect, "figure_mission"),
    )
    figure_as_of = PartialDateField(
        label="Figure as of", required=False, help_text="Empty: the event's date."
    )
    workers = CountField(label="Medical workers")
    doctors = CountField()
    other_staff = CountField()

    reason = forms.CharField(
        max_length=200, help_text="A short reason, kept in the history of every change."
    )
    confirm_reactivation = forms.BooleanField(
        required=False, label="Yes, make an ended mission active again"
    )
    confirm_duplicate = forms.BooleanField(
        required=False, label="Yes, this is a different event from the one on file"
    )

    SECTIONS = (
        (
            "The event",
            "date kind title summary affected_country actor_countries"
            " actor_organisation figures",
        ),
        (_("In Spanish (optional)"), "title_es summary_es"),
        ("Source", "source_url source_publisher source_title source_published"),
        (
            "Effect on the missions",
            "affected_missions new_status end confirm_reactivation",
        ),
        (
            "Staffing figure stated",
            "figure_mission figure_as_of workers doctors other_staff",
        ),
        ("Why", "reason confirm_duplicate"),
    )

    WIDE = (
        "title",
        "title_es",
        "source_url",
        "source_publisher",
        "source_title",
        "figures",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.WIDE:  # the admin's own class for long text inputs
            self.fields[name].widget.attrs["class"] = "vTextField"
        for name in ("summary", "summary_es"):
            self.fields[name].widget.attrs["class"] = "vLargeTextField"

    def sections(self) -> list[tuple[str, list]]:
        """The bound fields grouped as the template shows them."""
        hidden = set() if self._duplicate_asked() else {"confirm_duplicate"}
        return [
            (title, [self[n] for n in names.split() if n not in hidden])
            for title, names in self.SECTIONS
        ]

    def _duplicate_asked(self) -> bool:
        # The box is needed once a duplicate is found, and stays while it is ticked.
        return bool(getattr(self, "duplicates", None)) or (
            self.is_bound and bool(self.data.get("confirm_duplicate"))
        )

    def clean_source_url(self) -> str:
        url = self.cleaned_data["source_url"]
        Source.validate_url(url)
        return url

    def clean(self) -> dict:
        data = super().clean()
        self.existing_source = Source.objects.filter(url=data.get("source_url")).first()
        if (
            data.get("source_url")
            and not self.existing_source
            and not data.get("source_publisher")
        ):
            self.add_error("source_publisher", "Name the publisher of this new source.")
        self._check_effect(data)
        self._check_figure(data)
        self._check_reactivation(data)
        self._check_duplicates(data)
        return data

    def _check_effect(self, data: dict) -> None:
        missions = list(data.get("affected_missions") or [])
        if not missions and data.get("new_status"):
            self.add_error(
                "affected_missions", "Choose the missions this status applies to."
            )
        elif not missions and data.get("end"):
            self.add_error(
                "affected_missions", "Choose the missions this end date applies to."
            )
        self._check_hosts("affected_missions", data, missions)

    def _check_hosts(self, name: str, data: dict, missions: list[Mission]) -> None:
        if "affected_country" in self.errors:
            return  # its own message says what to fix first
        country = data.get("affected_country")
        for message in missions_outside(
            countries=[country] if country else [], missions=missions
        ):
            self.add_error(name, message)

    def _check_figure(self, data: dict) -> None:
        names = ("workers", "doctors", "other_staff")
        counts = [data.get(n) for n in names]
        mission = data.get("figure_mission")
        if any(c is not None for c in counts) and not mission:
            self.add_error("figure_mission", "Choose the mission this figure is about.")
        typed = any(n in self.errors for n in names)  # a count typed, but invalid
        if mission and not typed and all(c is None for c in counts):
            self.add_error(
                "figure_mission",
                "Give at least one count for this figure, or clear the mission.",
            )
        if mission:
            self._check_hosts("figure_mission", data, [mission])
        try:
            StaffingReport.check_counts(
                workers=data.get("workers"), doctors=data.get("doctors")
            )
        except ValidationError as exc:
            self.add_error(None, exc)  # on the doctors field

    def _check_reactivation(self, data: dict) -> None:
        if data.get("new_status") != Mission.Status.ACTIVE or data.get(
            "confirm_reactivation"
        ):
            return
        ended = [
            m
            for m in data.get("affected_missions") or []
            if m.status == Mission.Status.ENDED
        ]
        if ended:
            names = ", ".join(str(m) for m in ended)
            self.add_error(
                "confirm_reactivation",
                f"{names} ended; tick the box to confirm it is active again.",
            )

    def _check_duplicates(self, data: dict) -> None:
        self.duplicates = []
        when, country = data.get("date"), data.get("affected_country")
        if not when or not country or data.get("confirm_duplicate"):
            return
        self.duplicates = list(
            PolicyEvent.objects.filter(
                date=when[0], kind=data.get("kind"), affected_countries=country
            )
        )
        if self.duplicates:
            links = format_html(
                "<a href='{}'>{}</a>",
                reverse(
                    "admin:timeline_policyevent_change", args=[self.duplicates[0].pk]
                ),
                self.duplicates[0],
            )
            self.add_error(
                "confirm_duplicate",
                format_html(
                    "An event with this date, kind and country is on file: {}", links
                ),
            )

    def inputs(self) -> tuple[EventInput, SourceInput, EffectInput]:
        """The cleaned form as the service's inputs."""
        d = self.cleaned_data
        date, precision = d["date"]
        event = EventInput(
            date=date,
            date_precision=precision,
            kind=d["kind"],
            title=d["title"],
            summary=d["summary"],
            title_es=d["title_es"],
            summary_es=d["summary_es"],
            affected_countries=[d["affected_country"]] if d["affected_country"] else [],
            affected_missions=list(d["affected_missions"]),
            actor_countries=list(d["actor_countries"]),
            actor_organisation=d["actor_organisation"],
            figures=d["figures"],
        )
        published = d.get("source_published") or (None, "day")
        source = SourceInput(
            url=d["source_url"],
            publisher=d["source_publisher"],
            title=d["source_title"],
            published=published[0],
            published_precision=published[1],
        )
        end = d.get("end") or (None, "day")
        as_of = d.get("figure_as_of") or (None, "day")
        effect = EffectInput(
            new_status=d["new_status"],
            end=end[0],
            end_precision=end[1],
            figure_mission=d["figure_mission"],
            figure_as_of=as_of[0],
            figure_as_of_precision=as_of[1],
            workers=d["workers"],
            doctors=d["doctors"],
            other_staff=d["other_staff"],
        )
        return event, source, effect
