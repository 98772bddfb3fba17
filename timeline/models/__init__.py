"""Timeline models: policy events, and the statistics derived from all the data."""

from timeline.models.announcements import *  # noqa: F403
from timeline.models.events import *  # noqa: F403
from timeline.models.statistics import *  # noqa: F403
