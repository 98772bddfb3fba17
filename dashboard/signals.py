"""Every change to the tracked data, from any path (admin, import, services), marks
the statistics for a refresh once its transaction commits."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from dashboard.services.triggers import data_changed
from missions.models import Mission, ReportedTotal, Source, StaffingReport
from timeline.models import PolicyEvent

TRACKED = [Mission, StaffingReport, Source, ReportedTotal, PolicyEvent]
TRACKED_M2M = [
    Mission.sources.through,
    PolicyEvent.sources.through,
    PolicyEvent.affected_countries.through,
    PolicyEvent.affected_missions.through,
    PolicyEvent.actor_countries.through,
]


def _row_changed(sender, raw: bool = False, **kwargs) -> None:
    if not raw:  # loaddata restores data as it was: refresh by hand
        data_changed()


def _links_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        data_changed()


# Connected when DashboardConfig.ready() imports this module.
for _model in TRACKED:
    name = _model.__name__
    post_save.connect(_row_changed, sender=_model, dispatch_uid=f"stats-save-{name}")
    post_delete.connect(_row_changed, sender=_model, dispatch_uid=f"stats-del-{name}")
for _through in TRACKED_M2M:
    name = _through.__name__
    m2m_changed.connect(_links_changed, sender=_through, dispatch_uid=f"stats-{name}")
