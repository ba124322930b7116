from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    """Public content of every village site: page types, feeds, search, sitemaps, page cache."""

    name = "core.website"
    label = "content"
    verbose_name = _("Konten situs desa")
    default_auto_field = "django.db.models.BigAutoField"
    #: Model permissions of the village roles (granted by core.provisioning).
    village_group_permissions = {
        "editors_group": ["website.view_contactmessage", "website.change_contactmessage"],
        "moderators_group": ["website.view_contactmessage", "website.change_contactmessage"],
        "officers_group": ["website.view_contactmessage", "website.change_contactmessage"],
    }

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401
