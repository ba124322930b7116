from django.utils.translation import gettext_lazy as _

from core.pluginhost.registry import PluginConfig


class TransparencyConfig(PluginConfig):
    default = True  # apps.py also imports PluginConfig: say which class is the app's
    name = "plugins.transparency"
    label = "transparency"
    verbose_name = _("Transparansi APBDes")
    description = _("Anggaran desa (APBDes), realisasi, kegiatan pembangunan dan data terbuka.")
    default_enabled = False
    default_auto_field = "django.db.models.BigAutoField"
