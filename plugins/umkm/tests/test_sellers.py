"""Seller self-service: one-time sign-in links, the seller area on the village host, and the
operator's review of a seller's QRIS change."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plugins.umkm import sellers
from plugins.umkm.models import (
    Business,
    ChangeStatus,
    Product,
    QrisPayloadChange,
    Seller,
    SellerSignInLink,
)

from .conftest import host, make_business, make_catalogue, make_product, switch
from .qris_samples import DANA_STATIC, GOPAY_BAD_CRC, NOBU_STATIC


@pytest.fixture
def shop(kreo):
    business = make_business(kreo, name="Batik Kreo")
    seller = Seller.objects.create(
        business=business, village=kreo, name="Bu Sari", whatsapp="0812 1111 2222"
    )
    own = make_product(business, name="Tas batik", price="150000")
    neighbour = make_business(kreo, name="Keripik Kreo", payload=NOBU_STATIC)
    other = make_product(neighbour, name="Keripik singkong", price="10000")
    return business, seller, own, neighbour, other


def token_of(url: str) -> str:
    return parse_qs(urlparse(url).query)["token"][0]


def sign_in(client, seller, village=None) -> str:
    _link, url = sellers.issue_link(seller)
    response = client.post(
        reverse("umkm:seller_sign_in"),
        {"token": token_of(url)},
        HTTP_HOST=host(village or seller.village),
    )
    assert response.status_code == 302, response.status_code
    return url


def post(client, village, url, data=None):
    return client.post(url, data or {}, HTTP_HOST=host(village))


def get(client, village, url):
    return client.get(url, HTTP_HOST=host(village))


# -- links -------------------------------------------------------------------------------------


def test_link_is_on_the_village_host_and_only_its_hash_is_stored(kreo, shop):
    _business, seller, *_ = shop
    link, url = sellers.issue_link(seller)
    parts = urlparse(url)
    assert parts.hostname == host(kreo) and parts.path == "/umkm/penjual/masuk/"
    token = token_of(url)
    assert len(token) >= 40
    assert token not in link.token_hash and link.token_hash == sellers.token_hash(token)
    assert link.village_id == kreo.pk
    assert link.expires_at - link.created_at <= timedelta(minutes=sellers.LINK_MINUTES, seconds=1)


def test_link_works_once(client, kreo, shop):
    _business, seller, *_ = shop
    _link, url = sellers.issue_link(seller)
    token = token_of(url)
    # a chat app's preview GETs the link: it must not use it up
    page = get(client, kreo, f"{reverse('umkm:seller_sign_in')}?token={token}")
    assert page.status_code == 200 and "private" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "no-referrer"
    response = post(client, kreo, reverse("umkm:seller_sign_in"), {"token": token})
    assert response.status_code == 302 and response["Location"] == reverse("umkm:seller_home")
    assert get(client, kreo, reverse("umkm:seller_home")).status_code == 200
    seller.refresh_from_db()
    assert seller.last_signed_in_at is not None
    second = Client()
    again = post(second, kreo, reverse("umkm:seller_sign_in"), {"token": token})
    assert again.status_code == 403
    assert "tidak berlaku" in again.content.decode()
    assert get(second, kreo, reverse("umkm:seller_home")).status_code == 403


def test_expired_link_is_refused(client, kreo, shop):
    _business, seller, *_ = shop
    link, url = sellers.issue_link(seller)
    SellerSignInLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = post(client, kreo, reverse("umkm:seller_sign_in"), {"token": token_of(url)})
    assert response.status_code == 403
    assert get(client, kreo, reverse("umkm:seller_home")).status_code == 403


def test_link_of_another_village_host_is_refused_and_not_used_up(client, kreo, kandang, shop):
    _business, seller, *_ = shop
    link, url = sellers.issue_link(seller)
    response = post(client, kandang, reverse("umkm:seller_sign_in"), {"token": token_of(url)})
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.used_at is None
    assert (
        post(client, kreo, reverse("umkm:seller_sign_in"), {"token": token_of(url)}).status_code
        == 302
    )


def test_wrong_or_missing_token(client, kreo, shop):
    for token in ("", "x" * 43, "x" * 500):
        response = post(client, kreo, reverse("umkm:seller_sign_in"), {"token": token})
        assert response.status_code == 403
    assert get(client, kreo, reverse("umkm:seller_sign_in")).status_code == 403


def test_inactive_seller_cannot_sign_in_or_stay(client, kreo, shop):
    _business, seller, *_ = shop
    _link, url = sellers.issue_link(seller)
    sign_in(client, seller)
    Seller.objects.filter(pk=seller.pk).update(active=False)
    assert get(client, kreo, reverse("umkm:seller_home")).status_code == 403
    response = post(Client(), kreo, reverse("umkm:seller_sign_in"), {"token": token_of(url)})
    assert response.status_code == 403


def test_issuing_is_rate_limited(kreo, shop):
    _business, seller, *_ = shop
    for _ in range(sellers.LINKS_PER_HOUR):
        sellers.issue_link(seller)
    with pytest.raises(sellers.TooManyLinks):
        sellers.issue_link(seller)
    SellerSignInLink.objects.filter(seller=seller).update(
        created_at=timezone.now() - timedelta(hours=1, minutes=1)
    )
    sellers.issue_link(seller)


def test_sign_in_post_needs_the_csrf_token(kreo, shop):
    _business, seller, *_ = shop
    link, url = sellers.issue_link(seller)
    strict = Client(enforce_csrf_checks=True)
    response = post(strict, kreo, reverse("umkm:seller_sign_in"), {"token": token_of(url)})
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.used_at is None
    page = get(strict, kreo, f"{reverse('umkm:seller_sign_in')}?token={token_of(url)}")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    response = post(
        strict,
        kreo,
        reverse("umkm:seller_sign_in"),
        {"token": token_of(url), "csrfmiddlewaretoken": csrf},
    )
    assert response.status_code == 302


def test_session_expires(client, kreo, shop):
    _business, seller, *_ = shop
    sign_in(client, seller)
    session = client.session
    data = session[sellers.SESSION_KEY]
    data["until"] = timezone.now().timestamp() - 1
    session[sellers.SESSION_KEY] = data
    session.save()
    assert get(client, kreo, reverse("umkm:seller_home")).status_code == 403


def test_sign_out(client, kreo, shop):
    _business, seller, *_ = shop
    sign_in(client, seller)
    assert post(client, kreo, reverse("umkm:seller_sign_out")).status_code == 200
    assert get(client, kreo, reverse("umkm:seller_home")).status_code == 403


# -- confinement ----------------------------------------------------------------------------------


def test_seller_reaches_only_own_products(client, kreo, shop):
    business, seller, own, neighbour, other = shop
    sign_in(client, seller)
    home = get(client, kreo, reverse("umkm:seller_home")).content.decode()
    assert "Tas batik" in home and "Keripik singkong" not in home
    assert get(client, kreo, reverse("umkm:seller_product_edit", args=[own.pk])).status_code == 200
    edit_other = reverse("umkm:seller_product_edit", args=[other.pk])
    assert get(client, kreo, edit_other).status_code == 404
    response = post(client, kreo, edit_other, {"name": "DIBAJAK", "price": "1", "unit": "buah"})
    assert response.status_code == 404
    hide_other = reverse("umkm:seller_product_hide", args=[other.pk])
    assert post(client, kreo, hide_other).status_code == 404
    other.refresh_from_db()
    assert other.name == "Keripik singkong" and not other.hidden
    business_page = get(client, kreo, reverse("umkm:seller_business")).content.decode()
    assert "Batik Kreo" in business_page and "Keripik Kreo" not in business_page


def test_seller_reaches_nothing_on_another_village_host(client, kreo, kandang, shop):
    _business, seller, own, *_ = shop
    kandang_product = make_product(make_business(kandang, name="Konveksi Kandang"), name="Kaos")
    sign_in(client, seller)
    for url in (
        reverse("umkm:seller_home"),
        reverse("umkm:seller_business"),
        reverse("umkm:seller_product_add"),
        reverse("umkm:seller_product_edit", args=[own.pk]),
        reverse("umkm:seller_product_edit", args=[kandang_product.pk]),
    ):
        assert get(client, kandang, url).status_code == 404, url
        assert post(client, kandang, url, {"name": "x", "price": "1"}).status_code == 404, url
    for pk in (own.pk, kandang_product.pk):
        url = reverse("umkm:seller_product_hide", args=[pk])
        assert post(client, kandang, url).status_code == 404
    kandang_product.refresh_from_db()
    own.refresh_from_db()
    assert kandang_product.name == "Kaos" and not kandang_product.hidden and not own.hidden
    assert Product.objects.filter(village=kandang).count() == 1


def test_without_a_session_the_area_is_refused(client, kreo, shop):
    _business, _seller, own, *_ = shop
    for url in (
        reverse("umkm:seller_home"),
        reverse("umkm:seller_business"),
        reverse("umkm:seller_product_edit", args=[own.pk]),
    ):
        response = get(client, kreo, url)
        assert response.status_code == 403
        assert "tautan masuk baru" in response.content.decode()
    assert post(client, kreo, reverse("umkm:seller_product_hide", args=[own.pk])).status_code == 403


def test_switching_the_plugin_off_hides_the_seller_area(client, kreo, shop):
    _business, seller, own, *_ = shop
    _link, url = sellers.issue_link(seller)
    sign_in(client, seller)
    switch(kreo, False)
    for path in (
        reverse("umkm:seller_home"),
        reverse("umkm:seller_product_edit", args=[own.pk]),
        f"{reverse('umkm:seller_sign_in')}?token={token_of(url)}",
    ):
        assert get(client, kreo, path).status_code == 404
    assert (
        post(Client(), kreo, reverse("umkm:seller_sign_in"), {"token": token_of(url)}).status_code
        == 404
    )
    switch(kreo, True)
    assert get(client, kreo, reverse("umkm:seller_home")).status_code == 200
    assert Seller.objects.filter(pk=seller.pk).exists()


# -- editing ------------------------------------------------------------------------------------


def test_seller_adds_edits_and_hides_a_product(client, kreo, shop):
    business, seller, own, *_ = shop
    make_catalogue(kreo)
    sign_in(client, seller)
    response = post(
        client,
        kreo,
        reverse("umkm:seller_product_add"),
        {"name": "Selendang batik", "price": "85000", "unit": "lembar", "available": "on"},
    )
    assert response.status_code == 302
    added = Product.objects.get(name="Selendang batik")
    assert added.business == business and added.village_id == kreo.pk and added.price == 85000
    response = post(
        client,
        kreo,
        reverse("umkm:seller_product_edit", args=[own.pk]),
        {"name": "Tas batik tulis", "price": "160000", "unit": "buah", "available": "on"},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "Tas batik tulis" and own.price == 160000
    assert get(client, kreo, f"/umkm/produk/{own.pk}/").status_code == 200
    post(client, kreo, reverse("umkm:seller_product_hide", args=[own.pk]))
    own.refresh_from_db()
    assert own.hidden
    public = Client()
    assert get(public, kreo, f"/umkm/produk/{own.pk}/").status_code == 404
    assert "Tas batik tulis" not in get(public, kreo, "/umkm/").content.decode()
    post(client, kreo, reverse("umkm:seller_product_hide", args=[own.pk]), {"tampilkan": "1"})
    own.refresh_from_db()
    assert not own.hidden


def test_product_form_keeps_input_and_speaks_indonesian(client, kreo, shop):
    _business, seller, own, *_ = shop
    sign_in(client, seller)
    response = post(
        client,
        kreo,
        reverse("umkm:seller_product_edit", args=[own.pk]),
        {"name": "Tas batik ketikan saya", "price": "murah", "unit": "buah"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Tas batik ketikan saya"' in html and 'value="murah"' in html
    assert "Masukkan" in html  # Django's Indonesian "Masukkan sebuah bilangan."
    own.refresh_from_db()
    assert own.name == "Tas batik" and own.price == 150000
    response = post(
        client,
        kreo,
        reverse("umkm:seller_product_add"),
        {"name": "", "price": "0", "unit": "buah", "description": "Deskripsi ketikan"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Deskripsi ketikan" in html
    assert "harus diisi" in html  # Django: "Kolom ini harus diisi."
    assert "Belum tersimpan" in html
    assert not Product.objects.filter(description="Deskripsi ketikan").exists()


def test_product_error_on_a_field_the_seller_cannot_see_is_shown(client, kreo, shop):
    _business, seller, own, *_ = shop
    own.wholesale_tiers = [("tier", {"min_quantity": 10, "unit_price": 120000})]
    own.save()
    sign_in(client, seller)
    response = post(
        client,
        kreo,
        reverse("umkm:seller_product_edit", args=[own.pk]),
        {"name": "Tas batik", "price": "100000", "unit": "buah"},
    )
    assert response.status_code == 200
    assert "Harga grosir harus lebih rendah" in response.content.decode()
    own.refresh_from_db()
    assert own.price == 150000


def business_data(business, **overrides):
    data = {
        "description": business.description,
        "address": business.address,
        "whatsapp": business.whatsapp,
        "opening_hours": business.opening_hours,
        "nib": business.nib,
        "spp_irt": business.spp_irt,
        "halal_certificate": business.halal_certificate,
        "new_qris_payload": business.qris_payload,
    }
    data.update(overrides)
    return data


def test_business_form_keeps_input_and_speaks_indonesian(client, kreo, shop):
    business, seller, *_ = shop
    sign_in(client, seller)
    response = post(
        client,
        kreo,
        reverse("umkm:seller_business"),
        business_data(business, description="Batik tulis halus", whatsapp="12345", nib="12"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nomor WhatsApp tidak sah" in html and "NIB terdiri atas 13 digit" in html
    assert "Batik tulis halus" in html and 'value="12345"' in html
    business.refresh_from_db()
    assert business.description == ""


def test_business_profile_is_saved(client, kreo, shop):
    business, seller, *_ = shop
    sign_in(client, seller)
    response = post(
        client,
        kreo,
        reverse("umkm:seller_business"),
        business_data(business, description="Batik tulis halus", opening_hours="Setiap hari"),
    )
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.description == "Batik tulis halus" and business.opening_hours == "Setiap hari"
    assert business.qris_payload == DANA_STATIC
    assert not QrisPayloadChange.objects.filter(business=business).exists()


def test_broken_qris_from_a_seller_is_refused(client, kreo, shop):
    business, seller, *_ = shop
    sign_in(client, seller)
    response = post(
        client,
        kreo,
        reverse("umkm:seller_business"),
        business_data(business, new_qris_payload=GOPAY_BAD_CRC),
    )
    assert response.status_code == 200
    assert "CRC" in response.content.decode()
    assert not QrisPayloadChange.objects.filter(business=business).exists()


def test_qris_change_by_a_seller_waits_for_the_operator(client, kreo, kandang, shop, kreo_editor):
    business, seller, *_ = shop
    Business.objects.filter(pk=business.pk).update(verified=True)
    sign_in(client, seller)
    response = post(
        client,
        kreo,
        reverse("umkm:seller_business"),
        business_data(business, new_qris_payload=NOBU_STATIC),
    )
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.qris_payload == DANA_STATIC and business.verified
    change = QrisPayloadChange.objects.get(business=business)
    assert change.status == ChangeStatus.PENDING and change.seller == seller
    assert change.new_payload == NOBU_STATIC
    assert "menunggu pemeriksaan" in get(client, kreo, reverse("umkm:seller_home")).content.decode()

    operator = Client()
    operator.force_login(kreo_editor)
    dashboard = operator.get("/admin/").content.decode()
    assert "1 perubahan QRIS dari penjual menunggu tinjauan" in dashboard
    edit = operator.get(reverse("umkm_businesses:edit", args=[business.pk])).content.decode()
    assert reverse("umkm_businesses:qris_review", args=[business.pk]) in edit
    review_url = reverse("umkm_businesses:qris_review", args=[business.pk])
    review = operator.get(review_url).content.decode()
    assert "Setujui" in review and business.qris_merchant_name not in ("",)
    response = operator.post(review_url, {"change": change.pk, "keputusan": "setujui"})
    assert response.status_code == 302
    business.refresh_from_db()
    change.refresh_from_db()
    assert business.qris_payload == NOBU_STATIC and not business.verified
    assert change.status == ChangeStatus.APPLIED and change.reviewed_by == kreo_editor
    assert change.old_payload == DANA_STATIC
    assert QrisPayloadChange.objects.filter(business=business).count() == 1
    assert "0 perubahan QRIS dari penjual" in operator.get("/admin/").content.decode()


def test_rejected_qris_change_leaves_the_business(client, kreo, shop, kreo_editor):
    business, seller, *_ = shop
    change = QrisPayloadChange.request_by_seller(seller, NOBU_STATIC)
    again = QrisPayloadChange.request_by_seller(seller, NOBU_STATIC)
    assert again.pk == change.pk
    operator = Client()
    operator.force_login(kreo_editor)
    review_url = reverse("umkm_businesses:qris_review", args=[business.pk])
    operator.post(review_url, {"change": change.pk, "keputusan": "tolak"})
    change.refresh_from_db()
    business.refresh_from_db()
    assert change.status == ChangeStatus.REJECTED and business.qris_payload == DANA_STATIC
    assert operator.post(review_url, {"change": "abc", "keputusan": "tolak"}).status_code == 404


def test_operator_of_another_village_cannot_review_or_send(
    client, kreo, kandang, shop, kandang_editor
):
    business, seller, *_ = shop
    change = QrisPayloadChange.request_by_seller(seller, NOBU_STATIC)
    operator = Client()
    operator.force_login(kandang_editor)
    review_url = reverse("umkm_businesses:qris_review", args=[business.pk])
    assert operator.get(review_url).status_code == 404
    assert (
        operator.post(review_url, {"change": change.pk, "keputusan": "setujui"}).status_code == 404
    )
    send_url = reverse("umkm_sellers:send_link", args=[seller.pk])
    assert operator.get(send_url).status_code == 404
    assert operator.post(send_url).status_code == 404
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING
    assert not SellerSignInLink.objects.filter(seller=seller).exists()


# -- the operator sends the link ---------------------------------------------------------------


def test_operator_sends_the_link_by_email_and_whatsapp(client, kreo, shop, kreo_editor):
    business, seller, *_ = shop
    Seller.objects.filter(pk=seller.pk).update(email="sari@example.org")
    client.force_login(kreo_editor)
    edit = client.get(reverse("umkm_businesses:edit", args=[business.pk])).content.decode()
    send_url = reverse("umkm_sellers:send_link", args=[seller.pk])
    assert send_url in edit and "Kirim tautan masuk" in edit
    assert client.get(send_url).status_code == 200
    response = client.post(send_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sari@example.org"]
    url = re.search(r"https?://\S+/umkm/penjual/masuk/\?token=\S+", mail.outbox[0].body)[0]
    assert "https://wa.me/6281211112222?text=" in html
    wa = re.search(r'href="(https://wa\.me/[^"]+)"', html)[1]
    assert url in unquote(wa.replace("&amp;", "&"))
    public = Client()
    assert (
        post(public, kreo, reverse("umkm:seller_sign_in"), {"token": token_of(url)}).status_code
        == 302
    )


def test_operator_sees_the_rate_limit_in_indonesian(client, kreo, shop, kreo_editor):
    _business, seller, *_ = shop
    client.force_login(kreo_editor)
    send_url = reverse("umkm_sellers:send_link", args=[seller.pk])
    for _ in range(sellers.LINKS_PER_HOUR):
        assert client.post(send_url).status_code == 200
    response = client.post(send_url)
    assert response.status_code == 400 and "Coba lagi nanti" in response.content.decode()
    assert SellerSignInLink.objects.filter(seller=seller).count() == sellers.LINKS_PER_HOUR


def test_seller_needs_whatsapp_or_email(client, kreo, shop, kreo_editor):
    business, *_ = shop
    client.force_login(kreo_editor)
    response = client.post(
        reverse("umkm_sellers:add"),
        {
            "village": kreo.pk,
            "business": business.pk,
            "name": "Pak Budi",
            "whatsapp": "",
            "email": "",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "Isi nomor WhatsApp atau alamat surel penjual." in response.content.decode()
    assert not Seller.objects.filter(name="Pak Budi").exists()


def test_seller_form_offers_only_own_businesses(client, kreo, kandang, shop, kreo_editor):
    other = make_business(kandang, name="Konveksi Kandang")
    client.force_login(kreo_editor)
    html = client.get(reverse("umkm_sellers:add")).content.decode()
    assert "Batik Kreo" in html and "Konveksi Kandang" not in html
    response = client.post(
        reverse("umkm_sellers:add"),
        {
            "village": kreo.pk,
            "business": other.pk,
            "name": "Pak Budi",
            "whatsapp": "081233334444",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert not Seller.objects.filter(name="Pak Budi").exists()
