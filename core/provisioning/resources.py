"""django-import-export resources of core: the bulk village import.

A village row is validated in the dry run (codes, kecamatan, hostname clashes, duplicates within
the file) without provisioning; the confirmed import provisions each village through the same
idempotent service the command and the admin use (core/provisioning/services.py).

Two column sets are read: ours (``VILLAGE_COLUMNS``) and the official list's as shipped in
core/villages/data/pemalang_wilayah.csv (kode, kind, name, kecamatan_kode, kecamatan_name), whose
kecamatan rows are skipped and name their kecamatan. The preview shows each village's hostname
(derived by :func:`core.provisioning.services.village_address` when the file gives none) and what
will happen to it, in the ``hostname`` and ``keterangan`` columns.

The totals report what was saved: "new" rows are villages the service created, "update" rows
villages that existed, and a row whose village is not there afterwards (or not at the hostname the
preview showed) is a row error, so the all-or-nothing import rolls back and names it.
"""

from __future__ import annotations

from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.results import RowResult

from core.provisioning.services import (
    HOSTNAME_RE,
    ProvisioningError,
    VillageSpec,
    check_village_code,
    official_kecamatan,
    provision_village,
    village_address,
)
from core.villages.models import KECAMATAN_CODE_RE, VILLAGE_CODE_RE, Kecamatan, Village

__all__ = ["HOSTNAME_RE", "VILLAGE_COLUMNS", "VillageResource"]

VILLAGE_COLUMNS = ["kode", "nama", "jenis", "kecamatan_kode", "kecamatan", "hostname"]
#: Columns of the official list (core/villages/wilayah.py) and the columns they stand for.
OFFICIAL_COLUMNS = {"name": "nama", "kind": "jenis", "kecamatan_name": "kecamatan"}
NOTE_COLUMN = "keterangan"
KECAMATAN_KIND = "kecamatan"


class RowNotSaved(Exception):
    """The confirmed import did not save a row as its preview said it would."""


def _cell(row: dict[str, Any], column: str) -> str:
    return str(row.get(column) or "").strip()


