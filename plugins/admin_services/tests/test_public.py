"""The resident's side: service list, request form, uploads, limits, tracking with the PIN."""

import io

import pytest
from django.test import override_settings
from PIL import Image

from plugins.admin_services.models import (
    RequestDocument,
    RequestState,
    RequestTransition,
    ServiceRequest,
)

from .conftest import OTHER_NIK, VALID_NIK, adopt, switch
from .helpers import PDF_BYTES, form_data, jpeg_with_exif, make_request, png_bytes, upload

pytestmark = pytest.mark.django_db

HOST = "kreo.localhost"


def url(page, suffix=""):
    return page.url + suffix


def post_form(client, page, service, files=(), host=HOST, **overrides):
    data = form_data(service, **overrides)
    if files:
        data["documents"] = list(files)
    # the form token must be older than a human's reading time; take it from a fresh GET
    response = client.get(url(page, f"ajukan/{service.code}/"), HTTP_HOST=host)
    data["issued"] = response.context["form"]["issued"].value()
    return client.post(url(page, f"ajukan/{service.code}/"), data, HTTP_HOST=host)


def test_service_list_shows_only_this_villages_active_services(
    client, kreo, kandang, kreo_page, sktm, road
):
    adopt(kandang, "usaha")
    hidden = adopt(kreo, "kematian")
    hidden.active = False
    hidden.save()
    body = client.get(url(kreo_page), HTTP_HOST=HOST).content.decode()
    assert sktm.name in body and road.name in body
    assert "Surat Keterangan Usaha" not in body  # Kandang's
    assert "Surat Keterangan Kematian" not in body  # inactive


def test_submit_creates_request_with_documents_and_audit_row(client, kreo_page, sktm):
    response = post_form(
        client,
        kreo_page,
        sktm,
        files=[upload("ktp.pdf", PDF_BYTES), upload("kk.png", png_bytes())],
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    obj = ServiceRequest.objects.get()
    assert response["Location"].endswith(f"lacak/{obj.tracking_token}/?baru=1")
    assert obj.state == RequestState.SUBMITTED and obj.village_id == sktm.village_id
    assert obj.nik == VALID_NIK and obj.rt == "002" and obj.consent_at is not None
    assert obj.answers["keperluan"] == "pendidikan"
    assert len(obj.tracking_token) >= 32 and len(obj.number) == 8
    assert RequestDocument.objects.filter(request=obj).count() == 2
    assert RequestTransition.objects.get(request=obj).to_state == RequestState.SUBMITTED
    # the session that submitted sees the tracking page at once, with number and link
    page = client.get(response["Location"], HTTP_HOST=HOST)
    text = page.content.decode()
    assert obj.number in text and obj.tracking_token in text
    assert "private" in page["Cache-Control"]


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"nik": "1234567890123456"}, "nik", "NIK tidak sah"),
        ({"pin": "12"}, "pin", "PIN harus 6 angka"),
        ({"pin": "111111"}, "pin", "terlalu mudah"),
        ({"consent": ""}, "consent", ""),
        ({"f_penghasilan": ""}, "f_penghasilan", ""),
        ({"phone": "telp saya"}, "phone", "Nomor telepon tidak sah"),
    ],
)
def test_bad_input_keeps_what_was_typed(client, kreo_page, sktm, overrides, field, message):
    response = post_form(client, kreo_page, sktm, **overrides)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field], errors
    text = response.content.decode()
    assert message in text
    assert f'id="id_{field}-error"' in text
    assert 'value="Siti Aminah"' in text and 'value="Krajan"' in text
    assert "Permohonan belum terkirim" in text
    assert not ServiceRequest.objects.exists()


def test_disguised_and_oversize_uploads_refused(client, kreo_page, sktm):
    fake_pdf = upload("ktp.pdf", b"MZ\x90\x00 this is an executable")
    response = post_form(client, kreo_page, sktm, files=[fake_pdf])
    assert "bukan PDF yang sah" in response.content.decode()
    png_named_jpg = upload("foto.jpg", png_bytes())
    response = post_form(client, kreo_page, sktm, files=[png_named_jpg])
    assert "bukan JPEG yang sah" in response.content.decode()
    with override_settings(SIDEKEM_SERVICES_MAX_UPLOAD_BYTES=100):
        response = post_form(client, kreo_page, sktm, files=[upload("kk.png", png_bytes((64, 64)))])
    text = response.content.decode()
    assert "terlalu besar" in text and 'value="Siti Aminah"' in text
    assert "lampirkan lagi" in text
    exe = upload("virus.exe", b"MZ")
    assert (
        "hanya PDF, JPG atau PNG"
        in post_form(client, kreo_page, sktm, files=[exe]).content.decode()
    )
    assert not ServiceRequest.objects.exists() and not RequestDocument.objects.exists()


def test_images_reencoded_without_metadata(client, kreo_page, sktm):
    original = jpeg_with_exif()
    assert b"KameraRahasia" in original
    response = post_form(client, kreo_page, sktm, files=[upload("ktp.jpg", original)])
    assert response.status_code == 302
    doc = RequestDocument.objects.get()
    stored = doc.file.read()
    assert stored.startswith(b"\xff\xd8\xff") and b"KameraRahasia" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert doc.content_type == "image/jpeg" and "/uploads/" in doc.file.name


def test_honeypot_refuses_and_empties_field(client, kreo_page, sktm):
    response = post_form(client, kreo_page, sktm, website="http://spam.example")
    text = response.content.decode()
    assert "Jangan isi kolom ini" in text and "sudah kami kosongkan" in text
    assert response.context["form"]["website"].value() == ""
    assert not ServiceRequest.objects.exists()


