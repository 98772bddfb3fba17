"""The public pages that read statistics and events (mounted at the site root)."""

from django.urls import path

from timeline import views
from timeline.feeds import PolicyEventFeed

app_name = "timeline"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("timeline/", views.index, name="index"),
    path("countries/<str:iso3>/", views.country, name="country"),
    path("about/", views.about, name="about"),
    path("changes/", views.changes, name="changes"),
    path("timeline/feed/", PolicyEventFeed(), name="feed"),
]
