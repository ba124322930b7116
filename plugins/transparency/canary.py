"""Marked objects for the confinement sweep (core/confinement/canary.py): the transparency page
(the sweep plants every model with a ``village`` field by itself)."""

from core.website.models import VillageHomePage

from .models import TransparencyPage


def plant_canaries(village, marker):
    home = VillageHomePage.objects.get(village=village, locale__language_code="id")
    page = TransparencyPage(
        title=f"{marker} transparansi", slug=f"kanari-apbdes-{village.pk}", intro=f"<p>{marker}</p>"
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return [page]
