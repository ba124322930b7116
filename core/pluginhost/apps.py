from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PluginHostConfig(AppConfig):
    name = "core.pluginhost"
    label = "pluginhost"
    verbose_name = _("Plugin")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, signal_handlers  # noqa: F401  (registers checks and receivers)
