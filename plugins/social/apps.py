from django.utils.translation import gettext_lazy as _

from core.pluginhost.registry import PluginConfig


class SocialConfig(PluginConfig):
    default = True  # apps.py also imports PluginConfig: say which class is the app's
    name = "plugins.social"
    label = "social"
    verbose_name = _("Media sosial")
    description = _("Membagikan halaman desa yang terbit ke akun media sosial desa.")
    default_enabled = False
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import logging

        from celery import current_app

        from . import signal_handlers, tasks  # noqa: F401  (connects receivers, registers tasks)
        from .clients import RedactTokens

        # urllib3 logs request lines; a Telegram request line carries the bot token.
        logging.getLogger("urllib3.connectionpool").addFilter(RedactTokens())

        # The outbox sweeper runs from beat only where this plugin is installed.
        conf = current_app.conf
        conf.beat_schedule = {**(conf.beat_schedule or {}), **tasks.BEAT_SCHEDULE}
