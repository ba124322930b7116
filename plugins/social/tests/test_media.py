"""The feed image uploaded with its alt text: Mastodon media (``/api/v2/media``, processed
asynchronously or not) and Bluesky blobs (``uploadBlob`` + ``app.bsky.embed.images``)."""

import pytest

from plugins.social import clients, outbox
from plugins.social.models import Delivery, Network, Share

from .helpers import account, make_due, publish_news, reload

pytestmark = pytest.mark.django_db
S = Delivery.Status
ALT = "Warga membersihkan saluran irigasi di Dusun Krajan"


@pytest.fixture(autouse=True)
def queued(monkeypatch):
    monkeypatch.setattr(outbox, "enqueue", lambda d, delay=0.0: None)
    monkeypatch.setattr(clients, "MEDIA_POLL_DELAY", 0.01)


def with_image(village, network, fake, image="foto.jpg"):
    acc = account(village, network, fake)
    delivery = Delivery.objects.get(share__page=publish_news(village), account=acc)
    Share.objects.filter(pk=delivery.share_id).update(
        image_url=f"{fake.url}/media/{image}", image_alt=ALT
    )
    return delivery


def test_mastodon_status_carries_the_image_and_its_description(kreo, fake):
    delivery = with_image(kreo, Network.MASTODON, fake)
    assert outbox.deliver(delivery.pk) == S.SENT
    [post] = fake.posts_of("mastodon")
    [media_id] = post["media_ids"]
    assert fake.media[media_id]["description"] == ALT
    assert fake.media[media_id]["size"] > 0


def test_mastodon_waits_for_processing_before_posting(kreo, fake):
    fake.media_processing = 2  # 202, then two polls answer 206
    delivery = with_image(kreo, Network.MASTODON, fake)
    assert outbox.deliver(delivery.pk) == S.SENT
    [post] = fake.posts_of("mastodon")
    assert fake.media[post["media_ids"][0]]["url"]
    polls = [r for r in fake.requests if r[1].startswith("/api/v1/media/")]
    assert len(polls) == 3


def test_mastodon_still_processing_retries_and_posts_nothing(kreo, fake, monkeypatch):
    monkeypatch.setattr(clients, "MEDIA_POLLS", 1)
    fake.media_processing = 5
    delivery = with_image(kreo, Network.MASTODON, fake)
    assert outbox.deliver(delivery.pk) == S.RETRY_WAIT
    assert "masih diproses" in reload(delivery).last_error
    assert fake.posts_of("mastodon") == []


def test_mastodon_media_upload_rate_limited_posts_nothing(kreo, fake):
    fake.inject("/api/v2/media", "429:30")
    delivery = with_image(kreo, Network.MASTODON, fake)
    assert outbox.deliver(delivery.pk) == S.RETRY_WAIT
    assert fake.posts_of("mastodon") == []
    make_due(delivery)
    assert outbox.deliver(delivery.pk) == S.SENT
    assert len(fake.posts_of("mastodon")) == 1


def test_an_image_that_cannot_be_fetched_is_left_out(kreo, fake):
    delivery = with_image(kreo, Network.MASTODON, fake, image="hilang.png")  # 404
    assert outbox.deliver(delivery.pk) == S.SENT
    [post] = fake.posts_of("mastodon")
    assert post["media_ids"] == [] and fake.media == {}


def test_bluesky_post_embeds_the_uploaded_image_with_alt_text(kreo, fake):
    delivery = with_image(kreo, Network.BLUESKY, fake)
    assert outbox.deliver(delivery.pk) == S.SENT
    [post] = fake.posts_of("bluesky")
    embed = post["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    [image] = embed["images"]
    assert image["alt"] == ALT
    assert image["image"]["ref"]["$link"] in fake.blobs
    assert image["image"]["mimeType"] == "image/jpeg"
    assert post["facets"]  # the page's link stays in the text


def test_bluesky_without_an_image_keeps_the_link_card(kreo, fake):
    acc = account(kreo, Network.BLUESKY, fake)
    delivery = Delivery.objects.get(share__page=publish_news(kreo), account=acc)
    assert outbox.deliver(delivery.pk) == S.SENT
    [post] = fake.posts_of("bluesky")
    assert post["embed"]["$type"] == "app.bsky.embed.external"
    assert fake.blobs == {}


def test_bluesky_blob_upload_server_error_retries_before_any_record(kreo, fake):
    fake.inject("/xrpc/com.atproto.repo.uploadBlob", "500")
    delivery = with_image(kreo, Network.BLUESKY, fake)
    assert outbox.deliver(delivery.pk) == S.RETRY_WAIT
    assert fake.posts_of("bluesky") == [] and fake.records == {}
    make_due(delivery)
    assert outbox.deliver(delivery.pk) == S.SENT
    assert len(fake.posts_of("bluesky")) == 1
