"""Settings modes, deploy checks, packaging and languages."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def run(cmd, env=None, cwd=ROOT):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sidekem_site.settings.production",
        "SECRET_KEY": "x" * 64 + "production-like-secret-key-for-the-check",
        "ALLOWED_HOSTS": ".desa.example.id",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = run(
        [sys.executable, "site/manage.py", "check", "--deploy", "--fail-level", "WARNING"], env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "sidekem_site.settings.production"
    env["ALLOWED_HOSTS"] = "x"
    result = run([sys.executable, "site/manage.py", "check"], env=env)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_settings_import_from_an_installed_wheel(tmp_path):
    """``site/`` cannot be imported as ``site`` (stdlib): the project package is sidekem_site."""
    result = run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ]
    )
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("sidekem-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "sidekem_site/settings/base.py" in names
    assert "core/website/templates/website/pages/village_home_page.html" in names
    assert "sidekem_site/templates/base.html" in names
    assert "core/villages/data/pemalang_wilayah.csv" in names
    assert "core/pluginhost/locale/en/LC_MESSAGES/django.po" in names
    target = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import sidekem_site.settings.base as s, core;"
        "assert s.__file__.startswith(sys.argv[1]), s.__file__;"
        "assert core.__file__.startswith(sys.argv[1]), core.__file__;"
        "import site; assert hasattr(site, 'getsitepackages');"
        "print(s.LANGUAGE_CODE)"
    )
    result = run(
        [sys.executable, "-c", code, str(target)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": ""},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "id"


def test_plugin_discovery_from_entry_points(monkeypatch):
    from importlib.metadata import EntryPoint

    from sidekem_site import plugin_discovery

    eps = [
        EntryPoint("umkm", "plugins.umkm", "sidekem.plugins"),
        EntryPoint("social", "plugins.social", "sidekem.plugins"),
    ]
    monkeypatch.setattr(plugin_discovery, "entry_points", lambda group: eps)
    assert plugin_discovery.discover_plugins() == ["plugins.social", "plugins.umkm"]
    assert plugin_discovery.discover_plugins(["umkm"]) == ["plugins.social"]
    assert plugin_discovery.discover_plugins(["plugins.social"]) == ["plugins.umkm"]


@pytest.mark.django_db
def test_admin_speaks_indonesian_by_default(client, kreo_editor):
    client.force_login(kreo_editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '<html lang="id"' in html
    assert "Dasbor" in html or "Halaman" in html


@pytest.mark.django_db
def test_public_interface_strings_translate_to_english(client, kreo):
    id_html = client.get("/", HTTP_HOST="kreo.localhost").content.decode()
    en_html = client.get("/en/", HTTP_HOST="kreo.localhost").content.decode()
    assert "Langsung ke isi" in id_html
    assert "Skip to content" in en_html


def test_shared_cache_is_redis_whenever_redis_url_is_set():
    code = (
        "import django, os; django.setup();"
        "from django.conf import settings;"
        "print(settings.CACHES['default']['BACKEND'], settings.CELERY_TASK_ALWAYS_EAGER)"
    )
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sidekem_site.settings.dev",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'site'}",
    }
    with_redis = run([sys.executable, "-c", code], env={**base, "REDIS_URL": "redis://h:6379/0"})
    without = run(
        [sys.executable, "-c", code], env={k: v for k, v in base.items() if k != "REDIS_URL"}
    )
    assert with_redis.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "False"]
    assert without.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache", "True"]


def test_every_english_catalogue_is_complete():
    """Interface text is written in Indonesian; every string needs its English translation."""
    import polib

    catalogues = sorted(ROOT.glob("core/**/locale/en/LC_MESSAGES/django.po")) + sorted(
        ROOT.glob("site/**/locale/en/LC_MESSAGES/django.po")
    )
    catalogues += sorted(ROOT.glob("plugins/**/locale/en/LC_MESSAGES/django.po"))
    assert len(catalogues) >= 4
    for path in catalogues:
        po = polib.pofile(str(path))
        missing = [e.msgid for e in po.untranslated_entries()] + [
            e.msgid for e in po.fuzzy_entries()
        ]
        assert not missing, f"{path.relative_to(ROOT)}: untranslated {missing}"


@pytest.mark.django_db
def test_pages_are_never_framed_but_the_admin_preview_is(client, kreo, kreo_editor):
    """X-Frame-Options is DENY everywhere; Wagtail's own preview views let the admin frame them
    (so the project needs no middleware of its own for it)."""
    from core.website.models import VillageHomePage

    home = VillageHomePage.objects.get(village=kreo, locale__language_code="id")
    assert client.get("/", HTTP_HOST="kreo.localhost")["X-Frame-Options"] == "DENY"
    client.force_login(kreo_editor)
    assert client.get(f"/admin/pages/{home.pk}/edit/")["X-Frame-Options"] == "DENY"
    preview = client.get(f"/admin/pages/{home.pk}/edit/preview/", HTTP_HOST="kreo.localhost")
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
