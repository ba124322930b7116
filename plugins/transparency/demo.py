"""Demo data of the transparency plugin (``PluginConfig.demo``, called by core's ``seed_demo``).

For a village: the published APBDes of last year (income by source, spending in the five
sectors as activities with their RAB cost lines, financing), the realisation at the end of the
first semester, two development activities with their progress, and the public page under the
village home. The budget goes through the plugin's own import (``imports.BudgetLineResource``
run by core's import engine), as an operator's template file would; the year's figures are
made up but kept in the proportions of a Central Javan village (about Rp 1,8 billion).

Idempotent: a village that already has last year's budget, its development activities or the
page gets nothing new.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import tablib
from django.utils import timezone

from core.imports.engine import row_errors, run_import
from core.villages.models import Village
from core.website.models import VillageHomePage

from .imports import COLUMNS, BudgetLineResource
from .models import (
    Activity,
    Budget,
    BudgetVersion,
    DevelopmentActivity,
    ProgressUpdate,
    TransparencyPage,
)

PAGE_SLUG = "apbdes"
DUSUN = ["Krajan", "Karangsari", "Sidomulyo", "Kalisari", "Tegalrejo", "Sukamaju", "Pesantren"]


@dataclass(frozen=True)
class Cost:
    """One RAB cost line: account object, description, volume, unit, unit price, source."""

    account: str
    description: str
    volume: int
    unit: str
    unit_price: int
    source: str

    @property
    def amount(self) -> int:
        return self.volume * self.unit_price


@dataclass(frozen=True)
class Kegiatan:
    sector: str  # sub-sector (sub-bidang) code
    code: str
    name: str
    costs: tuple[Cost, ...]
    realised: Decimal  # share spent by 30 June

    @property
    def amount(self) -> int:
        return sum(cost.amount for cost in self.costs)


def _activities(dusun: list[str], kpm: int) -> list[Kegiatan]:
    """The year's activities; ``dusun`` names the hamlets of the works, ``kpm`` the households
    receiving the direct cash aid (BLT Dana Desa)."""
    d1, d2, d3, d4 = dusun
    half, none, full = Decimal("0.5"), Decimal("0"), Decimal("1")
    return [
        # 1 Penyelenggaraan Pemerintahan Desa
        Kegiatan(
            "1.1",
            "1.1.01",
            "Penyediaan Penghasilan Tetap dan Tunjangan Kepala Desa",
            (
                Cost("5.1.1.01", "Penghasilan tetap kepala desa", 12, "bulan", 2_426_640, "ADD"),
                Cost("5.1.1.02", "Tunjangan kepala desa", 12, "bulan", 1_000_000, "ADD"),
            ),
            half,
        ),
        Kegiatan(
            "1.1",
            "1.1.02",
            "Penyediaan Penghasilan Tetap dan Tunjangan Perangkat Desa",
            (
                Cost(
                    "5.1.2.01",
                    "Penghasilan tetap sekretaris desa dan 8 perangkat desa",
                    108,
                    "orang-bulan",
                    2_224_420,
                    "ADD",
                ),
                Cost("5.1.2.02", "Tunjangan perangkat desa", 108, "orang-bulan", 500_000, "ADD"),
            ),
            half,
        ),
        Kegiatan(
            "1.1",
            "1.1.03",
            "Penyediaan Jaminan Sosial bagi Kepala Desa dan Perangkat Desa",
            (
                Cost("5.1.3.02", "Iuran BPJS Kesehatan", 120, "orang-bulan", 100_000, "ADD"),
                Cost("5.1.3.04", "Iuran BPJS Ketenagakerjaan", 120, "orang-bulan", 16_800, "ADD"),
            ),
            half,
        ),
        Kegiatan(
            "1.1",
            "1.1.04",
            "Penyediaan Operasional Pemerintah Desa",
            (
                Cost("5.2.1.01", "Alat tulis kantor", 1, "paket", 9_600_000, "ADD"),
                Cost("5.2.5.01", "Langganan listrik kantor desa", 12, "bulan", 650_000, "ADD"),
                Cost("5.2.5.05", "Langganan internet kantor desa", 12, "bulan", 385_000, "ADD"),
            ),
            half,
        ),
        Kegiatan(
            "1.1",
            "1.1.05",
            "Penyediaan Tunjangan dan Operasional BPD",
            (
                Cost(
                    "5.1.4.01",
                    "Tunjangan kedudukan 7 anggota BPD",
                    84,
                    "orang-bulan",
                    500_000,
                    "ADD",
                ),
                Cost("5.2.1.06", "Konsumsi rapat BPD", 12, "kali", 450_000, "ADD"),
            ),
            half,
        ),
        Kegiatan(
            "1.1",
            "1.1.06",
            "Penyediaan Insentif Ketua RT dan RW",
            (Cost("5.2.2.03", "Insentif ketua RT/RW", 360, "orang-bulan", 100_000, "ADD"),),
            half,
        ),
        Kegiatan(
            "1.2",
            "1.2.01",
            "Pemeliharaan Gedung Kantor Desa",
            (
                Cost(
                    "5.2.6.04",
                    "Pengecatan dan perbaikan atap balai desa",
                    1,
                    "paket",
                    18_500_000,
                    "ADD",
                ),
            ),
            full,
        ),
        Kegiatan(
            "1.2",
            "1.2.02",
            "Pengadaan Sarana Kantor Desa",
            (Cost("5.3.2.03", "Komputer kantor untuk pelayanan", 2, "unit", 8_500_000, "ADD"),),
            full,
        ),
        Kegiatan(
            "1.3",
            "1.3.01",
            "Pendataan dan Pemutakhiran Data Kependudukan",
            (Cost("5.2.2.05", "Honor petugas pendataan", 10, "orang", 500_000, "DDS"),),
            full,
        ),
        Kegiatan(
            "1.4",
            "1.4.01",
            "Penyusunan Dokumen Perencanaan Desa (RKPDes)",
            (
                Cost("5.2.1.06", "Konsumsi musyawarah desa", 150, "kotak", 20_000, "ADD"),
                Cost("5.2.1.05", "Penggandaan dokumen RKPDes", 1, "paket", 1_750_000, "ADD"),
            ),
            full,
        ),
        # 2 Pelaksanaan Pembangunan Desa
        Kegiatan(
            "2.1",
            "2.1.01",
            "Penyelenggaraan PAUD Milik Desa",
            (
                Cost("5.2.2.03", "Insentif guru PAUD", 48, "orang-bulan", 400_000, "DDS"),
                Cost("5.2.1.01", "Alat permainan edukatif", 1, "paket", 5_000_000, "DDS"),
            ),
            half,
        ),
        Kegiatan(
            "2.2",
            "2.2.01",
            "Penyelenggaraan Posyandu dan Pencegahan Stunting",
            (
                Cost(
                    "5.2.1.06",
                    "Makanan tambahan balita dan ibu hamil",
                    2_400,
                    "porsi",
                    7_500,
                    "DDS",
                ),
                Cost("5.2.2.03", "Insentif kader posyandu", 240, "orang-bulan", 150_000, "DDS"),
            ),
            half,
        ),
        Kegiatan(
            "2.3",
            "2.3.01",
            f"Pembangunan Jalan Rabat Beton Dusun {d1}",
            (
                Cost("5.3.5.01", "Honor tim pelaksana kegiatan", 1, "paket", 3_000_000, "DDS"),
                Cost("5.3.5.02", "Upah tukang", 140, "HOK", 130_000, "DDS"),
                Cost("5.3.5.02", "Upah pekerja", 420, "HOK", 110_000, "DDS"),
                Cost("5.3.5.03", "Semen 50 kg", 640, "sak", 62_000, "DDS"),
                Cost("5.3.5.03", "Pasir beton", 85, "m3", 260_000, "DDS"),
                Cost("5.3.5.03", "Batu split 2/3", 120, "m3", 310_000, "DDS"),
                Cost("5.3.5.04", "Sewa molen", 20, "hari", 350_000, "DDS"),
            ),
            full,
        ),
        Kegiatan(
            "2.3",
            "2.3.02",
            f"Pembangunan Talud Jalan Dusun {d2}",
            (
                Cost("5.3.5.02", "Upah pekerja", 380, "HOK", 110_000, "DDS"),
                Cost("5.3.5.03", "Batu kali", 140, "m3", 245_000, "DDS"),
                Cost("5.3.5.03", "Semen 50 kg", 380, "sak", 62_000, "DDS"),
                Cost("5.3.5.03", "Pasir pasang", 90, "m3", 250_000, "DDS"),
            ),
            none,
        ),
        Kegiatan(
            "2.3",
            "2.3.03",
            f"Pembangunan Jalan Usaha Tani Blok Sawah {d3}",
            (
                Cost("5.3.5.02", "Upah pekerja", 200, "HOK", 110_000, "DDS"),
                Cost("5.3.5.03", "Sirtu urug", 300, "m3", 185_000, "DDS"),
            ),
            full,
        ),
        Kegiatan(
            "2.3",
            "2.3.04",
            f"Pembangunan Saluran Drainase Dusun {d4}",
            (
                Cost("5.3.7.02", "Upah pekerja", 260, "HOK", 110_000, "DDS"),
                Cost("5.3.7.03", "Batu kali", 95, "m3", 245_000, "DDS"),
                Cost("5.3.7.03", "Semen 50 kg", 310, "sak", 62_000, "DDS"),
                Cost("5.3.7.03", "Pasir pasang", 60, "m3", 250_000, "DDS"),
            ),
            none,
        ),
        Kegiatan(
            "2.3",
            "2.3.05",
            f"Rehabilitasi Jembatan Dusun {d2}",
            (
                Cost("5.3.6.02", "Upah pekerja", 290, "HOK", 110_000, "PBP"),
                Cost("5.3.6.03", "Besi beton 12 mm", 180, "batang", 95_000, "PBP"),
                Cost("5.3.6.03", "Semen 50 kg", 420, "sak", 62_000, "PBP"),
                Cost("5.3.6.03", "Pasir beton", 45, "m3", 260_000, "PBP"),
                Cost("5.3.6.03", "Batu split 2/3", 40, "m3", 310_000, "PBP"),
                Cost("5.2.1.08", "Papan prasasti kegiatan", 1, "buah", 860_000, "PBP"),
            ),
            Decimal("0.6"),
        ),
        Kegiatan(
            "2.4",
            "2.4.01",
            "Pemasangan Penerangan Jalan Umum Tenaga Surya",
            (
                Cost(
                    "5.3.8.03", "Lampu PJU tenaga surya lengkap tiang", 12, "unit", 6_500_000, "DDS"
                ),
                Cost("5.3.8.02", "Upah pemasangan", 12, "titik", 450_000, "DDS"),
            ),
            none,
        ),
        Kegiatan(
            "2.4",
            "2.4.02",
            "Rehabilitasi Rumah Tidak Layak Huni",
            (
                Cost(
                    "5.2.7.03",
                    "Bantuan bahan bangunan rumah tidak layak huni",
                    8,
                    "unit",
                    15_000_000,
                    "DDS",
                ),
            ),
            half,
        ),
        Kegiatan(
            "2.6",
            "2.6.01",
            "Pengelolaan Sistem Informasi dan Situs Web Desa",
            (
                Cost(
                    "5.2.2.02", "Honor operator sistem informasi desa", 12, "bulan", 750_000, "DDS"
                ),
            ),
            half,
        ),
        # 3 Pembinaan Kemasyarakatan Desa
        Kegiatan(
            "3.1",
            "3.1.01",
            "Penyelenggaraan Siskamling dan Pembinaan Linmas",
            (
                Cost("5.2.2.05", "Honor anggota Linmas", 144, "orang-bulan", 100_000, "ADD"),
                Cost("5.2.1.09", "Seragam Linmas", 12, "stel", 350_000, "ADD"),
            ),
            half,
        ),
        Kegiatan(
            "3.2",
            "3.2.01",
            "Pembinaan Keagamaan dan Sedekah Bumi",
            (
                Cost(
                    "5.2.1.06", "Konsumsi pengajian dan sedekah bumi", 1, "paket", 7_500_000, "PAD"
                ),
            ),
            full,
        ),
        Kegiatan(
            "3.3",
            "3.3.01",
            "Pembinaan Karang Taruna dan Olahraga",
            (Cost("5.2.7.01", "Peralatan olahraga karang taruna", 1, "paket", 6_000_000, "PAD"),),
            none,
        ),
        Kegiatan(
            "3.4",
            "3.4.01",
            "Pembinaan PKK",
            (Cost("5.2.7.01", "Bantuan operasional TP PKK", 12, "bulan", 500_000, "PAD"),),
            half,
        ),
        # 4 Pemberdayaan Masyarakat Desa
        Kegiatan(
            "4.2",
            "4.2.01",
            "Ketahanan Pangan: Bantuan Bibit dan Pupuk Organik",
            (
                Cost("5.2.7.05", "Benih padi bersertifikat", 1_500, "kg", 14_000, "DDS"),
                Cost("5.2.1.12", "Pupuk organik", 12_000, "kg", 2_500, "DDS"),
                Cost("5.2.2.04", "Narasumber penyuluh pertanian", 4, "orang", 500_000, "DDS"),
            ),
            full,
        ),
        Kegiatan(
            "4.2",
            "4.2.02",
            "Ketahanan Pangan: Penggemukan Kambing Kelompok Tani",
            (Cost("5.3.9.05", "Kambing bakalan", 40, "ekor", 2_250_000, "DDS"),),
            none,
        ),
        Kegiatan(
            "4.3",
            "4.3.01",
            "Peningkatan Kapasitas Perangkat Desa",
            (
                Cost(
                    "5.2.3.03", "Pelatihan pengelolaan keuangan desa", 4, "orang", 1_500_000, "ADD"
                ),
            ),
            full,
        ),
        Kegiatan(
            "4.5",
            "4.5.01",
            "Pelatihan Pemasaran Daring dan QRIS bagi UMKM",
            (
                Cost("5.2.2.04", "Narasumber pelatihan", 2, "orang", 750_000, "DDS"),
                Cost("5.2.1.06", "Konsumsi peserta", 80, "kotak", 25_000, "DDS"),
            ),
            none,
        ),
        # 5 Penanggulangan Bencana, Keadaan Darurat dan Mendesak
        Kegiatan(
            "5.3",
            "5.3.01",
            "Bantuan Langsung Tunai Dana Desa (BLT-DD)",
            (Cost("5.4.1.01", f"BLT-DD {kpm} KPM", kpm * 12, "KPM-bulan", 300_000, "DDS"),),
            half,
        ),
    ]


def budget_rows(village, year: int) -> Iterator[list]:
    """Rows of the import template (``imports.COLUMNS``) for the village's APBDes of ``year``."""
    rnd = random.Random(f"transparency-{village.code}-{year}")
    dusun = rnd.sample(DUSUN, 4)
    kpm = rnd.randint(28, 42)
    add = 608_000_000 + rnd.randint(0, 40) * 1_000_000 + rnd.randint(0, 999) * 1_000
    tanah_kas = 40_000_000 + rnd.randint(0, 10) * 500_000
    silpa = 30_000_000 + rnd.randint(0, 30_000) * 1_000
    semester = f"30/06/{year}"
    activities = _activities(dusun, kpm)
    planned = sum(activity.amount for activity in activities)
    net_financing = silpa - 30_000_000
    others = 15_000_000 + tanah_kas + 78_430_000 + add + 100_000_000 + 2_400_000
    # Dana Desa (in thousands, as the regency's allocation) covers what the other income and
    # the financing do not, with a reserve for emergencies; the reserve takes the last
    # rupiahs so that the budget balances (SiLPA of the year 0).
    reserve_target = 20_000_000 + rnd.randint(0, 30) * 1_000_000
    dana_desa = -(-(planned + reserve_target - others - net_financing) // 1_000) * 1_000
    income = [
        # code, description, amount, source, realised share by 30 June
        ("4.1.1.01", "Bagi hasil BUMDes", 15_000_000, "PAD", Decimal("0")),
        ("4.1.2.01", "Sewa tanah kas desa (bengkok)", tanah_kas, "PAD", Decimal("1")),
        ("4.2.1.01", "Dana Desa", dana_desa, "DDS", Decimal("0.6")),
        ("4.2.2.01", "Bagi hasil pajak dan retribusi daerah", 78_430_000, "PBH", Decimal("0.5")),
        ("4.2.3.01", "Alokasi Dana Desa", add, "ADD", Decimal("0.5")),
        ("4.2.4.01", "Bantuan keuangan Provinsi Jawa Tengah", 100_000_000, "PBP", Decimal("0.6")),
        ("4.3.6.01", "Bunga bank", 2_400_000, "DLL", Decimal("0.45")),
    ]
    financing_in = [("6.1.1.01", "SiLPA tahun sebelumnya", silpa, "", Decimal("1"))]
    financing_out = [("6.2.2.01", "Penyertaan modal BUMDes", 30_000_000, "DDS", Decimal("1"))]
    total_income = sum(item[2] for item in income)
    reserve = total_income + net_financing - planned
    activities.append(
        Kegiatan(
            "5.2",
            "5.2.01",
            "Penanganan Keadaan Darurat (banjir dan tanah longsor)",
            (
                Cost(
                    "5.4.1.01",
                    "Belanja tak terduga keadaan darurat",
                    1,
                    "paket",
                    reserve,
                    "DDS",
                ),
            ),
            Decimal("0"),
        )
    )
    spending = planned + reserve

    def line(code, description, amount, source, share, *, activity=None, cost=None):
        realised = int((Decimal(amount) * share).quantize(Decimal("1")))
        return [
            year,
            1,
            code,
            activity.sector if activity else "",
            activity.code if activity else "",
            activity.name if activity else "",
            description,
            cost.volume if cost else "",
            cost.unit if cost else "",
            cost.unit_price if cost else "",
            "" if cost else amount,
            source,
            realised if realised else "",
            semester if realised else "",
        ]

    # The totals the Perdes states (reconciled by the import, never added as lines).
    yield [year, 1, "4", "", "", "", "Jumlah pendapatan", "", "", "", total_income, "", "", ""]
    yield [year, 1, "5", "", "", "", "Jumlah belanja", "", "", "", spending, "", "", ""]
    yield [year, 1, "6.1", "", "", "", "Penerimaan pembiayaan", "", "", "", silpa, "", "", ""]
    yield [year, 1, "6.2", "", "", "", "Pengeluaran pembiayaan", "", "", "", 30_000_000, "", "", ""]
    for code, description, amount, source, share in income + financing_in + financing_out:
        yield line(code, description, amount, source, share)
    for activity in activities:
        for cost in activity.costs:
            yield line(
                cost.account,
                cost.description,
                cost.amount,
                cost.source,
                activity.realised,
                activity=activity,
                cost=cost,
            )


def _import_budget(village, year: int) -> BudgetVersion:
    dataset = tablib.Dataset(headers=list(COLUMNS))
    for row in budget_rows(village, year):
        dataset.append(row)
    resource = BudgetLineResource(village=village)
    result = run_import(resource, dataset, dry_run=False)
    if result.has_errors() or result.has_validation_errors():
        raise RuntimeError(f"demo APBDes {year} of {village} refused: {row_errors(result)}")
    if resource.warnings:
        raise RuntimeError(
            f"demo APBDes {year} of {village} does not reconcile: {resource.warnings}"
        )
    version = BudgetVersion.objects.get(village=village, budget__year=year, number=1)
    version.legal_basis = f"Peraturan Desa {village.name} Nomor 1 Tahun {year}"
    version.legal_date = dt.date(year - 1, 12, 27)
    version.status = BudgetVersion.Status.PUBLISHED
    version.published_at = timezone.make_aware(dt.datetime(year, 1, 8, 9, 0))
    version.save()
    budget = version.budget
    budget.complaint_info = (
        f"Pertanyaan dan pengaduan tentang APBDes disampaikan ke kantor Desa {village.name} pada "
        "jam kerja, kepada BPD, atau melalui halaman Kontak situs desa."
    )
    budget.save(update_fields=["complaint_info"])
    return version


def _developments(village, version: BudgetVersion) -> int:
    budget = version.budget
    if DevelopmentActivity.objects.filter(village=village, budget=budget).exists():
        return 0
    year = budget.year
    made = 0
    road = Activity.objects.filter(version=version, code="2.3.01").first()
    bridge = Activity.objects.filter(version=version, code="2.3.05").first()
    plans = [
        (
            road,
            "1 ruas, 300 m × 3 m × 0,15 m",
            [
                (dt.date(year, 3, 18), 0, "Pengukuran dan pemasangan bekisting"),
                (dt.date(year, 4, 22), 55, "Pengecoran segmen 1 sampai 6"),
                (dt.date(year, 5, 27), 100, "Selesai, sudah dilalui kendaraan roda empat"),
            ],
        ),
        (
            bridge,
            "1 unit, bentang 8 m",
            [
                (dt.date(year, 5, 6), 0, "Pembongkaran lantai jembatan lama"),
                (dt.date(year, 6, 28), 60, "Pengecoran balok dan lantai jembatan"),
            ],
        ),
    ]
    for activity, volume, updates in plans:
        if activity is None:
            continue
        development = DevelopmentActivity.objects.create(
            village=village,
            budget=budget,
            name=activity.name,
            location=f"Dusun {activity.name.rpartition('Dusun ')[2]}, Desa {village.name}",
            volume=volume,
            executor=f"Tim Pelaksana Kegiatan (TPK) Desa {village.name}",
        )
        development.activities.add(activity)
        made += 1
        for date, percent, note in updates:
            ProgressUpdate.objects.create(
                village=village, development=development, date=date, percent=percent, note=note
            )
            made += 1
    return made


def _page(village) -> int:
    home = VillageHomePage.objects.filter(village=village, locale__language_code="id").first()
    if home is None or TransparencyPage.objects.child_of(home).exists():
        return 0
    page = TransparencyPage(
        title="Transparansi APBDes",
        slug=PAGE_SLUG,
        show_in_menus=True,
        intro=(
            f"<p>Anggaran Pendapatan dan Belanja Desa {village.name}: dari mana uang desa "
            "berasal, untuk apa dibelanjakan, dan sejauh mana sudah terealisasi.</p>"
        ),
        complaint_info=(
            "<p>Ada pertanyaan atau pengaduan tentang anggaran desa? Datang ke kantor desa pada "
            "jam kerja, sampaikan kepada BPD, atau kirim pesan lewat halaman Kontak.</p>"
        ),
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return 1


def seed_demo(village) -> int:
    """Last year's published APBDes, its first-semester realisation, development progress and
    the public page of ``village``; the number of rows and pages made (0 when all exist)."""
    if village.kind == Village.Kind.KELURAHAN:
        return 0  # a kelurahan has no APBDes: its budget is part of the district's APBD
    year = timezone.localdate().year - 1
    made = 0
    version = (
        BudgetVersion.objects.filter(village=village, budget__year=year)
        .select_related("budget")
        .order_by("number")
        .first()
    )
    if version is None and not Budget.objects.filter(village=village, year=year).exists():
        version = _import_budget(village, year)
        made += version.lines.count() + version.activities.count() + 2
    if version is not None:
        made += _developments(village, version)
    made += _page(village)
    return made
