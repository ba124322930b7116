"""Delivering against the fake networks: at most once, retry with backoff, Retry-After per
credential, re-authorisation, unknown on timeout, reconciliation."""

import datetime as dt
import logging
import threading

import pytest
from django.db import connection
from django.utils import timezone

from core.provisioning.testing import plain_text_columns
from plugins.social import outbox
from plugins.social.models import CredentialThrottle, Delivery, Network, Share, SocialAccount

from . import fakenet
from .helpers import account, make_due, publish_news, reload

pytestmark = pytest.mark.django_db
S = Delivery.Status


@pytest.fixture(autouse=True)
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(outbox, "enqueue", lambda d, delay=0.0: calls.append((d.pk, delay)))
    return calls


def one_delivery(village, network, fake, **kw):
    acc = account(village, network, fake, **kw)
    page = publish_news(village)
    return Delivery.objects.get(share__page=page, account=acc)


# -- at most once ----------------------------------------------------------------------------


def test_telegram_success_records_remote_post(kreo, fake):
    delivery = one_delivery(kreo, Network.TELEGRAM, fake)
    assert outbox.deliver(delivery.pk) == S.SENT
    delivery = reload(delivery)
    [post] = fake.posts_of("telegram")
    assert post["target"] == "@kreo_desa" and delivery.share.url in post["text"]
    assert delivery.remote_id == str(post["id"])
    assert delivery.remote_url == f"https://t.me/kreo_desa/{post['id']}"
    assert delivery.attempts == 1 and delivery.sent_at is not None


def test_running_the_task_twice_posts_once(kreo, fake):
    delivery = one_delivery(kreo, Network.TELEGRAM, fake)
    assert outbox.deliver(delivery.pk) == S.SENT
    assert outbox.deliver(delivery.pk) == "skipped"
    assert len(fake.posts_of("telegram")) == 1


def test_a_claimed_row_is_not_posted_by_a_second_worker(kreo, fake):
    """Two workers at once: the second finds the row claimed (status sending) and does
    nothing; the conditional UPDATE lets exactly one claim win."""
    delivery = one_delivery(kreo, Network.TELEGRAM, fake)
    token = outbox.claim(delivery.pk)
    assert token is not None
    assert outbox.claim(delivery.pk) is None
    assert outbox.deliver(delivery.pk) == "skipped"
    assert fake.posts_of("telegram") == []


@pytest.mark.skipif(connection.vendor == "sqlite", reason="threads need a shared database")
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_post_once(kreo, fake):  # pragma: no cover - PostgreSQL runs
    delivery = one_delivery(kreo, Network.TELEGRAM, fake)
    results = []

    def work():
        results.append(outbox.deliver(delivery.pk))
        connection.close()

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(S.SENT) == 1
    assert len(fake.posts_of("telegram")) == 1


# -- retry, backoff, Retry-After -------------------------------------------------------------


def test_server_error_retries_with_backoff_in_the_database(
    kreo, fake, queued, django_capture_on_commit_callbacks
):
    delivery = one_delivery(kreo, Network.TELEGRAM, fake)
    fake.inject("/bot", "500")
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.deliver(delivery.pk) == S.RETRY_WAIT
    delivery = reload(delivery)
    assert delivery.attempts == 1 and "500" in delivery.last_error
    wait = (delivery.next_attempt_at - before).total_seconds()
    assert 40 <= wait <= 80  # first backoff: about a minute
    assert outbox.deliver(delivery.pk) == "skipped"  # not due yet
    assert (delivery.pk, pytest.approx(wait, abs=2)) in queued  # short: a countdown task
    fake.inject("/bot", "500")
    make_due(delivery)
    assert outbox.deliver(delivery.pk) == S.RETRY_WAIT
    second = reload(delivery)
    assert (second.next_attempt_at - timezone.now()).total_seconds() > 90  # doubled
    make_due(delivery)
    assert outbox.deliver(delivery.pk) == S.SENT
    assert reload(delivery).attempts == 3
    assert len(fake.posts_of("telegram")) == 1


