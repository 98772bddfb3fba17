"""Connect every change to the tracked data to the statistics trigger."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from missions.models import Mission, ReportedTotal, Source, StaffingReport
from timeline.models import PolicyEvent
from timeline.services.triggers import data_changed

TRACKED = (Mission, StaffingReport, Source, ReportedTotal, PolicyEvent)
TRACKED_M2M = (
    Mission.sources.through,
    PolicyEvent.sources.through,
    PolicyEvent.affected_countries.through,
    PolicyEvent.affected_missions.through,
    PolicyEvent.actor_countries.through,
)


def _on_change(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: the data is restored as it was; refresh by hand
    if kwargs.get("action", "post_").startswith("post_"):
        data_changed()


def connect() -> None:
    """Called once from the app config."""
    for model in TRACKED:
        post_save.connect(
            _on_change, sender=model, dispatch_uid=f"stats-save-{model.__name__}"
        )
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"stats-del-{model.__name__}"
        )
    for through in TRACKED_M2M:
        m2m_changed.connect(
            _on_change, sender=through, dispatch_uid=f"stats-m2m-{through.__name__}"
        )
