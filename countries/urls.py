from django.urls import path

from countries import views

app_name = "countries"
urlpatterns = [
    path("<str:iso3>/", views.detail, name="detail"),
]
