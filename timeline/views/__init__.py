"""Public pages that show statistics or events: dashboard, countries, timeline, about.

They live in the timeline app because apps depend one way (countries ← missions ←
timeline) and only timeline may read events and the stored statistics.
"""

from timeline.views.about import about
from timeline.views.changes import changes
from timeline.views.country import country
from timeline.views.dashboard import dashboard
from timeline.views.events import index

__all__ = ["about", "changes", "country", "dashboard", "index"]
