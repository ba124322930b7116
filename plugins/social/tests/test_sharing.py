"""What gets shared: first publish only, in the village's own language, opted-in types only,
rows created in the publishing transaction and queued after it commits."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from core.website.models import NewsPage, StandardPage
from plugins.social import outbox
from plugins.social.models import Delivery, Network, Share, SocialAccount

from .conftest import home_of, locale, news_index, switch
from .helpers import account, publish_news

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(outbox, "enqueue", lambda d, delay=0.0: calls.append((d.pk, delay)))
    return calls


def test_first_publish_makes_one_delivery_per_account_queued_after_commit(
    kreo, kandang, queued, django_capture_on_commit_callbacks
):
    tg = account(kreo, Network.TELEGRAM, None)
    md = account(kreo, Network.MASTODON, None)
    account(kreo, Network.BLUESKY, None).__class__.objects.filter(network=Network.BLUESKY).update(
        status=SocialAccount.Status.DISABLED
    )
    account(kandang, Network.TELEGRAM, None)  # another village's account: not used
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = publish_news(kreo)
    share = Share.objects.get(page=page)
    deliveries = {d.account_id: d for d in Delivery.objects.filter(share=share)}
    assert set(deliveries) == {tg.pk, md.pk}
    assert all(d.status == Delivery.Status.PENDING for d in deliveries.values())
    assert all(d.village_id == kreo.pk for d in deliveries.values())
    assert queued == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert sorted(pk for pk, _delay in queued) == sorted(d.pk for d in deliveries.values())
    assert share.url.startswith("http://kreo.localhost") and share.url in share.texts["telegram"]


def test_republish_does_not_share_again(kreo, queued):
    account(kreo, Network.TELEGRAM, None)
    page = publish_news(kreo)
    page.title = "Kerja bakti (diperbarui)"
    page.save_revision().publish()
    assert Share.objects.filter(page=page).count() == 1


def test_translation_is_not_shared(kreo, queued):
    account(kreo, Network.TELEGRAM, None)
    page = publish_news(kreo)
    index = news_index(kreo)
    en = locale("en")
    assert home_of(kreo, "en").locale == en
    # Seeded content earlier in the session may have translated the section already.
    if index.get_translation_or_none(en) is None:
        index.copy_for_translation(en).save_revision().publish()
    en_page = page.copy_for_translation(en)
    en_page.title = "Community work"
    en_page.save_revision().publish()
    assert Share.objects.filter(page=en_page).count() == 0
    assert Share.objects.count() == 1


def test_alias_and_copy_publishes_do_not_share(kreo, queued):
    account(kreo, Network.TELEGRAM, None)
    page = publish_news(kreo)
    alias = page.create_alias(update_slug="berita-alias")
    copy = page.copy(update_attrs={"slug": "berita-salinan", "title": "Salinan"}, keep_live=True)
    assert copy.live
    page.title = "Judul baru"
    page.save_revision().publish()  # updates the alias: page_published with alias=True
    assert Share.objects.filter(page=alias).count() == 0
    assert Share.objects.filter(page=copy).count() == 0
    assert Share.objects.count() == 1


def test_scheduled_publish_shares_when_it_goes_live(kreo, queued):
    account(kreo, Network.TELEGRAM, None)
    index = news_index(kreo)
    page = NewsPage(title="Jadwal posyandu", slug="jadwal-posyandu")
    index.add_child(instance=page)
    page.go_live_at = timezone.now() + dt.timedelta(hours=1)
    revision = page.save_revision()
    revision.publish()
    assert not Share.objects.filter(page=page).exists()  # scheduled, not live yet
    # an hour later (the revision and page say so), the scheduler publishes it
    past = timezone.now() - dt.timedelta(minutes=1)
    NewsPage.objects.filter(pk=page.pk).update(go_live_at=past)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    assert Share.objects.filter(page=page).count() == 1


def test_only_opted_in_page_types(kreo, queued):
    account(kreo, Network.TELEGRAM, None)
    page = StandardPage(title="Sejarah desa", slug="sejarah-desa")
    home_of(kreo).add_child(instance=page)
    page.save_revision().publish()
    assert Share.objects.count() == 0
    assert "website.newspage" in outbox.share_page_types()


def test_plugin_off_creates_nothing_and_cancels_queued(kreo, queued):
    account(kreo, Network.TELEGRAM, None)
    page = publish_news(kreo)
    delivery = Delivery.objects.get(share__page=page)
    switch(kreo, False)
    publish_news(kreo, title="Berita kedua")
    assert Share.objects.count() == 1  # nothing for the second page
    Delivery.objects.filter(pk=delivery.pk).update(enqueued_at=None)
    assert outbox.sweep()["cancelled"] == 1
    assert Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.CANCELLED
    assert Share.objects.filter(pk=delivery.share_id).exists()  # data stays


def test_credentials_are_encrypted_at_rest(kreo):
    acc = account(kreo, Network.TELEGRAM, None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT credential FROM social_socialaccount WHERE id = %s", [acc.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("enc1:") and "AAH-test-bot-token" not in raw
    assert SocialAccount.objects.get(pk=acc.pk).credential.endswith("abcdefghijkl")
    # the same bot token in another village has the same credential identity
    other = account(kreo, Network.TELEGRAM, None, target="@kreo_lain")
    assert other.credential_key == acc.credential_key != ""
