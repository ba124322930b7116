"""End to end through a real Celery worker on Redis (celery.contrib.testing's in-process
worker, as tests/test_celery_worker.py does) against the fake networks server.

The broker is REDIS_URL's server with its own database number (SOCIAL_TEST_REDIS_DB, default
13), so these queues never meet other tests' tasks. Skipped without REDIS_URL.
"""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError, transaction

from plugins.social import clients, outbox
from plugins.social.models import Delivery, Network, SocialAccount
from plugins.social.tasks import deliver_delivery, sweep_outbox

from .conftest import build_world, switch
from .helpers import account, publish_news

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

if not os.environ.get("REDIS_URL"):
    if os.environ.get("SIDEKEM_REQUIRE_SERVICES"):
        raise RuntimeError("SIDEKEM_REQUIRE_SERVICES is set but REDIS_URL is not")
    pytest.skip("needs REDIS_URL (a real Redis broker)", allow_module_level=True)

S = Delivery.Status
FINAL = (S.SENT, S.UNKNOWN, S.NEEDS_REAUTH, S.FAILED, S.CANCELLED)


def broker_url() -> str:
    base = os.environ["REDIS_URL"].rstrip("/")
    root = base.rsplit("/", 1)[0] if base.count("/") > 2 else base
    return f"{root}/{os.environ.get('SOCIAL_TEST_REDIS_DB', '13')}"


@pytest.fixture(scope="module")
def worker():
    app = deliver_delivery.app  # the project's Celery app (sidekem_site/celery.py)
    saved = (app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager)
    app.conf.broker_url = broker_url()
    app.conf.result_backend = None
    app.conf.task_always_eager = False
    app._pool = None  # connections to the previous broker URL
    app.amqp._producer_pool = None
    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()  # our own database: nothing else lives there
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as w:
            yield w
    finally:
        app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = saved
        app._pool = None
        app.amqp._producer_pool = None


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(outbox, "BACKOFF_BASE", 0.5)
    monkeypatch.setattr(clients, "READ_TIMEOUT", 0.5)


def wait_for(deliveries, timeout=60.0, nudge=None):
    """Poll until every delivery is settled. ``nudge`` (e.g. queueing the sweeper again, which
    is idempotent) runs every few seconds: on SQLite's shared in-memory database a worker's
    write can fail with "table is locked" while this thread reads."""
    ids = [d.pk for d in deliveries]
    deadline = time.monotonic() + timeout
    next_nudge = time.monotonic() + 5
    statuses = {}
    while time.monotonic() < deadline:
        try:
            statuses = dict(Delivery.objects.filter(pk__in=ids).values_list("pk", "status"))
        except OperationalError:
            statuses = {}
        if statuses and all(status in FINAL for status in statuses.values()):
            return statuses
        if nudge is not None and time.monotonic() > next_nudge:
            nudge()
            next_nudge = time.monotonic() + 5
        time.sleep(0.3)
    raise AssertionError(f"not settled: {statuses}")


def test_publishing_fans_out_once_per_account_through_the_worker(worker, fake, quick):
    kreo, kandang = build_world()
    switch(kreo, True)
    switch(kandang, True)
    telegram = account(kreo, Network.TELEGRAM, fake)
    mastodon = account(kreo, Network.MASTODON, fake)
    bluesky = account(kreo, Network.BLUESKY, fake)
    revoked = account(kreo, Network.TELEGRAM, fake, target="@lama", credential="1:revoked-xxxxxxxx")
    held = account(kandang, Network.TELEGRAM, fake, target="@kandang_desa")  # same bot
    unknown = account(kandang, Network.FACEBOOK, fake)

    fake.inject("/bot", "500", "429:1")  # Kreo's channel: a 500, then a 429 with retry_after
    fake.inject("/api/v1/statuses", "timeout-after")  # answer lost; the same key again
    fake.inject("/xrpc/com.atproto.repo.createRecord", "500")  # read back, then create
    fake.inject("/1234567890/feed", "timeout-after")  # Facebook: no key, cannot read back

    # One commit for both pages: the tasks are queued after it (and SQLite's shared in-memory
    # database is never written by the test and the worker at once).
    with transaction.atomic():
        kreo_page = publish_news(kreo, title="Posyandu balita bulan ini")
        kandang_page = publish_news(kandang, title="Jadwal ronda")
    deliveries = list(Delivery.objects.filter(share__page__in=[kreo_page, kandang_page]))
    assert len(deliveries) == 6
    first = next(d for d in deliveries if d.account_id == telegram.pk)
    for _ in range(3):  # duplicated messages (a redelivery, a second sweeper) change nothing
        deliver_delivery.delay(kreo.pk, first.pk)

    statuses = wait_for(deliveries)
    by_account = {d.account_id: statuses[d.pk] for d in deliveries}
    assert by_account[telegram.pk] == S.SENT
    assert by_account[mastodon.pk] == S.SENT
    assert by_account[bluesky.pk] == S.SENT
    assert by_account[revoked.pk] == S.NEEDS_REAUTH
    assert by_account[held.pk] == S.SENT
    assert by_account[unknown.pk] == S.UNKNOWN
    assert SocialAccount.objects.get(pk=revoked.pk).status == SocialAccount.Status.NEEDS_REAUTH

    telegram_posts = fake.posts_of("telegram")
    assert sorted(p["target"] for p in telegram_posts) == ["@kandang_desa", "@kreo_desa"]
    assert len(fake.posts_of("mastodon")) == 1
    assert len(fake.posts_of("bluesky")) == 1
    assert len(fake.posts_of("facebook")) == 1  # it went out; an editor confirms it


def test_a_worker_killed_mid_run_loses_nothing(worker, fake, quick, monkeypatch):
    kreo, _kandang = build_world()
    switch(kreo, True)
    bluesky = account(kreo, Network.BLUESKY, fake)
    telegram = account(kreo, Network.TELEGRAM, fake)
    # the first worker stops while these rows are claimed (one post had gone out)
    switch(kreo, False)
    page = publish_news(kreo, title="Musyawarah dusun")
    switch(kreo, True)
    with monkeypatch.context() as m:  # rows as the dead worker left them: not queued
        m.setattr(outbox, "enqueue", lambda delivery, delay=0.0: None)
        outbox.create_share(page, kreo)
    rows = list(Delivery.objects.filter(share__page=page))
    for row in rows:
        outbox.claim(row.pk)
    bs = next(r for r in rows if r.account_id == bluesky.pk)
    tg = next(r for r in rows if r.account_id == telegram.pk)
    clients.BlueskyClient(SocialAccount.objects.get(pk=bluesky.pk)).post(
        Delivery.objects.select_related("share").get(pk=bs.pk)
    )
    stale = outbox.timezone.now() - outbox.STUCK_AFTER * 2
    Delivery.objects.filter(pk__in=[bs.pk, tg.pk]).update(claimed_at=stale)
    # another worker's sweeper settles them
    sweep_outbox.delay()
    statuses = wait_for(rows, nudge=sweep_outbox.delay)
    assert statuses[bs.pk] == S.SENT  # read back: it was there
    assert statuses[tg.pk] == S.UNKNOWN  # Telegram cannot be read back: an editor decides
    assert len(fake.posts_of("bluesky")) == 1
    assert fake.posts_of("telegram") == []
