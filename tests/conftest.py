"""Shared fixtures: a district with two provisioned villages (Kreo and Kandang) and their users.

The villages are provisioned once per session (provisioning is the slow part) and every test
runs inside a transaction that is rolled back; the cache is cleared around each test so that
cached switches or site maps never outlive the rows they describe.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from core.provisioning.services import ensure_district_portal, provision_village
from core.provisioning.testing import KANDANG, KREO

PASSWORD = "test-pass-123"

def make_user(username, groups=(), **extra):
    User = get_user_model()
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    for group in groups:
        user.groups.add(group)
    return user


def build_world():
    ensure_district_portal(hostname="localhost", port=80)
    kreo = provision_village(KREO).village
    kandang = provision_village(KANDANG).village
    make_user("admin", is_superuser=True, is_staff=True)
    make_user("editor.kreo", [kreo.editors_group])
    make_user("moderator.kreo", [kreo.moderators_group])
    make_user("editor.kandang", [kandang.editors_group])
    return kreo, kandang


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
    from core.villages.models import Village

    return Village.objects.select_related("site").get(code=KREO.code)


@pytest.fixture
def kandang(db):
    from core.villages.models import Village

    return Village.objects.select_related("site").get(code=KANDANG.code)


@pytest.fixture
def district_admin(db):
    return get_user_model().objects.get(username="admin")


@pytest.fixture
def kreo_editor(db):
    return get_user_model().objects.get(username="editor.kreo")


@pytest.fixture
def kandang_editor(db):
    return get_user_model().objects.get(username="editor.kandang")


@pytest.fixture
def client_for(client):
    """Log a user in on the test client, for a given village host."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def every_plugin_on(db):
    """Every installed plugin switched on in every village: the sweeps must reach each plugin's
    admin and public URLs (the repository's plugins are off by default)."""
    from core.pluginhost.models import PluginSwitchChange
    from core.pluginhost.registry import installed_keys
    from core.pluginhost.switches import set_plugin_enabled
    from core.villages.models import Village

    villages = list(Village.objects.all())
    for key in sorted(installed_keys()):
        set_plugin_enabled(villages, key, True, None, PluginSwitchChange.Source.COMMAND)
