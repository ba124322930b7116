"""End to end through a real Celery worker on a real Redis broker (no Docker here,
so celery.contrib.testing's in-process worker, not pytest-celery)."""

import os

import pytest
from django.db import transaction

from core.pluginhost.enforcement import PLUGIN_DISABLED
from core.pluginhost.models import PluginSwitchChange
from core.pluginhost.switches import is_enabled, set_plugin_enabled
from core.provisioning.services import provision_village
from tests.conftest import KREO
from tests.sample_plugin.models import SamplePing
from tests.sample_plugin.tasks import flaky_ping, record_ping

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

if not os.environ.get("REDIS_URL"):
    if os.environ.get("SIDEKEM_REQUIRE_SERVICES"):
        raise RuntimeError("SIDEKEM_REQUIRE_SERVICES is set but REDIS_URL is not")
    pytest.skip("needs REDIS_URL (a real Redis broker)", allow_module_level=True)


@pytest.fixture(scope="module")
def worker():
    from celery.contrib.testing.worker import start_worker
    from sidekem_site.celery import app

    app.conf.task_always_eager = False  # test settings run tasks in process; not here
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as w:
            yield w
    finally:
        app.conf.task_always_eager = True


def test_task_runs_on_the_worker_after_commit(worker):
    village = provision_village(KREO).village
    with transaction.atomic():
        result = record_ping.delay_on_commit(village.pk, source="worker")
        assert result is None  # nothing is sent before the transaction commits
    # delay_on_commit gives no handle; wait on the row the worker writes
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if SamplePing.objects.filter(village=village, source="worker").exists():
            break
        time.sleep(0.1)
    assert SamplePing.objects.filter(village=village, source="worker").count() == 1


def test_worker_skips_when_plugin_switched_off(worker):
    village = provision_village(KREO).village
    pk = record_ping.delay(village.pk, source="worker2").get(timeout=30)
    assert SamplePing.objects.filter(pk=pk, village=village).exists()
    set_plugin_enabled([village], "sample", False, None, PluginSwitchChange.Source.COMMAND)
    assert not is_enabled(village, "sample")
    assert record_ping.delay(village.pk, source="worker2").get(timeout=30) == PLUGIN_DISABLED
    assert SamplePing.objects.filter(village=village, source="worker2").count() == 1


def test_confirmed_import_runs_on_the_worker(worker):
    """A confirmed import is a task: the request only queues it."""
    import uuid

    from django.contrib.auth import get_user_model

    from core.imports.engine import store_upload
    from core.imports.models import ImportJob
    from core.imports.tasks import run_import_job
    from core.villages.models import Village

    provision_village(KREO)
    admin = get_user_model().objects.create_superuser(f"admin-{uuid.uuid4().hex[:6]}", password="x")
    content = (
        b"kode,nama,jenis,kecamatan_kode,kecamatan,hostname\n"
        b"33.27.07.2001,Kecepit,desa,33.27.07,Randudongkal,kecepit.localhost\n"
    )
    job = ImportJob.objects.create(
        user=admin,
        resource="core.provisioning.resources.VillageResource",
        token=store_upload(content, "csv"),
    )
    assert run_import_job.delay(str(job.pk)).get(timeout=120) == ImportJob.Status.DONE
    job.refresh_from_db()
    assert job.totals["new"] == 1 and job.errors == []
    assert Village.objects.get(code="33.27.07.2001").home_pages.count() == 2
    # delivered twice (Redis visibility timeout): the second run leaves it alone
    assert run_import_job.delay(str(job.pk)).get(timeout=60) == "skipped"


def test_bound_task_retries_on_the_worker(worker):
    """``plugin_task(bind=True)`` gets its own task instance (not the village id) and retries
    through the broker; the switch is checked on every try."""
    village = provision_village(KREO).village
    pk = flaky_ping.delay(village.pk, failures=2).get(timeout=30)
    assert SamplePing.objects.get(pk=pk, village=village).source == "retry-2"
    set_plugin_enabled([village], "sample", False, None, PluginSwitchChange.Source.COMMAND)
    assert flaky_ping.delay(village.pk, failures=1).get(timeout=30) == PLUGIN_DISABLED
