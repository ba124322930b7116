"""Fixtures of the umkm plugin's tests: Kreo and Kandang provisioned once per session (as
tests/conftest.py does; provisioning completes existing villages), the plugin switched on,
users of each village, and builders of businesses, products and the catalogue page."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.provisioning import testing
from core.provisioning.testing import (  # noqa: F401  (fixtures)
    KANDANG,
    KREO,
    _clear_cache,
    district_admin,
    django_db_setup,
    kandang,
    kandang_editor,
    kreo,
    kreo_editor,
)
from core.website.models import VillageHomePage
from plugins.umkm.models import Business, Product, Status
from plugins.umkm.pages import CataloguePage

from .qris_samples import DANA_STATIC


@pytest.fixture
def plugin_key():
    return "umkm"


def switch(village, enabled: bool) -> None:
    testing.switch(village, "umkm", enabled)


def host(village) -> str:
    return village.site.hostname


def make_catalogue(village, title="Katalog UMKM", slug="umkm"):
    home = VillageHomePage.objects.get(village=village, locale__language_code="id")
    page = CataloguePage(title=title, slug=slug)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_business(
    village, name="Batik Kreo", *, status=Status.PUBLISHED, payload=DANA_STATIC, **extra
):
    extra.setdefault("owner_name", "Bu Sari")
    extra.setdefault("whatsapp", "0812 3456 7890")
    return Business.objects.create(
        village=village, name=name, status=status, qris_payload=payload, **extra
    )


def make_product(business, name="Tas kulit", price="150000", **extra):
    return Product.objects.create(
        village_id=business.village_id, business=business, name=name, price=Decimal(price), **extra
    )
