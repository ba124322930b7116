from django.core.management.base import BaseCommand, CommandError

from core.provisioning.services import VillageSpec, provision_village
from core.villages.models import Village
from core.villages.wilayah import by_code


class Command(BaseCommand):
    help = "Buat (idempoten) atau daftar situs desa. Create (idempotently) or list village sites."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="provision one village")
        create.add_argument("--code", required=True, help="kode wilayah, e.g. 33.27.07.2013")
        create.add_argument("--name", help="village name (default: from the official list)")
        create.add_argument("--kecamatan", help="kecamatan name (default: from the official list)")
        create.add_argument("--hostname", help="e.g. kreo.localhost")
        create.add_argument("--port", type=int)
        sub.add_parser("list", help="list villages and their sites")

    def handle(self, *args, **options):
        if options["action"] == "list":
            for v in Village.objects.select_related("site", "kecamatan"):
                self.stdout.write(f"{v.code}\t{v}\t{v.kecamatan}\t{v.site.root_url}")
            return
        code = options["code"]
        try:
            area = by_code(code)
        except KeyError:
            area = None
        name = options["name"] or (area.name if area else None)
        if not name:
            raise CommandError(f"Kode {code} tidak ada di daftar resmi: berikan --name.")
        kecamatan_name = options["kecamatan"] or (area.kecamatan_name if area else "")
        kec_code = code.rsplit(".", 1)[0]
        if area is None and not kecamatan_name:
            raise CommandError("Berikan --kecamatan untuk kode di luar daftar resmi.")
        from django.core.exceptions import ValidationError

        from core.villages.models import validate_village_code

        try:
            validate_village_code(code)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        result = provision_village(
            VillageSpec(
                code=code,
                name=name,
                kecamatan_code=kec_code,
                kecamatan_name=kecamatan_name,
                hostname=options["hostname"] or "",
                port=options["port"],
            )
        )
        state = "dibuat" if result.created else "sudah ada"
        self.stdout.write(f"{result.village} ({code}) {state}: {result.village.site.root_url}/")
        if result.changes:
            self.stdout.write("  diubah: " + ", ".join(result.changes))
        else:
            self.stdout.write("  tidak ada perubahan")
