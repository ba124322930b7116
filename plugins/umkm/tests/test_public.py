"""Public catalogue, business and product pages, QR downloads and the order step."""

import io
import re
from urllib.parse import parse_qs, urlparse

import pytest
import zxingcpp
from PIL import Image

from plugins.umkm import qris
from plugins.umkm.models import Category, Status, UmkmSettings

from .conftest import host, make_business, make_catalogue, make_product, switch


@pytest.fixture
def shop(kreo):
    make_catalogue(kreo)
    business = make_business(kreo, name="Toko SeTORE", category=Category.CRAFTS)
    bag = make_product(business, name="Tas kulit Kreo", price="150000", featured=True)
    wallet = make_product(business, name="Dompet kulit", price="45000")
    return business, bag, wallet


def get(client, village, url, **extra):
    return client.get(url, HTTP_HOST=host(village), **extra)


def test_catalogue_lists_published_products_of_its_village(client, kreo, kandang, shop):
    business, bag, wallet = shop
    draft = make_business(kreo, name="Usaha Draf", status=Status.DRAFT)
    make_product(draft, name="Produk rahasia draf")
    make_catalogue(kandang)
    make_product(make_business(kandang, name="Konveksi Kandang"), name="Kaos Kandang")
    html = get(client, kreo, "/umkm/").content.decode()
    assert "Tas kulit Kreo" in html and "Dompet kulit" in html
    assert "Produk rahasia draf" not in html and "Usaha Draf" not in html
    assert "Kaos Kandang" not in html and "Konveksi Kandang" not in html


def test_filter_search_and_sort(client, kreo, shop):
    business, bag, wallet = shop
    food = make_business(kreo, name="Keripik Bu Sari", category=Category.FOOD)
    make_product(food, name="Keripik tempe", price="10000")
    html = get(client, kreo, "/umkm/?kategori=makanan").content.decode()
    assert "Keripik tempe" in html and "Tas kulit Kreo" not in html
    html = get(client, kreo, "/umkm/?q=dompet").content.decode()
    assert "Dompet kulit" in html and "Tas kulit Kreo" not in html
    html = get(client, kreo, "/umkm/?urut=harga-naik").content.decode()
    assert html.index("Keripik tempe") < html.index("Dompet kulit") < html.index("Tas kulit Kreo")
    html = get(client, kreo, "/umkm/?urut=harga-turun").content.decode()
    assert html.index("Tas kulit Kreo") < html.index("Dompet kulit") < html.index("Keripik tempe")
    assert get(client, kreo, "/umkm/?kategori=<script>").status_code == 200


def test_business_page(client, kreo, shop):
    business, bag, wallet = shop
    response = get(client, kreo, f"/umkm/usaha/{business.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Toko SeTORE" in html and "Tas kulit Kreo" in html
    assert "<svg" in html and "ID1025437041078" in html and "SeTORE" in html
    assert "https://wa.me/6281234567890" in html
    assert 'property="og:title" content="Toko SeTORE"' in html


def test_product_page_has_a_code_for_its_price(client, kreo, shop):
    business, bag, wallet = shop
    html = get(client, kreo, f"/umkm/produk/{bag.pk}/").content.decode()
    assert "<svg" in html
    assert "ID1025437041078" in html and "SeTORE" in html
    assert "Sebagian kecil aplikasi pembayaran mungkin menolaknya" in html
    assert 'property="og:title" content="Tas kulit Kreo"' in html
    assert '"@type": "Product"' in html and '"price": "150000"' in html
    assert f"/umkm/produk/{bag.pk}/qris.png" in html


def test_saved_png_decodes_to_the_priced_payload(client, kreo, shop):
    business, bag, wallet = shop
    response = get(client, kreo, f"/umkm/produk/{bag.pk}/qris.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    image = Image.open(io.BytesIO(response.content))
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1
    payload = found[0].text
    assert qris.validate(payload) == []
    assert qris.parse(payload).amount == 150000
    assert payload == qris.with_amount(business.qris_payload, 150000)
    several = get(client, kreo, f"/umkm/produk/{bag.pk}/qris.png?jumlah=3")
    text = zxingcpp.read_barcodes(Image.open(io.BytesIO(several.content)))[0].text
    assert qris.parse(text).amount == 450000


def test_business_png_is_the_static_code(client, kreo, shop):
    business, bag, wallet = shop
    response = get(client, kreo, f"/umkm/usaha/{business.pk}/qris.png")
    assert (
        zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))[0].text
        == business.qris_payload
    )


