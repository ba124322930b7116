"""The outbox: shares become delivery rows in the publishing transaction, and each row is posted
at most once.

* **Claim**: a worker owns a row only after a conditional UPDATE ``pending/retry_wait →
  sending`` that matched it (a second task for the same row, concurrent or later, matches
  nothing and does nothing). The claim token written with it guards the result update.
* **Outcome** (see ``plugins/social/clients.py``): sent; retry later (backoff kept in the row's
  ``next_attempt_at``, Retry-After held per account and per credential); needs
  re-authorisation (the account too); failed; unknown.
* **Unknown** (the request may have been received, its answer was lost): never sent again
  blindly. Bluesky and Instagram are read back first (``must_reconcile``); Mastodon repeats the
  same Idempotency-Key while the server remembers it (``MastodonClient.idempotency_window``);
  otherwise an editor decides: mark as posted, or post again.
* **Sweeper** (``tasks.sweep_outbox``, every minute from Celery beat): queues due rows again
  and turns rows stuck in ``sending`` (a worker killed mid-request) into unknown/reconcile, with
  ``SELECT … FOR UPDATE SKIP LOCKED`` so two sweepers never take the same row.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from collections.abc import Iterable
from typing import Any

import requests
from celery import current_app
from django.apps import apps
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page

from core.pluginhost.registry import plugin_key_for_module
from core.pluginhost.switches import is_enabled
from core.villages.lookup import village_id_for_page
from core.website.models.base import page_summary

from . import clients
from .models import CredentialThrottle, Delivery, Share, SocialAccount, new_key
from .text import build_texts

logger = logging.getLogger(__name__)

PLUGIN_KEY = plugin_key_for_module(__name__)
SHARE_PAGE_TYPES_HOOK = "register_social_share_page_types"
DEFAULT_SHARE_PAGE_TYPES = ("website.newspage", "website.announcementpage", "website.eventpage")

MAX_ATTEMPTS = 8
BACKOFF_BASE = 60  # seconds; doubles per attempt
BACKOFF_CAP = 6 * 3600
KEY_EXPIRED = "kunci idempotensi sudah kedaluwarsa; periksa jaringan lalu putuskan"
STUCK_AFTER = dt.timedelta(minutes=10)  # longer than the delivery task's time limit
REQUEUE_AFTER = dt.timedelta(minutes=2)  # a queued task that has not run by then is lost
COUNTDOWN_MAX = 300  # longer waits are left to the sweeper (Redis visibility timeout)

S = Delivery.Status
CLAIMABLE = (S.PENDING, S.RETRY_WAIT)

DELIVER_TASK = "plugins.social.tasks.deliver_delivery"


def enqueue(delivery: Delivery, delay: float = 0.0) -> None:
    """Queue the delivery's task (``tasks.deliver_delivery``, looked up by name: tasks.py
    imports this module)."""
    task = current_app.tasks[DELIVER_TASK]
    task.apply_async((delivery.village_id, delivery.pk), countdown=delay or None)


def share_page_types() -> set[str]:
    """Lower-case model labels of the page types that are shared when first published; other
    plugins add theirs with the ``register_social_share_page_types`` hook (labels or models)."""
    labels = set(DEFAULT_SHARE_PAGE_TYPES)
    for hook in hooks.get_hooks(SHARE_PAGE_TYPES_HOOK):
        for item in hook() or ():
            labels.add(item if isinstance(item, str) else item._meta.label_lower)
    return {label.lower() for label in labels}


def backoff_seconds(attempts: int) -> float:
    base = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, attempts - 1))
    return base * random.uniform(0.8, 1.2)


# -- creating shares -----------------------------------------------------------------------------


def village_of_page(page: Page):
    village_model = apps.get_model("villages", "Village")
    village_id = village_id_for_page(page)
    if village_id is None:
        return None
    return village_model.objects.select_related("site").filter(pk=village_id).first()


def in_default_language(page: Page, village) -> bool:
    """Whether ``page`` is in the village's own language (its site's root page locale):
    translations are separate pages and are never shared again."""
    root = village.site.root_page if village.site_id else None
    return root is not None and page.locale_id == root.locale_id


def counts_as_first_publish(page: Page, revision: Any = None, alias: bool = False) -> bool:
    """A ``page_published`` that should share: the first publish of a live, non-alias page that
    is not a copy (a live copy is published with its revision's creation time)."""
    if alias or page.alias_of_id or not page.live:
        return False
    if page.first_published_at is None or page.first_published_at != page.last_published_at:
        return False  # republished
    if revision is not None and page.first_published_at == revision.created_at:
        return False  # copied while live (wagtail/actions/copy_page.py)
    return True


def _absolute(url: str, page: Page) -> str:
    if url.startswith(("http://", "https://")):
        return url
    site = page.get_site()
    return f"{site.root_url}{url}" if site else url


def page_content(page: Page) -> dict:
    """Title, summary, URL and feed image (with its alt text) of a page."""
    specific = page.specific
    image_url = ""
    image = getattr(specific, "featured_image", None)
    if image is not None:
        try:
            image_url = _absolute(image.get_rendition("fill-1200x630|format-jpeg").url, page)
        except Exception:  # a missing file must not stop the publish
            logger.warning("no rendition for the feed image of page %s", page.pk)
    return {
        "title": specific.title,
        "summary": page_summary(specific),
        "url": specific.get_full_url() or "",
        "image_url": image_url,
        "image_alt": getattr(specific, "image_alt", "") or "",
    }


def create_share(
    page: Page,
    village,
    *,
    reason: str = "first_publish",
    accounts: Iterable[SocialAccount] | None = None,
) -> Share | None:
    """A share of ``page`` with one delivery per account (the village's connected accounts
    unless given), each queued after the surrounding transaction commits."""
    if not is_enabled(village, PLUGIN_KEY):
        return None
    if accounts is None:
        accounts = SocialAccount.objects.filter(village=village).exclude(
            status=SocialAccount.Status.DISABLED
        )
    accounts = [a for a in accounts if a.village_id == village.pk]
    if not accounts:
        return None
    content = page_content(page)
    share = Share.objects.create(
        village=village,
        page=page,
        title=content["title"][:255],
        url=content["url"],
        texts=build_texts(
            content["title"],
            content["summary"],
            content["url"],
            has_image=bool(content["image_url"]),
        ),
        image_url=content["image_url"],
        image_alt=content["image_alt"][:250],
        reason=reason,
    )
    for account in accounts:
        needs_reauth = account.status == SocialAccount.Status.NEEDS_REAUTH
        delivery = Delivery.objects.create(
            village=village,
            share=share,
            account=account,
            status=S.NEEDS_REAUTH if needs_reauth else S.PENDING,
            idempotency_key=new_key(account.network),
            enqueued_at=None if needs_reauth else timezone.now(),
        )
        if not needs_reauth:
            queue_after_commit(delivery)
    return share


def share_on_publish(page: Page, revision: Any = None, alias: bool = False) -> Share | None:
    """React to ``page_published``: share the first publish of an opted-in page type in the
    village's default language, once."""
    if page.specific_class._meta.label_lower not in share_page_types():
        return None
    if not counts_as_first_publish(page, revision, alias):
        return None
    village = village_of_page(page)
    if village is None or not in_default_language(page, village):
        return None
    if Share.objects.filter(page=page, reason="first_publish").exists():
        return None
    return create_share(page, village)


def queue_after_commit(delivery: Delivery) -> None:
    transaction.on_commit(lambda: enqueue(delivery))


# -- delivering ----------------------------------------------------------------------------------


def credential_blocked_until(account: SocialAccount) -> dt.datetime | None:
    if not account.credential_key:
        return None
    row = CredentialThrottle.objects.filter(credential_key=account.credential_key).first()
    return row.blocked_until if row else None


def hold(account: SocialAccount, until: dt.datetime, scope: str) -> None:
    """Hold the account (and, for a shared credential, every account using it) until ``until``."""
    SocialAccount.objects.filter(pk=account.pk).update(blocked_until=until)
    if scope == "credential" and account.credential_key:
        CredentialThrottle.objects.update_or_create(
            credential_key=account.credential_key, defaults={"blocked_until": until}
        )


def _finish(delivery: Delivery, token: uuid.UUID, **values: Any) -> bool:
    """Write the outcome of the claim ``token`` (unless another claim replaced it)."""
    values.setdefault("claimed_at", None)
    return bool(Delivery.objects.filter(pk=delivery.pk, claim_token=token).update(**values))


def claim(delivery_id: int, now: dt.datetime | None = None) -> uuid.UUID | None:
    """Take the row for one attempt; ``None`` if it is not due or someone else has it."""
    now = now or timezone.now()
    token = uuid.uuid4()
    taken = Delivery.objects.filter(
        pk=delivery_id, status__in=CLAIMABLE, next_attempt_at__lte=now
    ).update(
        status=S.SENDING,
        claim_token=token,
        claimed_at=now,
        enqueued_at=None,
        attempts=F("attempts") + 1,
    )
    return token if taken == 1 else None


def _postpone(delivery: Delivery, until: dt.datetime) -> None:
    Delivery.objects.filter(pk=delivery.pk, status__in=CLAIMABLE).update(
        next_attempt_at=until, enqueued_at=None
    )
    _maybe_requeue(delivery, until)


def _maybe_requeue(delivery: Delivery, until: dt.datetime) -> None:
    delay = (until - timezone.now()).total_seconds()
    if delay <= COUNTDOWN_MAX:
        transaction.on_commit(lambda: enqueue(delivery, max(0.0, delay)))


def deliver(delivery_id: int, http: requests.Session | None = None) -> str:
    """One attempt at one delivery. Returns the delivery's status afterwards (or a word saying
    why nothing was done). Safe to call any number of times, concurrently too."""
    delivery = Delivery.objects.select_related("account", "share").filter(pk=delivery_id).first()
    if delivery is None:
        return "missing"
    if delivery.status not in CLAIMABLE:
        return "skipped"
    account = delivery.account
    now = timezone.now()
    if not is_enabled(delivery.village_id, PLUGIN_KEY):
        Delivery.objects.filter(pk=delivery.pk, status__in=CLAIMABLE).update(status=S.CANCELLED)
        return S.CANCELLED
    if account.status == SocialAccount.Status.DISABLED or not delivery.is_consistent():
        Delivery.objects.filter(pk=delivery.pk, status__in=CLAIMABLE).update(status=S.CANCELLED)
        return S.CANCELLED
    if account.status == SocialAccount.Status.NEEDS_REAUTH:
        Delivery.objects.filter(pk=delivery.pk, status__in=CLAIMABLE).update(
            status=S.NEEDS_REAUTH, last_error=account.last_error
        )
        return S.NEEDS_REAUTH
    held = [t for t in (account.blocked_until, credential_blocked_until(account)) if t]
    if held and max(held) > now:
        _postpone(delivery, max(held))
        return "held"
    client = clients.client_for(account, http)
    if (
        delivery.may_have_landed
        and client.idempotency_window
        and not _key_alive(delivery, client, now)
    ):
        # an earlier request may have landed and the server has forgotten its key
        Delivery.objects.filter(pk=delivery.pk, status__in=CLAIMABLE).update(
            status=S.UNKNOWN, last_error=KEY_EXPIRED
        )
        return S.UNKNOWN
    token = claim(delivery.pk, now)
    if token is None:
        return "skipped"
    delivery.refresh_from_db()
    try:
        if delivery.must_reconcile:
            found = client.reconcile(delivery)
            if found is not None:
                return _sent(delivery, token, found, resolved_by="reconcile")
            Delivery.objects.filter(pk=delivery.pk).update(must_reconcile=False)
            delivery.must_reconcile = False
        if not delivery.key_first_sent_at:
            Delivery.objects.filter(pk=delivery.pk).update(key_first_sent_at=now)
            delivery.key_first_sent_at = now
        posted = client.post(delivery)
    except clients.CannotReconcile as exc:
        return _retry(delivery, token, clients.RetryLater(str(exc)), reconcile=True)
    except clients.RetryLater as exc:
        return _retry(delivery, token, exc)
    except clients.Reauthorise as exc:
        SocialAccount.objects.filter(pk=account.pk).update(
            status=SocialAccount.Status.NEEDS_REAUTH, last_error=exc.message
        )
        _finish(delivery, token, status=S.NEEDS_REAUTH, last_error=exc.message)
        return S.NEEDS_REAUTH
    except clients.Permanent as exc:
        _finish(delivery, token, status=S.FAILED, last_error=exc.message)
        return S.FAILED
    except clients.Unknown as exc:
        return _after_unknown(delivery, token, client, exc)
    _remember_rate(client, account)
    return _sent(delivery, token, posted)


def _delay(delivery: Delivery, exc: clients.DeliveryError) -> float:
    return max(exc.retry_after or 0.0, backoff_seconds(delivery.attempts))


def _key_alive(delivery: Delivery, client: clients.Client, at: dt.datetime) -> bool:
    first = delivery.key_first_sent_at
    return first is not None and at < first + dt.timedelta(seconds=client.idempotency_window)


def _sent(
    delivery: Delivery, token: uuid.UUID, posted: clients.Posted, resolved_by: str = ""
) -> str:
    _finish(
        delivery,
        token,
        status=S.SENT,
        remote_id=posted.remote_id[:255],
        remote_url=posted.remote_url[:500],
        sent_at=timezone.now(),
        last_error="",
        must_reconcile=False,
        resolved_by=resolved_by,
    )
    SocialAccount.objects.filter(pk=delivery.account_id).update(last_error="")
    return S.SENT


def _retry(
    delivery: Delivery,
    token: uuid.UUID,
    exc: clients.DeliveryError,
    reconcile: bool = False,
    landed: bool = False,
) -> str:
    reconcile = reconcile or delivery.must_reconcile
    landed = landed or delivery.may_have_landed
    if delivery.attempts >= MAX_ATTEMPTS:
        status = S.UNKNOWN if reconcile or landed else S.FAILED
        _finish(delivery, token, status=status, last_error=exc.message)
        return status
    delay = _delay(delivery, exc)
    until = timezone.now() + dt.timedelta(seconds=delay)
    if exc.retry_after is not None:
        hold(delivery.account, until, exc.scope)
    _finish(
        delivery,
        token,
        status=S.RETRY_WAIT,
        next_attempt_at=until,
        last_error=exc.message,
        must_reconcile=reconcile,
        may_have_landed=landed,
        enqueued_at=timezone.now() if delay <= COUNTDOWN_MAX else None,
    )
    _maybe_requeue(delivery, until)
    return S.RETRY_WAIT


def _unknown(delivery: Delivery, token: uuid.UUID, message: str) -> str:
    _finish(delivery, token, status=S.UNKNOWN, last_error=message, may_have_landed=True)
    return S.UNKNOWN


def _after_unknown(
    delivery: Delivery, token: uuid.UUID, client: clients.Client, exc: clients.Unknown
) -> str:
    """The request may have landed. Read back where possible, repeat the same idempotency key
    while the server remembers it, and otherwise leave it to an editor."""
    if client.can_reconcile:
        try:
            found = client.reconcile(delivery)
        except (clients.CannotReconcile, clients.DeliveryError):
            found = None
        if found is not None:
            return _sent(delivery, token, found, resolved_by="reconcile")
        # not there (or not readable now): read again before the next attempt
        return _retry(delivery, token, clients.RetryLater(exc.message), reconcile=True)
    delay = backoff_seconds(delivery.attempts)
    if client.idempotency_window and _key_alive(
        delivery, client, timezone.now() + dt.timedelta(seconds=delay)
    ):
        return _retry(delivery, token, clients.RetryLater(exc.message), landed=True)
    return _unknown(delivery, token, exc.message)


def _remember_rate(client: clients.Client, account: SocialAccount) -> None:
    """An exhausted rate-limit window (remaining 0) holds the credential until its reset."""
    if (
        client.rate.remaining == 0
        and client.rate.reset_at
        and client.rate.reset_at > timezone.now()
    ):
        hold(account, client.rate.reset_at, "credential")


# -- the sweeper ----------------------------------------------------------------------------------


def sweep(
    now: dt.datetime | None = None, limit: int = 500, stuck_after: dt.timedelta | None = None
) -> dict:
    """Queue due rows whose task was lost, settle rows stuck in ``sending`` for ``stuck_after``
    (default ``STUCK_AFTER``), cancel rows of villages where the plugin is now off. Returns
    counts."""
    now = now or timezone.now()
    stuck_after = STUCK_AFTER if stuck_after is None else stuck_after
    counts = {"queued": 0, "stuck": 0, "cancelled": 0}
    with transaction.atomic():
        stuck = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=S.SENDING, claimed_at__lt=now - stuck_after)
            .select_related("account")[:limit]
        )
        for delivery in stuck:
            counts["stuck"] += 1
            client = clients.client_for(delivery.account)
            message = "pekerja berhenti saat mengirim; hasilnya tidak diketahui"
            if client.can_reconcile:
                values = {"status": S.RETRY_WAIT, "must_reconcile": True}
            elif client.idempotency_window and _key_alive(delivery, client, now):
                values = {"status": S.RETRY_WAIT, "may_have_landed": True}
            else:
                values = {"status": S.UNKNOWN}
            Delivery.objects.filter(pk=delivery.pk, status=S.SENDING).update(
                next_attempt_at=now, last_error=message, claimed_at=None, **values
            )
            if values["status"] == S.UNKNOWN:
                Delivery.objects.filter(pk=delivery.pk).update(may_have_landed=True)
        due = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status__in=CLAIMABLE, next_attempt_at__lte=now)
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - REQUEUE_AFTER))
            .order_by("next_attempt_at")[:limit]
        )
        for delivery in due:
            if not is_enabled(delivery.village_id, PLUGIN_KEY):
                Delivery.objects.filter(pk=delivery.pk).update(status=S.CANCELLED)
                counts["cancelled"] += 1
                continue
            Delivery.objects.filter(pk=delivery.pk).update(enqueued_at=now)
            queue_after_commit(delivery)
            counts["queued"] += 1
    return counts


