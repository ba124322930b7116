"""A buyer on a phone saves a product's QRIS code and pays with it (plugins/umkm).

A buyer cannot scan the screen of the phone they pay with: the product page offers the code as a
PNG to save and open from the payment app. This test opens a product on a 390-px viewport,
downloads that PNG, decodes it with zxing-cpp (as a payment app reads it) and checks it is the
product's price in a valid QRIS payload. The catalogue, business and product are committed for
this module (the live server reads its own connection with PostgreSQL) and removed at the end.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import allow_db_beside_playwright

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# A static QRIS published in a public repository (plugins/umkm/tests/qris_samples.py names it).
PRICE = Decimal("150000")


@pytest.fixture(scope="module")
def product(browser_world, django_db_blocker):
    from django.core.cache import cache

    from core.pluginhost.models import PluginSwitchChange
    from core.pluginhost.switches import set_plugin_enabled
    from core.villages.models import Village
    from core.website.models import VillageHomePage
    from plugins.umkm.models import Business, Product, Status
    from plugins.umkm.pages import CataloguePage
    from plugins.umkm.tests.qris_samples import DANA_STATIC

    with django_db_blocker.unblock(), allow_db_beside_playwright():
        kreo = Village.objects.get(code=browser_world.kreo.code)
        set_plugin_enabled([kreo], "umkm", True, None, PluginSwitchChange.Source.COMMAND)
        home = VillageHomePage.objects.get(village=kreo, locale__language_code="id")
        catalogue = CataloguePage(title="Katalog UMKM", slug="umkm-uji-browser")
        home.add_child(instance=catalogue)
        catalogue.save_revision().publish()
        business = Business.objects.create(
            village=kreo,
            name="Kulit Kreo Jaya",
            owner_name="Bu Sari",
            whatsapp="0812 3456 7890",
            status=Status.PUBLISHED,
            qris_payload=DANA_STATIC,
        )
        item = Product.objects.create(
            village=kreo, business=business, name="Tas kulit sapi", price=PRICE
        )
        cache.clear()
    try:
        yield catalogue, item
    finally:
        with django_db_blocker.unblock(), allow_db_beside_playwright():
            Product.objects.filter(pk=item.pk).delete()
            Business.objects.filter(pk=business.pk).delete()
            CataloguePage.objects.get(pk=catalogue.pk).delete()
            set_plugin_enabled([kreo], "umkm", False, None, PluginSwitchChange.Source.COMMAND)
            cache.clear()


def test_buyer_on_a_phone_saves_the_product_qris_and_it_carries_the_price(
    browser_world, product, new_page, tmp_path
):
    from plugins.umkm import qris

    catalogue, item = product
    page = new_page(viewport={"width": 390, "height": 844}, mobile=True)
    response = page.goto(browser_world.url("kreo", f"/umkm-uji-browser/produk/{item.pk}/"))
    assert response.status == 200
    expect(page.locator("h1")).to_contain_text("Tas kulit sapi")
    expect(page.get_by_text("Bayar dengan QRIS")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Simpan kode QR").click()
    saved = tmp_path / "qris.png"
    download_info.value.save_as(saved)

    with Image.open(saved) as picture:
        results = zxingcpp.read_barcodes(picture)
    assert len(results) == 1
    payload = results[0].text
    errors = [p for p in qris.validate(payload) if p.severity == "error"]
    assert errors == [], [p.message for p in errors]  # the CRC among them
    parsed = qris.parse(payload)
    assert parsed.amount == PRICE
    assert parsed.value("01") == "12"  # dynamic: one payment of this amount
    assert parsed.tags[-1] == "63"
