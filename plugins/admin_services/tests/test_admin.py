"""The officers' admin: scoped list with filters, detail with actions, walk-in, register."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plugins.admin_services.models import Letter, RequestState, ServiceRequest

from .conftest import VALID_NIK, adopt, switch
from .helpers import form_data, make_request

pytestmark = pytest.mark.django_db
HOST = "kreo.localhost"


def test_officer_list_is_scoped_and_masked_fields_absent(client, kreo, kandang, officer, sktm):
    mine = make_request(sktm, name="Warga Kreo")
    theirs = make_request(adopt(kandang, "sktm"), name="Warga Kandang")
    client.force_login(officer)
    body = client.get(reverse("admin_services_requests:index"), HTTP_HOST=HOST).content.decode()
    assert mine.number in body and "Warga Kreo" in body
    assert theirs.number not in body and "Warga Kandang" not in body
    assert VALID_NIK not in body  # the list never shows NIKs


def test_filters_state_and_overdue(client, officer, sktm, domisili):
    late = make_request(sktm, name="Terlambat")
    ServiceRequest.objects.filter(pk=late.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    done = make_request(domisili, name="Selesai")
    ServiceRequest.objects.filter(pk=done.pk).update(
        state=RequestState.COMPLETED, due_on=timezone.localdate() - datetime.timedelta(days=9)
    )
    fresh = make_request(domisili, name="Baru")
    client.force_login(officer)
    index = reverse("admin_services_requests:index")
    overdue = client.get(index, {"overdue": "true"}, HTTP_HOST=HOST).content.decode()
    assert late.number in overdue and done.number not in overdue and fresh.number not in overdue
    by_state = client.get(index, {"state": "selesai"}, HTTP_HOST=HOST).content.decode()
    assert done.number in by_state and late.number not in by_state
    by_service = client.get(index, {"service": domisili.pk}, HTTP_HOST=HOST).content.decode()
    assert fresh.number in by_service and late.number not in by_service


def test_another_villages_request_is_404(client, kandang, officer):
    theirs = make_request(adopt(kandang, "sktm"))
    client.force_login(officer)
    for name in ("inspect", "edit", "delete"):
        url = reverse(f"admin_services_requests:{name}", args=[theirs.pk])
        assert client.get(url, HTTP_HOST=HOST).status_code == 404, name
        assert client.post(url, {"target": "diperiksa"}, HTTP_HOST=HOST).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == RequestState.SUBMITTED


def test_editor_sees_no_requests(client, editor, sktm):
    obj = make_request(sktm)
    client.force_login(editor)
    response = client.get(reverse("admin_services_requests:inspect", args=[obj.pk]), HTTP_HOST=HOST)
    assert response.status_code in (302, 403)
    assert VALID_NIK not in response.content.decode()


def test_detail_shows_timeline_actions_and_whatsapp(client, kreo_page, officer, sktm):
    obj = make_request(sktm, name="Siti")
    client.force_login(officer)
    url = reverse("admin_services_requests:inspect", args=[obj.pk])
    body = client.get(url, HTTP_HOST=HOST).content.decode()
    assert VALID_NIK in body  # the village's officer sees the full NIK
    assert "Mulai periksa" in body and "Terbitkan surat" not in body
    assert "https://wa.me/6281234567890?text=" in body
    assert obj.tracking_token in body
    response = client.post(
        url, {"target": RequestState.CHECKING, "note": "Diterima"}, HTTP_HOST=HOST
    )
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.state == RequestState.CHECKING
    # a move the role does not allow is refused with a message and changes nothing
    client.post(url, {"target": RequestState.ISSUED}, HTTP_HOST=HOST)
    obj.refresh_from_db()
    assert obj.state == RequestState.CHECKING
    body = client.get(url, HTTP_HOST=HOST).content.decode()
    assert "Diterima" in body and "Ajukan tanda tangan" in body


def test_issue_from_admin_creates_letter(client, officer, kades, sktm):
    obj = make_request(sktm)
    obj.state = RequestState.AWAITING_SIGNATURE
    obj.save()
    client.force_login(kades)
    url = reverse("admin_services_requests:inspect", args=[obj.pk])
    client.post(url, {"target": RequestState.ISSUED}, HTTP_HOST=HOST)
    letter = Letter.objects.get(request=obj)
    register = client.get(reverse("admin_services_letters:index"), HTTP_HOST=HOST)
    assert letter.number in register.content.decode()


def test_walk_in_request(client, kreo, officer, sktm):
    client.force_login(officer)
    url = reverse("admin_services_walk_in")
    assert sktm.name in client.get(url, HTTP_HOST=HOST).content.decode()
    data = form_data(sktm, layanan=sktm.pk)
    response = client.post(url, data, HTTP_HOST=HOST)
    assert response.status_code == 302
    obj = ServiceRequest.objects.get()
    assert obj.channel == "loket" and obj.created_by == officer and obj.pin_hash == ""
    bad = client.post(url, {**data, "nik": "123"}, HTTP_HOST=HOST)
    assert bad.status_code == 200 and "NIK tidak sah" in bad.content.decode()
    assert ServiceRequest.objects.count() == 1


def test_walk_in_refuses_another_villages_service(client, kandang, officer):
    theirs = adopt(kandang, "sktm")
    client.force_login(officer)
    response = client.get(reverse("admin_services_walk_in"), {"layanan": theirs.pk}, HTTP_HOST=HOST)
    assert response.status_code == 404


def test_reserve_numbers_from_admin(client, kreo, officer):
    client.force_login(officer)
    response = client.post(
        reverse("admin_services_reserve"),
        {"count": 2, "subject": "Undangan musdes", "classification_code": "005"},
        HTTP_HOST=HOST,
    )
    assert response.status_code == 302
    assert list(Letter.objects.filter(village=kreo).values_list("sequence", flat=True)) == [2, 1]


def test_admin_off_when_plugin_off(client, kreo, officer, sktm):
    obj = make_request(sktm)
    switch(kreo, False)
    client.force_login(officer)
    url = reverse("admin_services_requests:inspect", args=[obj.pk])
    assert client.get(url, HTTP_HOST=HOST).status_code == 403
    assert client.get(reverse("admin_services_requests:index"), HTTP_HOST=HOST).status_code == 403


def test_signed_scan_replaces_pdf_and_hash(client, officer, kades, sktm):
    import hashlib

    from .helpers import PDF_BYTES, upload

    obj = make_request(sktm)
    obj.state = RequestState.AWAITING_SIGNATURE
    obj.save()
    client.force_login(kades)
    url = reverse("admin_services_requests:inspect", args=[obj.pk])
    client.post(url, {"target": RequestState.ISSUED}, HTTP_HOST=HOST)
    letter = Letter.objects.get(request=obj)
    generated = letter.sha256
    client.force_login(officer)
    bad = upload("scan.pdf", b"not a pdf at all")
    client.post(url, {"action": "upload_scan", "scan": bad}, HTTP_HOST=HOST)
    letter.refresh_from_db()
    assert letter.sha256 == generated
    scan = PDF_BYTES + b"% signed and stamped\n%%EOF\n"
    client.post(url, {"action": "upload_scan", "scan": upload("scan.pdf", scan)}, HTTP_HOST=HOST)
    letter.refresh_from_db()
    assert letter.sha256 == hashlib.sha256(scan).hexdigest() != generated
    assert letter.file.read() == scan
