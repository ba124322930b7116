"""Fixtures of the admin_services tests: two provisioned villages (Kreo and Kandang), the
plugin switched on in both, service officers, sekdes and kepala desa, and a services page.

The villages are provisioned once per session (and again after a transactional test flushed
them); every test runs in a transaction rolled back afterwards, with the cache cleared.
"""

from __future__ import annotations

import shutil
import tempfile

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from core.provisioning import testing
from core.provisioning.testing import (  # noqa: F401  (fixtures)
    KANDANG,
    KREO,
    _clear_cache,
    django_db_setup,
    ensure_world,
    kandang,
    kreo,
)
from core.website.models import VillageHomePage
from plugins.admin_services.models import Service, ServiceRole, ServiceTemplate
from plugins.admin_services.pages import ServicesPage

VALID_NIK = "3327074501900001"
OTHER_NIK = "3327071203850002"
VALID_KK = "3327071201150003"


@pytest.fixture
def plugin_key():
    return "admin_services"


@pytest.fixture(scope="session", autouse=True)
def _media_root():
    path = tempfile.mkdtemp(prefix="sidekem-services-media-")
    with override_settings(MEDIA_ROOT=path):
        yield path
    shutil.rmtree(path, ignore_errors=True)


def switch(village, enabled):
    testing.switch(village, "admin_services", enabled)


def make_user(username, groups=(), **extra):
    user = get_user_model().objects.create_user(username=username, password="x", **extra)
    for group in groups:
        user.groups.add(group)
    return user


@pytest.fixture
def officer(kreo):
    return make_user("svc.officer.kreo", [kreo.officers_group])


@pytest.fixture
def sekdes(kreo):
    user = make_user("svc.sekdes.kreo", [kreo.officers_group])
    ServiceRole.objects.create(village=kreo, user=user, role=ServiceRole.Role.SEKDES)
    return user


@pytest.fixture
def kades(kreo):
    user = make_user("svc.kades.kreo", [kreo.officers_group])
    ServiceRole.objects.create(village=kreo, user=user, role=ServiceRole.Role.KEPALA_DESA)
    return user


@pytest.fixture
def kandang_officer(kandang):
    return make_user("svc.officer.kandang", [kandang.officers_group])


@pytest.fixture
def editor(kreo):
    return make_user("svc.editor.kreo", [kreo.editors_group])


def adopt(village, code):
    return Service.adopt(ServiceTemplate.objects.get(code=code), village)


@pytest.fixture
def sktm(kreo):
    return adopt(kreo, "sktm")


@pytest.fixture
def domisili(kreo):
    return adopt(kreo, "domisili")


@pytest.fixture
def road(kreo):
    return adopt(kreo, "jalan")


def add_services_page(village, slug="layanan"):
    home = VillageHomePage.objects.get(village=village, locale__language_code="id")
    page = ServicesPage(title="Layanan", slug=slug)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def kreo_page(kreo):
    return add_services_page(kreo)


@pytest.fixture
def kandang_page(kandang):
    return add_services_page(kandang)
