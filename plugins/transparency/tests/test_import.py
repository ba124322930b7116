"""The APBDes import through the core import path: preview names every bad row, a file with
one bad row saves nothing, reconciliation mismatches are warnings, the village is the user's."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plugins.transparency.imports import COLUMNS
from plugins.transparency.models import Activity, Budget, BudgetLine, BudgetVersion, Realisation
from plugins.transparency.reports import version_totals

from .conftest import make_version, switch

pytestmark = pytest.mark.django_db

URL = "transparency_lines:import"
HEADER = ",".join(COLUMNS) + "\n"
GOOD = HEADER + (
    '2025,1,4,,,,Jumlah pendapatan,,,,"1.250.000.000",,,\n'
    '2025,1,4.2.1.01,,,,Dana Desa,,,,"850.000.000",DD-APBN,"425.000.000",30/06/2025\n'
    '2025,1,4.2.3.01,,,,Alokasi Dana Desa,,,,"Rp 400.000.000,00",ADD,,\n'
    "2025,1,5.3.5.03,2.3,2.3.01,Jalan usaha tani Dukuh Krajan,Semen,200,sak,"
    '"65.000",,DDS,"13.000.000",31/12/2025\n'
    "2025,1,5.3.5.02,02.03,2.3.01,Jalan usaha tani Dukuh Krajan,Upah tukang,"
    '"30",HOK,"150.000","4.500.000",DDS,,\n'
    '2025,1,5.1.1.01,1.1,1.1.01,Penghasilan tetap kepala desa,,12,bulan,"2.500.000",,ADD,,\n'
    '2025,1,6.1.1.01,,,,SiLPA 2024,,,,"12.500.000",,,\n'
)


def upload(text, name="apbdes.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def preview(client, text, **extra):
    return client.post(reverse(URL), {"file": upload(text), **extra}).content.decode()


def confirm(client, html, **extra):
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    return client.post(reverse(URL), {"token": token, **extra}, follow=True)


def test_template_lists_the_columns(client, kreo, kreo_editor):
    client.force_login(kreo_editor)
    response = client.get(reverse(URL) + "?template=csv")
    header = response.content.decode().lstrip("\ufeff").splitlines()[0]
    assert header.split(",") == list(COLUMNS)


def test_good_file_previews_then_imports(client, kreo, kreo_editor):
    client.force_login(kreo_editor)
    html = preview(client, GOOD)
    assert "6 baru" in html and "1 dilewati" in html
    assert not BudgetLine.objects.filter(village=kreo).exists()  # the preview saved nothing
    # declared income 1.250.000.000 = 850 M + 400 M: no warning about income
    assert "Jumlah pendapatan menurut dokumen" not in html
    confirm(client, html)
    version = BudgetVersion.objects.get(village=kreo, budget__year=2025, number=1)
    assert version.kind == "murni" and version.status == "draft"
    assert version.declared_income == Decimal("1250000000")
    totals = version_totals(version)
    assert totals.income == Decimal("1250000000")
    assert totals.spending == Decimal("13000000") + Decimal("4500000") + Decimal("30000000")
    assert totals.financing_in == Decimal("12500000")
    semen = BudgetLine.objects.get(version=version, description="Semen")
    assert (semen.volume, semen.unit, semen.unit_price, semen.amount, semen.source.code) == (
        Decimal("200"),
        "sak",
        Decimal("65000"),
        Decimal("13000000"),
        "DDS",
    )
    assert semen.activity.sector.code == "2.3" and semen.activity.code == "2.3.01"
    # both spelling of the sub-sector (2.3 and 02.03) land in one activity
    assert Activity.objects.filter(version=version, name__startswith="Jalan").count() == 1
    assert BudgetLine.objects.get(version=version, account__code="4.2.1.01").source.code == "DDS"
    assert Realisation.objects.get(line__account__code="4.2.1.01").amount == Decimal("425000000")
    assert all(line.village_id == kreo.pk for line in BudgetLine.objects.filter(version=version))


def test_xlsx_numbers_are_taken_as_they_are(client, kreo, kreo_editor):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    sheet.append(
        [2025, 1, "4.2.1.01", None, None, None, "Dana Desa", None, None, None, 850000000.004, "DDS"]
    )
    sheet.append(
        [2025, 1, "5.2.1.01", "1.1", None, "ATK kantor", "Kertas", 10, "rim", 55000.5, None, "ADD"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(kreo_editor)
    response = client.post(
        reverse(URL), {"file": SimpleUploadedFile("apbdes.xlsx", buffer.getvalue())}
    )
    html = response.content.decode()
    assert "2 baru" in html, html
    confirm(client, html)
    version = BudgetVersion.objects.get(village=kreo, budget__year=2025)
    assert BudgetLine.objects.get(version=version, description="Dana Desa").amount == Decimal(
        "850000000.00"
    )
    assert BudgetLine.objects.get(version=version, description="Kertas").amount == Decimal(
        "550005.00"
    )


def test_one_bad_row_saves_nothing_and_is_named(client, kreo, kreo_editor):
    client.force_login(kreo_editor)
    bad = GOOD + '2025,1,4.2.9.01,,,,Pendapatan aneh,,,,"1.000",,,\n'
    html = preview(client, bad)
    assert "Baris 9" in html
    assert "kode rekening &#x27;4.2.9.01&#x27; tidak ada dalam bagan akun" in html
    assert 'name="token"' not in html
    assert not Budget.objects.filter(village=kreo).exists()
    assert not BudgetLine.objects.exists() or not BudgetLine.objects.filter(village=kreo).exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('2025,1,9.9.9,,,,X,,,,"1.000",,,', "tidak ada dalam bagan akun"),
        ('2025,1,4.2.1.01,,,,Dana Desa,,,,"1,250",,,', "meragukan"),
        ('2025,1,4.2.1.01,,,,Dana Desa,,,,"1.25",,,', "titik hanya untuk ribuan"),
        ('2025,1,5.3.5.03,,,Jalan baru,Semen,,,,"1.000",DDS,,', "tanpa bidang"),
        ('2025,1,5.3.5.03,2,,Jalan baru,Semen,,,,"1.000",DDS,,', "pakai sub-bidangnya"),
        (
            '2025,1,5.3.5.03,7.7,,Jalan baru,Semen,,,,"1.000",DDS,,',
            "kode bidang &#x27;7.7&#x27; tidak dikenal",
        ),
        ('2025,1,5.3.5.03,2.3,,,Semen,,,,"1.000",DDS,,', "belanja harus di bawah sebuah kegiatan"),
        (
            '2025,1,4.2.1.01,,,,Dana Desa,,,,"1.000",BANSOS,,',
            "sumber dana &#x27;BANSOS&#x27; tidak dikenal",
        ),
        ("2025,1,4,,,,Jumlah,,,,,,,", "baris jumlah tanpa angka"),
        ('2025,1,4.2,,,,Transfer,,,,"1.000",,,', "terlalu umum"),
        (
            '2025,1,5.3.5.03,2.3,,Jalan,Semen,2,sak,"65.000","100.000",DDS,,',
            "tidak sama dengan volume",
        ),
        ("2025,1,4.2.1.01,,,,Dana Desa,,,,,,,", "jumlah kosong"),
        ('1999,1,4.2.1.01,,,,Dana Desa,,,,"1.000",,,', "tahun &#x27;1999&#x27; tidak sah"),
        ('2025,2,4.2.1.01,,,,Dana Desa,,,,"1.000",,,', "belum dibuat"),
        ('2025,1,4.2.1.01,,,,Dana Desa,,,,"1.000",,"500",', "realisasi tanpa tanggal"),
        (
            '2025,1,4.2.1.01,,,,Dana Desa,,,,"1.000",,"500",31-31-2025',
            "tanggal &#x27;31-31-2025&#x27; tidak dikenal",
        ),
        ('2025,1,4.2.1.01,,,,Dana Desa,,,,"-1.000",,,', "tidak boleh negatif"),
    ],
)
def test_each_kind_of_bad_row_is_named(client, kreo, kreo_editor, row, message):
    client.force_login(kreo_editor)
    html = preview(client, HEADER + '2025,1,4.2.3.01,,,,ADD,,,,"1.000",ADD,,\n' + row + "\n")
    assert "Baris 3" in html and message in html, html[html.find("import-errors") :][:800]
    assert "Baris 2" not in html
    assert not BudgetLine.objects.filter(village=kreo).exists()


def test_duplicate_lines_are_named_in_the_file_and_against_the_version(client, kreo, kreo_editor):
    client.force_login(kreo_editor)
    dup = HEADER + (
        '2025,1,5.3.5.03,2.3,,Jalan,Semen,,,,"1.000",DDS,,\n'
        '2025,1,5.3.5.03,2.3,,Jalan,semen,,,,"2.000",DDS,,\n'
    )
    html = preview(client, dup)
    assert "Baris 3" in html and "baris ganda" in html and "sama dengan baris 2" in html
    confirm(client, preview(client, HEADER + '2025,1,5.3.5.03,2.3,,Jalan,Semen,,,,"1.000",DDS,,\n'))
    assert BudgetLine.objects.filter(village=kreo).count() == 1
    html = preview(client, HEADER + '2025,1,5.3.5.03,2.3,,Jalan,Semen,,,,"5.000",DDS,,\n')
    assert "baris ganda" in html and "sudah ada di versi ini" in html


def test_reconciliation_mismatch_is_a_warning_not_a_refusal(client, kreo, kreo_editor):
    client.force_login(kreo_editor)
    text = HEADER + (
        '2025,1,4,,,,Jumlah pendapatan,,,,"900.000.000",,,\n'
        '2025,1,4.2.1.01,,,,Dana Desa,,,,"850.000.000",DDS,,\n'
        '2025,1,5.1.1.01,1.1,,Siltap,,,,,"870.000.000",ADD,,\n'
    )
    html = preview(client, text)
    assert "import-warnings" in html
    assert "Jumlah pendapatan menurut dokumen Rp 900.000.000" in html
    assert "SiLPA tahun berjalan negatif (-Rp 20.000.000)" in html
    assert 'name="token"' in html  # still importable
    confirm(client, html)
    assert BudgetLine.objects.filter(village=kreo).count() == 2


def test_published_version_is_not_changed_by_import(client, kreo, kreo_editor):
    make_version(kreo, status="published")
    client.force_login(kreo_editor)
    html = preview(client, HEADER + '2025,1,4.2.1.01,,,,Dana Desa,,,,"1.000",DDS,,\n')
    assert "sudah diterbitkan" in html and 'name="token"' not in html


def test_rows_go_to_the_editors_village_and_never_another(client, kreo, kandang, kreo_editor):
    theirs = make_version(kandang)
    client.force_login(kreo_editor)
    confirm(client, preview(client, HEADER + '2025,1,4.2.1.01,,,,Dana Desa,,,,"1.000",DDS,,\n'))
    line = BudgetLine.objects.get(description="Dana Desa")
    assert line.village == kreo and line.version.village == kreo
    assert not theirs.lines.exists()


def test_import_refused_when_plugin_off(client, kreo, kreo_editor):
    switch(kreo, False)
    client.force_login(kreo_editor)
    assert client.get(reverse(URL)).status_code == 403
    assert client.post(reverse(URL), {"file": upload(GOOD)}).status_code == 403
    assert not BudgetLine.objects.exists()
