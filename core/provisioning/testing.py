"""pytest fixtures for a plugin's own tests: the two-village world of the core tests.

Kreo and Kandang (official codes, core/villages/data/pemalang_wilayah.csv) are provisioned once
per test session, and again after a transactional test flushed the database. A plugin's
``tests/conftest.py`` imports the fixtures and names its key::

    from core.provisioning.testing import (  # noqa: F401  (fixtures)
        _clear_cache, district_admin, django_db_setup, kandang, kandang_editor, kreo,
        kreo_editor,
    )

    @pytest.fixture
    def plugin_key():
        return "umkm"

``kreo`` and ``kandang`` come with the plugin switched on; ``switch(village, key, enabled)``
turns it off in a test. Users are made per plugin (``<key>.editor.kreo``) so that the plugins'
suites can share one database. Only test code imports this module (it needs pytest).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, models

from core.pluginhost.models import PluginSwitchChange
from core.pluginhost.switches import set_plugin_enabled
from core.provisioning.services import VillageSpec, ensure_district_portal, provision_village
from core.villages.models import Village

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
WORLD = (KREO, KANDANG)


def ensure_world() -> None:
    """The portal and both villages, provisioned where missing (idempotent)."""
    if Village.objects.filter(code__in=[spec.code for spec in WORLD]).count() == len(WORLD):
        return
    ensure_district_portal(hostname="localhost", port=80)
    for spec in WORLD:
        provision_village(spec)


def switch(village: Village, key: str, enabled: bool) -> None:
    set_plugin_enabled([village], key, enabled, None, PluginSwitchChange.Source.COMMAND)


def world_village(spec: VillageSpec, key: str) -> Village:
    """The village of ``spec`` with plugin ``key`` switched on."""
    ensure_world()
    village = Village.objects.select_related("site").get(code=spec.code)
    switch(village, key, True)
    return village


def village_user(key: str, role: str, village: Village | None = None, **extra: Any) -> Any:
    """``<key>.<role>.<village slug>`` in the village's group for ``role`` (``editor``,
    ``moderator``, ``officer``); without a village, a district administrator ``<key>.admin``."""
    User = get_user_model()
    if village is None:
        user, _created = User.objects.get_or_create(
            username=f"{key}.admin", defaults={"is_superuser": True, "is_staff": True, **extra}
        )
        return user
    group = getattr(village, f"{role}s_group")
    name = village.site.hostname.split(".", 1)[0]
    user, _created = User.objects.get_or_create(username=f"{key}.{role}.{name}", defaults=extra)
    user.groups.add(group)
    return user


def plain_text_columns(secret: str) -> list[str]:
    """Every ``table.column`` (text-like columns of every model, raw SQL) holding ``secret`` in
    plain text: personal numbers and tokens must be in none."""
    hits = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            # a child page's table holds only its own columns (multi-table inheritance)
            for field in model._meta.local_concrete_fields:
                if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                    continue
                column = connection.ops.quote_name(field.column)
                sql = f"SELECT COUNT(*) FROM {table} WHERE CAST({column} AS TEXT) LIKE %s"
                cursor.execute(sql, [f"%{secret}%"])
                if cursor.fetchone()[0]:
                    hits.append(f"{model._meta.db_table}.{field.column}")
    return hits


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        ensure_world()


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def plugin_key() -> str:
    raise NotImplementedError("the plugin's conftest.py defines the plugin_key fixture")


@pytest.fixture
def kreo(db: Any, plugin_key: str) -> Village:
    return world_village(KREO, plugin_key)


@pytest.fixture
def kandang(db: Any, plugin_key: str) -> Village:
    return world_village(KANDANG, plugin_key)


@pytest.fixture
def kreo_editor(kreo: Village, plugin_key: str) -> Any:
    return village_user(plugin_key, "editor", kreo)


@pytest.fixture
def kandang_editor(kandang: Village, plugin_key: str) -> Any:
    return village_user(plugin_key, "editor", kandang)


@pytest.fixture
def kreo_moderator(kreo: Village, plugin_key: str) -> Any:
    return village_user(plugin_key, "moderator", kreo)


@pytest.fixture
def district_admin(db: Any, plugin_key: str) -> Any:
    return village_user(plugin_key, "admin")
