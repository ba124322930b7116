"""Residents on a phone use the village's service counter (plugins/admin_services).

1. A resident asks for an SKTM with two uploads (a PDF and a JPEG) and a PIN; an officer of the
   village signs in to the Wagtail admin and moves the request through checking → awaiting
   signature → issued; the resident opens the tracking link on another phone session, enters
   the PIN and downloads the letter (a PDF); the QR code printed on it (decoded from the PDF's
   image with zxing-cpp, as a phone camera reads it) opens the verification page, which shows
   the letter's number and hash and never the NIK.
2. A resident reports a broken bridge with a photo and the phone's position; the Open311
   listing ``/open311/v2/requests.xml`` of the village host then carries it with its service
   code, position and a ``media_url`` serving the photo without its metadata, and no personal
   data.

The services page, services and officer are committed for this module (the live server reads
its own connection with PostgreSQL) and removed at the end, with the requests the tests made.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import shutil
import tempfile
import zlib
from xml.etree import ElementTree as ET

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import EDITOR_PASSWORD, allow_db_beside_playwright

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
SLUG = "layanan-uji-browser"
OFFICER = "browser.officer.kreo"
NIK = "3327074501900001"  # valid for python-stdnum: Randudongkal, woman born 5 Jan 1990
KK = "3327071201150003"
PIN = "482913"
RESIDENT_PHONE = "081298765432"
POSITION = {"latitude": -7.0123, "longitude": 109.2345}


@pytest.fixture(scope="module")
def counter(browser_world, django_db_blocker):
    """Kreo with the plugin on, a services page, the SKTM and road-complaint services and a
    service officer; every row the module made is removed afterwards."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import override_settings

    from core.pluginhost.models import PluginSwitchChange
    from core.pluginhost.switches import set_plugin_enabled
    from core.villages.models import Village
    from core.website.models import VillageHomePage
    from plugins.admin_services.models import (
        Letter,
        LetterCounter,
        Service,
        ServiceRequest,
        ServiceSettings,
        ServiceTemplate,
    )
    from plugins.admin_services.pages import ServicesPage

    media = tempfile.mkdtemp(prefix="sidekem-browser-services-")
    media_override = override_settings(MEDIA_ROOT=media)
    media_override.enable()
    with django_db_blocker.unblock(), allow_db_beside_playwright():
        kreo = Village.objects.select_related("site").get(code=browser_world.kreo.code)
        set_plugin_enabled([kreo], "admin_services", True, None, PluginSwitchChange.Source.COMMAND)
        home = VillageHomePage.objects.get(village=kreo, locale__language_code="id")
        page = ServicesPage(title="Layanan Desa", slug=SLUG)
        home.add_child(instance=page)
        page.save_revision().publish()
        services = [
            Service.adopt(ServiceTemplate.objects.get(code=code), kreo)
            for code in ("sktm", "jalan")
        ]
        conf = ServiceSettings.for_site(kreo.site)
        signer_before = conf.kepala_desa_name
        conf.kepala_desa_name = "Bapak Kepala Uji"
        conf.save()
        officer = get_user_model().objects.create_user(
            username=OFFICER, password=EDITOR_PASSWORD, first_name="Petugas", last_name="Kreo"
        )
        officer.groups.add(kreo.officers_group)
        cache.clear()
    try:
        yield page
    finally:
        with django_db_blocker.unblock(), allow_db_beside_playwright():
            requests = ServiceRequest.objects.filter(service__in=services)
            Letter.objects.filter(request__in=requests).delete()
            LetterCounter.objects.filter(village=kreo).delete()
            requests.delete()
            Service.objects.filter(pk__in=[s.pk for s in services]).delete()
            ServicesPage.objects.get(pk=page.pk).delete()
            get_user_model().objects.filter(username=OFFICER).delete()
            ServiceSettings.objects.filter(pk=conf.pk).update(kepala_desa_name=signer_before)
            set_plugin_enabled(
                [kreo], "admin_services", False, None, PluginSwitchChange.Source.COMMAND
            )
            cache.clear()
        media_override.disable()
        shutil.rmtree(media, ignore_errors=True)


# -- files the resident attaches, and reading the letter -------------------------------------


def small_pdf() -> bytes:
    from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 720, "Kartu Keluarga (salinan)")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def photo_with_exif(colour=(40, 120, 200)) -> bytes:
    image = Image.new("RGB", (64, 48), colour)
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def number_in(head: bytes, key: bytes) -> int:
    found = re.search(rb"/" + key + rb" (\d+)", head)
    assert found is not None, (key, head)
    return int(found.group(1))


