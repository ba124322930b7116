from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PluginHostConfig(AppConfig):
    name = "core.pluginhost"
    label = "pluginhost"
    verbose_name = _("Plugin")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from celery import current_app

        from . import checks, signal_handlers  # noqa: F401  (registers checks and receivers)
        from .registry import installed_plugins

        # Beat runs each installed plugin's periodic tasks (PluginConfig.beat_schedule).
        conf = current_app.conf
        schedule = dict(conf.beat_schedule or {})
        for cfg in installed_plugins():
            schedule.update(cfg.beat_schedule)
        conf.beat_schedule = schedule
