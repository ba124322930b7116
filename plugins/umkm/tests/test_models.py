"""Businesses and products: decoded QRIS fields, verification reset and change record, legal
warnings, wholesale prices and the amount-bearing code of a product."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plugins.umkm import qris
from plugins.umkm.models import Business, Category, Product, QrisPayloadChange, names_match

from .conftest import make_business, make_product
from .qris_samples import DANA_STATIC, GOPAY_BAD_CRC, NOBU_STATIC


def test_payload_is_decoded_on_save(kreo):
    business = make_business(kreo, name="Toko SeTORE")
    assert business.qris_merchant_name == "SeTORE"
    assert business.qris_nmid == "ID1025437041078"
    assert business.qris_warnings() == []


def test_changing_the_payload_resets_verified_and_is_recorded(kreo, kreo_editor):
    business = make_business(kreo)
    business.verified = True
    business.save()
    assert Business.objects.get(pk=business.pk).verified
    assert not QrisPayloadChange.objects.filter(business=business).exists()

    business.name = "Batik Kreo Baru"  # other edits keep the flag
    business.save()
    assert Business.objects.get(pk=business.pk).verified

    business.qris_payload = NOBU_STATIC
    business._changed_by = kreo_editor
    business.save()
    business.refresh_from_db()
    assert business.verified is False
    assert business.qris_merchant_name == "ANDI CALL OK2385395"
    change = QrisPayloadChange.objects.get(business=business)
    assert (change.old_payload, change.new_payload) == (DANA_STATIC, NOBU_STATIC)
    assert change.changed_by == kreo_editor
    assert change.village_id == kreo.pk


def test_invalid_payload_is_refused_with_the_problem_named(kreo):
    business = Business(
        village=kreo, name="Warung", owner_name="Pak Tono", qris_payload=GOPAY_BAD_CRC
    )
    with pytest.raises(ValidationError) as caught:
        business.full_clean()
    messages = caught.value.message_dict["qris_payload"]
    assert messages == ['CRC (tag 63) harus 4 digit heksadesimal huruf besar, tertulis "M2B3".']


def test_merchant_name_unlike_the_business_is_a_warning(kreo):
    business = make_business(kreo, name="Keripik Tempe Kreo", owner_name="Bu Sari")
    warnings = business.qris_warnings()
    assert len(warnings) == 1 and "SeTORE" in warnings[0]
    assert names_match("SeTORE", "Toko Setore Kreo")
    assert names_match("AISYAH AZIZAH NUR RAHMAH,", "Warung Makan", "Aisyah Azizah")
    assert names_match("SALVE CLEANING SHOES CINU", "Salve Cleaning Shoes Cinunuk")
    assert not names_match("TOKO BINTANG", "Batik Kreo", "Bu Sari")


def test_halal_certificate_warning_for_food(kreo):
    food = make_business(kreo, category=Category.FOOD)
    assert "mulai 18 Oktober 2026" in str(food.legal_warnings(date(2026, 5, 1))[0])
    assert "sejak 18 Oktober 2026" in str(food.legal_warnings(date(2026, 11, 30))[0])
    food.halal_certificate = "ID33110000123450126"
    assert food.legal_warnings(date(2026, 11, 30)) == []
    craft = make_business(kreo, name="Tas Kulit", category=Category.CRAFTS)
    assert craft.legal_warnings(date(2026, 11, 30)) == []


def test_whatsapp_number_is_normalised_and_validated(kreo):
    business = make_business(kreo, whatsapp="0812-3456-7890")
    assert business.whatsapp_number == "6281234567890"
    business.whatsapp = "12345"
    with pytest.raises(ValidationError) as caught:
        business.full_clean()
    assert "whatsapp" in caught.value.message_dict


def test_wholesale_tiers_and_product_code(kreo):
    business = make_business(kreo)
    product = make_product(
        business,
        price="20000",
        wholesale_tiers=[
            ("tier", {"min_quantity": 10, "unit_price": Decimal("18000")}),
            ("tier", {"min_quantity": 50, "unit_price": Decimal("15000")}),
        ],
    )
    assert product.unit_price_for(1) == 20000
    assert product.unit_price_for(10) == 18000
    assert product.unit_price_for(49) == 18000
    assert product.total_for(60) == 60 * 15000
    payload = qris.parse(product.qris_payload_for(12))
    assert payload.amount == 12 * 18000
    assert payload.merchant_name == "SeTORE"
    assert product.qris_payload_for(700) is None  # 700 × 15.000 is above the cap


def test_wholesale_tier_rules(kreo):
    product = make_product(make_business(kreo), price="20000")
    product.wholesale_tiers = [
        ("tier", {"min_quantity": 10, "unit_price": Decimal("25000")}),
        ("tier", {"min_quantity": 10, "unit_price": Decimal("18000")}),
    ]
    with pytest.raises(ValidationError) as caught:
        product.full_clean()
    assert len(caught.value.message_dict["wholesale_tiers"]) == 2


def test_product_business_must_be_of_the_same_village(kreo, kandang):
    product = make_product(make_business(kandang))
    product.village = kreo
    with pytest.raises(ValidationError) as caught:
        product.full_clean()
    assert "business" in caught.value.message_dict


def test_a_product_saved_with_another_villages_business_follows_the_business(kreo, kandang):
    theirs = make_business(kandang, name="Konveksi Kandang")
    product = Product.objects.create(village=kreo, business=theirs, name="Kaos", price=1000)
    assert Product.objects.get(pk=product.pk).village_id == kandang.pk
    change = QrisPayloadChange.objects.create(village=kreo, business=theirs)
    assert QrisPayloadChange.objects.get(pk=change.pk).village_id == kandang.pk
