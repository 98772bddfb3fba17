"""Writes that span several models, as small service functions."""

from timeline.services.statistics import RefreshResult, statistics_refresh

__all__ = ["RefreshResult", "statistics_refresh"]