def test_retry_after_holds_the_shared_credential(kreo, kandang, fake):
    """One district bot for two villages: Telegram's retry_after holds every account that
    uses the token, without a request."""
    first = one_delivery(kreo, Network.TELEGRAM, fake)
    second = one_delivery(kandang, Network.TELEGRAM, fake, target="@kandang_desa")
    assert first.account.credential_key == second.account.credential_key
    fake.inject("/bot", "429:120")
    assert outbox.deliver(first.pk) == S.RETRY_WAIT
    first = reload(first)
    assert (first.next_attempt_at - timezone.now()).total_seconds() >= 115
    throttle = CredentialThrottle.objects.get(credential_key=first.account.credential_key)
    assert throttle.blocked_until >= first.next_attempt_at - dt.timedelta(seconds=1)
    requests_before = len(fake.requests)
    assert outbox.deliver(second.pk) == "held"
    assert len(fake.requests) == requests_before
    assert reload(second).next_attempt_at >= throttle.blocked_until
    CredentialThrottle.objects.all().delete()
    make_due(second)
    assert outbox.deliver(second.pk) == S.SENT


def test_mastodon_retry_after_header_holds_the_account(kreo, fake):
    delivery = one_delivery(kreo, Network.MASTODON, fake)
    fake.inject("/api/v1/statuses", "429:300")
    assert outbox.deliver(delivery.pk) == S.RETRY_WAIT
    acc = SocialAccount.objects.get(pk=delivery.account_id)
    assert (acc.blocked_until - timezone.now()).total_seconds() >= 295
    assert (reload(delivery).next_attempt_at - timezone.now()).total_seconds() >= 295


def test_attempts_run_out_as_failed(kreo, fake, monkeypatch):
    monkeypatch.setattr(outbox, "MAX_ATTEMPTS", 2)
    delivery = one_delivery(kreo, Network.TELEGRAM, fake)
    fake.inject("/bot", "500", "500")
    assert outbox.deliver(delivery.pk) == S.RETRY_WAIT
    make_due(delivery)
    assert outbox.deliver(delivery.pk) == S.FAILED
    assert fake.posts_of("telegram") == []


def test_bad_request_is_permanent(kreo, fake):
    delivery = one_delivery(kreo, Network.TELEGRAM, fake)
    fake.inject("/bot", "400")
    assert outbox.deliver(delivery.pk) == S.FAILED
    assert "chat not found" in reload(delivery).last_error


# -- re-authorisation ------------------------------------------------------------------------


def test_unauthorised_marks_account_and_holds_its_other_deliveries(kreo, kreo_editor, fake):
    acc = account(kreo, Network.TELEGRAM, fake, credential="999:revoked-token-xxxxxxxxxx")
    first = Delivery.objects.get(share__page=publish_news(kreo), account=acc)
    second = Delivery.objects.get(share__page=publish_news(kreo, title="Dua"), account=acc)
    assert outbox.deliver(first.pk) == S.NEEDS_REAUTH
    acc.refresh_from_db()
    assert acc.status == SocialAccount.Status.NEEDS_REAUTH
    assert "revoked-token" not in acc.last_error and "revoked-token" not in reload(first).last_error
    count = len(fake.requests)
    assert outbox.deliver(second.pk) == S.NEEDS_REAUTH
    assert len(fake.requests) == count  # no request with a dead credential
    # the editor reconnects and posts again
    acc.credential = fakenet.TELEGRAM_TOKEN
    acc.status = SocialAccount.Status.CONNECTED
    acc.save()
    assert outbox.post_again(reload(second), kreo_editor)
    assert outbox.deliver(second.pk) == S.SENT


# -- unknown ---------------------------------------------------------------------------------


def test_timeout_after_sending_is_unknown_and_never_retried(kreo, fake, fast_timeouts):
    delivery = one_delivery(kreo, Network.TELEGRAM, fake)
    fake.inject("/bot", "timeout-after")
    assert outbox.deliver(delivery.pk) == S.UNKNOWN
    assert len(fake.posts_of("telegram")) == 1  # it did go out
    make_due(delivery)
    assert outbox.deliver(delivery.pk) == "skipped"
    Delivery.objects.filter(pk=delivery.pk).update(enqueued_at=None)
    assert outbox.sweep()["queued"] == 0
    assert len(fake.posts_of("telegram")) == 1


def test_gateway_error_without_api_answer_is_unknown(kreo, fake):
    delivery = one_delivery(kreo, Network.TELEGRAM, fake)
    fake.inject("/bot", "502-gateway")
    assert outbox.deliver(delivery.pk) == S.UNKNOWN


def test_connection_refused_is_retried_and_redacted(kreo):
    acc = account(kreo, Network.TELEGRAM, None)
    acc.api_base_url = "http://127.0.0.1:9"  # nothing listens: the request never left
    acc.save()
    delivery = Delivery.objects.get(share__page=publish_news(kreo), account=acc)
    assert outbox.deliver(delivery.pk) == S.RETRY_WAIT
    error = reload(delivery).last_error
    assert error and fakenet.TELEGRAM_TOKEN not in error and "AAH-test" not in error


