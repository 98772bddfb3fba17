from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read-only JSON API: the last app in the chain, reading all the others
    (countries <- missions <- timeline <- dashboard <- api)."""

    name = "api"
    verbose_name = "JSON API"
