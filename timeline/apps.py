from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Policy events"

    def ready(self) -> None:
        from timeline import signals

        signals.connect()
