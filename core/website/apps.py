from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    """The district portal and every village site: root and content page types, feeds, search,
    sitemaps, page cache."""

    name = "core.website"
    label = "website"
    verbose_name = _("Konten situs desa")
    default_auto_field = "django.db.models.BigAutoField"
    #: Model permissions of the village roles (core/villages/roles.py).
    village_role_permissions = {
        "editors_group": ["website.view_contactmessage", "website.change_contactmessage"],
        "moderators_group": ["website.view_contactmessage", "website.change_contactmessage"],
        "officers_group": ["website.view_contactmessage", "website.change_contactmessage"],
    }
    #: Presentation settings of the village's own site.
    village_role_site_permissions = {
        "editors_group": ["website.change_villagesitesettings"],
        "moderators_group": ["website.change_villagesitesettings"],
    }

    def ready(self) -> None:
        from . import cache, signal_handlers  # noqa: F401  (connect receivers)
