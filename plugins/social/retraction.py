"""Retraction: an editor edits or deletes a page's remote posts after the page was corrected or
unpublished. Nothing is deleted on its own: unpublishing only tells the editor which posts are
still live (``live_deliveries``).

Each request is a ``PostChange`` row run by ``tasks.apply_post_change`` the way a delivery is:
claimed with a conditional UPDATE (a duplicated or redelivered task finds nothing to claim),
retried with the backoff kept in the row, Retry-After holding the account and the credential,
re-authorisation marking the account. Unlike posting, editing (the same text again) and
deleting (a post already gone counts as deleted) are idempotent, so a lost answer or a worker
killed mid-request is simply tried again. What each network allows is in ``clients.py``:
Telegram, Mastodon and Facebook edit and delete; Bluesky deletes only; Instagram's API does
neither.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import requests
from celery import current_app
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pluginhost.switches import is_enabled

from . import clients, outbox
from .models import Delivery, PostChange, SocialAccount
from .text import build_texts

C = PostChange.Status
A = PostChange.Action
CLAIMABLE = (C.PENDING, C.RETRY_WAIT)
MAX_ATTEMPTS = 8
CHANGE_TASK = "plugins.social.tasks.apply_post_change"
OFF = "media sosial dimatikan untuk desa ini"


def enqueue(change: PostChange, delay: float = 0.0) -> None:
    task = current_app.tasks[CHANGE_TASK]
    task.apply_async((change.village_id, change.pk), countdown=delay or None)


def _queue_after_commit(change: PostChange, delay: float = 0.0) -> None:
    transaction.on_commit(lambda: enqueue(change, delay))


# -- what an editor sees -------------------------------------------------------------------------


def page_deliveries(page, village) -> QuerySet[Delivery]:
    """The page's deliveries in its own village (never another village's rows)."""
    return Delivery.objects.filter(
        share__page=page, village=village, share__village=village, account__village=village
    )


def live_deliveries(page, village) -> QuerySet[Delivery]:
    """Sent deliveries of the page whose remote post has not been deleted through Sidekem."""
    deleted = PostChange.objects.filter(action=A.DELETE, status=C.DONE).values("delivery")
    return (
        page_deliveries(page, village)
        .filter(status=Delivery.Status.SENT)
        .exclude(pk__in=deleted)
        .select_related("account", "share")
    )


def capabilities(delivery: Delivery) -> dict[str, Any]:
    """What may be asked for one delivery: ``edit`` / ``delete`` booleans and ``why`` (a
    sentence for the editor when something is not possible)."""
    client_class = clients.CLIENTS[delivery.account.network]
    if not delivery.remote_id or delivery.remote_id.startswith("container:"):
        why = _(
            "Id kiriman tidak diketahui (ditandai terkirim oleh editor): ubah langsung di "
            "jaringan itu."
        )
        return {"edit": False, "delete": False, "why": why}
    why = ""
    if not (client_class.can_edit or client_class.can_delete):
        why = _(
            "Instagram tidak menyediakan API untuk menyunting atau menghapus kiriman: lakukan "
            "di aplikasi Instagram."
        )
    elif not client_class.can_edit:
        why = _("Bluesky tidak bisa menyunting kiriman: hapus, lalu bagikan lagi bila perlu.")
    return {"edit": client_class.can_edit, "delete": client_class.can_delete, "why": why}


def new_text(delivery: Delivery) -> str:
    """The post's text from the page as it is now (a photo post keeps its caption limit)."""
    page = delivery.share.page
    if page is None:
        return delivery.share.texts.get(delivery.account.network, "")
    content = outbox.page_content(page)
    texts = build_texts(
        content["title"],
        content["summary"],
        content["url"] or delivery.share.url,
        has_image=bool(delivery.share.image_url),
    )
    return texts.get(delivery.account.network, "")


def latest_change(delivery: Delivery) -> PostChange | None:
    return (
        PostChange.objects.filter(delivery=delivery, village_id=delivery.village_id)
        .order_by("-created_at", "-pk")
        .first()
    )


# -- requesting ----------------------------------------------------------------------------------


def request_change(delivery: Delivery, action: str, user) -> PostChange | None:
    """Queue an edit or a delete of ``delivery``'s remote post; ``None`` when it cannot be
    asked (not sent, the network does not allow it, already deleted, a change still open)."""
    if action not in A.values or not delivery.is_consistent():
        return None
    if delivery.status != Delivery.Status.SENT:
        return None
    allowed = capabilities(delivery)
    if not allowed[action]:
        return None
    if PostChange.objects.filter(delivery=delivery, action=A.DELETE, status=C.DONE).exists():
        return None
    text = new_text(delivery) if action == A.EDIT else ""
    try:
        with transaction.atomic():
            change = PostChange.objects.create(
                village_id=delivery.village_id,
                delivery=delivery,
                action=action,
                text=text,
                requested_by=user.get_username()[:150],
            )
            _queue_after_commit(change)
    except IntegrityError:
        return None  # a change of this post is still open
    return change


# -- running -------------------------------------------------------------------------------------


