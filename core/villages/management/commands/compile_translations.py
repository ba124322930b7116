"""Compile every .po of the project into .mo without GNU gettext (uses polib).

``compilemessages`` needs the gettext binaries, which a fresh machine may lack; the install
step runs this instead.
"""

from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

OWN_PACKAGES = {"core", "plugins"}


class Command(BaseCommand):
    help = "Kompilasi berkas terjemahan (.po → .mo). Compile translation files."

    def handle(self, *args, **options):
        roots = [Path(p) for p in settings.LOCALE_PATHS]
        for config in apps.get_app_configs():
            if config.name.split(".")[0] in OWN_PACKAGES:
                roots.append(Path(config.path) / "locale")
        compiled = 0
        for root in dict.fromkeys(roots):
            for po_path in root.glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                compiled += 1
        self.stdout.write(f"{compiled} berkas terjemahan dikompilasi.")
