"""Marked objects for the confinement sweep (core/confinement/canary.py)."""

from core.website.models import VillageHomePage

from .models import SamplePage, SampleSettings


def plant_canaries(village, marker):
    """What the confinement sweep cannot plant by itself: the plugin's per-village settings and
    a page (core/confinement/canary.py plants every model with a village field)."""
    settings = SampleSettings.for_site(village.site)
    settings.signer = marker
    settings.save()
    home = VillageHomePage.objects.get(village=village, locale__language_code="id")
    page = SamplePage(title=f"{marker} halaman plugin", slug=f"kanari-{village.pk}")
    home.add_child(instance=page)
    page.save_revision().publish()
    return [settings, page]
