from django.utils.translation import gettext_lazy as _

from core.pluginhost.registry import PluginConfig


class AdminServicesConfig(PluginConfig):
    default = True  # apps.py also imports PluginConfig: say which class is the app's
    name = "plugins.admin_services"
    label = "admin_services"
    verbose_name = _("Layanan administrasi")
    description = _(
        "Permohonan surat dan pengaduan warga, alur kerja, surat bernomor dengan verifikasi, "
        "API Open311."
    )
    default_enabled = False
    default_auto_field = "django.db.models.BigAutoField"