def test_editor_decides_an_unknown_delivery(kreo, fake, fast_timeouts, kreo_editor):
    delivery = one_delivery(kreo, Network.TELEGRAM, fake)
    fake.inject("/bot", "timeout-after")
    outbox.deliver(delivery.pk)
    assert outbox.mark_posted(reload(delivery), kreo_editor, "https://t.me/kreo_desa/1")
    marked = reload(delivery)
    assert marked.status == S.SENT and marked.resolved_by == kreo_editor.username
    assert not outbox.post_again(marked, kreo_editor)  # only unknown/failed rows

    other = Delivery.objects.get(share__page=publish_news(kreo, title="Lain"))
    fake.inject("/bot", "timeout-before")
    assert outbox.deliver(other.pk) == S.UNKNOWN
    old_key = reload(other).idempotency_key
    assert outbox.post_again(reload(other), kreo_editor)
    again = reload(other)
    assert again.status == S.PENDING and again.idempotency_key != old_key
    assert outbox.deliver(other.pk) == S.SENT
    assert len(fake.posts_of("telegram")) == 2  # one per page


def test_mastodon_timeout_retries_with_the_same_key_within_the_hour(kreo, fake, fast_timeouts):
    delivery = one_delivery(kreo, Network.MASTODON, fake)
    fake.inject("/api/v1/statuses", "timeout-after")
    assert outbox.deliver(delivery.pk) == S.RETRY_WAIT  # the key is still remembered
    assert reload(delivery).may_have_landed
    make_due(delivery)
    assert outbox.deliver(delivery.pk) == S.SENT
    assert len(fake.posts_of("mastodon")) == 1  # the server returned the first status
    assert reload(delivery).remote_id == fake.posts_of("mastodon")[0]["id"]


def test_mastodon_retry_after_the_key_expired_does_not_post(kreo, fake, fast_timeouts):
    delivery = one_delivery(kreo, Network.MASTODON, fake)
    fake.inject("/api/v1/statuses", "timeout-after")
    assert outbox.deliver(delivery.pk) == S.RETRY_WAIT
    # the worker was down: the retry comes more than an hour later
    Delivery.objects.filter(pk=delivery.pk).update(
        key_first_sent_at=timezone.now() - dt.timedelta(hours=2)
    )
    fake.idempotency_ttl = 0  # the server has forgotten the key
    make_due(delivery)
    count = len(fake.requests)
    assert outbox.deliver(delivery.pk) == S.UNKNOWN
    assert len(fake.requests) == count
    assert len(fake.posts_of("mastodon")) == 1


