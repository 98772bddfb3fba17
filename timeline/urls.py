"""Policy events: the timeline list, each event's page, the feed, and /changes/."""

from django.urls import path

from timeline import views
from timeline.feeds import PolicyEventFeed

app_name = "timeline"
urlpatterns = [
    path("timeline/", views.event_list, name="event_list"),
    path("timeline/events/<int:event_id>/", views.event_detail, name="event_detail"),
    path("timeline/feed/", PolicyEventFeed(), name="feed"),
    path("changes/", views.changes, name="changes"),
    path("embed/timeline/", views.embed_timeline, name="embed_timeline"),
]