class VillageResource(resources.ModelResource):
    """Bulk village import (district administrators); the rows are villages themselves."""

    kode = fields.Field(attribute="code", column_name="kode")
    nama = fields.Field(attribute="name", column_name="nama")
    jenis = fields.Field(attribute="kind", column_name="jenis")

    class Meta:
        model = Village
        fields = ("kode", "nama", "jenis")
        import_id_fields = ("kode",)
        skip_unchanged = False
        report_skipped = True
        use_transactions = True

    def __init__(self, user: Any = None, village: Village | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user
        self._dataset: tablib.Dataset | None = None
        self._seen_codes: dict[str, int] = {}
        self._seen_hosts: dict[str, int] = {}
        self._seen_slugs: set[str] = set()
        self._kecamatan_names: dict[str, str] = {}
        self._expected_hosts: dict[int, str] = {}  # row number -> hostname shown in the preview
        self._created: dict[int, bool] = {}  # row number -> did provisioning create the village

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        headers = list(dataset.headers)
        for official, ours in OFFICIAL_COLUMNS.items():
            if official in headers and ours not in headers:
                headers[headers.index(official)] = ours
        dataset.headers = headers
        if "nama" not in headers:
            # One message for the file rather than one per row.
            del dataset[:]
            raise ValueError(_("Kolom wajib tidak ada: nama (atau name, seperti di daftar resmi)"))
        for column in ("hostname", NOTE_COLUMN):
            if column not in headers:
                dataset.append_col([""] * dataset.height, header=column)
        for row in dataset.dict:
            if _cell(row, "jenis").lower() == KECAMATAN_KIND and _cell(row, "nama"):
                self._kecamatan_names[_cell(row, "kode")] = _cell(row, "nama")
        self._dataset = dataset
        super().before_import(dataset, **kwargs)

    def _show(self, number: int, **cells: str) -> None:
        """Write ``cells`` into the file's row for the preview (the import reads the row dict)."""
        if self._dataset is None:
            return
        values = list(self._dataset[number - 1])
        for column, value in cells.items():
            values[self._dataset.headers.index(column)] = value
        self._dataset[number - 1] = values

    def _kecamatan_name(self, row: dict[str, Any], kec_code: str) -> str:
        if _cell(row, "kecamatan"):
            return _cell(row, "kecamatan")
        if kec_code in self._kecamatan_names:
            return self._kecamatan_names[kec_code]
        kecamatan = Kecamatan.objects.filter(code=kec_code).first()
        if kecamatan is not None:
            return kecamatan.name
        area = official_kecamatan().get(kec_code)
        return area.name if area else ""

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        number = kwargs["row_number"]
        errors: dict[str, list[str]] = {}

        def err(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        code = _cell(row, "kode")
        name = _cell(row, "nama")
        kind = _cell(row, "jenis").lower()
        if kind == KECAMATAN_KIND or (not kind and KECAMATAN_CODE_RE.match(code)):
            if not KECAMATAN_CODE_RE.match(code):
                err("kode", _("kode kecamatan '%(code)s' tidak sah") % {"code": code})
                raise ValidationError(errors)
            row["jenis"] = KECAMATAN_KIND  # skip_row() skips it
            self._show(number, **{NOTE_COLUMN: _("kecamatan: dilewati")})
            return

        kec_code = _cell(row, "kecamatan_kode")
        if not kec_code and VILLAGE_CODE_RE.match(code):
            kec_code = code.rsplit(".", 1)[0]
        hostname = _cell(row, "hostname").lower()

        check = check_village_code(code)
        if check.error:
            err("kode", check.error)
        elif code in self._seen_codes:
            err(
                "kode",
                _("kode %(code)s sudah muncul di baris %(row)s")
                % {"code": code, "row": self._seen_codes[code] + 1},
            )
        if not name:
            err("nama", _("nama desa wajib diisi"))
        if kind and kind not in Village.Kind.values:
            err("jenis", _("jenis harus 'desa' atau 'kelurahan'"))
        elif kind and not check.error:
            expected = "kelurahan" if code[-4] == "1" else "desa"
            if kind != expected:
                err("jenis", _("kode %(code)s adalah %(kind)s") % {"code": code, "kind": expected})
        kec_name = self._kecamatan_name(row, kec_code)
        if not KECAMATAN_CODE_RE.match(kec_code):
            err("kecamatan_kode", _("kode kecamatan '%(code)s' tidak sah") % {"code": kec_code})
        elif not check.error and not code.startswith(kec_code + "."):
            err("kecamatan_kode", _("kode desa tidak berada di kecamatan %(k)s") % {"k": kec_code})
        elif not kec_name:
            err(
                "kecamatan",
                _("kecamatan %(k)s belum ada: isi kolom 'kecamatan' dengan namanya")
                % {"k": kec_code},
            )
        if hostname and not HOSTNAME_RE.match(hostname):
            err("hostname", _("nama host '%(h)s' tidak sah") % {"h": hostname})
        elif hostname in self._seen_hosts:
            err(
                "hostname",
                _("nama host %(h)s sudah dipakai di baris %(row)s")
                % {"h": hostname, "row": self._seen_hosts[hostname] + 1},
            )
        if errors:
            raise ValidationError(errors)

        spec = VillageSpec(
            code=code,
            name=name,
            kecamatan_code=kec_code,
            kecamatan_name=kec_name,
            hostname=hostname,
        )
        try:
            address = village_address(
                spec, claimed_hostnames=self._seen_hosts, claimed_slugs=self._seen_slugs
            )
        except ProvisioningError as exc:
            raise ValidationError({"hostname": [str(exc)]}) from exc

        notes = [_("sudah ada") if address.existing else _("baru")]
        if address.existing and hostname and hostname != address.hostname:
            notes.append(_("nama host tetap %(h)s") % {"h": address.hostname})
        if address.note:
            notes.append(address.note)
        if not check.listed:
            notes.append(_("kode di luar daftar resmi"))
        self._show(number, hostname=address.hostname, **{NOTE_COLUMN: "; ".join(notes)})

        self._seen_codes[code] = number
        self._seen_hosts[address.hostname] = number
        self._seen_slugs.add(address.slug)
        self._expected_hosts[number] = address.hostname
        row["kode"], row["nama"], row["hostname"] = code, name, hostname
        row["jenis"] = kind or ("kelurahan" if code[-4] == "1" else "desa")
        row["kecamatan_kode"], row["kecamatan"] = kec_code, kec_name

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        return row.get("jenis") == KECAMATAN_KIND

    def save_instance(self, instance, is_create, row, **kwargs) -> None:
        if kwargs.get("dry_run"):
            return
        number, code = kwargs["row_number"], row["kode"]
        result = provision_village(
            VillageSpec(
                code=code,
                name=row["nama"],
                kind=row["jenis"],
                kecamatan_code=row["kecamatan_kode"],
                kecamatan_name=row["kecamatan"],
                hostname=row["hostname"],
            ),
            user=self.user,
        )
        # Check what is really there now rather than trusting the result.
        village = Village.objects.select_related("site").filter(code=code).first()
        if village is None or village.pk != result.village.pk:
            raise RowNotSaved(
                _("%(name)s (%(code)s) tidak tersimpan.") % {"name": row["nama"], "code": code}
            )
        expected = self._expected_hosts.get(number)
        if village.site.hostname != expected:
            raise RowNotSaved(
                _(
                    "%(village)s (%(code)s) tersimpan dengan nama host %(got)s, bukan %(want)s "
                    "seperti di pratinjau."
                )
                % {"village": village, "code": code, "got": village.site.hostname, "want": expected}
            )
        self._created[number] = result.created
        instance.pk = village.pk

    def after_import_row(self, row, row_result, **kwargs) -> None:
        """Count what provisioning did: created is "new", already there is "update"."""
        super().after_import_row(row, row_result, **kwargs)
        created = self._created.pop(kwargs["row_number"], None)
        if created is not None:
            row_result.import_type = (
                RowResult.IMPORT_TYPE_NEW if created else RowResult.IMPORT_TYPE_UPDATE
            )