# -- editor decisions -----------------------------------------------------------------------------


def mark_posted(delivery: Delivery, user, remote_url: str = "") -> bool:
    """An editor saw the post on the network: the unknown delivery is sent."""
    return bool(
        Delivery.objects.filter(pk=delivery.pk, status=S.UNKNOWN).update(
            status=S.SENT,
            sent_at=timezone.now(),
            remote_url=remote_url[:500],
            resolved_by=user.get_username()[:150],
        )
    )


def post_again(delivery: Delivery, user) -> bool:
    """An editor saw no post: send again, with a fresh key (a new Bluesky record key)."""
    with transaction.atomic():
        updated = Delivery.objects.filter(
            pk=delivery.pk, status__in=(S.UNKNOWN, S.FAILED, S.NEEDS_REAUTH)
        ).update(
            status=S.PENDING,
            next_attempt_at=timezone.now(),
            attempts=0,
            idempotency_key=new_key(delivery.account.network),
            key_first_sent_at=None,
            must_reconcile=False,
            may_have_landed=False,
            enqueued_at=timezone.now(),
            remote_id="",
            resolved_by=user.get_username()[:150],
        )
        if updated:
            queue_after_commit(delivery)
    return bool(updated)


def cancel(delivery: Delivery, user) -> bool:
    return bool(
        Delivery.objects.filter(
            pk=delivery.pk,
            status__in=(S.PENDING, S.RETRY_WAIT, S.UNKNOWN, S.FAILED, S.NEEDS_REAUTH),
        ).update(status=S.CANCELLED, resolved_by=user.get_username()[:150])
    )


def share_again(share: Share, user) -> Share | None:
    """A new share of the same page to the village's accounts (the editor asked for it)."""
    page = share.page
    if page is None or not page.live or village_id_for_page(page) != share.village_id:
        return None
    with transaction.atomic():
        return create_share(page.specific, share.village, reason="manual")