@override_settings(SIDEKEM_SERVICES_LIMIT_PER_CLIENT=2, SIDEKEM_SERVICES_LIMIT_PER_NIK=100)
def test_rate_limit_per_client(client, kreo_page, sktm):
    assert post_form(client, kreo_page, sktm).status_code == 302
    assert post_form(client, kreo_page, sktm, nik=OTHER_NIK).status_code == 302
    response = post_form(client, kreo_page, sktm, nik=OTHER_NIK)
    assert response.status_code == 200 and "Terlalu banyak permohonan" in response.content.decode()
    assert ServiceRequest.objects.count() == 2


@override_settings(SIDEKEM_SERVICES_LIMIT_PER_CLIENT=100, SIDEKEM_SERVICES_LIMIT_PER_NIK=1)
def test_rate_limit_per_nik(client, kreo_page, sktm):
    assert post_form(client, kreo_page, sktm).status_code == 302
    refused = post_form(client, kreo_page, sktm)
    assert "Terlalu banyak permohonan" in refused.content.decode()
    assert post_form(client, kreo_page, sktm, nik=OTHER_NIK).status_code == 302


def test_complaint_with_location(client, kreo_page, road):
    response = post_form(
        client,
        kreo_page,
        road,
        nik="",
        latitude="-7.012345",
        longitude="109.234567",
        files=[upload("jembatan.png", png_bytes())],
    )
    assert response.status_code == 302, response.context["form"].errors
    obj = ServiceRequest.objects.get()
    assert str(obj.latitude) == "-7.012345" and obj.description
    assert obj.nik == "" and obj.answers["tingkat"] == "ringan"


def test_tracking_needs_pin_and_locks_out(client, kreo_page, sktm):
    obj = make_request(sktm, pin="482913")
    track = url(kreo_page, f"lacak/{obj.tracking_token}/")
    body = client.get(track, HTTP_HOST=HOST).content.decode()
    assert "Masukkan PIN" in body and obj.name not in body and "Riwayat" not in body
    for _ in range(5):
        response = client.post(track, {"action": "pin", "pin": "000000"}, HTTP_HOST=HOST)
    assert "terkunci" in response.content.decode()
    response = client.post(track, {"action": "pin", "pin": "482913"}, HTTP_HOST=HOST)
    assert response.status_code == 200 and "terkunci" in response.content.decode()
    assert "Riwayat" not in response.content.decode()


def test_tracking_with_pin_shows_timeline_and_cancels(client, kreo_page, sktm):
    obj = make_request(sktm, pin="482913")
    track = url(kreo_page, f"lacak/{obj.tracking_token}/")
    assert client.post(track, {"action": "cancel"}, HTTP_HOST=HOST).status_code == 403
    response = client.post(track, {"action": "pin", "pin": "482913"}, HTTP_HOST=HOST)
    assert response.status_code == 302
    body = client.get(track, HTTP_HOST=HOST).content.decode()
    assert "Riwayat" in body and "Diajukan" in body
    client.post(track, {"action": "cancel"}, HTTP_HOST=HOST)
    obj.refresh_from_db()
    assert obj.state == RequestState.CANCELLED
    row = obj.transitions.last()
    assert row.to_state == RequestState.CANCELLED and row.actor_role == "resident"


def test_tracking_of_another_village_is_404(client, kandang, kreo_page, kandang_page):
    kandang_request = make_request(adopt(kandang, "sktm"))
    assert (
        client.get(
            url(kreo_page, f"lacak/{kandang_request.tracking_token}/"), HTTP_HOST=HOST
        ).status_code
        == 404
    )
    assert (
        client.get(
            url(kandang_page, f"lacak/{kandang_request.tracking_token}/"),
            HTTP_HOST="kandang.localhost",
        ).status_code
        == 200
    )
    assert client.get(url(kreo_page, "lacak/tebakan/"), HTTP_HOST=HOST).status_code == 404


def test_plugin_off_hides_forms_and_tracking_but_keeps_data(client, kreo, kreo_page, sktm):
    obj = make_request(sktm)
    switch(kreo, False)
    assert client.get(url(kreo_page), HTTP_HOST=HOST).status_code == 404
    assert client.get(url(kreo_page, "ajukan/sktm/"), HTTP_HOST=HOST).status_code == 404
    track = url(kreo_page, f"lacak/{obj.tracking_token}/")
    assert client.get(track, HTTP_HOST=HOST).status_code == 404
    assert ServiceRequest.objects.filter(pk=obj.pk).exists()
    switch(kreo, True)
    assert client.get(track, HTTP_HOST=HOST).status_code == 200


def test_resident_sends_revision(client, kreo_page, sktm, officer):
    from plugins.admin_services.workflow import transition

    obj = make_request(sktm, pin="482913")
    transition(obj, RequestState.CHECKING, user=officer)
    transition(obj, RequestState.NEEDS_REVISION, user=officer, note="Foto KK buram")
    track = url(kreo_page, f"lacak/{obj.tracking_token}/")
    client.post(track, {"action": "pin", "pin": "482913"}, HTTP_HOST=HOST)
    assert "Foto KK buram" in client.get(track, HTTP_HOST=HOST).content.decode()
    response = client.post(
        track,
        {"action": "revise", "note": "KK baru", "documents": [upload("kk.pdf", PDF_BYTES)]},
        HTTP_HOST=HOST,
    )
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.state == RequestState.CHECKING and obj.documents.count() == 1