def test_bluesky_duplicate_answered_500_ends_sent_with_one_record(kreo, fake):
    delivery = one_delivery(kreo, Network.BLUESKY, fake)
    rkey = delivery.idempotency_key
    assert outbox.deliver(delivery.pk) == S.SENT
    # the answer was lost (the worker died): the row is sent again with the same record key
    Delivery.objects.filter(pk=delivery.pk).update(status=S.PENDING)
    make_due(delivery)
    assert outbox.deliver(delivery.pk) == S.SENT  # createRecord → 500 → getRecord finds it
    [post] = fake.posts_of("bluesky")
    assert post["rkey"] == rkey
    methods = [path.rsplit("/", 1)[1] for _m, path in fake.requests]
    assert methods[-2:] == ["com.atproto.repo.createRecord", "com.atproto.repo.getRecord"]
    final = reload(delivery)
    assert final.remote_url == f"https://bsky.app/profile/{fakenet.BLUESKY_DID}/post/{rkey}"
    facet = post["facets"][0]
    text = post["text"].encode()
    assert text[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode() == (
        final.share.url
    )


def test_bluesky_500_reads_the_record_before_any_retry(kreo, fake):
    delivery = one_delivery(kreo, Network.BLUESKY, fake)
    fake.inject("/xrpc/com.atproto.repo.createRecord", "500")
    assert outbox.deliver(delivery.pk) == S.RETRY_WAIT
    assert reload(delivery).must_reconcile
    make_due(delivery)
    start = len(fake.requests)
    assert outbox.deliver(delivery.pk) == S.SENT
    methods = [path.rsplit("/", 1)[1] for _m, path in fake.requests[start:]]
    assert methods == ["com.atproto.repo.getRecord", "com.atproto.repo.createRecord"]
    assert len(fake.posts_of("bluesky")) == 1


def test_bluesky_timeout_after_sending_reconciles_to_sent(kreo, fake, fast_timeouts):
    delivery = one_delivery(kreo, Network.BLUESKY, fake)
    fake.inject("/xrpc/com.atproto.repo.createRecord", "timeout-after")
    assert outbox.deliver(delivery.pk) == S.SENT
    assert reload(delivery).resolved_by == "reconcile"
    assert len(fake.posts_of("bluesky")) == 1


def test_bluesky_wrong_app_password_needs_reauthorisation(kreo, fake):
    delivery = one_delivery(kreo, Network.BLUESKY, fake, credential="wrong-password")
    assert outbox.deliver(delivery.pk) == S.NEEDS_REAUTH


def test_facebook_feed_and_expired_token(kreo, fake):
    delivery = one_delivery(kreo, Network.FACEBOOK, fake)
    assert outbox.deliver(delivery.pk) == S.SENT
    assert reload(delivery).remote_id.startswith("1234567890_")
    bad = account(kreo, Network.FACEBOOK, fake, credential="EAAB-expired", name="FB lama")
    other = Delivery.objects.get(share__page=publish_news(kreo, title="FB"), account=bad)
    assert outbox.deliver(other.pk) == S.NEEDS_REAUTH
    assert "EAAB-expired" not in reload(other).last_error


# -- the sweeper -----------------------------------------------------------------------------


def test_sweeper_settles_rows_stuck_in_sending(kreo, fake):
    tg = one_delivery(kreo, Network.TELEGRAM, fake)
    bs = Delivery.objects.create(
        village=kreo,
        share=Share.objects.get(pk=tg.share_id),
        account=account(kreo, Network.BLUESKY, fake),
    )
    long_ago = timezone.now() - dt.timedelta(minutes=30)
    for d in (tg, bs):
        assert outbox.claim(d.pk)
    Delivery.objects.filter(pk__in=[tg.pk, bs.pk]).update(claimed_at=long_ago)
    counts = outbox.sweep()
    assert counts["stuck"] == 2
    assert reload(tg).status == S.UNKNOWN  # Telegram cannot be read back: an editor decides
    assert reload(bs).status == S.RETRY_WAIT and reload(bs).must_reconcile
    assert outbox.deliver(bs.pk) == S.SENT
    assert len(fake.posts_of("bluesky")) == 1


def test_sweeper_requeues_due_rows_once(kreo, fake, queued):
    delivery = one_delivery(kreo, Network.TELEGRAM, fake)
    Delivery.objects.filter(pk=delivery.pk).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=10)
    )
    queued.clear()
    counts = outbox.sweep()
    assert counts["queued"] == 1
    assert outbox.sweep()["queued"] == 0  # just queued: not again


def test_instagram_container_is_the_key_after_a_lost_publish_answer(kreo, fake, fast_timeouts):
    delivery = one_delivery(kreo, Network.INSTAGRAM, fake)
    assert outbox.deliver(delivery.pk) == S.FAILED  # no image: Instagram cannot post
    assert "gambar" in reload(delivery).last_error

    second = Delivery.objects.get(
        share__page=publish_news(kreo, title="Foto"), account_id=delivery.account_id
    )
    Share.objects.filter(pk=second.share_id).update(image_url="https://kreo.localhost/media/a.jpg")
    fake.inject("/17841400000000000/media_publish", "timeout-after")
    assert outbox.deliver(second.pk) == S.SENT  # the container says PUBLISHED
    final = reload(second)
    assert final.resolved_by == "reconcile"
    [post] = fake.posts_of("instagram")
    assert final.remote_id == f"container:{post['container']}"


def test_tokens_never_reach_the_logs(kreo, fake, caplog):
    delivery = one_delivery(kreo, Network.TELEGRAM, fake)
    with caplog.at_level(logging.DEBUG):
        assert outbox.deliver(delivery.pk) == S.SENT
        fake.inject("/bot", "401")
        other = Delivery.objects.get(share__page=publish_news(kreo, title="Dua"))
        outbox.deliver(other.pk)
    assert "sendMessage" in caplog.text  # the request lines were logged…
    assert fakenet.TELEGRAM_TOKEN not in caplog.text  # …without the token
    # nor in any column of any table (the credential is encrypted, errors are redacted)
    assert reload(other).last_error
    assert plain_text_columns(fakenet.TELEGRAM_TOKEN) == []
