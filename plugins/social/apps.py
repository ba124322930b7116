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
    # The outbox sweeper every minute, the credential check daily (tasks.py).
    beat_schedule = {
        "social-sweep-outbox": {"task": "plugins.social.tasks.sweep_outbox", "schedule": 60.0},
        "social-check-credentials": {
            "task": "plugins.social.tasks.check_social_credentials",
            "schedule": 24 * 3600.0,
        },
    }

    def ready(self) -> None:
        import logging

        from . import signal_handlers, tasks  # noqa: F401  (connects receivers, registers tasks)
        from .clients import RedactTokens

        # urllib3 logs request lines; a Telegram request line carries the bot token.
        logging.getLogger("urllib3.connectionpool").addFilter(RedactTokens())
