"""Kabupaten Pemalang's official area codes (Kemendagri).

Shipped in core/villages/data (MIT licence, from the cahyadsn/wilayah data set).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "pemalang_wilayah.csv"


@dataclass(frozen=True)
class Area:
    code: str
    kind: str
    name: str
    kecamatan_code: str
    kecamatan_name: str


@cache
def areas() -> tuple[Area, ...]:
    with DATA_FILE.open(encoding="utf-8") as fh:
        return tuple(
            Area(r["kode"], r["kind"], r["name"], r["kecamatan_kode"], r["kecamatan_name"])
            for r in csv.DictReader(fh)
        )


def kecamatan_list() -> list[Area]:
    return [a for a in areas() if a.kind == "kecamatan"]


def villages() -> list[Area]:
    return [a for a in areas() if a.kind != "kecamatan"]


def by_code(code: str) -> Area:
    for area in areas():
        if area.code == code:
            return area
    raise KeyError(code)
