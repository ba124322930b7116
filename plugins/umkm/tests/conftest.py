"""Fixtures of the umkm plugin's tests: Kreo and Kandang provisioned once per session (as
tests/conftest.py does; provisioning completes existing villages), the plugin switched on,
users of each village, and builders of businesses, products and the catalogue page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from core.pluginhost.models import PluginSwitchChange
from core.pluginhost.switches import set_plugin_enabled
from core.provisioning.services import VillageSpec, ensure_district_portal, provision_village
from core.villages.models import Village
from core.website.models import VillageHomePage
from plugins.umkm.models import Business, Product, Status
from plugins.umkm.pages import CataloguePage

from .qris_samples import DANA_STATIC

KREO = VillageSpec(
    code="33.27.07.2013",
    name="Kreo",
    kecamatan_code="33.27.07",
    kecamatan_name="Randudongkal",
    hostname="kreo.localhost",
)
KANDANG = VillageSpec(
    code="33.27.12.2017",
    name="Kandang",
    kecamatan_code="33.27.12",
    kecamatan_name="Comal",
    hostname="kandang.localhost",
)


def build_world():
    ensure_district_portal(hostname="localhost", port=80)
    kreo = provision_village(KREO).village
    kandang = provision_village(KANDANG).village
    User = get_user_model()
    for name, group in (
        ("umkm.editor.kreo", kreo.editors_group),
        ("umkm.editor.kandang", kandang.editors_group),
    ):
        user, _created = User.objects.get_or_create(username=name)
        user.groups.add(group)
    User.objects.get_or_create(
        username="umkm.admin", defaults={"is_superuser": True, "is_staff": True}
    )


def switch(village, enabled: bool) -> None:
    set_plugin_enabled([village], "umkm", enabled, None, PluginSwitchChange.Source.COMMAND)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_world()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kreo(db):
    village = Village.objects.select_related("site").get(code=KREO.code)
    switch(village, True)
    return village


@pytest.fixture
def kandang(db):
    village = Village.objects.select_related("site").get(code=KANDANG.code)
    switch(village, True)
    return village


@pytest.fixture
def kreo_editor(db):
    return get_user_model().objects.get(username="umkm.editor.kreo")


@pytest.fixture
def kandang_editor(db):
    return get_user_model().objects.get(username="umkm.editor.kandang")


@pytest.fixture
def district_admin(db):
    return get_user_model().objects.get(username="umkm.admin")


def host(village) -> str:
    return village.site.hostname


def make_catalogue(village, title="Katalog UMKM", slug="umkm"):
    home = VillageHomePage.objects.get(village=village, locale__language_code="id")
    page = CataloguePage(title=title, slug=slug)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_business(
    village, name="Batik Kreo", *, status=Status.PUBLISHED, payload=DANA_STATIC, **extra
):
    extra.setdefault("owner_name", "Bu Sari")
    extra.setdefault("whatsapp", "0812 3456 7890")
    return Business.objects.create(
        village=village, name=name, status=status, qris_payload=payload, **extra
    )


def make_product(business, name="Tas kulit", price="150000", **extra):
    return Product.objects.create(
        village_id=business.village_id, business=business, name=name, price=Decimal(price), **extra
    )
