"""The district directory of leading products on the portal (/produk-unggulan/)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from plugins.umkm.models import Category, Status

from .conftest import host, make_business, make_catalogue, make_product, switch

PORTAL = "localhost"
URL = "/produk-unggulan/"


def directory(client, query=""):
    return client.get(f"{URL}?{query}" if query else URL, HTTP_HOST=PORTAL)


def test_lists_featured_products_of_every_village_with_links_to_their_hosts(client, kreo, kandang):
    make_catalogue(kreo)
    make_catalogue(kandang, slug="produk-desa")
    bag = make_product(make_business(kreo, name="Batik Kreo"), name="Tas kulit", featured=True)
    shirt = make_product(
        make_business(kandang, name="Konveksi Kandang", category=Category.FASHION),
        name="Kaos sablon",
        featured=True,
    )
    make_product(bag.business, name="Dompet biasa")  # not featured
    make_product(bag.business, name="Tas tersembunyi", featured=True, hidden=True)
    draft = make_business(kreo, name="Usaha draf", status=Status.DRAFT)
    make_product(draft, name="Produk draf", featured=True)
    response = directory(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tas kulit" in html and "Kaos sablon" in html
    assert "Dompet biasa" not in html and "Tas tersembunyi" not in html
    assert "Produk draf" not in html
    assert f'href="http://{host(kreo)}/umkm/produk/{bag.pk}/"' in html
    assert f'href="http://{host(kandang)}/produk-desa/produk/{shirt.pk}/"' in html
    assert client.get(f"/umkm/produk/{bag.pk}/", HTTP_HOST=host(kreo)).status_code == 200


def test_filters_by_kecamatan_and_category(client, kreo, kandang):
    make_catalogue(kreo)
    make_catalogue(kandang)
    make_product(make_business(kreo, name="Batik Kreo"), name="Tas kulit", featured=True)
    make_product(
        make_business(kandang, name="Konveksi Kandang", category=Category.FASHION),
        name="Kaos sablon",
        featured=True,
    )
    html = directory(client, f"kecamatan={kreo.kecamatan.code}").content.decode()
    assert "Tas kulit" in html and "Kaos sablon" not in html
    html = directory(client, "kategori=busana").content.decode()
    assert "Kaos sablon" in html and "Tas kulit" not in html
    html = directory(client, "kecamatan=99.99.99&kategori=tidak-ada").content.decode()
    assert "Tas kulit" in html and "Kaos sablon" in html


def test_village_with_the_plugin_off_is_left_out(client, kreo, kandang):
    make_catalogue(kreo)
    make_catalogue(kandang)
    make_product(make_business(kreo, name="Batik Kreo"), name="Tas kulit", featured=True)
    make_product(make_business(kandang, name="Konveksi"), name="Kaos sablon", featured=True)
    switch(kandang, False)
    html = directory(client).content.decode()
    assert "Tas kulit" in html and "Kaos sablon" not in html
    assert f'value="{kandang.kecamatan.code}"' not in html
    assert f'value="{kreo.kecamatan.code}"' in html


def test_portal_only(client, kreo):
    make_catalogue(kreo)
    assert client.get(URL, HTTP_HOST=host(kreo)).status_code == 404


def test_paginated(client, kreo):
    make_catalogue(kreo)
    business = make_business(kreo)
    for n in range(30):
        make_product(business, name=f"Produk {n:02d}", featured=True)
    first = directory(client).content.decode()
    second = directory(client, "halaman=2").content.decode()
    assert "Produk 00" in first and "Produk 29" not in first
    assert "Produk 29" in second and "Produk 00" not in second
    assert "Halaman 2 dari 2" in second


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert directory(client).status_code == 200
    return len(queries)


def test_query_count_is_flat_in_villages_and_products(client, kreo, kandang, settings):
    make_catalogue(kreo)
    make_product(make_business(kreo, name="Batik Kreo"), name="Tas kulit", featured=True)
    switch(kandang, False)
    client.get(URL, HTTP_HOST=PORTAL)  # warm the site and root maps
    one_village = count_queries(client)
    switch(kandang, True)
    make_catalogue(kandang)
    for name in ("Konveksi", "Keripik", "Batik Kandang"):
        business = make_business(kandang, name=name)
        for n in range(5):
            make_product(business, name=f"{name} {n}", featured=True)
    client.get(URL, HTTP_HOST=PORTAL)
    assert count_queries(client) == one_village
    assert 4 <= one_village <= 10, one_village
