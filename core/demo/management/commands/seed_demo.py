"""Demo data for a district with several villages (idempotent)."""

import os
from importlib import import_module

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Site

from core.demo.content import ensure_portal_page, seed_village_content
from core.pluginhost.models import PluginSwitchChange
from core.pluginhost.registry import installed_plugins
from core.pluginhost.switches import set_plugin_enabled
from core.provisioning.services import VillageSpec, ensure_district_portal, provision_village
from core.villages.models import Kecamatan
from core.villages.wilayah import by_code, kecamatan_list

# (official code, name used by the district, hostname slug)
DEMO_VILLAGES = [
    ("33.27.07.2013", "Kreo", "kreo"),  # spelled Kreyo in the Kemendagri list
    ("33.27.12.2017", "Kandang", "kandang"),
    ("33.27.01.2001", None, "plakaran"),
    ("33.27.03.2013", None, "sodong-basari"),
    ("33.27.06.2011", None, "bantarbolang"),
    ("33.27.08.1004", None, "paduraksa"),
]


class Command(BaseCommand):
    help = "Isi data demo Kabupaten Pemalang. Load the Kabupaten Pemalang demo data."

    def add_arguments(self, parser):
        parser.add_argument("--domain", default="localhost")
        parser.add_argument("--port", type=int, default=None)
        parser.add_argument(
            "--skip-content", action="store_true", help="Hanya desa dan akun, tanpa konten demo."
        )
        parser.add_argument(
            "--password", default=os.environ.get("SIDEKEM_DEMO_PASSWORD", "sidekem-demo")
        )

    def handle(self, *args, **options):
        # Provisioning commits first: wagtail-localize publishes the English home page in an
        # on_commit hook from a stale copy, which would reset the tree's child count if
        # content were added under it in the same transaction.
        villages, logins = self._provision(options)
        if not options["skip_content"]:
            with transaction.atomic():
                ensure_portal_page(Site.objects.get(is_default_site=True).root_page)
            for village in villages:
                with transaction.atomic():
                    created = seed_village_content(village)
                self.stdout.write(f"  {village}: {created} halaman baru / new pages")
            self._seed_plugins(villages)
        self.stdout.write(self.style.SUCCESS("Data demo siap / demo data ready."))
        self.stdout.write(f"Kata sandi semua akun / password of every login: {options['password']}")
        for username, role, url in logins:
            self.stdout.write(f"  {username:<24} {role:<32} {url}")

    @transaction.atomic
    def _provision(self, options):
        port = options["port"]
        domain = options["domain"]
        ensure_district_portal(hostname=domain, port=port)
        villages = []
        for area in kecamatan_list():
            Kecamatan.objects.get_or_create(code=area.code, defaults={"name": area.name})
        User = get_user_model()
        password = options["password"]
        logins = []
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={
                "is_superuser": True,
                "is_staff": True,
                "first_name": "Admin",
                "last_name": "Kabupaten",
                "email": "admin@example.invalid",
            },
        )
        if created:
            admin.set_password(password)
            admin.save()
        logins.append(
            ("admin", "Admin Kabupaten (semua desa)", f"http://{domain}:{self._port(port)}/admin/")
        )
        for code, name, slug in DEMO_VILLAGES:
            area = by_code(code)
            result = provision_village(
                VillageSpec(
                    code=code,
                    name=name or area.name,
                    kecamatan_code=area.kecamatan_code,
                    kecamatan_name=area.kecamatan_name,
                    hostname=f"{slug}.{domain}",
                    port=port,
                )
            )
            village = result.village
            villages.append(village)
            user = self._user(f"editor.{slug}", "Editor", village.name, password)
            user.groups.add(village.editors_group)
            logins.append((user.username, f"Editor {village}", f"{village.site.root_url}/admin/"))
            officer = self._user(f"petugas.{slug}", "Petugas", village.name, password)
            officer.groups.add(village.officers_group)
            logins.append(
                (officer.username, f"Petugas layanan {village}", f"{village.site.root_url}/admin/")
            )
        return villages, logins

    def _user(self, username, first_name, last_name, password):
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.invalid",
            },
        )
        if created:
            user.set_password(password)
            user.save()
        return user

    def _seed_plugins(self, villages):
        """Every installed plugin on in every demo village, with its demo data (``demo``)."""
        for cfg in installed_plugins():
            key = cfg.get_key()
            set_plugin_enabled(villages, key, True, None, PluginSwitchChange.Source.COMMAND)
            if not cfg.demo:
                continue
            seed = import_module(cfg.demo).seed_demo
            for village in villages:
                with transaction.atomic():
                    made = seed(village)
                self.stdout.write(f"  {village}: {key} {made} baru / new")

    def _port(self, port):
        site = Site.objects.filter(is_default_site=True).first()
        return port or (site.port if site else 8000)
