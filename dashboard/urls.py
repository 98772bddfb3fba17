"""The pages that read statistics, at the site root."""

from django.urls import path

from dashboard import data_views, views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("countries/<str:iso3>/", views.country_detail, name="country"),
    path("about/", views.about, name="about"),
    path("data/", data_views.data_page, name="data"),
    path("data/latest.zip", data_views.data_latest, name="data_latest"),
    path("data/<str:filename>", data_views.data_file, name="data_file"),
    # Only the embeds may be framed by other sites (countries.embeds).
    path("embed/map/", views.embed_map, name="embed_map"),
    path(
        "embed/countries/<str:iso3>/staffing/",
        views.embed_staffing,
        name="embed_staffing",
    ),
]
