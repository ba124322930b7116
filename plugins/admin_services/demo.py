"""Demo data of the admin_services plugin (``PluginConfig.demo``, called by core's ``seed_demo``).

For a village: the district's service catalogue adopted (every ``ServiceTemplate`` becomes the
village's ``Service``), the public services page under the village home, and three example
requests in different states, entered through the plugin's own form and services (the form's
NIK and KK checks, ``services.create_request``, ``workflow.transition``):

* a domicile letter just submitted (*diajukan*);
* a business letter sent back to the resident (*perlu perbaikan*, with the officer's note);
* a road complaint handled (*selesai*).

The residents are made up and marked "(contoh)"; their NIK and KK numbers are generated in the
valid format (the village's kecamatan code, a birth date, a serial ``99xx``) so that
python-stdnum accepts them. No e-mail address or phone number is given, so no notification
(e-mail, Telegram, WhatsApp) leaves the machine. The demo PIN of every request is
:data:`DEMO_PIN`.

Idempotent: services are adopted once (``Service.adopt``), requests are looked up by the
resident's name in the village, the page under the home page.
"""

from __future__ import annotations

import datetime as dt

from core.website.models import VillageHomePage

from .forms import RequestForm
from .models import RequestState, Service, ServiceRequest, ServiceTemplate
from .pages import ServicesPage
from .services import create_request
from .workflow import OPERATOR, transition

PAGE_SLUG = "layanan"
DEMO_PIN = "482913"
OFFICER = frozenset({OPERATOR})


def demo_nik(village, birth: dt.date, female: bool, serial: int) -> str:
    """A NIK in the valid format: the village's kecamatan code, the birth date (day + 40 for
    women) and a 4-digit serial (``99xx`` for demo people)."""
    area = "".join(ch for ch in village.code if ch.isdigit())[:6]
    day = birth.day + (40 if female else 0)
    return f"{area}{day:02d}{birth:%m%y}{9900 + serial:04d}"


def demo_kk(village, serial: int) -> str:
    area = "".join(ch for ch in village.code if ch.isdigit())[:6]
    return f"{area}150312{9900 + serial:04d}"


def requests(village) -> list[dict]:
    """The example requests: service code, form data, and the officer's moves after it."""
    return [
        {
            "service": "domisili",
            "data": {
                "name": "Sri Wahyuni (contoh)",
                "nik": demo_nik(village, dt.date(1991, 3, 14), True, 1),
                "kk": demo_kk(village, 1),
                "phone": "",
                "dusun": "Krajan",
                "rt": "2",
                "rw": "1",
                "f_keperluan": "Pendaftaran sekolah anak",
            },
            "moves": [],
        },
        {
            "service": "usaha",
            "data": {
                "name": "Bambang Sugiarto (contoh)",
                "nik": demo_nik(village, dt.date(1984, 8, 2), False, 2),
                "kk": demo_kk(village, 2),
                "phone": "",
                "dusun": "Karangsari",
                "rt": "4",
                "rw": "2",
                "f_nama_usaha": "Warung Makan Barokah",
                "f_jenis_usaha": "Warung makan",
                "f_alamat_usaha": f"Jalan Raya Desa {village.name}, RT 004/RW 002",
                "f_mulai_usaha": "2019",
            },
            "moves": [
                (RequestState.CHECKING, "Berkas diterima, sedang diperiksa."),
                (
                    RequestState.NEEDS_REVISION,
                    "Foto tempat usaha belum dilampirkan. Mohon kirim foto bagian depan warung.",
                ),
            ],
        },
        {
            "service": "jalan",
            "data": {
                "name": "Eko Prasetyo (contoh)",
                "nik": "",
                "phone": "",
                "dusun": "Sidomulyo",
                "rt": "3",
                "rw": "2",
                "description": (
                    "Jalan di depan mushola berlubang sekitar 1 meter dan tergenang saat hujan; "
                    "sudah dua kali pengendara motor terjatuh."
                ),
                "address": "Jalan dusun Sidomulyo depan mushola, RT 003/RW 002",
                "f_tingkat": "sedang",
            },
            "moves": [
                (RequestState.CHECKING, "Sudah dicek ke lokasi bersama ketua RT."),
                (
                    RequestState.COMPLETED,
                    "Lubang sudah ditambal sirtu dan dipadatkan oleh warga dan Linmas.",
                ),
            ],
        },
    ]


def _adopt(village) -> int:
    made = 0
    for template in ServiceTemplate.objects.filter(active=True):
        if not Service.objects.filter(village=village, code=template.code).exists():
            Service.adopt(template, village)
            made += 1
    return made


def _requests(village) -> int:
    made = 0
    for spec in requests(village):
        service = Service.objects.filter(village=village, code=spec["service"]).first()
        if service is None:
            continue
        name = spec["data"]["name"]
        if ServiceRequest.objects.filter(village=village, service=service, name=name).exists():
            continue
        form = RequestForm(spec["data"], service=service, staff=True)
        if not form.is_valid():
            raise ValueError(f"demo request {name!r} of {village}: {form.errors.as_json()}")
        service_request = create_request(form)
        service_request.set_pin(DEMO_PIN)
        service_request.save(update_fields=["pin_hash"])
        made += 1
        for target, note in spec["moves"]:
            transition(service_request, target, roles=OFFICER, note=note)
            made += 1
    return made


def _page(village) -> int:
    home = VillageHomePage.objects.filter(village=village, locale__language_code="id").first()
    if home is None or ServicesPage.objects.child_of(home).exists():
        return 0
    page = ServicesPage(
        title="Layanan Surat dan Pengaduan",
        slug=PAGE_SLUG,
        show_in_menus=True,
        intro=(
            f"<p>Ajukan surat keterangan atau sampaikan pengaduan kepada Pemerintah Desa "
            f"{village.name} dari ponsel, lalu lacak prosesnya dengan nomor dan PIN Anda.</p>"
        ),
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return 1


def seed_demo(village) -> int:
    """The adopted service catalogue, the services page and example requests of ``village``;
    the number of rows and pages made (0 when all exist)."""
    made = _adopt(village)
    made += _page(village)
    made += _requests(village)
    return made
