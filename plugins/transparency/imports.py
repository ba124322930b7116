"""Import of a year's APBDes from the XLSX/CSV template, through the core import path
(core/imports: upload → preview naming every bad row → confirm; all rows or none).

One row is one line of a version (``tahun`` + ``versi``): an income or financing line, or a cost
line of an activity's RAB. Rows whose ``kode_rekening`` is ``4``, ``5``, ``6.1`` or ``6.2`` are the
totals the village's document states: they are kept on the version and reconciled with the sum
of the lines (a warning, never a refusal). Optional ``realisasi`` + ``tanggal_realisasi`` record
what was received or spent on the line by that date.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from core.imports.resources import VillageScopedResource

from .amounts import AmountError, format_rupiah, parse_amount
from .invalidation import one_bump_per_village
from .models.budget import (
    Account,
    Activity,
    Budget,
    BudgetLine,
    BudgetVersion,
    FundingSourceLabel,
    Realisation,
    Sector,
    normalise_code,
)
from .reports import line_key, reconcile, version_totals

DECLARED_TOTALS = {
    "4": "declared_income",
    "5": "declared_spending",
    "6.1": "declared_financing_in",
    "6.2": "declared_financing_out",
}
COLUMNS = (
    "tahun",
    "versi",
    "kode_rekening",
    "kode_bidang",
    "kode_kegiatan",
    "kegiatan",
    "uraian",
    "volume",
    "satuan",
    "harga_satuan",
    "jumlah",
    "sumber_dana",
    "realisasi",
    "tanggal_realisasi",
)


def _text(row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: Any) -> datetime.date | None:
    """A date cell: a real date, ``2025-06-30`` or ``30/06/2025`` / ``30-06-2025``."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