def qr_texts_in_pdf(pdf: bytes) -> list[str]:
    """What the QR codes drawn as images in ``pdf`` say (reportlab's image XObjects: raw
    pixels behind ASCII85 and Flate filters), decoded as a phone camera would."""
    found: list[str] = []
    pattern = re.compile(
        rb"<<((?:(?!>>).){0,600}?/Subtype /Image(?:(?!>>).)*)>>\s*stream\r?\n", re.S
    )
    for match in pattern.finditer(pdf):
        head = match.group(1)
        width, height, length = (number_in(head, key) for key in (b"Width", b"Height", b"Length"))
        data = pdf[match.end() : match.end() + length].strip()
        if b"/ASCII85Decode" in head:
            data = base64.a85decode(data.removeprefix(b"<~").removesuffix(b"~>"))
        if b"/FlateDecode" in head:
            data = zlib.decompress(data)
        mode = "RGB" if b"/DeviceRGB" in head else "L"
        image = Image.frombytes(mode, (width, height), data)
        found.extend(result.text for result in zxingcpp.read_barcodes(image))
    return found


def log_in_officer(page, world) -> None:
    page.goto(world.url("kreo", "/admin/login/"))
    page.get_by_label("Nama pengguna").fill(OFFICER)
    page.locator("input[name=password]").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name=re.compile("Masuk")).click()
    expect(page).to_have_url(world.url("kreo", "/admin/"))


def request_pk(number: str) -> int:
    from plugins.admin_services.models import ServiceRequest

    with allow_db_beside_playwright():
        return ServiceRequest.objects.get(number=number).pk


# -- 1. an SKTM from request to verified letter -------------------------------------------------


def test_resident_gets_an_sktm_issued_downloads_it_with_the_pin_and_verifies_it(
    browser_world, counter, new_page, assert_accessible, tmp_path
):
    from django.urls import reverse

    world = browser_world
    resident = new_page(viewport=PHONE, mobile=True)
    resident.goto(world.url("kreo", f"/{SLUG}/"))
    resident.get_by_role("link", name="Surat Keterangan Tidak Mampu (SKTM)").click()
    expect(resident.locator("h1")).to_have_text("Surat Keterangan Tidak Mampu (SKTM)")
    assert_accessible(resident)

    (tmp_path / "kk.pdf").write_bytes(small_pdf())
    (tmp_path / "rumah.jpg").write_bytes(photo_with_exif())
    resident.get_by_label("Nama lengkap").fill("Siti Aminah")
    resident.get_by_label("NIK").fill(NIK)
    resident.get_by_label("Nomor KK").fill(KK)
    resident.get_by_label("Nomor WhatsApp/telepon").fill(RESIDENT_PHONE)
    resident.get_by_label("Dusun").fill("Krajan")
    resident.locator("#id_rt").fill("2")
    resident.locator("#id_rw").fill("1")
    resident.get_by_label("Keperluan").select_option("pendidikan")
    resident.get_by_label("Penghasilan keluarga per bulan (Rp)").fill("900000")
    resident.get_by_label("Jumlah tanggungan keluarga").fill("4")
    resident.get_by_label("Berkas persyaratan (PDF, JPG atau PNG)").set_input_files(
        [str(tmp_path / "kk.pdf"), str(tmp_path / "rumah.jpg")]
    )
    resident.get_by_label("PIN 6 angka pilihan Anda").fill(PIN)
    resident.get_by_role("checkbox", name=re.compile("Saya setuju")).check()
    resident.get_by_role("button", name="Kirim permohonan").click()

    notice = resident.get_by_role("status").filter(has_text="sudah kami terima")
    expect(notice).to_be_visible()
    number = notice.locator("strong").inner_text()
    tracking_link = notice.get_by_role("link").get_attribute("href")
    assert f"/{SLUG}/lacak/" in tracking_link
    expect(resident.get_by_text("kk.pdf")).to_be_visible()
    expect(resident.get_by_text("rumah.jpg")).to_be_visible()
    assert_accessible(resident)

    # The officer works the request in the Wagtail admin.
    officer = new_page()
    log_in_officer(officer, world)
    officer.goto(world.url("kreo", reverse("admin_services_requests:index")))
    expect(officer.get_by_text(number)).to_be_visible()
    officer.goto(
        world.url("kreo", reverse("admin_services_requests:inspect", args=[request_pk(number)]))
    )
    expect(officer.get_by_text("kk.pdf")).to_be_visible()
    for action, state in (
        ("Mulai periksa", "Sedang diperiksa"),
        ("Ajukan tanda tangan", "Menunggu tanda tangan"),
        ("Terbitkan surat", "Selesai dibuat, siap diambil"),
    ):
        officer.get_by_role("button", name=action).click()
        expect(officer.get_by_text(f"Status permohonan {number}: {state}.")).to_be_visible()
    letter_line = officer.locator("h2:has-text('Surat') + p")
    expect(letter_line).to_contain_text("SHA-256")

    # Later, on a new session: the tracking link asks for the PIN.
    later = new_page(viewport=PHONE, mobile=True)
    later.goto(tracking_link)
    expect(later.get_by_text("Masukkan PIN yang Anda pilih saat mengajukan.")).to_be_visible()
    later.get_by_label("PIN").fill("111222")
    later.get_by_role("button", name="Buka").click()
    expect(later.get_by_role("alert")).to_have_text("PIN salah.")
    later.get_by_label("PIN").fill(PIN)
    later.get_by_role("button", name="Buka").click()
    expect(later.locator("dl.facts")).to_contain_text("Selesai dibuat, siap diambil")
    assert_accessible(later)
    with later.expect_download() as download_info:
        later.get_by_role("link", name="Unduh surat (PDF)").click()
    saved = tmp_path / "surat.pdf"
    download_info.value.save_as(saved)
    pdf = saved.read_bytes()
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]

    # The QR code on the letter opens the verification page on the village's host.
    urls = qr_texts_in_pdf(pdf)
    assert len(urls) == 1, urls
    assert urls[0].startswith(world.url("kreo", "/admin_services/verifikasi/?kode="))
    later.goto(urls[0])
    expect(later.locator("h1")).to_have_text("Verifikasi surat")
    expect(later.get_by_role("status")).to_contain_text("Surat ini sah")
    facts = later.locator("dl.facts")
    expect(facts).to_contain_text(registered_letter_number(number))
    expect(facts).to_contain_text(hashlib.sha256(pdf).hexdigest())
    expect(facts).to_contain_text("Bapak Kepala Uji")
    html = later.content()
    assert NIK not in html and "Siti Aminah" not in html and KK not in html
    assert_accessible(later)