def test_order_step(client, kreo, shop):
    business, bag, wallet = shop
    response = get(client, kreo, f"/umkm/pesan/{wallet.pk}/?jumlah=2")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    html = response.content.decode()
    reference = re.search(r'class="order-reference">(UMKM-\d{4}-\d{6}-[A-Z0-9]{4})<', html).group(1)
    links = re.findall(r'href="(https://wa\.me/[^"]+)"', html)
    assert len(links) == 2
    order_text, proof_text = (
        parse_qs(urlparse(link.replace("&amp;", "&")).query)["text"][0] for link in links
    )
    assert urlparse(links[0]).path == "/6281234567890"
    assert reference in order_text and "Dompet kulit" in order_text and "90.000" in order_text
    assert reference in proof_text and "bukti pembayaran" in proof_text
    assert "<svg" in html
    again = get(client, kreo, f"/umkm/pesan/{wallet.pk}/?jumlah=2").content.decode()
    assert reference not in again  # a fresh reference per order


def test_above_cap_gets_no_code(client, kreo, shop):
    business, bag, wallet = shop
    car = make_product(business, name="Kereta kencana", price="12000000")
    html = get(client, kreo, f"/umkm/produk/{car.pk}/").content.decode()
    assert "<svg" not in html and "10.000.000" in html
    assert get(client, kreo, f"/umkm/produk/{car.pk}/qris.png").status_code == 404


def test_unpublished_and_other_village_objects_are_404(client, kreo, kandang, shop):
    business, bag, wallet = shop
    draft = make_business(kreo, name="Draf", status=Status.DRAFT)
    hidden = make_product(draft, name="Tersembunyi")
    other = make_product(make_business(kandang, name="Kandang"), name="Kaos")
    for url in (
        f"/umkm/usaha/{draft.pk}/",
        f"/umkm/produk/{hidden.pk}/",
        f"/umkm/usaha/{other.business_id}/",
        f"/umkm/produk/{other.pk}/",
        f"/umkm/produk/{other.pk}/qris.png",
        f"/umkm/pesan/{other.pk}/",
        f"/umkm/usaha/{other.business_id}/qris.png",
        f"/umkm/pesan/{hidden.pk}/",
    ):
        assert get(client, kreo, url).status_code == 404, url


def test_switched_off_everything_is_404_and_data_stays(client, kreo, shop):
    business, bag, wallet = shop
    urls = [
        "/umkm/",
        f"/umkm/produk/{bag.pk}/",
        f"/umkm/usaha/{business.pk}/",
        f"/umkm/produk/{bag.pk}/qris.png",
        f"/umkm/pesan/{bag.pk}/",
    ]
    for url in urls:
        assert get(client, kreo, url).status_code == 200, url
    switch(kreo, False)
    for url in urls:
        assert get(client, kreo, url).status_code == 404, url
    assert business.products.count() == 2
    switch(kreo, True)
    assert get(client, kreo, "/umkm/").status_code == 200


def test_changes_bump_the_cached_catalogue(client, kreo, shop):
    business, bag, wallet = shop
    assert "Dompet kulit" in get(client, kreo, "/umkm/").content.decode()
    wallet.name = "Dompet kulit sapi"
    wallet.save()
    assert "Dompet kulit sapi" in get(client, kreo, "/umkm/").content.decode()
    business.status = Status.DRAFT
    business.save()
    assert "Dompet kulit sapi" not in get(client, kreo, "/umkm/").content.decode()


def test_village_whatsapp_intro_opens_the_messages(client, kreo, shop):
    business, bag, wallet = shop
    settings = UmkmSettings.for_site(kreo.site)
    settings.whatsapp_intro = "Pesan dari katalog UMKM Desa Kreo."
    settings.save()
    html = get(client, kreo, f"/umkm/pesan/{wallet.pk}/").content.decode()
    links = re.findall(r'href="(https://wa\.me/[^"]+)"', html)
    texts = [parse_qs(urlparse(link.replace("&amp;", "&")).query)["text"][0] for link in links]
    assert len(texts) == 2
    assert all(text.startswith("Pesan dari katalog UMKM Desa Kreo.\n") for text in texts)
    switch(kreo, False)
    assert UmkmSettings.for_village(kreo) is None
