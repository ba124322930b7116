"""The daily credential check (``tasks.check_social_credentials``, from Celery beat): each
connected account of a village where the plugin is on makes its network's cheapest "who am I"
call (Telegram ``getMe``, Mastodon ``verify_credentials``, Bluesky ``getSession`` with the
session renewed from the app password, Facebook ``/me``, Instagram the business account). A dead
credential marks the account "needs re-authorisation" before a post fails, and the village's
moderators (with an e-mail address) get one e-mail per account, in Indonesian, sent once until
a new credential is saved. A network that cannot answer now changes nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.pluginhost.switches import villages_with_plugin

from . import clients
from .models import SocialAccount
from .outbox import PLUGIN_KEY

logger = logging.getLogger(__name__)


def check_credentials(http: requests.Session | None = None) -> dict:
    """Check every connected account, then e-mail about accounts newly needing
    re-authorisation. Returns counts."""
    village_ids = villages_with_plugin(PLUGIN_KEY)
    counts = {"checked": 0, "needs_reauth": 0, "unreachable": 0, "emails": 0}
    accounts = SocialAccount.objects.filter(
        village_id__in=village_ids, status=SocialAccount.Status.CONNECTED
    ).exclude(credential="")
    for account in accounts:
        counts["checked"] += 1
        client = clients.client_for(account, http)
        try:
            client.whoami()
        except clients.Reauthorise as exc:
            counts["needs_reauth"] += 1
            SocialAccount.objects.filter(
                pk=account.pk, status=SocialAccount.Status.CONNECTED
            ).update(
                status=SocialAccount.Status.NEEDS_REAUTH,
                last_error=exc.message,
                checked_at=timezone.now(),
            )
            continue
        except (clients.DeliveryError, NotImplementedError):
            counts["unreachable"] += 1  # the network could not tell: try tomorrow
        SocialAccount.objects.filter(pk=account.pk).update(checked_at=timezone.now())
    counts["emails"] = notify_moderators(village_ids)
    return counts


def moderator_emails(village) -> list[str]:
    if village.moderators_group_id is None:
        return []
    users = get_user_model().objects.filter(groups=village.moderators_group_id, is_active=True)
    return sorted({u.email for u in users.exclude(email="") if u.email})


def notify_moderators(village_ids) -> int:
    """One e-mail per village listing its accounts that need re-authorisation and were not
    reported yet (the outbox marks them too, on a 401 while posting)."""
    pending = SocialAccount.objects.filter(
        village_id__in=village_ids,
        status=SocialAccount.Status.NEEDS_REAUTH,
        reauth_notified_at__isnull=True,
    ).select_related("village")
    by_village: dict[int, list[SocialAccount]] = defaultdict(list)
    for account in pending:
        by_village[account.village_id].append(account)
    sent = 0
    for accounts in by_village.values():
        village = accounts[0].village
        recipients = moderator_emails(village)
        if not recipients:
            continue  # reported when a moderator has an address
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = message_for(village, accounts)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except Exception:  # mail trouble: report again tomorrow
            logger.exception("social: credential e-mail for village %s failed", village.pk)
            continue
        SocialAccount.objects.filter(
            pk__in=[a.pk for a in accounts], reauth_notified_at__isnull=True
        ).update(reauth_notified_at=timezone.now())
        sent += 1
    return sent


def message_for(village, accounts: list[SocialAccount]) -> tuple[str, str]:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    lines = [
        _("Yth. Moderator %(village)s,") % {"village": village},
        "",
        _(
            "Pemeriksaan harian menemukan akun media sosial berikut tidak bisa lagi dipakai "
            "untuk mengirim kiriman. Kiriman baru ke akun ini ditahan sampai kredensialnya "
            "diperbarui."
        ),
        "",
    ]
    for account in accounts:
        url = base + reverse("social_accounts:edit", args=[account.pk])
        lines.append(f"- {account} — {account.last_error or '-'}")
        lines.append(f"  {url}")
    lines += [
        "",
        _(
            "Buka tautan di atas, lalu simpan token atau kata sandi aplikasi yang baru. "
            "Kiriman yang tertahan dapat dikirim lagi dari halaman pengiriman."
        ),
    ]
    subject = _("[%(village)s] Akun media sosial perlu otorisasi ulang") % {"village": village}
    return subject, "\n".join(lines)
