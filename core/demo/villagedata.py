"""Demo figures of a village: consistent totals in every population category."""

from __future__ import annotations

import random
from decimal import Decimal

from core.villagedata.models import PopulationFigure, PotentialFigure

POPULATION_SHARES = {
    "jenis_kelamin": [("Laki-laki", 49.6), ("Perempuan", 50.4)],
    "kelompok_umur": [
        ("0–4 tahun", 7),
        ("5–14 tahun", 15),
        ("15–24 tahun", 16),
        ("25–39 tahun", 22),
        ("40–54 tahun", 20),
        ("55–64 tahun", 11),
        ("65 tahun ke atas", 9),
    ],
    "pendidikan": [
        ("Tidak/belum sekolah", 17),
        ("SD/sederajat", 38),
        ("SMP/sederajat", 21),
        ("SMA/SMK/sederajat", 19),
        ("Diploma", 2),
        ("Sarjana ke atas", 3),
    ],
    "pekerjaan": [
        ("Petani", 16),
        ("Buruh tani", 12),
        ("Perajin/industri rumah tangga", 9),
        ("Pedagang", 7),
        ("Karyawan swasta", 10),
        ("PNS/TNI/Polri", 2),
        ("Mengurus rumah tangga", 15),
        ("Pelajar/mahasiswa", 18),
        ("Belum/tidak bekerja", 11),
    ],
    "agama": [("Islam", 98.2), ("Kristen", 1.1), ("Katolik", 0.6), ("Lainnya", 0.1)],
    "status_perkawinan": [
        ("Belum kawin", 41),
        ("Kawin", 51),
        ("Cerai hidup", 3),
        ("Cerai mati", 5),
    ],
}


def _split(total: int, shares, rnd) -> list[int]:
    weights = [share * rnd.uniform(0.9, 1.1) for _label, share in shares]
    scale = total / sum(weights)
    values = [int(w * scale) for w in weights]
    values[max(range(len(values)), key=lambda i: values[i])] += total - sum(values)
    return values


def fill_village_data(village, rnd: random.Random | None = None) -> None:
    if PopulationFigure.objects.filter(village=village).exists():
        return
    rnd = rnd or random.Random(village.code)
    total = rnd.randint(3200, 8200)
    rows = []
    for year, growth in ((2024, 0.99), (2025, 1.0)):
        year_total = int(total * growth)
        for category, shares in POPULATION_SHARES.items():
            for order, ((label, _share), value) in enumerate(
                zip(shares, _split(year_total, shares, rnd), strict=True), 1
            ):
                rows.append(
                    PopulationFigure(
                        village=village,
                        year=year,
                        category=category,
                        label=label,
                        value=value,
                        order=order,
                    )
                )
    PopulationFigure.objects.bulk_create(rows)
    potential = [
        ("penggunaan_lahan", "Sawah", rnd.randint(120, 320), "ha"),
        ("penggunaan_lahan", "Tegalan/ladang", rnd.randint(40, 140), "ha"),
        ("penggunaan_lahan", "Permukiman", rnd.randint(30, 90), "ha"),
        ("penggunaan_lahan", "Hutan rakyat", rnd.randint(5, 60), "ha"),
        ("pertanian", "Padi", rnd.randint(900, 2400), "ton"),
        ("pertanian", "Jagung", rnd.randint(80, 400), "ton"),
        ("pertanian", "Cabai", rnd.randint(10, 60), "ton"),
        ("peternakan", "Sapi", rnd.randint(40, 300), "ekor"),
        ("peternakan", "Kambing", rnd.randint(200, 900), "ekor"),
        ("peternakan", "Ayam kampung", rnd.randint(2000, 9000), "ekor"),
        ("wisata", "Wisata alam", rnd.randint(0, 3), "lokasi"),
        ("wisata", "Wisata budaya", rnd.randint(1, 2), "lokasi"),
        ("sarana", "Masjid dan musala", rnd.randint(8, 30), "unit"),
        ("sarana", "SD/MI", rnd.randint(2, 5), "unit"),
        ("sarana", "Posyandu", rnd.randint(4, 9), "unit"),
        ("sarana", "Polindes/PKD", 1, "unit"),
    ]
    PotentialFigure.objects.bulk_create(
        [
            PotentialFigure(
                village=village,
                year=2025,
                category=category,
                label=label,
                value=Decimal(value),
                unit=unit,
                order=i,
            )
            for i, (category, label, value, unit) in enumerate(potential, 1)
        ]
    )
