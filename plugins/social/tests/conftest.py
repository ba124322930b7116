"""Fixtures of the social plugin's tests: Kreo and Kandang provisioned once per session (as
tests/conftest.py does; provisioning completes existing villages), the plugin switched on,
a news section per village and the fake networks server."""

from __future__ import annotations

import pytest
from wagtail.models import Locale

from core.provisioning import testing
from core.provisioning.testing import (  # noqa: F401  (fixtures)
    KANDANG,
    KREO,
    _clear_cache,
    district_admin,
    django_db_setup,
    kandang,
    kandang_editor,
    kreo,
    kreo_editor,
)
from core.villages.models import Village
from core.website.models import NewsIndexPage, VillageHomePage
from plugins.social import clients

from .fakenet import FakeNetworks


@pytest.fixture
def plugin_key():
    return "social"


def build_world():
    """Kreo and Kandang, provisioned again after a transactional test flushed the database."""
    testing.ensure_world()
    return tuple(
        Village.objects.select_related("site").get(code=spec.code) for spec in (KREO, KANDANG)
    )


def switch(village, enabled: bool) -> None:
    testing.switch(village, "social", enabled)


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
