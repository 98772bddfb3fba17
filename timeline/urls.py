"""Policy events: the timeline list, its feed, and the public record of changes."""

from django.urls import path

from timeline import views
from timeline.feeds import PolicyEventFeed

app_name = "timeline"
urlpatterns = [
    path("timeline/", views.event_list, name="event_list"),
    path("timeline/feed/", PolicyEventFeed(), name="feed"),
    path("changes/", views.changes, name="changes"),
]
