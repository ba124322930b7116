"""Fixtures of the social plugin's tests: Kreo and Kandang provisioned once per session (as
tests/conftest.py does; provisioning completes existing villages), the plugin switched on,
a news section per village and the fake networks server."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from wagtail.models import Locale

from core.pluginhost.models import PluginSwitchChange
from core.pluginhost.switches import set_plugin_enabled
from core.provisioning.services import VillageSpec, ensure_district_portal, provision_village
from core.villages.models import Village
from core.website.models import NewsIndexPage, VillageHomePage
from plugins.social import clients

from .fakenet import FakeNetworks

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
        ("social.editor.kreo", kreo.editors_group),
        ("social.editor.kandang", kandang.editors_group),
    ):
        user, _created = User.objects.get_or_create(username=name)
        user.groups.add(group)
    User.objects.get_or_create(
        username="social.admin", defaults={"is_superuser": True, "is_staff": True}
    )
    return kreo, kandang


def switch(village, enabled: bool) -> None:
    set_plugin_enabled([village], "social", enabled, None, PluginSwitchChange.Source.COMMAND)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_world()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def ensure_world() -> None:
    """Build the world again after a transactional test flushed the database."""
    if not Village.objects.filter(code=KREO.code).exists():
        build_world()


@pytest.fixture
def kreo(db):
    ensure_world()
    village = Village.objects.select_related("site").get(code=KREO.code)
    switch(village, True)
    return village


@pytest.fixture
def kandang(db):
    ensure_world()
    village = Village.objects.select_related("site").get(code=KANDANG.code)
    switch(village, True)
    return village


@pytest.fixture
def kreo_editor(db):
    ensure_world()
    return get_user_model().objects.get(username="social.editor.kreo")


@pytest.fixture
def kandang_editor(db):
    ensure_world()
    return get_user_model().objects.get(username="social.editor.kandang")


@pytest.fixture
def district_admin(db):
    ensure_world()
    return get_user_model().objects.get(username="social.admin")


@pytest.fixture
def fake():
    server = FakeNetworks(answer_delay=1.5).start()
    yield server
    server.stop()


@pytest.fixture
def fast_timeouts(monkeypatch):
    """Clients give up waiting for an answer after 0.5 s (the fake answers late after 1.5 s)."""
    monkeypatch.setattr(clients, "READ_TIMEOUT", 0.5)
    monkeypatch.setattr(clients, "CONNECT_TIMEOUT", 0.5)


def home_of(village, language: str = "id"):
    return VillageHomePage.objects.get(village=village, locale__language_code=language)


def news_index(village):
    home = home_of(village)
    existing = NewsIndexPage.objects.child_of(home).first()
    if existing:
        return existing
    index = NewsIndexPage(title="Berita", slug="berita")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def locale(code: str):
    return Locale.objects.get(language_code=code)
