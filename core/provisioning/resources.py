"""django-import-export resources of core: the bulk village import.

A village row is validated in the dry run (codes, kecamatan, hostname clashes, duplicates within
the file) without provisioning; the confirmed import provisions each village through the same
idempotent service the command and the admin use.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export import fields, resources
from wagtail.models import Site

from core.provisioning.services import VillageSpec, provision_village
from core.villages.models import KECAMATAN_CODE_RE, VILLAGE_CODE_RE, Kecamatan, Village

HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)
VILLAGE_COLUMNS = ["kode", "nama", "jenis", "kecamatan_kode", "kecamatan", "hostname"]


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

    def __init__(self, user=None, village=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._seen_codes: dict[str, int] = {}
        self._seen_hosts: dict[str, int] = {}

    def before_import_row(self, row, **kwargs):
        number = kwargs.get("row_number")
        errors: dict[str, list[str]] = {}

        def err(field, message):
            errors.setdefault(field, []).append(message)

        code = str(row.get("kode") or "").strip()
        name = str(row.get("nama") or "").strip()
        kind = str(row.get("jenis") or "").strip().lower()
        kec_code = str(row.get("kecamatan_kode") or "").strip()
        if not kec_code and VILLAGE_CODE_RE.match(code):
            kec_code = code.rsplit(".", 1)[0]
        hostname = str(row.get("hostname") or "").strip().lower()
        if not hostname and name:
            from django.conf import settings

            hostname = f"{slugify(name)}.{settings.SIDEKEM_VILLAGE_DOMAIN}"

        if not VILLAGE_CODE_RE.match(code):
            err(
                "kode",
                _("kode wilayah '%(code)s' tidak sah (contoh 33.27.07.2013)") % {"code": code},
            )
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
        elif kind and VILLAGE_CODE_RE.match(code):
            expected = "kelurahan" if code[-4] == "1" else "desa"
            if kind != expected:
                err("jenis", _("kode %(code)s adalah %(kind)s") % {"code": code, "kind": expected})
        if not KECAMATAN_CODE_RE.match(kec_code):
            err("kecamatan_kode", _("kode kecamatan '%(code)s' tidak sah") % {"code": kec_code})
        elif VILLAGE_CODE_RE.match(code) and not code.startswith(kec_code + "."):
            err("kecamatan_kode", _("kode desa tidak berada di kecamatan %(k)s") % {"k": kec_code})
        elif not Kecamatan.objects.filter(code=kec_code).exists() and not row.get("kecamatan"):
            err(
                "kecamatan",
                _("kecamatan %(k)s belum ada: isi kolom 'kecamatan' dengan namanya")
                % {"k": kec_code},
            )
        if not HOSTNAME_RE.match(hostname):
            err("hostname", _("nama host '%(h)s' tidak sah") % {"h": hostname})
        else:
            if hostname in self._seen_hosts:
                err(
                    "hostname",
                    _("nama host %(h)s sudah dipakai di baris %(row)s")
                    % {"h": hostname, "row": self._seen_hosts[hostname] + 1},
                )
            clash = Site.objects.filter(hostname=hostname).exclude(village__code=code)
            if clash.exists():
                err("hostname", _("nama host %(h)s sudah dipakai situs lain") % {"h": hostname})
        if errors:
            raise ValidationError(errors)
        self._seen_codes[code] = number
        self._seen_hosts[hostname] = number
        row["kode"], row["nama"], row["hostname"] = code, name, hostname
        row["jenis"] = kind or ("kelurahan" if code[-4] == "1" else "desa")
        row["kecamatan_kode"] = kec_code

    def save_instance(self, instance, is_create, row, **kwargs):
        if kwargs.get("dry_run"):
            return
        result = provision_village(
            VillageSpec(
                code=row["kode"],
                name=row["nama"],
                kind=row["jenis"],
                kecamatan_code=row["kecamatan_kode"],
                kecamatan_name=str(row.get("kecamatan") or "").strip(),
                hostname=row["hostname"],
            ),
            user=self.user,
        )
        instance.pk = result.village.pk
