"""``manage.py qris decode PAYLOAD`` and ``manage.py qris amount PAYLOAD AMOUNT``.

``decode`` prints the fields as JSON (with every warning); ``amount`` prints the amount-bearing
payload built from a static one. An invalid payload or amount ends with a non-zero exit status
and a message naming each problem.
"""

from __future__ import annotations

import json
import re

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from plugins.umkm import qris
from plugins.umkm.qris_messages import problem_message

GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")  # 15.000 written the Indonesian way


def parse_amount(text: str) -> str:
    text = text.strip().removeprefix("Rp").strip()
    return text.replace(".", "") if GROUPED.match(text) else text


class Command(BaseCommand):
    help = "Membaca kode QRIS (decode) atau membuat kode QRIS bernominal (amount)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        decode = sub.add_parser("decode", help="Tampilkan isi kode QRIS sebagai JSON.")
        decode.add_argument("payload")
        amount = sub.add_parser("amount", help="Buat kode QRIS bernominal dari kode statis.")
        amount.add_argument("payload")
        amount.add_argument("amount")

    def handle(self, *args, **options):
        payload = options["payload"].strip()
        if options["action"] == "decode":
            return self.decode(payload)
        return self.amount(payload, options["amount"])

    def fail(self, problems, heading=None):
        lines = [heading or _("Kode QRIS tidak sah:")] + [
            f"- {problem_message(p)}" for p in problems
        ]
        raise CommandError("\n".join(lines))

    def decode(self, payload):
        problems = qris.validate(payload)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            self.fail(errors)
        data = qris.parse(payload).to_dict()
        data["warnings"] = [problem_message(p) for p in problems]
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def amount(self, payload, amount):
        try:
            result = qris.with_amount(payload, parse_amount(amount))
        except qris.QrisError as error:
            self.fail(error.problems, _("Kode QRIS bernominal tidak dapat dibuat:"))
        self.stdout.write(result)
