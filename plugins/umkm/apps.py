from django.utils.translation import gettext_lazy as _

from core.pluginhost.registry import PluginConfig


class UmkmConfig(PluginConfig):
    default = True  # apps.py also imports PluginConfig: say which class is the app's
    name = "plugins.umkm"
    label = "umkm"
    verbose_name = _("UMKM")
    description = _("Katalog usaha dan produk warga dengan kode pembayaran QRIS.")
    default_enabled = False
    default_auto_field = "django.db.models.BigAutoField"
    demo = "plugins.umkm.demo"
    urls = "plugins.umkm.urls"
    root_urls = "plugins.umkm.root_urls"

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401  (connects receivers)
