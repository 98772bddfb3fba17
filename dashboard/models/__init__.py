"""Derived statistics, recomputed by `statistics_refresh` and only read by pages:
the statistics themselves (`statistics`), what the unfiltered pages read instead of
every row (`pages`) and the data package (`packages`)."""

from dashboard.models.packages import DataPackage
from dashboard.models.pages import FacetCount, HostGroup
from dashboard.models.statistics import (
    REFRESH_TIME_LIMIT,
    AreaStatistic,
    CountryStatistic,
    MissionStatistic,
    SeriesPoint,
    StatisticsState,
)

__all__ = [
    "REFRESH_TIME_LIMIT",
    "AreaStatistic",
    "CountryStatistic",
    "DataPackage",
    "FacetCount",
    "HostGroup",
    "MissionStatistic",
    "SeriesPoint",
    "StatisticsState",
]
