"""Template filters about missions."""

from __future__ import annotations

from django import template

from missions.models import Mission

register = template.Library()
_LABELS = dict(Mission.Status.choices)


@register.filter
def status_label(value: str) -> str:
    """A status slug as the model names it: 'phasing-out' → 'Phasing out'."""
    return _LABELS.get(value, value)
