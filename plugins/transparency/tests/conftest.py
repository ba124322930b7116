"""Fixtures of the transparency plugin's tests: Kreo and Kandang provisioned once per session
(as tests/conftest.py does; provisioning completes existing villages), the plugin switched on,
users of each village, and helpers to build budgets and the public page."""

from __future__ import annotations

import shutil
import tempfile
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import override_settings

from core.pluginhost.models import PluginSwitchChange
from core.pluginhost.switches import set_plugin_enabled
from core.provisioning.services import VillageSpec, ensure_district_portal, provision_village

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
        ("transparency.editor.kreo", kreo.editors_group),
        ("transparency.editor.kandang", kandang.editors_group),
        ("transparency.moderator.kreo", kreo.moderators_group),
    ):
        user, _created = User.objects.get_or_create(username=name)
        user.groups.add(group)
    User.objects.get_or_create(
        username="transparency.admin", defaults={"is_superuser": True, "is_staff": True}
    )


def switch(village, enabled: bool) -> None:
    set_plugin_enabled([village], "transparency", enabled, None, PluginSwitchChange.Source.COMMAND)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_world()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _import_tmp():
    path = tempfile.mkdtemp(prefix="sidekem-imports-")
    with override_settings(SIDEKEM_IMPORT_TMP_DIR=path):
        yield
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def kreo(db):
    from core.villages.models import Village

    village = Village.objects.select_related("site").get(code=KREO.code)
    switch(village, True)
    return village


@pytest.fixture
def kandang(db):
    from core.villages.models import Village

    village = Village.objects.select_related("site").get(code=KANDANG.code)
    switch(village, True)
    return village


@pytest.fixture
def kreo_editor(db):
    return get_user_model().objects.get(username="transparency.editor.kreo")


@pytest.fixture
def kandang_editor(db):
    return get_user_model().objects.get(username="transparency.editor.kandang")


@pytest.fixture
def kreo_moderator(db):
    return get_user_model().objects.get(username="transparency.moderator.kreo")


@pytest.fixture
def district_admin(db):
    return get_user_model().objects.get(username="transparency.admin")


def home_of(village, language: str = "id"):
    from core.website.models import VillageHomePage

    return VillageHomePage.objects.get(village=village, locale__language_code=language)


def make_page(village, title="Transparansi APBDes", slug="apbdes"):
    from plugins.transparency.models import TransparencyPage

    home = home_of(village)
    page = TransparencyPage(title=title, slug=slug)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_version(village, year=2025, number=1, kind="murni", status="draft", **extra):
    from plugins.transparency.models import Budget, BudgetVersion

    budget, _created = Budget.objects.get_or_create(village=village, year=year)
    return BudgetVersion.objects.create(
        village=village, budget=budget, number=number, kind=kind, status=status, **extra
    )


def add_line(version, code, amount, *, activity=None, description="", source=None, **extra):
    from plugins.transparency.models import Account, BudgetLine, FundingSource

    return BudgetLine.objects.create(
        village_id=version.village_id,
        version=version,
        account=Account.resolve(code),
        activity=activity,
        description=description,
        amount=Decimal(amount),
        source=FundingSource.objects.get(code=source) if source else None,
        **extra,
    )


def add_activity(version, sector_code, name, **extra):
    from plugins.transparency.models import Activity, Sector

    return Activity.objects.create(
        village_id=version.village_id,
        version=version,
        sector=Sector.resolve(sector_code),
        name=name,
        **extra,
    )
