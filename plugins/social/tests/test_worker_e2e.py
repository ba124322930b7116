"""End to end through a real Celery worker on Redis (celery.contrib.testing's in-process
worker, as tests/test_celery_worker.py does) against the fake networks server, and through
worker processes (``worker_process.py``) of which the first is killed with SIGKILL mid-send.

The broker is REDIS_URL's server with its own database number (SOCIAL_TEST_REDIS_DB, default
13), so these queues never meet other tests' tasks. Skipped without REDIS_URL.
"""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError, connection, transaction

from core.provisioning import testing
from plugins.social import clients, outbox, retraction
from plugins.social.models import Delivery, Network, PostChange, SocialAccount
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


def test_post_changes_run_through_the_worker(worker, fake, quick):
    """Edit and delete requests are tasks too: a 500 is retried from the row's backoff, and
    each change is applied once."""
    kreo, _kandang = build_world()
    switch(kreo, True)
    telegram = account(kreo, Network.TELEGRAM, fake)
    mastodon = account(kreo, Network.MASTODON, fake)
    with transaction.atomic():
        page = publish_news(kreo, title="Rapat RT ditunda")
    rows = list(Delivery.objects.filter(share__page=page))
    assert set(wait_for(rows).values()) == {S.SENT}
    editor = testing.village_user("social", "editor", kreo)
    fake.inject("/api/v1/statuses/", "500")  # the first delete fails on the server
    with transaction.atomic():
        changes = [
            retraction.request_change(
                Delivery.objects.select_related("account", "share").get(pk=row.pk),
                "delete",
                editor,
            )
            for row in rows
        ]
    ids = [change.pk for change in changes]

    def nudge():  # SQLite's shared in-memory database: a write may have met "table is locked"
        with contextlib.suppress(OperationalError):
            for change in PostChange.objects.filter(pk__in=ids, status__in=PostChange.OPEN):
                retraction.enqueue(change)

    deadline = time.monotonic() + 60
    statuses = {}
    while time.monotonic() < deadline:
        with contextlib.suppress(OperationalError):
            statuses = dict(PostChange.objects.filter(pk__in=ids).values_list("pk", "status"))
        if statuses and set(statuses.values()) == {PostChange.Status.DONE}:
            break
        nudge()
        time.sleep(1)
    assert set(statuses.values()) == {PostChange.Status.DONE}, statuses
    assert sorted(network for network, _id in fake.deletions) == ["mastodon", "telegram"]
    by_account = {c.delivery.account_id: c for c in PostChange.objects.filter(pk__in=ids)}
    assert by_account[mastodon.pk].attempts == 2 and by_account[telegram.pk].attempts == 1


# -- a worker process killed mid-send ---------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]
KILL_QUEUE = "social-kill-test"


@pytest.fixture
def kill_broker(monkeypatch):
    """The Celery app of this process sends to the test broker, and the outbox's tasks to the
    queue only the worker processes consume (an in-process worker of this module, if one is
    running, consumes the default queue)."""
    app = deliver_delivery.app
    saved = (app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager)
    app.conf.broker_url = broker_url()
    app.conf.result_backend = None
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None
    with app.connection_for_write() as conn:
        conn.default_channel.client.delete(KILL_QUEUE)

    def enqueue(delivery, delay=0.0):
        deliver_delivery.apply_async(
            (delivery.village_id, delivery.pk), countdown=delay or None, queue=KILL_QUEUE
        )

    monkeypatch.setattr(outbox, "enqueue", enqueue)
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = saved
        app._pool = None
        app.amqp._producer_pool = None


