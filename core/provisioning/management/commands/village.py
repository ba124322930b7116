from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.provisioning.services import (
    ProvisioningError,
    VillageSpec,
    check_village_code,
    provision_village,
    unlisted_code_message,
)
from core.villages.models import Village


class Command(BaseCommand):
    help = "Buat (idempoten) atau daftar situs desa. Create (idempotently) or list village sites."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="provision one village")
        create.add_argument("--code", required=True, help="kode wilayah, e.g. 33.27.07.2013")
        create.add_argument("--name", help="village name (default: from the official list)")
        create.add_argument("--kecamatan", help="kecamatan name (default: from the official list)")
        create.add_argument(
            "--hostname", help="e.g. kreo.localhost (default: derived from the name)"
        )
        create.add_argument("--port", type=int)
        sub.add_parser("list", help="list villages and their sites")

    def handle(self, *args, **options):
        if options["action"] == "list":
            for v in Village.objects.select_related("site", "kecamatan"):
                self.stdout.write(f"{v.code}\t{v}\t{v.kecamatan}\t{v.site.root_url}")
            return
        check = check_village_code(options["code"])
        if check.error:
            raise CommandError(check.error)
        code, area = check.code, check.area
        name = options["name"] or (area.name if area else "")
        kecamatan_name = options["kecamatan"] or (area.kecamatan_name if area else "")
        if area is None:
            if not (name and kecamatan_name):
                raise CommandError(
                    unlisted_code_message(code)
                    + " "
                    + _("Untuk tetap membuatnya, berikan --name dan --kecamatan.")
                )
            self.stdout.write(
                self.style.WARNING(
                    unlisted_code_message(code)
                    + " "
                    + _("Dibuat dengan nama dan kecamatan dari --name dan --kecamatan.")
                )
            )
        try:
            result = provision_village(
                VillageSpec(
                    code=code,
                    name=name,
                    kecamatan_code=code.rsplit(".", 1)[0],
                    kecamatan_name=kecamatan_name,
                    hostname=options["hostname"] or "",
                    port=options["port"],
                )
            )
        except ProvisioningError as exc:
            raise CommandError(str(exc)) from exc
        state = _("dibuat") if result.created else _("sudah ada")
        self.stdout.write(f"{result.village} ({code}) {state}: {result.village.site.root_url}/")
        note = result.address.note if result.address else ""
        hostname = result.village.site.hostname
        asked = (options["hostname"] or "").strip().lower()
        if not result.created and asked and asked != hostname:
            note = _("tidak diubah menjadi %(h)s: desanya sudah ada") % {"h": asked}
        self.stdout.write(
            "  " + _("nama host: %(h)s") % {"h": hostname} + (f" ({note})" if note else "")
        )
        if result.changes:
            self.stdout.write("  diubah: " + ", ".join(result.changes))
        else:
            self.stdout.write("  tidak ada perubahan")
