"""Reference data of Permendagri 20/2018: the chart of accounts (heads 4/5/6 down to objects),
the five spending sectors with their sub-sectors, and the funding sources with the labels
villages publish for them. The CSV files are in ``plugins/transparency/data/``."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"

SOURCES = [
    ("DDS", "Dana Desa", ["DD", "DD-APBN", "DANA-DESA", "APBN"]),
    ("ADD", "Alokasi Dana Desa", ["ALOKASI-DANA-DESA", "ADD-APBD"]),
    ("PAD", "Pendapatan Asli Desa", ["PADES", "PADESA", "PENDAPATAN-ASLI-DESA"]),
    (
        "PBH",
        "Bagi Hasil Pajak dan Retribusi Daerah",
        ["BHP", "BHPR", "BHPRD", "BAGI-HASIL", "BHP-BHR", "BHPD"],
    ),
    ("PBP", "Bantuan Keuangan Provinsi", ["BAN-PROV", "BANPROV", "BANKEU-PROV", "BKP", "BK-PROV"]),
    (
        "PBK",
        "Bantuan Keuangan Kabupaten/Kota",
        ["BAN-KAB", "BANKAB", "BANKEU-KAB", "BKK", "BK-KAB", "BKD"],
    ),
    ("SWD", "Swadaya Masyarakat", ["SWADAYA", "SWADAYA-MASYARAKAT"]),
    ("DLL", "Pendapatan Lain-lain", ["LAIN-LAIN", "LAIN2", "PL"]),
]


def seed(apps, schema_editor):
    Account = apps.get_model("transparency", "Account")
    Sector = apps.get_model("transparency", "Sector")
    FundingSource = apps.get_model("transparency", "FundingSource")
    FundingSourceLabel = apps.get_model("transparency", "FundingSourceLabel")

    accounts = {}
    with (DATA / "permendagri20_2018_kode_rekening.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            accounts[row["kode"]] = Account.objects.create(
                code=row["kode"],
                level=row["level"],
                parent=accounts.get(row["parent"]),
                name=row["uraian"].strip(),
            )
    sectors = {}
    with (DATA / "bidang_subbidang_permendagri20_2018.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            sectors[row["kode_permendagri"]] = Sector.objects.create(
                code=row["kode_permendagri"],
                siskeudes_code=row["kode_siskeudes"],
                level=row["level"],
                parent=sectors.get(row["parent"]),
                name=row["uraian"].strip(),
            )
    for order, (code, name, labels) in enumerate(SOURCES, 1):
        source = FundingSource.objects.create(code=code, name=name, order=order)
        for label in [code, *labels]:
            FundingSourceLabel.objects.create(label=label, source=source)


def unseed(apps, schema_editor):
    apps.get_model("transparency", "FundingSourceLabel").objects.all().delete()
    apps.get_model("transparency", "FundingSource").objects.all().delete()
    levels = {"Account": ["objek", "jenis", "kelompok", "akun"], "Sector": ["sub_bidang", "bidang"]}
    for name, order in levels.items():  # children before parents (PROTECT)
        model = apps.get_model("transparency", name)
        for level in order:
            model.objects.filter(level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("transparency", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
