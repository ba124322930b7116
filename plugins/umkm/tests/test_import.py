"""Import of businesses and products: rows go to the importer's village, a bad row (a broken
QRIS, a business of another village) is named and nothing is saved."""

import tablib

from core.imports.engine import row_errors, run_import
from plugins.umkm.models import Business, Product
from plugins.umkm.resources import BusinessResource, ProductResource

from .conftest import make_business
from .qris_samples import DANA_STATIC, GOPAY_BAD_CRC

BUSINESS_HEADERS = [
    "name",
    "owner_name",
    "category",
    "description",
    "address",
    "whatsapp",
    "opening_hours",
    "nib",
    "spp_irt",
    "halal_certificate",
    "qris_payload",
    "status",
]


def business_rows(*rows):
    data = tablib.Dataset(headers=BUSINESS_HEADERS)
    for name, payload in rows:
        data.append(
            [
                name,
                "Bu Sari",
                "kerajinan",
                "",
                "",
                "081234567890",
                "",
                "",
                "",
                "",
                payload,
                "terbit",
            ]
        )
    return data


def test_business_import_into_the_importers_village(kreo, kreo_editor):
    resource = BusinessResource(user=kreo_editor, village=kreo)
    result = run_import(
        resource, business_rows(("Batik A", DANA_STATIC), ("Batik B", "")), dry_run=False
    )
    assert row_errors(result) == []
    imported = Business.objects.get(name="Batik A")
    assert imported.village == kreo and imported.qris_nmid == "ID1025437041078"
    assert Business.objects.filter(name="Batik B", village=kreo).exists()


def test_a_broken_qris_row_is_named_and_nothing_is_saved(kreo, kreo_editor):
    resource = BusinessResource(user=kreo_editor, village=kreo)
    data = business_rows(("Batik A", DANA_STATIC), ("Batik B", GOPAY_BAD_CRC))
    result = run_import(resource, data, dry_run=False)
    errors = row_errors(result)
    assert [e["row"] for e in errors] == [3]
    assert "CRC (tag 63)" in " ".join(errors[0]["messages"])
    assert not Business.objects.filter(name__in=["Batik A", "Batik B"]).exists()


def test_product_import_finds_businesses_of_the_village_only(kreo, kandang, kreo_editor):
    make_business(kreo, name="Batik Kreo")
    make_business(kandang, name="Konveksi Kandang")
    headers = ["business", "name", "description", "price", "unit", "available", "featured"]
    good = tablib.Dataset(
        ["Batik Kreo", "Kain batik", "", "350000", "lembar", "1", "0"], headers=headers
    )
    result = run_import(ProductResource(user=kreo_editor, village=kreo), good, dry_run=False)
    assert row_errors(result) == []
    assert Product.objects.get(name="Kain batik").business.name == "Batik Kreo"
    bad = tablib.Dataset(
        ["Batik Kreo", "Selendang", "", "90000", "lembar", "1", "0"],
        ["Konveksi Kandang", "Kaos curian", "", "50000", "buah", "1", "0"],
        headers=headers,
    )
    result = run_import(ProductResource(user=kreo_editor, village=kreo), bad, dry_run=False)
    errors = row_errors(result)
    assert [e["row"] for e in errors] == [3]
    assert "Konveksi Kandang" in " ".join(errors[0]["messages"])
    assert not Product.objects.filter(name__in=["Selendang", "Kaos curian"]).exists()
