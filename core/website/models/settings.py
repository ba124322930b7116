from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class VillageSiteSettings(BaseSiteSetting):
    """Per-site, non-translatable presentation settings (translatable text lives in pages)."""

    facebook_url = models.URLField(_("halaman Facebook"), blank=True)
    instagram_url = models.URLField(_("akun Instagram"), blank=True)
    youtube_url = models.URLField(_("kanal YouTube"), blank=True)
    theme_colour = models.CharField(
        _("warna tema"), max_length=7, default="#0b6e4f", help_text=_("Kode heks, mis. #0b6e4f")
    )

    class Meta:
        verbose_name = _("pengaturan situs desa")
