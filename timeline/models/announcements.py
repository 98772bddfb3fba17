"""What an announcement does to the missions, held until the event is published."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from countries.dates import Precision, format_partial_date
from missions.models import Mission, StaffingReport

__all__ = ["EventEffect"]


class EventEffect(models.Model):
    """The status change and staffing figure an announcement states.

    A draft's effect touches nothing public: publishing the event applies it, in the
    same transaction, to the event's affected missions and adds the staffing report.
    """

    event = models.OneToOneField(
        "timeline.PolicyEvent", on_delete=models.CASCADE, related_name="effect"
    )
    new_status = models.CharField(
        max_length=20, choices=Mission.Status.choices, blank=True
    )
    end = models.DateField("mission end", null=True, blank=True)
    end_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    figure_mission = models.ForeignKey(
        Mission, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    figure_as_of = models.DateField(null=True, blank=True)
    figure_as_of_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    workers = models.PositiveIntegerField(null=True, blank=True)
    doctors = models.PositiveIntegerField(null=True, blank=True)
    other_staff = models.PositiveIntegerField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    report = models.ForeignKey(
        StaffingReport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"effect of {self.event_id}"

    def clean(self) -> None:
        # The figure becomes a StaffingReport on publishing: its rules apply now.
        StaffingReport.check_counts(workers=self.workers, doctors=self.doctors)

    @property
    def has_figure(self) -> bool:
        return any(
            v is not None for v in (self.workers, self.doctors, self.other_staff)
        )

    @property
    def figure_as_of_display(self) -> str:
        return format_partial_date(self.figure_as_of, self.figure_as_of_precision)
