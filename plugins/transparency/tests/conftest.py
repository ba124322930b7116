"""Fixtures of the transparency plugin's tests: Kreo and Kandang provisioned once per session
(as tests/conftest.py does; provisioning completes existing villages), the plugin switched on,
users of each village, and helpers to build budgets and the public page."""

from __future__ import annotations

import shutil
import tempfile
from decimal import Decimal

import pytest
from django.test import override_settings

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
    kreo_moderator,
)


@pytest.fixture
def plugin_key():
    return "transparency"


def switch(village, enabled: bool) -> None:
    testing.switch(village, "transparency", enabled)


@pytest.fixture(autouse=True)
def _import_tmp():
    path = tempfile.mkdtemp(prefix="sidekem-imports-")
    with override_settings(SIDEKEM_IMPORT_TMP_DIR=path):
        yield
    shutil.rmtree(path, ignore_errors=True)


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
