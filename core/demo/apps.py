from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo district (``seed_demo``): installed by the dev and test settings, not in production."""

    name = "core.demo"
    label = "demo"
    verbose_name = _("Data demo")
