"""Import of village data from the XLSX/CSV template (django-import-export).

The village is injected from the editor (never read from the file), and rows are matched by
their natural key (year, category, item) *within that village*, so neither an ``id`` column nor
a crafted key can reach another village's rows.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from core.imports.resources import VillageScopedResource
from core.villagedata.choices import PopulationCategory, PotentialCategory
from core.villagedata.models import PopulationFigure, PotentialFigure

POPULATION_COLUMNS = ["tahun", "kategori", "uraian", "jumlah", "urutan"]
POTENTIAL_COLUMNS = ["tahun", "kategori", "uraian", "nilai", "satuan", "urutan"]


def _category_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices.choices:
        lookup[value.lower()] = value
        lookup[str(label).lower()] = value
        lookup[value.replace("_", " ")] = value
    return lookup


THOUSANDS_RE = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_count(raw) -> int | None:
    """A whole, non-negative number from a cell: 1234, 1.234 (Indonesian grouping), 1234.0."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int):
        return raw if raw >= 0 else None
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() and raw >= 0 else None
    text = str(raw).strip()
    if THOUSANDS_RE.match(text):
        text = text.replace(".", "")
    return int(text) if text.isdigit() else None


class _VillageDataResource(VillageScopedResource):
    """Rows are matched by (year, category, item) inside the importing village."""

    categories = None

    def __init__(self, user=None, village=None, **kwargs):
        super().__init__(user=user, village=village, **kwargs)
        self._seen: dict[tuple, int] = {}

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        number = kwargs.get("row_number")
        errors: dict[str, list[str]] = {}
        year = str(row.get("tahun") or "").strip().split(".")[0]
        if not year.isdigit() or not 1945 <= int(year) <= 2100:
            errors.setdefault("tahun", []).append(_("tahun '%(y)s' tidak sah") % {"y": year})
        else:
            row["tahun"] = int(year)
        raw_category = str(row.get("kategori") or "").strip().lower()
        category = _category_lookup(self.categories).get(raw_category)
        if not category:
            errors.setdefault("kategori", []).append(
                _("kategori '%(c)s' tidak dikenal; pilih salah satu: %(all)s")
                % {"c": raw_category, "all": ", ".join(self.categories.values)}
            )
        else:
            row["kategori"] = category
        label = str(row.get("uraian") or "").strip()
        if not label:
            errors.setdefault("uraian", []).append(_("uraian wajib diisi"))
        row["uraian"] = label
        order = str(row.get("urutan") or "0").strip().split(".")[0] or "0"
        row["urutan"] = int(order) if order.isdigit() else 0
        key = (row.get("tahun"), row.get("kategori"), label.lower())
        if not errors and key in self._seen:
            errors.setdefault("uraian", []).append(
                _("baris ganda: sama dengan baris %(row)s") % {"row": self._seen[key] + 1}
            )
        self._seen.setdefault(key, number or 0)
        self.clean_value(row, errors)
        if errors:
            raise ValidationError(errors)

    def clean_value(self, row, errors) -> None:
        raise NotImplementedError

    def before_save_instance(self, instance, row, **kwargs):
        instance.village = self.village


class PopulationResource(_VillageDataResource):
    categories = PopulationCategory
    template_rows = [
        [2025, "jenis_kelamin", "Laki-laki", 2150, 1],
        [2025, "jenis_kelamin", "Perempuan", 2210, 2],
        [2025, "kelompok_umur", "0–14 tahun", 1020, 1],
        [2025, "agama", "Islam", 4300, 1],
    ]
    tahun = fields.Field(attribute="year", column_name="tahun")
    kategori = fields.Field(attribute="category", column_name="kategori")
    uraian = fields.Field(attribute="label", column_name="uraian")
    jumlah = fields.Field(attribute="value", column_name="jumlah")
    urutan = fields.Field(attribute="order", column_name="urutan")

    class Meta:
        model = PopulationFigure
        fields = ("tahun", "kategori", "uraian", "jumlah", "urutan")
        import_id_fields = ("tahun", "kategori", "uraian")
        skip_unchanged = False
        use_transactions = True

    def clean_value(self, row, errors) -> None:
        value = parse_count(row.get("jumlah"))
        if value is None:
            errors.setdefault("jumlah", []).append(
                _("jumlah '%(v)s' harus bilangan bulat tidak negatif") % {"v": row.get("jumlah")}
            )
        else:
            row["jumlah"] = value


class PotentialResource(_VillageDataResource):
    categories = PotentialCategory
    template_rows = [
        [2025, "penggunaan_lahan", "Sawah", "245.5", "ha", 1],
        [2025, "pertanian", "Padi", "1480", "ton", 1],
        [2025, "peternakan", "Kambing", "620", "ekor", 1],
        [2025, "sarana", "Posyandu", "6", "unit", 1],
    ]
    tahun = fields.Field(attribute="year", column_name="tahun")
    kategori = fields.Field(attribute="category", column_name="kategori")
    uraian = fields.Field(attribute="label", column_name="uraian")
    nilai = fields.Field(attribute="value", column_name="nilai")
    satuan = fields.Field(attribute="unit", column_name="satuan")
    urutan = fields.Field(attribute="order", column_name="urutan")

    class Meta:
        model = PotentialFigure
        fields = ("tahun", "kategori", "uraian", "nilai", "satuan", "urutan")
        import_id_fields = ("tahun", "kategori", "uraian")
        skip_unchanged = False
        use_transactions = True

    def clean_value(self, row, errors) -> None:
        raw = str(row.get("nilai") if row.get("nilai") is not None else "").strip()
        try:
            value = Decimal(raw.replace(",", ".")) if raw else None
        except InvalidOperation:
            value = None
        if value is None or value < 0:
            errors.setdefault("nilai", []).append(
                _("nilai '%(v)s' harus angka tidak negatif") % {"v": raw}
            )
        else:
            row["nilai"] = value.quantize(Decimal("0.01"))
        unit = str(row.get("satuan") or "").strip()
        if not unit:
            errors.setdefault("satuan", []).append(_("satuan wajib diisi"))
        row["satuan"] = unit[:20]
