"""The statistics refresh and what triggers it; see `statistics.py`."""

from dashboard.services.statistics import RefreshResult, statistics_refresh

__all__ = ["RefreshResult", "statistics_refresh"]
