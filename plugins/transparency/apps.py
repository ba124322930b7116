from django.utils.translation import gettext_lazy as _

from core.pluginhost.registry import PluginConfig


class TransparencyConfig(PluginConfig):
    default = True  # apps.py also imports PluginConfig: say which class is the app's
    name = "plugins.transparency"
    label = "transparency"
    verbose_name = _("Transparansi APBDes")
    description = _("Anggaran desa (APBDes), realisasi, kegiatan pembangunan dan data terbuka.")
    default_enabled = False
    urls = "plugins.transparency.urls"
    root_urls = "plugins.transparency.root_urls"
    default_auto_field = "django.db.models.BigAutoField"
    demo = "plugins.transparency.demo"

    def get_village_role_permissions(self) -> dict[str, list[str]]:
        """The default (editors and moderators edit every village model); only moderators
        publish a budget version."""
        roles = super().get_village_role_permissions()
        return {
            **roles,
            "moderators_group": [
                *roles["moderators_group"],
                "transparency.publish_budgetversion",
            ],
        }

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401  (connects receivers)