class BudgetLineResource(VillageScopedResource):
    """Rows of the APBDes template; every problem of a row is named in Indonesian."""

    template_rows = [
        [
            "2025",
            "1",
            "4",
            "",
            "",
            "",
            "Jumlah pendapatan",
            "",
            "",
            "",
            "1.250.000.000",
            "",
            "",
            "",
        ],
        [
            "2025",
            "1",
            "4.2.1.01",
            "",
            "",
            "",
            "Dana Desa",
            "",
            "",
            "",
            "850.000.000",
            "DDS",
            "",
            "",
        ],
        [
            "2025",
            "1",
            "4.2.3.01",
            "",
            "",
            "",
            "Alokasi Dana Desa",
            "",
            "",
            "",
            "400.000.000",
            "ADD",
            "425.000.000",
            "30/06/2025",
        ],
        [
            "2025",
            "1",
            "5.3.5.03",
            "2.3",
            "2.3.01",
            "Pembangunan jalan usaha tani",
            "Semen",
            "200",
            "sak",
            "65.000",
            "",
            "DD-APBN",
            "",
            "",
        ],
        [
            "2025",
            "1",
            "6.1.1.01",
            "",
            "",
            "",
            "SiLPA tahun sebelumnya",
            "",
            "",
            "",
            "Rp 12.500.000,00",
            "",
            "",
            "",
        ],
    ]

    tahun = fields.Field(column_name="tahun", attribute=None)
    versi = fields.Field(column_name="versi", attribute=None)
    kode_rekening = fields.Field(column_name="kode_rekening", attribute=None)
    kode_bidang = fields.Field(column_name="kode_bidang", attribute=None)
    kode_kegiatan = fields.Field(column_name="kode_kegiatan", attribute=None)
    kegiatan = fields.Field(column_name="kegiatan", attribute=None)
    uraian = fields.Field(column_name="uraian", attribute=None)
    volume = fields.Field(column_name="volume", attribute=None)
    satuan = fields.Field(column_name="satuan", attribute=None)
    harga_satuan = fields.Field(column_name="harga_satuan", attribute=None)
    jumlah = fields.Field(column_name="jumlah", attribute=None)
    sumber_dana = fields.Field(column_name="sumber_dana", attribute=None)
    realisasi = fields.Field(column_name="realisasi", attribute=None)
    tanggal_realisasi = fields.Field(column_name="tanggal_realisasi", attribute=None)

    class Meta:
        model = BudgetLine
        fields = ("id", *COLUMNS)
        import_id_fields = ("id",)
        skip_diff = True
        clean_model_instances = False  # every rule is checked (and named) in parse_row

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._parsed: dict[str, Any] = {}
        self._seen: dict[tuple, int] = {}
        self._versions: set[int] = set()
        self.warnings: list[str] = []
        self._accounts: dict[str, Account | None] = {}
        self._sectors: dict[str, Sector | None] = {}
        self._sources: dict[str, Any] = {}
        self._known_versions: dict[tuple[int, int], BudgetVersion] = {}
        self._known_activities: dict[tuple, Activity] = {}

    def import_data(self, *args: Any, **kwargs: Any) -> Any:
        with one_bump_per_village():
            return super().import_data(*args, **kwargs)

    # -- reading a row --------------------------------------------------------------------------
    def _account(self, code: str) -> Account | None:
        if code not in self._accounts:
            self._accounts[code] = Account.resolve(code)
        return self._accounts[code]

    def _sector(self, code: str) -> Sector | None:
        if code not in self._sectors:
            self._sectors[code] = Sector.resolve(code)
        return self._sectors[code]

    def _source(self, label: str):
        if label not in self._sources:
            self._sources[label] = FundingSourceLabel.resolve(label)
        return self._sources[label]

    def _money(self, row, name, errors) -> Decimal | None:
        try:
            return parse_amount(row.get(name))
        except AmountError as exc:
            errors.setdefault(name, []).append(str(exc))
            return None

    def _version(self, row, errors) -> BudgetVersion | None:
        year_text, number_text = _text(row, "tahun"), _text(row, "versi") or "1"
        if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
            errors.setdefault("tahun", []).append(
                _("tahun '%(value)s' tidak sah") % {"value": year_text}
            )
            return None
        if not number_text.isdigit() or int(number_text) < 1:
            errors.setdefault("versi", []).append(
                _("versi '%(value)s' tidak sah (1 untuk APBDes murni)") % {"value": number_text}
            )
            return None
        year, number = int(year_text), int(number_text)
        # Only rows already in the database are remembered: a row that creates the version
        # and then fails is rolled back (each row has its own savepoint).
        version = self._known_versions.get((year, number))
        if version is None:
            version = (
                BudgetVersion.objects.filter(village=self.village, budget__year=year, number=number)
                .select_related("budget")
                .first()
            )
            if version is not None:
                self._known_versions[(year, number)] = version
        if version is None:
            if number != 1:
                errors.setdefault("versi", []).append(
                    _(
                        "versi %(number)s APBDes %(year)s belum dibuat: buat dulu versinya "
                        "(dengan dasar hukumnya) di menu Versi APBDes"
                    )
                    % {"number": number, "year": year}
                )
                return None
            budget, _created = Budget.objects.get_or_create(village=self.village, year=year)
            version = BudgetVersion.objects.create(
                village=self.village, budget=budget, number=1, kind=BudgetVersion.Kind.ORIGINAL
            )
        if version.is_published:
            errors.setdefault("versi", []).append(
                _("versi %(number)s APBDes %(year)s sudah diterbitkan dan tidak diubah lewat impor")
                % {"number": number, "year": year}
            )
            return None
        return version

    def parse_row(self, row: dict[str, Any]) -> dict[str, Any]:
        """Everything a row says, checked; raises ValidationError naming each problem."""
        errors: dict[str, list[str]] = {}
        parsed: dict[str, Any] = {}
        version = self._version(row, errors)
        code = normalise_code(_text(row, "kode_rekening"))
        amount = self._money(row, "jumlah", errors)
        if code in DECLARED_TOTALS:
            if amount is None and "jumlah" not in errors:
                errors["jumlah"] = [_("baris jumlah tanpa angka")]
            if errors:
                raise ValidationError(errors)
            return {"total_of": code, "version": version, "amount": amount}
        account = self._account(code) if code else None
        if not code:
            errors["kode_rekening"] = [_("kode rekening kosong")]
        elif account is None:
            errors["kode_rekening"] = [
                _("kode rekening '%(code)s' tidak ada dalam bagan akun Permendagri 20/2018")
                % {"code": code}
            ]
        elif account.level not in (Account.Level.JENIS, Account.Level.OBJEK):
            errors["kode_rekening"] = [
                _(
                    "kode rekening '%(code)s' terlalu umum: pakai tingkat jenis atau objek "
                    "(jumlah per akun hanya untuk 4, 5, 6.1, 6.2)"
                )
                % {"code": code}
            ]
        activity_name = _text(row, "kegiatan")
        sector_code = _text(row, "kode_bidang")
        sector = None
        spending = account is not None and account.head == "5"
        if spending:
            if not activity_name:
                errors["kegiatan"] = [_("belanja harus di bawah sebuah kegiatan: isi kegiatan")]
            elif not sector_code:
                errors["kode_bidang"] = [
                    _(
                        "kegiatan '%(name)s' tanpa bidang: isi kode_bidang dengan sub-bidang "
                        "(mis. 2.3)"
                    )
                    % {"name": activity_name}
                ]
            else:
                sector = self._sector(sector_code)
                if sector is None:
                    errors["kode_bidang"] = [
                        _("kode bidang '%(code)s' tidak dikenal") % {"code": sector_code}
                    ]
                elif sector.level != Sector.Level.SUB_BIDANG:
                    errors["kode_bidang"] = [
                        _("'%(code)s' adalah bidang: pakai sub-bidangnya (mis. %(code)s.1)")
                        % {"code": sector_code}
                    ]
        elif account is not None and activity_name:
            errors["kegiatan"] = [_("hanya belanja (kode 5) yang berada di bawah kegiatan")]

        label = _text(row, "sumber_dana")
        source = self._source(label) if label else None
        if label and source is None:
            errors["sumber_dana"] = [
                _(
                    "sumber dana '%(label)s' tidak dikenal (kode DDS, ADD, PAD, PBH, PBK, PBP, "
                    "SWD, DLL atau label yang sudah dipetakan)"
                )
                % {"label": label}
            ]
        volume = self._money(row, "volume", errors)
        unit_price = self._money(row, "harga_satuan", errors)
        if volume is not None and unit_price is not None:
            product = (volume * unit_price).quantize(Decimal("0.01"))
            if amount is None:
                amount = product
            elif amount != product:
                errors.setdefault("jumlah", []).append(
                    _("jumlah %(amount)s tidak sama dengan volume × harga satuan = %(product)s")
                    % {"amount": format_rupiah(amount), "product": format_rupiah(product)}
                )
        if amount is None and "jumlah" not in errors and "harga_satuan" not in errors:
            errors["jumlah"] = [_("jumlah kosong (isi jumlah, atau volume dan harga satuan)")]
        if amount is not None and amount < 0:
            errors.setdefault("jumlah", []).append(_("jumlah tidak boleh negatif"))
        realised = self._money(row, "realisasi", errors)
        realised_on = None
        try:
            realised_on = parse_date(row.get("tanggal_realisasi"))
        except ValueError:
            errors["tanggal_realisasi"] = [
                _("tanggal '%(value)s' tidak dikenal (pakai 30/06/2025)")
                % {"value": _text(row, "tanggal_realisasi")}
            ]
        if realised is not None and realised_on is None and "tanggal_realisasi" not in errors:
            errors["tanggal_realisasi"] = [_("realisasi tanpa tanggal")]
        if errors:
            raise ValidationError(errors)
        parsed.update(
            version=version,
            account=account,
            sector=sector,
            activity_name=activity_name,
            activity_code=_text(row, "kode_kegiatan"),
            description=_text(row, "uraian"),
            volume=volume,
            unit=_text(row, "satuan"),
            unit_price=unit_price,
            amount=amount,
            source=source,
            realised=realised,
            realised_on=realised_on,
        )
        return parsed

    # -- the import steps -----------------------------------------------------------------------
    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        super().before_import_row(row, **kwargs)
        self._parsed = self.parse_row(row)
        self._parsed["row_number"] = kwargs.get("row_number")

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        return "total_of" in self._parsed

    def import_instance(self, instance: BudgetLine, row: dict[str, Any], **kwargs: Any) -> None:
        p = self._parsed
        instance.village = self.village
        version: BudgetVersion = p["version"]
        self._versions.add(version.pk)
        if "total_of" in p:
            setattr(version, DECLARED_TOTALS[p["total_of"]], p["amount"])
            version.save(update_fields=[DECLARED_TOTALS[p["total_of"]]])
            return
        activity = None
        if p["sector"] is not None:
            known = (version.pk, p["sector"].pk, p["activity_name"])
            activity = self._known_activities.get(known)
            if activity is None:
                activity, created = Activity.objects.get_or_create(
                    version=version,
                    sector=p["sector"],
                    name=p["activity_name"],
                    defaults={"village": self.village, "code": p["activity_code"]},
                )
                if not created:
                    self._known_activities[known] = activity
        key = line_key(
            p["account"].code,
            p["sector"].code if p["sector"] else None,
            p["activity_name"],
            p["description"],
        )
        key = (version.pk, *key)
        earlier = self._seen.get(key)
        duplicate = (
            BudgetLine.objects.filter(
                version=version,
                account=p["account"],
                activity=activity,
                description__iexact=p["description"],
            )
            .exclude(pk=instance.pk)
            .exists()
        )
        if earlier is not None or duplicate:
            where = (
                _("sama dengan baris %(row)s") % {"row": earlier + 1}
                if earlier is not None
                else _("sudah ada di versi ini")
            )
            raise ValidationError(
                {
                    "uraian": _("baris ganda (rekening %(code)s, uraian '%(text)s'): %(where)s")
                    % {"code": p["account"].code, "text": p["description"], "where": where}
                }
            )
        instance.version = version
        instance.account = p["account"]
        instance.activity = activity
        instance.description = p["description"]
        instance.volume = p["volume"]
        instance.unit = p["unit"]
        instance.unit_price = p["unit_price"]
        instance.amount = p["amount"]
        instance.source = p["source"]
        if not instance.order:
            instance.order = p["row_number"] or 0
        self._seen[key] = p["row_number"]

    def save_instance(self, instance, is_create, row, **kwargs):
        super().save_instance(instance, is_create, row, **kwargs)
        p = self._parsed
        if p.get("realised") is not None:
            Realisation.objects.update_or_create(
                village=self.village,
                line=instance,
                date=p["realised_on"],
                defaults={"amount": p["realised"]},
            )

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            return
        for version in BudgetVersion.objects.filter(pk__in=self._versions).select_related("budget"):
            for warning in reconcile(version, version_totals(version)):
                self.warnings.append(f"{version}: {warning}")
