from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    """Public content of every village site: page types, feeds, search, sitemaps, page cache."""

    name = "core.content"
    label = "content"
    verbose_name = _("Konten situs desa")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401
