"""Missions, their sources and their dated staffing figures."""

from missions.models.missions import *  # noqa: F403
from missions.models.reports import *  # noqa: F403
from missions.models.sources import *  # noqa: F403
from missions.models.totals import *  # noqa: F403
