from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "Statistics"

    def ready(self) -> None:
        from dashboard import signals  # noqa: F401  (connects the receivers)
