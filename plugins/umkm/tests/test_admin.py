"""Admin of businesses and products: village scoping, QRIS checked on save in Indonesian,
the sticker photo filling the payload, and the switch."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from plugins.umkm import codes
from plugins.umkm.models import Business, Product, QrisPayloadChange

from .conftest import make_business, make_product, switch
from .qris_samples import DANA_STATIC, GOPAY_BAD_CRC, NOBU_STATIC


def business_form(village, **overrides):
    data = {
        "village": village.pk,
        "name": "Batik Tulis Kreo",
        "owner_name": "Bu Sari",
        "category": "kerajinan",
        "description": "",
        "address": "",
        "whatsapp": "081234567890",
        "opening_hours": "",
        "nib": "",
        "spp_irt": "",
        "halal_certificate": "",
        "qris_payload": DANA_STATIC,
        "status": "terbit",
        "gallery-count": "0",
        "marketplace_links-count": "0",
    }
    data.update(overrides)
    return data


def png_of(payload):
    return SimpleUploadedFile("stiker.png", codes.png(payload), content_type="image/png")


def test_index_shows_only_own_village(client, kreo, kandang, kreo_editor):
    make_business(kreo, name="Batik Kreo")
    make_business(kandang, name="Konveksi Kandang")
    client.force_login(kreo_editor)
    html = client.get(reverse("umkm_businesses:index")).content.decode()
    assert "Batik Kreo" in html and "Konveksi Kandang" not in html


def test_other_village_objects_are_404(client, kreo, kandang, kreo_editor):
    other = make_business(kandang, name="Konveksi Kandang")
    product = make_product(other)
    client.force_login(kreo_editor)
    assert client.get(reverse("umkm_businesses:edit", args=[other.pk])).status_code == 404
    assert client.get(reverse("umkm_products:edit", args=[product.pk])).status_code == 404
    assert client.post(reverse("umkm_businesses:delete", args=[other.pk])).status_code == 404
    assert Business.objects.filter(pk=other.pk).exists()


def test_product_form_offers_only_own_businesses(client, kreo, kandang, kreo_editor):
    make_business(kreo, name="Batik Kreo")
    theirs = make_business(kandang, name="Konveksi Kandang")
    client.force_login(kreo_editor)
    html = client.get(reverse("umkm_products:add")).content.decode()
    assert "Batik Kreo" in html and "Konveksi Kandang" not in html
    response = client.post(
        reverse("umkm_products:add"),
        {
            "village": kreo.pk,
            "business": theirs.pk,
            "name": "Curian",
            "price": "1000",
            "unit": "buah",
            "description": "",
            "available": "on",
            "gallery-count": "0",
            "variants-count": "0",
            "wholesale_tiers-count": "0",
        },
    )
    assert response.status_code == 200
    assert not Product.objects.filter(name="Curian").exists()


def test_create_business_decodes_qris(client, kreo, kreo_editor):
    client.force_login(kreo_editor)
    response = client.post(reverse("umkm_businesses:add"), business_form(kreo))
    assert response.status_code == 302, response.content.decode()[:2000]
    business = Business.objects.get(name="Batik Tulis Kreo")
    assert business.village == kreo
    assert (business.qris_merchant_name, business.qris_nmid) == ("SeTORE", "ID1025437041078")


def test_invalid_qris_is_refused_in_indonesian_and_nothing_saved(client, kreo, kreo_editor):
    client.force_login(kreo_editor)
    response = client.post(
        reverse("umkm_businesses:add"), business_form(kreo, qris_payload=GOPAY_BAD_CRC)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "CRC (tag 63) harus 4 digit heksadesimal huruf besar" in html
    assert GOPAY_BAD_CRC in html  # what was typed is kept
    assert not Business.objects.filter(name="Batik Tulis Kreo").exists()


def test_sticker_photo_fills_the_payload(client, kreo, kreo_editor):
    client.force_login(kreo_editor)
    data = business_form(kreo, qris_payload="", qris_photo=png_of(NOBU_STATIC))
    response = client.post(reverse("umkm_businesses:add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Business.objects.get(name="Batik Tulis Kreo").qris_payload == NOBU_STATIC


def test_sticker_photo_that_is_no_qris(client, kreo, kreo_editor):
    client.force_login(kreo_editor)
    blank = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(blank, format="PNG")
    cases = [
        (
            SimpleUploadedFile("a.png", blank.getvalue(), content_type="image/png"),
            "Tidak ada kode QR",
        ),
        (SimpleUploadedFile("a.png", b"not an image", content_type="image/png"), "bukan gambar"),
        (
            SimpleUploadedFile("a.png", codes.png("https://example.org"), content_type="image/png"),
            "bukan kode QRIS",
        ),
    ]
    for upload, words in cases:
        response = client.post(
            reverse("umkm_businesses:add"), business_form(kreo, qris_photo=upload)
        )
        assert response.status_code == 200
        assert words in response.content.decode()
    assert not Business.objects.filter(name="Batik Tulis Kreo").exists()


def test_payload_change_in_admin_resets_verified_and_records_the_editor(client, kreo, kreo_editor):
    business = make_business(kreo, name="Batik Tulis Kreo", verified=True)
    business.verified = True
    business.save()
    client.force_login(kreo_editor)
    url = reverse("umkm_businesses:edit", args=[business.pk])
    html = client.get(url).content.decode()
    assert "ID1025437041078" in html and "SeTORE" in html  # decoded beside the code
    response = client.post(url, business_form(kreo, qris_payload=NOBU_STATIC, verified="on"))
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.qris_payload == NOBU_STATIC and business.verified is False
    assert QrisPayloadChange.objects.get(business=business).changed_by == kreo_editor


def test_switched_off_admin_is_refused(client, kreo, kreo_editor):
    business = make_business(kreo)
    client.force_login(kreo_editor)
    assert client.get(reverse("umkm_businesses:index")).status_code == 200
    switch(kreo, False)
    assert client.get(reverse("umkm_businesses:index")).status_code == 403
    assert client.get(reverse("umkm_businesses:edit", args=[business.pk])).status_code == 403
    assert client.get(reverse("umkm_products:index")).status_code == 403
    assert Business.objects.filter(pk=business.pk).exists()


@pytest.mark.parametrize("size", [(2000, 2000)])
def test_photo_of_a_large_sticker_is_read(size):
    sticker = Image.open(io.BytesIO(codes.png(DANA_STATIC, scale=4))).convert("RGB")
    canvas = Image.new("RGB", size, (230, 220, 200))
    canvas.paste(sticker.rotate(8, expand=True, fillcolor=(230, 220, 200)), (500, 600))
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=80)
    buffer.seek(0)
    assert codes.read_payloads(buffer) == [DANA_STATIC]


def test_dashboard_panel_lists_own_village_only(client, kreo, kandang, kreo_editor):
    waiting = make_business(kreo, name="Menunggu Verifikasi Kreo")
    waiting.qris_payload = NOBU_STATIC
    waiting.save()  # a change: recorded and unverified
    make_business(kandang, name="Menunggu Verifikasi Kandang")
    client.force_login(kreo_editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "umkm-dashboard-panel" in html
    assert "Menunggu Verifikasi Kreo" in html
    assert "Menunggu Verifikasi Kandang" not in html
    switch(kreo, False)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "umkm-dashboard-panel" not in html
