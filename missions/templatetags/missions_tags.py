"""Template filters about missions."""

from __future__ import annotations

from django import template

from countries.localized import per_language
from missions.models import Mission

register = template.Library()
_LABELS = dict(Mission.Status.choices)


@register.filter
@per_language
def status_label(value: str) -> str:
    """A status slug as the model names it: 'phasing-out' → 'Phasing out'."""
    return str(_LABELS.get(value, value))
