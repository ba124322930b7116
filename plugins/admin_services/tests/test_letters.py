"""Letter numbers (format, sequence, reservation, concurrency), PDF, QR and verification."""

import datetime
import hashlib
import io
import os
import threading

import pytest
from django.db import connection, connections

from plugins.admin_services.letters import issue_letter, qr_png, verification_url
from plugins.admin_services.models import Letter, LetterCounter, RequestState, ServiceSettings
from plugins.admin_services.numbering import format_number, next_letter, reserve_numbers
from plugins.admin_services.workflow import transition

from .conftest import VALID_NIK, adopt, switch
from .helpers import make_request

pytestmark = pytest.mark.django_db


def test_format_number():
    date = datetime.date(2026, 11, 30)
    assert (
        format_number(
            "{kode}/{nomor}/{desa}/{bulan}/{tahun}",
            code="400.12.2.2",
            sequence=7,
            digits=3,
            village_code="2013",
            date=date,
        )
        == "400.12.2.2/007/2013/XI/2026"
    )
    # no classification code: no empty part left behind
    assert (
        format_number(
            "{kode}/{nomor}/{desa}/{bulan}/{tahun}",
            code="",
            sequence=12,
            digits=4,
            village_code="Ds.Kr",
            date=datetime.date(2026, 4, 1),
        )
        == "0012/Ds.Kr/IV/2026"
    )
    with pytest.raises(ValueError):
        format_number("{nama}/{nomor}", code="", sequence=1, digits=3, village_code="", date=date)
    with pytest.raises(ValueError):
        format_number("{kode}/{tahun}", code="", sequence=1, digits=3, village_code="", date=date)


def test_sequence_per_village_and_year(kreo, kandang):
    conf = ServiceSettings.for_site(kreo.site)
    conf.letter_village_code = "Ds.Kr"
    conf.save()
    a = next_letter(kreo, subject="A", classification_code="470")
    b = next_letter(kreo, subject="B", classification_code="474")
    c = next_letter(kandang, subject="C")
    old = next_letter(kreo, subject="D", issued_on=datetime.date(2025, 12, 31))
    year = a.issued_on.year
    assert (a.sequence, b.sequence, c.sequence, old.sequence) == (1, 2, 1, 1)
    month = "I II III IV V VI VII VIII IX X XI XII".split()[a.issued_on.month - 1]
    assert a.number == f"470/001/Ds.Kr/{month}/{year}"
    assert b.number.startswith("474/002/")
    assert c.number == f"001/2017/{month}/{year}"
    assert old.number == "001/Ds.Kr/XII/2025"
    assert LetterCounter.objects.get(village=kreo, year=year).last_number == 2


def test_reserved_numbers_share_the_sequence(kreo):
    first = next_letter(kreo, subject="Surat dari permohonan")
    reserved = reserve_numbers(kreo, 3, subject="Surat dinas", classification_code="005")
    after = next_letter(kreo, subject="Berikutnya")
    assert [r.sequence for r in reserved] == [2, 3, 4] and all(r.reserved for r in reserved)
    assert after.sequence == 5 and first.sequence == 1
    with pytest.raises(ValueError):
        reserve_numbers(kreo, 0, subject="x")
    assert Letter.objects.filter(village=kreo).count() == 5


def test_sequence_per_classification_code(kreo):
    from django.core.exceptions import ValidationError

    conf = ServiceSettings.for_site(kreo.site)
    conf.per_service_sequence = True
    conf.save()
    a = next_letter(kreo, subject="SKTM", classification_code="400.12")
    b = next_letter(kreo, subject="Domisili", classification_code="470")
    c = next_letter(kreo, subject="SKTM", classification_code="400.12")
    assert (a.sequence, b.sequence, c.sequence) == (1, 1, 2)
    assert len({a.number, b.number, c.number}) == 3
    conf.number_format = "{nomor}/{desa}/{tahun}"  # no code: per-code sequences would collide
    with pytest.raises(ValidationError):
        conf.full_clean()
    conf.save()
    d = next_letter(kreo, subject="x", classification_code="400.12")
    e = next_letter(kreo, subject="y", classification_code="470")
    assert d.number != e.number and (d.scope, e.scope) == ("", "")
    conf.number_format = "{nama}/{nomor}"
    with pytest.raises(ValidationError):
        conf.full_clean()


