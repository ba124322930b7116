"""A village's operators publish a full year's APBDes, and a resident reads it on a phone
(plugins/transparency).

The transparency plugin is switched on for Kreo and its public page is created for this module
(committed, so the live server sees them with PostgreSQL too) and removed at the end, with every
budget row the test's import created. In the Wagtail admin the village editor downloads the
import template, fills it with a full year's APBDes (income, the five spending sectors with their
activities and cost lines, financing, realisation by 30 June), uploads it, sees the preview and
confirms; the village's moderator (only moderators publish, `apps.py`) publishes the version with
its legal basis. On a 360-px phone the public page then shows the totals computed here from the
file's rows, the three SVG charts with their accessible names, and the drill-down from sector to
sub-sector to activity to the activity's cost lines.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import EDITOR_PASSWORD, allow_db_beside_playwright

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGE_SLUG = "apbdes-uji-browser"
MODERATOR = "browser.moderator.kreo"
YEAR = 2025
PHONE = {"width": 360, "height": 740}

# A full year of a village's APBDes, one row per line, as an operator types it into the
# template: (kode_rekening, kode_bidang, kode_kegiatan, kegiatan, uraian, volume, satuan,
# harga_satuan, jumlah, sumber_dana, realisasi). Amounts in the village's own notation.
INCOME = [
    ("4.1.1.01", "Bagi hasil BUMDes Kreo Makmur", "15.000.000", "PAD", "7.500.000"),
    ("4.1.2.01", "Sewa tanah kas desa", "Rp 22.750.000,00", "PAD", "22.750.000"),
    ("4.2.1.01", "Dana Desa", "1.012.486.000", "DD-APBN", "607.491.600"),
    ("4.2.2.01", "Bagi hasil pajak dan retribusi daerah", "48.312.000", "PBH", "24.156.000"),
    ("4.2.3.01", "Alokasi Dana Desa", "512.900.000", "ADD", "256.450.000"),
    ("4.2.4.01", "Bantuan keuangan provinsi", "150.000.000", "BAN-PROV", ""),
    ("4.3.6.01", "Bunga bank", "1.200.000", "PAD", "612.345"),
]
# kode_rekening | kode_bidang | kode_kegiatan | kegiatan | uraian | volume | satuan |
# harga_satuan | jumlah | sumber_dana | realisasi ("-" for an empty cell), per spending sector.
SPENDING_TEXT = """
# 1 penyelenggaraan pemerintahan desa
5.1.1.01 | 1.1 | 1.1.01 | Penghasilan tetap kepala desa | Siltap kepala desa | 12 | bulan | 4.250.000 | - | ADD | 25.500.000
5.1.2.01 | 1.1 | 1.1.02 | Penghasilan tetap perangkat desa | Siltap perangkat | 12 | bulan | 21.600.000 | - | ADD | 129.600.000
5.1.4.01 | 1.1 | 1.1.03 | Tunjangan BPD | Tunjangan kedudukan BPD | 12 | bulan | 3.150.000 | - | ADD | 18.900.000
5.2.1.01 | 1.1 | 1.1.04 | Operasional pemerintahan desa | Alat tulis kantor | - | - | - | 12.400.000 | ADD | 6.000.000
5.2.5.01 | 1.1 | 1.1.04 | Operasional pemerintahan desa | Langganan listrik | 12 | bulan | 650.000 | - | ADD | 3.900.000
5.3.2.03 | 1.2 | 1.2.01 | Pengadaan komputer kantor desa | Laptop pelayanan | 2 | unit | 9.850.000 | - | PBH | -
5.2.2.02 | 1.4 | 1.4.01 | Penyusunan dokumen perencanaan desa | Honor tim RKPDes | 1 | paket | 7.500.000 | - | PBH | 7.500.000
# 2 pembangunan
5.3.5.03 | 2.3 | 2.3.01 | Pembangunan jalan usaha tani Dukuh Krajan | Semen | 420 | sak | 65.000 | - | DDS | 27.300.000
5.3.5.03 | 2.3 | 2.3.01 | Pembangunan jalan usaha tani Dukuh Krajan | Batu split | 85 | m3 | 310.000 | - | DDS | 26.350.000
5.3.5.02 | 2.3 | 2.3.01 | Pembangunan jalan usaha tani Dukuh Krajan | Upah tukang | 240 | HOK | 150.000 | - | DDS | 18.000.000
5.3.5.01 | 2.3 | 2.3.01 | Pembangunan jalan usaha tani Dukuh Krajan | Honor TPK | - | - | - | 3.600.000 | DDS | -
5.3.7.03 | 2.3 | 2.3.02 | Pembangunan drainase RW 03 | Buis beton | 120 | buah | 185.000 | - | DDS | -
5.3.7.02 | 2.3 | 2.3.02 | Pembangunan drainase RW 03 | Upah pekerja | 150 | HOK | 130.000 | - | DDS | -
5.2.7.01 | 2.2 | 2.2.01 | Penyelenggaraan posyandu | Makanan tambahan balita | 1.800 | paket | 12.500 | - | DDS | 11.250.000
5.2.2.05 | 2.2 | 2.2.01 | Penyelenggaraan posyandu | Insentif kader posyandu | 20 | orang | 1.200.000 | - | DDS | 12.000.000
5.2.7.03 | 2.4 | 2.4.01 | Rehabilitasi rumah tidak layak huni | Bantuan bahan bangunan | 6 | unit | 17.500.000 | - | BAN-PROV | -
5.2.2.01 | 2.1 | 2.1.01 | Penyelenggaraan PAUD desa | Insentif guru PAUD | 12 | bulan | 1.800.000 | - | DDS | 10.800.000
# 3 pembinaan kemasyarakatan
5.2.2.05 | 3.1 | 3.1.01 | Pembinaan Linmas | Honor Linmas | 12 | bulan | 1.250.000 | - | ADD | 7.500.000
5.2.1.06 | 3.2 | 3.2.01 | Peringatan hari besar keagamaan | Konsumsi | - | - | - | 6.000.000 | PAD | -
5.3.9.02 | 3.3 | 3.3.01 | Pengadaan sarana olahraga | Perlengkapan voli | 1 | paket | 8.750.000 | - | PAD | -
# 4 pemberdayaan masyarakat
5.2.7.05 | 4.2 | 4.2.01 | Ketahanan pangan hewani | Bibit kambing | 40 | ekor | 2.250.000 | - | DDS | -
5.2.3.03 | 4.3 | 4.3.01 | Peningkatan kapasitas perangkat desa | Pelatihan Siskeudes | 4 | orang | 1.500.000 | - | ADD | 6.000.000
5.2.1.07 | 4.5 | 4.5.01 | Pelatihan UMKM batik | Bahan pelatihan | - | - | - | 9.500.000 | PAD | -
# 5 bencana, darurat dan mendesak
5.4.1.01 | 5.3 | 5.3.01 | Bantuan langsung tunai Dana Desa | BLT-DD | 36 | KPM bulan | 300.000 | - | DDS | 5.400.000
5.2.1.10 | 5.1 | 5.1.01 | Kesiapsiagaan bencana | Obat-obatan posko | - | - | - | 4.000.000 | ADD | -
"""  # noqa: E501  (one line per cost line reads best)
SPENDING = [
    tuple("" if cell == "-" else cell for cell in (c.strip() for c in line.split("|")))
    for line in SPENDING_TEXT.strip().splitlines()
    if not line.startswith("#")
]
FINANCING = [
    ("6.1.1.01", "SiLPA tahun 2024", "87.345.500"),
    ("6.2.2.01", "Penyertaan modal BUMDes", "50.000.000"),
]
SHOWN_ACTIVITY = "Pembangunan jalan usaha tani Dukuh Krajan"


def money(text: str) -> Decimal:
    """The test's own reading of the file's amounts (thousands "." and decimals ",")."""
    text = text.replace("Rp", "").strip()
    return Decimal(text.replace(".", "").replace(",", ".")) if text else Decimal(0)


def rupiah(amount: Decimal) -> str:
    """How the page writes an amount: ``Rp 1.250.000`` (no cents here)."""
    whole = int(amount)
    assert whole == amount
    return ("-" if whole < 0 else "") + "Rp " + f"{abs(whole):,}".replace(",", ".")


def percent(part: Decimal, whole: Decimal) -> str:
    return f"{(100 * part / whole).quantize(Decimal('0.1'))}%".replace(".", ",")


def spending_amount(row) -> Decimal:
    _code, _bidang, _kode, _act, _desc, volume, _unit, price, amount, _src, _real = row
    return money(amount) if amount else money(volume) * money(price)


def expected_figures() -> dict[str, Decimal]:
    income = sum((money(r[2]) for r in INCOME), Decimal(0))
    income_real = sum((money(r[4]) for r in INCOME), Decimal(0))
    spending = sum((spending_amount(r) for r in SPENDING), Decimal(0))
    spending_real = sum((money(r[10]) for r in SPENDING), Decimal(0))
    fin_in = sum((money(r[2]) for r in FINANCING if r[0].startswith("6.1")), Decimal(0))
    fin_out = sum((money(r[2]) for r in FINANCING if r[0].startswith("6.2")), Decimal(0))
    return {
        "income": income,
        "income_real": income_real,
        "spending": spending,
        "spending_real": spending_real,
        "net_financing": fin_in - fin_out,
        "surplus": income - spending,
        "silpa": income - spending + fin_in - fin_out,
    }


def apbdes_csv(header: list[str]) -> bytes:
    """The year's file, written under the columns of the downloaded template."""
    figures = expected_figures()
    rows = [
        # The totals the Perdes states (reconciled with the lines, not stored as lines).
        {"kode_rekening": "4", "uraian": "Jumlah pendapatan", "jumlah": rupiah(figures["income"])},
        {"kode_rekening": "5", "uraian": "Jumlah belanja", "jumlah": rupiah(figures["spending"])},
    ]
    for code, text, amount, source, realised in INCOME:
        rows.append(
            {
                "kode_rekening": code,
                "uraian": text,
                "jumlah": amount,
                "sumber_dana": source,
                "realisasi": realised,
                "tanggal_realisasi": "30/06/2025" if realised else "",
            }
        )
    for code, bidang, act_code, act, text, vol, unit, price, amount, source, real in SPENDING:
        rows.append(
            {
                "kode_rekening": code,
                "kode_bidang": bidang,
                "kode_kegiatan": act_code,
                "kegiatan": act,
                "uraian": text,
                "volume": vol,
                "satuan": unit,
                "harga_satuan": price,
                "jumlah": amount,
                "sumber_dana": source,
                "realisasi": real,
                "tanggal_realisasi": "30/06/2025" if real else "",
            }
        )
    for code, text, amount in FINANCING:
        rows.append({"kode_rekening": code, "uraian": text, "jumlah": amount})
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header)
    writer.writeheader()
    for row in rows:
        writer.writerow({"tahun": YEAR, "versi": 1, **row})
    return buffer.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def transparency_page(browser_world, django_db_blocker):
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from core.imports.models import ImportJob
    from core.pluginhost.models import PluginSwitchChange
    from core.pluginhost.switches import set_plugin_enabled
    from core.villages.models import Village
    from core.website.models import VillageHomePage
    from plugins.transparency.models import Budget, TransparencyPage

    User = get_user_model()
    with django_db_blocker.unblock(), allow_db_beside_playwright():
        kreo = Village.objects.get(code=browser_world.kreo.code)
        set_plugin_enabled([kreo], "transparency", True, None, PluginSwitchChange.Source.COMMAND)
        home = VillageHomePage.objects.get(village=kreo, locale__language_code="id")
        page = TransparencyPage(
            title="Transparansi APBDes",
            slug=PAGE_SLUG,
            complaint_info="<p>Sampaikan pertanyaan ke kantor desa.</p>",
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        moderator, _created = User.objects.get_or_create(username=MODERATOR)
        moderator.set_password(EDITOR_PASSWORD)
        moderator.save()
        moderator.groups.add(kreo.moderators_group)
        cache.clear()
    try:
        yield page
    finally:
        with django_db_blocker.unblock(), allow_db_beside_playwright():
            Budget.objects.filter(village=kreo).delete()
            ImportJob.objects.filter(village=kreo).delete()
            TransparencyPage.objects.get(pk=page.pk).delete()
            User.objects.filter(username=MODERATOR).delete()
            set_plugin_enabled(
                [kreo], "transparency", False, None, PluginSwitchChange.Source.COMMAND
            )
            cache.clear()


def log_in(page, world, username):
    page.goto(world.url("kreo", "/admin/login/"))
    page.get_by_label("Nama pengguna").fill(username)
    page.locator("input[name=password]").fill(world.password)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(world.url("kreo", "/admin/"))


def import_the_year(page, world, tmp_path):
    """The editor: template download, upload, preview, confirm."""
    log_in(page, world, world.kreo.editor)
    page.goto(world.url("kreo", "/admin/transparency_lines/"))
    page.get_by_role("link", name="Impor").first.click()
    expect(page.get_by_role("link", name="Unduh templat CSV")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh templat CSV").click()
    template = tmp_path / "templat.csv"
    download_info.value.save_as(template)
    header = next(csv.reader(io.StringIO(template.read_text(encoding="utf-8-sig"))))
    assert {"tahun", "kode_rekening", "kode_bidang", "harga_satuan", "sumber_dana"} <= set(header)

    upload = tmp_path / "apbdes-kreo-2025.csv"
    upload.write_bytes(apbdes_csv(header))
    rows = len(INCOME) + len(SPENDING) + len(FINANCING)
    page.locator("input[type=file][name=file]").set_input_files(str(upload))
    page.get_by_role("button", name="Pratinjau").click()

    # Preview: nothing saved yet, every row ready, the two stated totals skipped as lines.
    expect(
        page.get_by_text(f"Siap diimpor: {rows} baru, 0 diperbarui, 2 dilewati.")
    ).to_be_visible()
    expect(page.locator(".import-errors")).to_have_count(0)
    expect(page.locator("table.listing tbody tr")).to_have_count(rows + 2)
    page.get_by_role("button", name="Konfirmasi impor").click()
    expect(page.get_by_text(f"Impor selesai: {rows} baru, 0 diperbarui.")).to_be_visible()


def publish_the_year(page, world):
    """The moderator opens the draft version, gives its legal basis and publishes it."""
    log_in(page, world, MODERATOR)
    page.goto(world.url("kreo", "/admin/transparency_versions/"))
    page.get_by_role("link", name=f"APBDes {YEAR} versi 1").first.click()
    form = page.locator("main form").first
    form.get_by_label("Dasar hukum").fill("Perdes Kreo No. 1 Tahun 2025")
    form.get_by_label("Status").select_option("published")
    form.get_by_role("button", name="Simpan").first.click()
    expect(page.locator(".messages")).to_contain_text("diperbarui")


def test_operators_publish_a_year_and_a_resident_reads_it_on_a_phone(
    browser_world, transparency_page, new_page, assert_accessible, tmp_path
):
    world = browser_world
    admin = new_page()
    import_the_year(admin, world, tmp_path)
    publish_the_year(new_page(), world)

    figures = expected_figures()
    page = new_page(viewport=PHONE, mobile=True)
    response = page.goto(world.url("kreo", f"/{PAGE_SLUG}/"))
    assert response.status == 200
    expect(page.locator("h1")).to_have_text("Transparansi APBDes")
    expect(page.get_by_role("heading", name=f"APBDes {YEAR}")).to_be_visible()
    expect(page.get_by_text("Perdes Kreo No. 1 Tahun 2025")).to_be_visible()

    # Summary cards: the totals computed from the file's rows, with realisation %.
    cards = page.locator(".tp-cards li")
    expect(cards).to_have_count(5)
    income, spending, net, surplus, silpa = (cards.nth(i) for i in range(5))
    expect(income).to_contain_text(rupiah(figures["income"]))
    expect(income).to_contain_text(
        f"{rupiah(figures['income_real'])} ({percent(figures['income_real'], figures['income'])})"
    )
    expect(spending).to_contain_text(rupiah(figures["spending"]))
    expect(spending).to_contain_text(
        f"{rupiah(figures['spending_real'])} "
        f"({percent(figures['spending_real'], figures['spending'])})"
    )
    expect(net).to_contain_text(rupiah(figures["net_financing"]))
    expect(surplus).to_contain_text(rupiah(figures["surplus"]))
    expect(silpa).to_contain_text(rupiah(figures["silpa"]))
    for card in (income, spending):  # one card per row, inside the phone's width
        box = card.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    # Charts: server-rendered SVG with accessible names and the figures in their description.
    income_chart = page.get_by_role("img", name="Pendapatan menurut sumber")
    expect(income_chart).to_have_count(1)
    assert income_chart.evaluate("el => el.tagName.toLowerCase()") == "svg"
    expect(income_chart.locator("desc")).to_contain_text(
        f"Dana Desa: {rupiah(money('1.012.486.000'))}"
    )
    spending_chart = page.get_by_role("img", name="Belanja menurut bidang")
    expect(spending_chart.locator("rect")).to_have_count(5)  # the five sectors
    bidang2 = sum((spending_amount(r) for r in SPENDING if r[1].startswith("2.")), Decimal(0))
    expect(spending_chart.locator("desc")).to_contain_text(
        f"Bidang Pelaksanaan Pembangunan Desa: {rupiah(bidang2)}"
    )
    expect(page.get_by_role("img", name="Realisasi dibanding anggaran")).to_be_visible()
    box = income_chart.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]

    # Drill-down: sector → sub-sector → activity → its cost lines (no script: <details>).
    drill = page.locator(".tp-drill")
    sector = (
        drill.locator("details")
        .filter(has=page.locator("summary", has_text="2 Bidang Pelaksanaan Pembangunan Desa"))
        .first
    )
    cost_lines = sector.locator("table").filter(has_text="Batu split")
    expect(cost_lines).to_be_hidden()
    sector.locator("> summary").click()
    expect(sector.locator("> summary")).to_contain_text(rupiah(bidang2))
    sub = (
        sector.locator("details")
        .filter(has=page.locator("summary", has_text="2.3 Sub Bidang Pekerjaan Umum"))
        .first
    )
    sub.locator("> summary").click()
    road_rows = [r for r in SPENDING if r[3] == SHOWN_ACTIVITY]
    road_total = sum((spending_amount(r) for r in road_rows), Decimal(0))
    road_real = sum((money(r[10]) for r in road_rows), Decimal(0))
    activity = (
        sub.locator("details").filter(has=page.locator("summary", has_text=SHOWN_ACTIVITY)).first
    )
    expect(activity.locator("> summary")).to_contain_text(
        f"{rupiah(road_total)} · {percent(road_real, road_total)}"
    )
    activity.locator("> summary").click()
    expect(cost_lines).to_be_visible()
    table_rows = activity.locator("table tbody tr")
    expect(table_rows).to_have_count(len(road_rows))
    split = table_rows.filter(has_text="Batu split")
    expect(split).to_contain_text("85 m3")
    expect(split).to_contain_text(rupiah(money("310.000")))
    expect(split).to_contain_text(rupiah(Decimal(85) * 310_000))
    expect(split).to_contain_text("DDS")
    expect(split).to_contain_text(rupiah(money("26.350.000")))
    # The cost table scrolls inside its own box: the page itself is no wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Open data of the published version is offered.
    expect(page.get_by_role("link", name="Unduh CSV")).to_have_attribute(
        "href", f"/{PAGE_SLUG}/data/{YEAR}/1/csv/"
    )
    assert_accessible(page)