def registered_letter_number(number: str) -> str:
    """The number in the register (Buku Agenda Surat Keluar) of the letter issued for request
    ``number``."""
    from plugins.admin_services.models import Letter

    with allow_db_beside_playwright():
        return Letter.objects.get(request__number=number, reserved=False).number


# -- 2. a complaint with a photo and a position, in Open311 -----------------------------------


def test_complaint_with_photo_and_location_appears_in_open311_xml(
    browser_world, counter, new_page, assert_accessible, tmp_path
):
    world = browser_world
    resident = new_page(viewport=PHONE, mobile=True)
    resident.context.grant_permissions(["geolocation"])
    resident.context.set_geolocation(POSITION)
    resident.goto(world.url("kreo", f"/{SLUG}/"))
    resident.get_by_role("link", name="Pengaduan jalan dan jembatan rusak").click()
    assert_accessible(resident)

    (tmp_path / "jembatan.jpg").write_bytes(photo_with_exif((120, 90, 60)))
    resident.get_by_label("Nama lengkap").fill("Bambang Pelapor")
    resident.get_by_label("Nomor WhatsApp/telepon").fill(RESIDENT_PHONE)
    resident.get_by_label("Uraian").fill("Jembatan bambu di Dusun Krajan ambrol separuh.")
    resident.get_by_label("Lokasi/alamat kejadian").fill("Jembatan Kali Kreo, Dusun Krajan")
    resident.get_by_role("button", name="Pakai lokasi saya sekarang").click()
    expect(resident.get_by_text("Lokasi terisi.")).to_be_visible()
    expect(resident.get_by_label("Lintang")).to_have_value("-7.012300")
    expect(resident.get_by_label("Bujur")).to_have_value("109.234500")
    resident.get_by_label("Tingkat kerusakan").select_option(index=2)
    resident.get_by_label("Berkas persyaratan (PDF, JPG atau PNG)").set_input_files(
        str(tmp_path / "jembatan.jpg")
    )
    resident.get_by_label("PIN 6 angka pilihan Anda").fill(PIN)
    resident.get_by_role("checkbox", name=re.compile("Saya setuju")).check()
    resident.get_by_role("button", name="Kirim permohonan").click()
    notice = resident.get_by_role("status").filter(has_text="sudah kami terima")
    expect(notice).to_be_visible()
    number = notice.locator("strong").inner_text()

    # An Open311 client (a fresh context: no cookies, no session) reads the village's listing.
    client = new_page()
    response = client.goto(world.url("kreo", "/open311/v2/requests.xml"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/xml")
    body = response.body()
    root = ET.fromstring(body)
    assert root.tag == "service_requests"
    mine = [r for r in root.findall("request") if r.findtext("service_request_id") == number]
    assert len(mine) == 1
    item = mine[0]
    assert item.findtext("service_code") == "jalan"
    assert item.findtext("status") == "open"
    assert item.findtext("lat") == "-7.012300" and item.findtext("long") == "109.234500"
    assert item.findtext("address") == "Jembatan Kali Kreo, Dusun Krajan"
    text = body.decode()
    for personal in ("Bambang Pelapor", RESIDENT_PHONE, NIK):
        assert personal not in text
    media_url = item.findtext("media_url")
    assert media_url.startswith(world.url("kreo", "/open311/v2/media/"))
    photo = client.goto(media_url)
    assert photo.status == 200 and photo.headers["content-type"] == "image/jpeg"
    content = photo.body()
    assert content.startswith(b"\xff\xd8\xff") and b"KameraRahasia" not in content
    with Image.open(io.BytesIO(content)) as picture:
        assert picture.size == (64, 48)
