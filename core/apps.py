from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    label = "core"
    verbose_name = _("Inti Sidekem")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401
        from .admin_scoping import scope_page_listing_filters

        scope_page_listing_filters()
