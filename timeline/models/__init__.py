"""Timeline models: policy events and the announcements that change missions."""

from timeline.models.announcements import *  # noqa: F403
from timeline.models.events import *  # noqa: F403
