import shutil
import tempfile

import pytest
from django.test import override_settings


@pytest.fixture
def villages(db, django_capture_on_commit_callbacks):
    from core.website.tests.conftest import KANDANG, KREO, provision

    with django_capture_on_commit_callbacks(execute=True):
        kreo = provision(KREO, "Kreo", "kreo.localhost")
        kandang = provision(KANDANG, "Kandang", "kandang.localhost")
    # Start from no figures (the content tests' session seed may have filled some).
    from core.villagedata.models import PopulationFigure, PotentialFigure, VillageDataPage

    PopulationFigure.objects.all().delete()
    PotentialFigure.objects.all().delete()
    for page in VillageDataPage.objects.all():
        page.delete()
    return kreo, kandang


@pytest.fixture
def editor(villages, django_user_model):
    user = django_user_model.objects.create_user("villagedata.editor.kreo", password="x")
    user.groups.add(villages[0].editors_group)
    return user


@pytest.fixture(autouse=True)
def _import_tmp():
    path = tempfile.mkdtemp(prefix="sidekem-imports-")
    with override_settings(SIDEKEM_IMPORT_TMP_DIR=path):
        yield
    shutil.rmtree(path, ignore_errors=True)