def test_many_issues_never_repeat_a_number(kreo):
    letters = [next_letter(kreo, subject=f"S{i}") for i in range(60)]
    numbers = [letter.number for letter in letters]
    assert len(set(numbers)) == 60
    assert sorted(letter.sequence for letter in letters) == list(range(1, 61))


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="row locks need PostgreSQL (SQLite serialises writers anyway)",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_on_postgresql_get_distinct_numbers():
    from core.villages.models import Village

    from .conftest import KREO, ensure_world

    ensure_world()
    kreo = Village.objects.select_related("site").get(code=KREO.code)
    switch(kreo, True)
    workers, per_worker = 50, 2
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def issue():
        try:
            barrier.wait()
            for _ in range(per_worker):
                results.append(next_letter(kreo, subject="Serentak").number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    assert len(results) == workers * per_worker
    assert len(set(results)) == len(results), "duplicate letter numbers"
    year = datetime.date.today().year
    assert LetterCounter.objects.get(village=kreo, year=year, scope="").last_number == len(results)


def issued_request(service, officer, kades):
    obj = make_request(service)
    transition(obj, RequestState.CHECKING, user=officer)
    transition(obj, RequestState.AWAITING_SIGNATURE, user=officer)
    transition(obj, RequestState.ISSUED, user=kades)
    return obj


def test_issued_letter_pdf_qr_and_hash(kreo, sktm, officer, kades):
    import zxingcpp
    from PIL import Image

    conf = ServiceSettings.for_site(kreo.site)
    conf.kepala_desa_name = "Darsono"
    conf.save()
    obj = issued_request(sktm, officer, kades)
    letter = Letter.objects.get(request=obj)
    data = letter.file.read()
    assert data.startswith(b"%PDF") and letter.sha256 == hashlib.sha256(data).hexdigest()
    assert f"Nomor: {letter.number}".encode() in data
    assert b"Darsono" in data and obj.name.encode() in data
    assert b"/Subtype /Image" in data  # the QR code
    assert letter.signer_name == "Darsono" and letter.addressee == obj.name
    # F4 paper: 215 x 330 mm = 609.45 x 935.43 pt
    assert b"/MediaBox [ 0 0 609.4488 935.4331 ]" in data
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png(verification_url(letter)))))
    assert decoded[0].text == verification_url(letter)
    assert verification_url(letter).startswith("http://kreo.localhost")
    assert issue_letter(obj).pk == letter.pk  # issuing twice makes no second number


def test_verification_page_shows_facts_not_personal_data(client, kreo, sktm, officer, kades):
    obj = issued_request(sktm, officer, kades)
    letter = Letter.objects.get(request=obj)
    url = f"/admin_services/verifikasi/?kode={letter.verify_token}"
    response = client.get(url, HTTP_HOST="kreo.localhost")
    body = response.content.decode()
    assert response.status_code == 200
    assert letter.number in body and letter.sha256 in body and "sah" in body
    assert VALID_NIK not in body and obj.phone not in body
    letter.revoked_at = letter.created_at
    letter.revoked_reason = "Salah ketik nama"
    letter.save()
    assert "DICABUT" in client.get(url, HTTP_HOST="kreo.localhost").content.decode()
    # unknown code, another village's host, plugin off: not found
    assert (
        client.get("/admin_services/verifikasi/?kode=x", HTTP_HOST="kreo.localhost").status_code
        == 404
    )
    assert client.get(url, HTTP_HOST="kandang.localhost").status_code == 404
    switch(kreo, False)
    assert client.get(url, HTTP_HOST="kreo.localhost").status_code == 404


def test_resident_downloads_letter_with_pin(client, kreo, kreo_page, sktm, officer, kades):
    obj = issued_request(sktm, officer, kades)
    download = f"{kreo_page.url}lacak/{obj.tracking_token}/surat/"
    assert client.get(download, HTTP_HOST="kreo.localhost").status_code == 403
    client.post(
        f"{kreo_page.url}lacak/{obj.tracking_token}/",
        {"action": "pin", "pin": "482913"},
        HTTP_HOST="kreo.localhost",
    )
    response = client.get(download, HTTP_HOST="kreo.localhost")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_no_nik_in_verification_url_or_register(kreo, sktm, officer, kades):
    obj = issued_request(sktm, officer, kades)
    letter = Letter.objects.get(request=obj)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM admin_services_letter WHERE id = %s", [letter.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert VALID_NIK not in row and VALID_NIK not in verification_url(letter)
    assert adopt(kreo, "sktm").pk == sktm.pk
