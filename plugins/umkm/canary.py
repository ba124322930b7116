"""Marked objects for the confinement sweep (core/confinement/canary.py): the per-village
settings and the catalogue page. Businesses, products and QRIS change records have a
``village`` field and are planted by the sweep itself."""

from core.website.models import VillageHomePage

from .models import UmkmSettings
from .pages import CataloguePage


def plant_canaries(village, marker):
    settings = UmkmSettings.for_site(village.site)
    settings.whatsapp_intro = f"{marker} pembuka"
    settings.save()
    home = VillageHomePage.objects.get(village=village, locale__language_code="id")
    page = CataloguePage(title=f"{marker} katalog UMKM", slug=f"kanari-umkm-{village.pk}")
    home.add_child(instance=page)
    page.save_revision().publish()
    return [settings, page]
