"""Fixtures: two demo villages with full content, seeded once per session.

Seeding runs outside the per-test transactions (and in autocommit, so wagtail-localize's
on-commit publication of the English home pages happens before content is added). Each test
still runs in its own transaction, rolled back afterwards.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import override_settings

KREO = "33.27.07.2013"
KANDANG = "33.27.12.2017"


@dataclass
class Demo:
    kreo: object
    kandang: object
    portal: object

    @property
    def kreo_host(self) -> str:
        return self.kreo.site.hostname

    @property
    def kandang_host(self) -> str:
        return self.kandang.site.hostname


@pytest.fixture(scope="session", autouse=True)
def _media_root():
    path = tempfile.mkdtemp(prefix="sidekem-media-")
    with override_settings(MEDIA_ROOT=path):
        yield path
    shutil.rmtree(path, ignore_errors=True)


def provision(code: str, name: str, host: str):
    from core.provisioning.services import VillageSpec, provision_village
    from core.villages.wilayah import by_code

    area = by_code(code)
    return provision_village(
        VillageSpec(
            code=code,
            name=name,
            kecamatan_code=area.kecamatan_code,
            kecamatan_name=area.kecamatan_name,
            hostname=host,
        )
    ).village


def _seed():
    from core.demo.content import ensure_portal_page, seed_village_content
    from core.provisioning.services import ensure_district_portal

    portal = ensure_district_portal(hostname="localhost", port=80)
    ensure_portal_page(portal)
    kreo = provision(KREO, "Kreo", "kreo.localhost")
    kandang = provision(KANDANG, "Kandang", "kandang.localhost")
    seed_village_content(kreo)
    seed_village_content(kandang)
    return portal


@pytest.fixture(scope="session")
def _demo_seed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        cache.clear()
        _seed()


@pytest.fixture
def demo(_demo_seed, db, django_capture_on_commit_callbacks) -> Demo:
    from core.villages.models import Village
    from core.website.models import DistrictHomePage

    if not Village.objects.filter(code=KREO).exists():  # flushed by a transactional test
        with django_capture_on_commit_callbacks(execute=True):
            _seed()
    cache.clear()
    return Demo(
        kreo=Village.objects.select_related("site").get(code=KREO),
        kandang=Village.objects.select_related("site").get(code=KANDANG),
        portal=DistrictHomePage.objects.get(locale__language_code="id"),
    )


def add_news(index, title: str, body_text: str = "", **fields):
    """Create and publish a news page (search index updated at once)."""
    import json

    from core.website.models import NewsPage

    page = NewsPage(
        title=title,
        slug=fields.pop("slug", None) or title.lower().replace(" ", "-")[:50],
        locale=index.locale,
        summary=fields.pop("summary", body_text[:200]),
        body=json.dumps([{"type": "paragraph", "value": f"<p>{body_text}</p>"}]),
        **fields,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def index_of(village, model, language: str = "id"):
    home = village.home_pages.get(locale__language_code=language)
    return model.objects.child_of(home).get()
