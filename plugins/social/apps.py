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
