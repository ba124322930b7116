"""Marked objects for the confinement sweep (core/confinement/canary.py plants every model with a
village field; the plugin plants its per-village settings and its page type)."""

from core.website.models import VillageHomePage

from .models import ServiceSettings
from .pages import ServicesPage


def plant_canaries(village, marker):
    settings = ServiceSettings.for_site(village.site)
    settings.letterhead_name = marker
    settings.kepala_desa_name = marker
    settings.telegram_bot_username = marker[:64]
    settings.save()
    home = VillageHomePage.objects.get(village=village, locale__language_code="id")
    page = ServicesPage(title=f"{marker} layanan", slug=f"kanari-layanan-{village.pk}")
    home.add_child(instance=page)
    page.save_revision().publish()
    return [settings, page]
