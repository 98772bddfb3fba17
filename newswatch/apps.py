from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewswatchConfig(AppConfig):
    name = "newswatch"
    verbose_name = _("News watch")