@contextlib.contextmanager
def shared_database(tmp_path):
    """The URL of a database that worker processes can open, used by this process too while the
    block runs. PostgreSQL: the test database itself. SQLite: the test database lives in this
    process's memory, so it is copied to a file which this process then uses as well; the
    in-memory database is kept open and used again afterwards."""
    settings = connection.settings_dict
    if connection.vendor != "sqlite":
        auth = quote(settings["USER"] or "")
        if settings.get("PASSWORD"):
            auth += ":" + quote(settings["PASSWORD"])
        host = f"{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}"
        yield f"postgres://{auth}@{host}/{settings['NAME']}"
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    keeper = connection.connection  # keeps the shared in-memory database alive
    target = sqlite3.connect(path)
    keeper.backup(target)
    target.close()
    memory_name = settings["NAME"]
    connection.connection = None  # detached, not closed
    settings["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        settings["NAME"] = memory_name
        connection.connection = keeper


def start_worker_process(name: str, database_url: str, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sidekem_site.settings.test",
        "DATABASE_URL": database_url,
        "SOCIAL_WORKER_BROKER": broker_url(),
        "SOCIAL_WORKER_QUEUE": KILL_QUEUE,
        "SOCIAL_WORKER_NAME": f"{name}@%h",
        "SOCIAL_WORKER_VISIBILITY": "3",
        "SOCIAL_WORKER_CONCURRENCY": "5",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "plugins.social.tests.worker_process"],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group: the pool's children die with it
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def kill_group(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def statuses_of(ids) -> dict:
    for _ in range(20):
        try:
            return dict(Delivery.objects.filter(pk__in=ids).values_list("pk", "status"))
        except OperationalError:  # SQLite: a worker is writing
            time.sleep(0.2)
    raise AssertionError("database stayed locked")


def wait_until(ids, settled, timeout=60.0) -> dict:
    deadline = time.monotonic() + timeout
    statuses = {}
    while time.monotonic() < deadline:
        statuses = statuses_of(ids)
        if settled(statuses):
            return statuses
        time.sleep(0.3)
    raise AssertionError(f"not settled: {statuses}")


def posts_for(fake, delivery) -> list[dict]:
    account_ = delivery.account
    if account_.network == Network.TELEGRAM:
        return [p for p in fake.posts_of("telegram") if p["target"] == account_.target]
    if account_.network == Network.MASTODON:
        return [p for p in fake.posts_of("mastodon") if delivery.share.title in p["text"]]
    if account_.network == Network.BLUESKY:
        return [p for p in fake.posts_of("bluesky") if p["rkey"] == delivery.idempotency_key]
    return [p for p in fake.posts_of("facebook") if p["id"].startswith(f"{account_.target}_")]


def test_killing_the_worker_process_mid_send_loses_nothing(kill_broker, fake, tmp_path):
    """Five deliveries are mid-request (two had landed on the network, three had not) and four
    are taken but not started when the worker's process group gets SIGKILL. A second worker
    gets the unacknowledged messages back after the broker's visibility timeout (acks_late),
    the sweeper settles the rows left in ``sending``, an editor decides the two that cannot be
    read back, and every account ends with exactly one post."""
    kreo, kandang = build_world()
    switch(kreo, True)
    switch(kandang, True)
    for network in (Network.BLUESKY, Network.FACEBOOK, Network.MASTODON, Network.TELEGRAM):
        account(kreo, network, fake)
    account(kreo, Network.BLUESKY, fake, name="Kreo bluesky 2")
    account(kandang, Network.TELEGRAM, fake, target="@kandang_desa")
    account(kandang, Network.MASTODON, fake)
    account(kandang, Network.BLUESKY, fake)
    account(kandang, Network.FACEBOOK, fake, target="2234567890")
    # Kreo's five tasks are queued first and the worker runs five at a time: each of them is
    # the first request of its kind and is held; Kandang's wait behind them.
    fake.inject("/bot", "hold-after")  # posted, answer lost: cannot be read back
    fake.inject("/api/v1/statuses", "hold-after")  # posted: the same key finds it
    fake.inject("/xrpc/com.atproto.repo.createRecord", "hold-after", "hold-before")
    fake.inject("/1234567890/feed", "hold-before")  # not posted, cannot be read back
    with transaction.atomic():
        kreo_page = publish_news(kreo, title="Musyawarah dusun")
        kandang_page = publish_news(kandang, title="Jadwal ronda malam")
    rows = list(
        Delivery.objects.filter(share__page__in=[kreo_page, kandang_page]).select_related(
            "account", "share"
        )
    )
    ids = [row.pk for row in rows]
    assert len(rows) == 9
    log = tmp_path / "workers.log"

    with shared_database(tmp_path) as database_url:
        first = start_worker_process("social-first", database_url, log)
        try:
            fake.wait_held(5)
        finally:
            kill_group(first)
        fake.clear_faults()
        fake.release()
        at_kill = statuses_of(ids)
        in_flight = [pk for pk, status in at_kill.items() if status == S.SENDING]
        not_started = [pk for pk, status in at_kill.items() if status == S.PENDING]
        kreo_ids = {row.pk for row in rows if row.village_id == kreo.pk}
        assert set(in_flight) == kreo_ids, at_kill
        assert len(not_started) == 4, at_kill

        second = start_worker_process("social-second", database_url, log)
        try:
            # the messages the dead worker took come back: the unstarted ones are delivered,
            # the ones it was sending find their rows claimed and do nothing
            statuses = wait_until(
                ids, lambda st: all(st[pk] == S.SENT for pk in not_started), timeout=90
            )
            assert all(statuses[pk] == S.SENDING for pk in in_flight), statuses
            time.sleep(1.2)  # the claims are older than the sweeper's threshold below
            sweep_outbox.apply_async(kwargs={"stuck_after_seconds": 1}, queue=KILL_QUEUE)
            statuses = wait_until(ids, lambda st: all(s in FINAL for s in st.values()))
            unknown = [row for row in rows if statuses[row.pk] == S.UNKNOWN]
            # Telegram and Facebook cannot be read back: an editor looks at the channel
            assert sorted(row.account.network for row in unknown) == ["facebook", "telegram"]
            editor = testing.village_user("social", "editor", kreo)
            for row in unknown:
                if posts_for(fake, row):
                    assert outbox.mark_posted(row, editor)
                else:
                    assert outbox.post_again(row, editor)
            statuses = wait_until(ids, lambda st: all(s in FINAL for s in st.values()))
            final = {
                row.pk: row
                for row in Delivery.objects.filter(pk__in=ids).select_related("account", "share")
            }
        finally:
            kill_group(second, signal.SIGTERM)

    assert set(statuses.values()) == {S.SENT}, (statuses, log.read_text()[-3000:])
    for row in final.values():
        assert len(posts_for(fake, row)) == 1, (row.account, fake.posts)
    assert len(fake.posts) == len(rows)  # nothing twice, nothing lost
    kreo_bluesky = [
        row for row in final.values() if row.pk in in_flight and row.account.network == "bluesky"
    ]
    # the record that had landed was read back, the other one created
    assert sorted(row.resolved_by for row in kreo_bluesky) == ["", "reconcile"]
