"""Benchmark of the umkm plugin: QRIS codec, code + SVG per product, catalogue page queries.

Prints
- parse + validate of a real static code, and building an amount-bearing code, per call;
- code + SVG per product (with_amount, then segno byte-mode SVG), cold (no cache) and warm;
- the PNG for "save the QR";
- database queries, time and bytes of the catalogue page of a village with 200 products
  (page cache off; issue 12 asks for at most 12 queries), its product and business pages, and
  the district directory of leading products on the portal.
Not a test: numbers depend on the machine.

    python bench/bench_umkm.py                 # temporary SQLite file
    python bench/bench_umkm.py --products 500
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

# A real static code (DANA), published in alrescha79-cmd/bot-vpn, docs/QRIS_SETUP.md.
STATIC = (
    "00020101021126570011ID.DANA.WWW011893600915319021669702091902166970303UMI51440014"
    "ID.CO.QRIS.WWW0215ID10254370410780303UMI5204654053033605802ID5906SeTORE6004122861056"
    "21616304BB06"
)


QUERY_LIMIT = 12  # issue 12: a 200-product catalogue page in at most 12 queries


def setup_django(db_path: str, media: str) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db_path}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sidekem_site.settings.dev")
    os.environ["MEDIA_ROOT"] = media
    os.environ["SIDEKEM_SITE_PORT"] = "80"
    os.environ["SIDEKEM_PAGE_CACHE_SECONDS"] = "0"
    import django

    django.setup()
    import warnings

    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    warnings.filterwarnings("ignore", message="No directory at")


def per_call(func, repeat: int) -> float:
    start = time.perf_counter()
    for i in range(repeat):
        func(i)
    return (time.perf_counter() - start) / repeat * 1000


def bench_codec(products: int) -> None:
    from django.core.cache import cache

    from plugins.umkm import codes, qris

    print("QRIS codec")
    print(f"  parse + validate          {per_call(lambda i: qris.validate(STATIC), 5000):8.3f} ms")
    ms = per_call(lambda i: qris.with_amount(STATIC, 1000 + i), 5000)
    print(f"  amount-bearing code       {ms:8.3f} ms")
    cache.clear()
    cold = per_call(lambda i: codes.svg(qris.with_amount(STATIC, 10_000 + i)), products)
    warm = per_call(lambda i: codes.svg(qris.with_amount(STATIC, 10_000 + i)), products)
    print(
        f"  code + SVG per product    {cold:8.3f} ms cold,"
        f" {warm:.3f} ms cached ({products} products)"
    )
    cache.clear()
    png = per_call(lambda i: codes.png(qris.with_amount(STATIC, 20_000 + i)), 100)
    print(f"  code + PNG (save the QR)  {png:8.3f} ms cold")


def build_catalogue(products: int):
    from decimal import Decimal

    from django.core.management import call_command

    from core.pluginhost.models import PluginSwitchChange
    from core.pluginhost.switches import set_plugin_enabled
    from core.provisioning.services import VillageSpec, ensure_district_portal, provision_village
    from core.website.models import VillageHomePage
    from plugins.umkm.models import Business, Category, Product, Status
    from plugins.umkm.pages import CataloguePage

    call_command("migrate", verbosity=0)
    ensure_district_portal(hostname="localhost", port=80)
    village = provision_village(
        VillageSpec(
            code="33.27.07.2013",
            name="Kreo",
            kecamatan_code="33.27.07",
            kecamatan_name="Randudongkal",
            hostname="kreo.localhost",
        )
    ).village
    set_plugin_enabled([village], "umkm", True, None, PluginSwitchChange.Source.COMMAND)
    home = VillageHomePage.objects.get(village=village, locale__language_code="id")
    page = CataloguePage(title="Katalog UMKM", slug="umkm")
    home.add_child(instance=page)
    page.save_revision().publish()
    categories = list(Category.values)
    businesses = [
        Business.objects.create(
            village=village,
            name=f"Usaha {n}",
            owner_name=f"Pemilik {n}",
            category=categories[n % len(categories)],
            status=Status.PUBLISHED,
            qris_payload=STATIC,
            whatsapp="081234567890",
        )
        for n in range(20)
    ]
    Product.objects.bulk_create(
        Product(
            village=village,
            business=businesses[n % len(businesses)],
            name=f"Produk {n}",
            price=Decimal(5000 + 250 * n),
            featured=n % 7 == 0,
        )
        for n in range(products)
    )
    return village, businesses[0], Product.objects.filter(village=village).first()


def measure(client, url: str, repeat: int = 20, host: str = "kreo.localhost"):
    from django.db import connection

    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, (url, response.status_code)
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, (url, response.status_code)
    start = time.perf_counter()
    for _ in range(repeat):
        client.get(url, HTTP_HOST=host)
    ms = (time.perf_counter() - start) / repeat * 1000
    return len(queries), ms, len(response.content)


def bench_pages(products: int) -> None:
    from django.core.cache import cache
    from django.test import Client

    village, business, product = build_catalogue(products)
    client = Client()
    print(f"Catalogue pages ({products} products, 20 businesses, page cache off)")
    for label, url in (
        ("catalogue, page 1", "/umkm/"),
        ("catalogue, sorted by price", "/umkm/?urut=harga-naik"),
        ("catalogue, search", "/umkm/?q=Produk+1"),
        ("catalogue, last page", "/umkm/?halaman=999"),
        ("business page", f"/umkm/usaha/{business.pk}/"),
        ("product page (code + SVG)", f"/umkm/produk/{product.pk}/"),
    ):
        cache.clear()
        count, ms, size = measure(client, url)
        verdict = ""
        if url.startswith("/umkm/?") or url == "/umkm/":
            verdict = "  (limit 12: ok)" if count <= QUERY_LIMIT else "  (limit 12: OVER)"
        print(f"  {label:28} {count:3d} queries  {ms:7.1f} ms  {size / 1024:6.1f} KiB{verdict}")
    cache.clear()
    count, ms, size = measure(client, "/produk-unggulan/", host="localhost")
    label = "district directory (portal)"
    print(f"  {label:28} {count:3d} queries  {ms:7.1f} ms  {size / 1024:6.1f} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(os.path.join(tmp, "bench.sqlite3"), os.path.join(tmp, "media"))
        bench_codec(args.products)
        bench_pages(args.products)


if __name__ == "__main__":
    main()