def claim(change_id: int, now: dt.datetime) -> uuid.UUID | None:
    token = uuid.uuid4()
    taken = PostChange.objects.filter(
        pk=change_id, status__in=CLAIMABLE, next_attempt_at__lte=now
    ).update(
        status=C.SENDING,
        claim_token=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    return token if taken == 1 else None


def _finish(change: PostChange, token: uuid.UUID, **values: Any) -> bool:
    values.setdefault("claimed_at", None)
    return bool(PostChange.objects.filter(pk=change.pk, claim_token=token).update(**values))


def _settle(change: PostChange, status: str, message: str) -> str:
    PostChange.objects.filter(pk=change.pk, status__in=CLAIMABLE).update(
        status=status, last_error=message
    )
    return status


def apply_change(change_id: int, http: requests.Session | None = None) -> str:
    """One attempt at one change. Safe to call any number of times, concurrently too."""
    change = (
        PostChange.objects.select_related("delivery__account", "delivery__share")
        .filter(pk=change_id)
        .first()
    )
    if change is None:
        return "missing"
    if change.status not in CLAIMABLE:
        return "skipped"
    delivery = change.delivery
    account = delivery.account
    now = timezone.now()
    if not change.is_consistent():
        return _settle(change, C.FAILED, "baris tidak konsisten")
    if not is_enabled(change.village_id, outbox.PLUGIN_KEY):
        return _settle(change, C.FAILED, OFF)
    if account.status == SocialAccount.Status.DISABLED:
        return _settle(change, C.FAILED, "akun nonaktif")
    if account.status == SocialAccount.Status.NEEDS_REAUTH:
        return _settle(change, C.NEEDS_REAUTH, account.last_error)
    held = [t for t in (account.blocked_until, outbox.credential_blocked_until(account)) if t]
    if held and max(held) > now:
        PostChange.objects.filter(pk=change.pk, status__in=CLAIMABLE).update(
            next_attempt_at=max(held)
        )
        _maybe_requeue(change, max(held))
        return "held"
    token = claim(change.pk, now)
    if token is None:
        return "skipped"
    change.refresh_from_db()
    client = clients.client_for(account, http)
    try:
        if change.action == A.EDIT:
            client.edit(delivery, change.text)
        else:
            client.delete(delivery)
    except (clients.RetryLater, clients.Unknown) as exc:
        return _retry(change, token, exc)
    except clients.Reauthorise as exc:
        SocialAccount.objects.filter(pk=account.pk).update(
            status=SocialAccount.Status.NEEDS_REAUTH, last_error=exc.message
        )
        _finish(change, token, status=C.NEEDS_REAUTH, last_error=exc.message)
        return C.NEEDS_REAUTH
    except clients.Permanent as exc:
        _finish(change, token, status=C.FAILED, last_error=exc.message)
        return C.FAILED
    _finish(change, token, status=C.DONE, done_at=timezone.now(), last_error="")
    if change.action == A.EDIT:
        # the post now says what the page says: later comparisons start from here
        share = delivery.share
        share.texts = {**share.texts, account.network: change.text}
        share.save(update_fields=["texts"])
    return C.DONE


def _retry(change: PostChange, token: uuid.UUID, exc: clients.DeliveryError) -> str:
    if change.attempts >= MAX_ATTEMPTS:
        _finish(change, token, status=C.FAILED, last_error=exc.message)
        return C.FAILED
    delay = max(exc.retry_after or 0.0, outbox.backoff_seconds(change.attempts))
    until = timezone.now() + dt.timedelta(seconds=delay)
    if exc.retry_after is not None:
        outbox.hold(change.delivery.account, until, exc.scope)
    _finish(change, token, status=C.RETRY_WAIT, next_attempt_at=until, last_error=exc.message)
    _maybe_requeue(change, until)
    return C.RETRY_WAIT


def _maybe_requeue(change: PostChange, until: dt.datetime) -> None:
    delay = (until - timezone.now()).total_seconds()
    if delay <= outbox.COUNTDOWN_MAX:
        _queue_after_commit(change, max(0.0, delay))


def sweep(
    now: dt.datetime | None = None, limit: int = 500, stuck_after: dt.timedelta | None = None
) -> dict:
    """Changes stuck in ``sending`` (a killed worker) are tried again (safe: idempotent); due
    changes whose task was lost are queued again; a village switched off fails its changes."""
    now = now or timezone.now()
    stuck_after = outbox.STUCK_AFTER if stuck_after is None else stuck_after
    counts = {"changes_stuck": 0, "changes_queued": 0}
    with transaction.atomic():
        stuck = list(
            PostChange.objects.select_for_update(skip_locked=True, of=("self",)).filter(
                status=C.SENDING, claimed_at__lt=now - stuck_after
            )[:limit]
        )
        for change in stuck:
            PostChange.objects.filter(pk=change.pk, status=C.SENDING).update(
                status=C.RETRY_WAIT,
                next_attempt_at=now,
                claimed_at=None,
                last_error="pekerja berhenti saat mengirim; dicoba lagi",
            )
            counts["changes_stuck"] += 1
        due = list(
            PostChange.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status__in=CLAIMABLE)
            .filter(
                Q(pk__in=[c.pk for c in stuck]) | Q(next_attempt_at__lte=now - outbox.REQUEUE_AFTER)
            )
            .order_by("next_attempt_at")[:limit]
        )
        for change in due:
            if not is_enabled(change.village_id, outbox.PLUGIN_KEY):
                PostChange.objects.filter(pk=change.pk, status__in=CLAIMABLE).update(
                    status=C.FAILED, last_error=OFF
                )
                continue
            _queue_after_commit(change)
            counts["changes_queued"] += 1
    return counts
