"""Builders shared by the social plugin's tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.website.models import NewsPage
from plugins.social.models import Delivery, Network, SocialAccount

from . import fakenet
from .conftest import news_index

CREDENTIALS = {
    Network.TELEGRAM: ("@kreo_desa", fakenet.TELEGRAM_TOKEN),
    Network.MASTODON: ("", fakenet.MASTODON_TOKEN),
    Network.BLUESKY: (fakenet.BLUESKY_HANDLE, fakenet.BLUESKY_PASSWORD),
    Network.FACEBOOK: ("1234567890", fakenet.FACEBOOK_TOKEN),
    Network.INSTAGRAM: ("17841400000000000", fakenet.FACEBOOK_TOKEN),
}


def account(village, network, fake, *, target=None, credential=None, name=None):
    default_target, default_credential = CREDENTIALS[network]
    return SocialAccount.objects.create(
        village=village,
        network=network,
        name=name or f"{village.name} {network}",
        target=default_target if target is None else target,
        credential=default_credential if credential is None else credential,
        api_base_url=fake.url if fake is not None else "",
    )


def publish_news(village, title="Kerja bakti saluran irigasi", summary="Warga bergotong royong."):
    index = news_index(village)
    page = NewsPage(title=title, slug=f"berita-{NewsPage.objects.count() + 1}", summary=summary)
    index.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_due(delivery: Delivery) -> None:
    """Move the delivery's next attempt (and any hold) into the past."""
    past = timezone.now() - dt.timedelta(seconds=1)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=past)
    SocialAccount.objects.filter(pk=delivery.account_id).update(blocked_until=None)


def reload(delivery: Delivery) -> Delivery:
    return Delivery.objects.get(pk=delivery.pk)
