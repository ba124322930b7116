"""``manage.py provision_district``: every desa and kelurahan of the official list, idempotently.

The official list is core/villages/data/pemalang_wilayah.csv (read by core/villages/wilayah.py).
Each village goes through :func:`core.provisioning.services.provision_village`, so a village that
exists is left as it is (or completed if something of it is missing) and a new one gets the
hostname :func:`core.provisioning.services.village_address` derives. Running the command again
creates nothing.

Each village is provisioned in its own transaction (``provision_village`` is atomic and the
command itself runs in autocommit), not the whole district in one, because:

* it is resumable: a run that stops part way (interrupted, a lost database connection, one
  village that cannot be created) keeps every village done so far, and the next run carries on
  from there instead of starting the district over;
* a district-wide transaction would hold locks on Wagtail's page tree (every village home page is
  a child of its root) and on the Site table for minutes, blocking editors all that time;
* wagtail-localize finishes each English home page in an on-commit hook (see
  core/demo/management/commands/seed_demo.py), which should run right after its village rather
  than 223 of them at the very end.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.provisioning.services import (
    ProvisioningError,
    VillageSpec,
    check_village_code,
    district_portal,
    official_kecamatan,
    provision_village,
    unlisted_code_message,
)
from core.villages import wilayah


class Command(BaseCommand):
    help = (
        "Buat situs untuk semua desa dan kelurahan di daftar resmi (idempoten). "
        "Provision every desa and kelurahan of the official list (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--domain", help="domain of derived hostnames (default: SIDEKEM_VILLAGE_DOMAIN)"
        )
        parser.add_argument(
            "--port", type=int, help="port of new sites (default: SIDEKEM_SITE_PORT)"
        )
        parser.add_argument(
            "--kecamatan",
            action="append",
            metavar="KODE",
            help="only the villages of this kecamatan, e.g. 33.27.03 (repeatable)",
        )
        parser.add_argument(
            "--code",
            action="append",
            metavar="KODE",
            help="only this village, e.g. 33.27.03.2004 (repeatable)",
        )

    def handle(self, *args, **options):
        areas = self._select(options["kecamatan"] or [], options["code"] or [])
        start = time.monotonic()
        port = options["port"]
        _portal, portal_created = district_portal(port=port)
        if portal_created:
            self.stdout.write(_("Portal kabupaten dibuat."))
        created = existing = completed = 0
        failed: list[str] = []
        for area in areas:
            spec = VillageSpec(
                code=area.code,
                name=area.name,
                kind=area.kind,
                kecamatan_code=area.kecamatan_code,
                kecamatan_name=area.kecamatan_name,
                port=port,
                domain=options["domain"] or "",
            )
            try:
                result = provision_village(spec)
            except ProvisioningError as exc:
                failed.append(area.code)
                self.stderr.write(f"{area.code}  {area.name}: {_('gagal')}: {exc}")
                continue
            if result.created:
                created += 1
                state = _("dibuat")
            elif result.changes:
                completed += 1
                state = _("sudah ada, dilengkapi (%(n)d perubahan)") % {"n": len(result.changes)}
            else:
                existing += 1
                state = _("sudah ada")
            note = result.address.note if result.address and result.created else ""
            self.stdout.write(
                f"{area.code}  {result.village} ({area.kecamatan_name}): {state}  "
                f"{result.village.site.hostname}" + (f"  ({note})" if note else "")
            )
        summary = _(
            "Selesai dalam %(seconds).1f detik: %(total)d desa/kelurahan, %(created)d dibuat, "
            "%(existing)d sudah ada, %(completed)d dilengkapi, %(failed)d gagal."
        ) % {
            "seconds": time.monotonic() - start,
            "total": len(areas),
            "created": created,
            "existing": existing,
            "completed": completed,
            "failed": len(failed),
        }
        if failed:
            self.stdout.write(summary)
            raise CommandError(
                _("%(n)d desa/kelurahan gagal: %(codes)s. Perbaiki lalu jalankan lagi.")
                % {"n": len(failed), "codes": ", ".join(failed)}
            )
        self.stdout.write(self.style.SUCCESS(summary))

    def _select(self, kecamatan_codes: list[str], codes: list[str]) -> list[wilayah.Area]:
        """The official villages to provision: all, or those of the given kecamatan and codes."""
        villages = wilayah.villages()
        if not kecamatan_codes and not codes:
            return villages
        for kec_code in kecamatan_codes:
            if kec_code not in official_kecamatan():
                raise CommandError(
                    _("Kecamatan %(code)s tidak ada di daftar resmi.") % {"code": kec_code}
                )
        for code in codes:
            check = check_village_code(code)
            if check.error:
                raise CommandError(check.error)
            if not check.listed:
                raise CommandError(unlisted_code_message(code))
        return [
            area
            for area in villages
            if area.kecamatan_code in kecamatan_codes or area.code in codes
        ]
