"""Retraction: editing and deleting sent posts against the fake networks (Telegram, Mastodon,
Bluesky, Facebook; Instagram cannot), failures (401, 429, 500), the page panel's confirmation
step and the notice after unpublishing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from plugins.social import outbox, retraction
from plugins.social.models import Delivery, Network, PostChange, Share, SocialAccount

from .conftest import switch
from .helpers import account, publish_news, reload

pytestmark = pytest.mark.django_db
S = Delivery.Status
C = PostChange.Status


@pytest.fixture(autouse=True)
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(outbox, "enqueue", lambda d, delay=0.0: calls.append(("d", d.pk)))
    monkeypatch.setattr(
        retraction, "enqueue", lambda c, delay=0.0: calls.append(("c", c.pk, delay))
    )
    return calls


def host(village):
    return {"HTTP_HOST": village.site.hostname}


def sent(village, network, fake, title="Kerja bakti saluran irigasi", image=False, **kw):
    acc = account(village, network, fake, **kw)
    page = publish_news(village, title=title)
    delivery = Delivery.objects.get(share__page=page, account=acc)
    if image:
        Share.objects.filter(pk=delivery.share_id).update(
            image_url="https://kreo.localhost/media/foto.jpg", image_alt="Warga membersihkan"
        )
    assert outbox.deliver(delivery.pk) == S.SENT
    return reload(delivery)


def correct(page, title):
    """The editor corrects the page and publishes again (which shares nothing)."""
    page = page.specific
    page.title = title
    page.save_revision().publish()


def run(change):
    return retraction.apply_change(change.pk)


def due(change):
    PostChange.objects.filter(pk=change.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    acc = change.delivery.account
    SocialAccount.objects.filter(pk=acc.pk).update(blocked_until=None)
    outbox.CredentialThrottle.objects.all().delete()


# -- per network -----------------------------------------------------------------------------


def test_telegram_message_is_edited_then_deleted(kreo, fake, kreo_editor):
    delivery = sent(kreo, Network.TELEGRAM, fake)
    page = delivery.share.page
    correct(page, "Kerja bakti saluran irigasi diundur ke Minggu")
    assert Share.objects.filter(page=page).count() == 1  # the correction shares nothing
    change = retraction.request_change(delivery, "edit", kreo_editor)
    assert change.text.startswith("Kerja bakti saluran irigasi diundur ke Minggu")
    assert run(change) == C.DONE
    [(network, message_id, text)] = fake.edits
    assert (network, message_id) == ("telegram", delivery.remote_id)
    assert "diundur ke Minggu" in text
    # the share now carries the new text: the panel no longer calls the post outdated
    assert reload(delivery).share.texts["telegram"] == text
    # the same text again: Telegram answers "message is not modified", which is done
    again = retraction.request_change(reload(delivery), "edit", kreo_editor)
    assert run(again) == C.DONE and len(fake.edits) == 1

    deletion = retraction.request_change(reload(delivery), "delete", kreo_editor)
    assert run(deletion) == C.DONE
    assert fake.deletions == [("telegram", delivery.remote_id)]
    assert not retraction.live_deliveries(page, kreo).exists()
    # deleted: nothing more can be asked; a stray second delete counts as done
    assert retraction.request_change(reload(delivery), "delete", kreo_editor) is None
    stray = PostChange.objects.create(village=kreo, delivery=delivery, action="delete")
    assert run(stray) == C.DONE and len(fake.deletions) == 1


def test_telegram_photo_post_gets_its_caption_edited(kreo, fake, kreo_editor):
    delivery = sent(kreo, Network.TELEGRAM, fake, image=True)
    assert fake.posts_of("telegram")[0]["method"] == "sendPhoto"
    correct(delivery.share.page, "Foto kerja bakti (diperbarui)")
    change = retraction.request_change(delivery, "edit", kreo_editor)
    assert run(change) == C.DONE  # editMessageText would be refused for a photo
    assert "diperbarui" in fake.edits[0][2]


def test_mastodon_status_is_edited_and_deleted(kreo, fake, kreo_editor):
    delivery = sent(kreo, Network.MASTODON, fake)
    correct(delivery.share.page, "Jadwal posyandu berubah")
    assert run(retraction.request_change(delivery, "edit", kreo_editor)) == C.DONE
    assert fake.statuses[delivery.remote_id]["content"].startswith("Jadwal posyandu berubah")
    assert run(retraction.request_change(reload(delivery), "delete", kreo_editor)) == C.DONE
    assert delivery.remote_id not in fake.statuses
    # gone already (deleted by hand on the instance): 404 counts as deleted
    stray = PostChange.objects.create(village=kreo, delivery=delivery, action="delete")
    assert run(stray) == C.DONE


def test_bluesky_cannot_edit_and_deletes_the_record(kreo, fake, kreo_editor):
    delivery = sent(kreo, Network.BLUESKY, fake)
    allowed = retraction.capabilities(delivery)
    assert allowed["edit"] is False and allowed["delete"] is True
    assert "Bluesky tidak bisa menyunting" in allowed["why"]
    assert retraction.request_change(delivery, "edit", kreo_editor) is None
    assert len(fake.records) == 1
    assert run(retraction.request_change(delivery, "delete", kreo_editor)) == C.DONE
    assert fake.records == {}
    assert fake.deletions == [("bluesky", delivery.idempotency_key)]


def test_facebook_post_is_edited_and_deleted(kreo, fake, kreo_editor):
    delivery = sent(kreo, Network.FACEBOOK, fake)
    correct(delivery.share.page, "Pengumuman pasar desa")
    assert run(retraction.request_change(delivery, "edit", kreo_editor)) == C.DONE
    assert fake.facebook_posts[delivery.remote_id].startswith("Pengumuman pasar desa")
    assert run(retraction.request_change(reload(delivery), "delete", kreo_editor)) == C.DONE
    assert delivery.remote_id not in fake.facebook_posts
    stray = PostChange.objects.create(village=kreo, delivery=delivery, action="delete")
    assert run(stray) == C.DONE  # Graph error 100 "does not exist": already gone


def test_instagram_offers_nothing_and_says_why(kreo, fake, kreo_editor):
    delivery = sent(kreo, Network.INSTAGRAM, fake, image=True)
    allowed = retraction.capabilities(delivery)
    assert allowed == {"edit": False, "delete": False, "why": allowed["why"]}
    assert "Instagram tidak menyediakan API" in allowed["why"]
    assert retraction.request_change(delivery, "delete", kreo_editor) is None
    assert not PostChange.objects.exists()


# -- failures --------------------------------------------------------------------------------


def test_unauthorised_marks_the_change_and_the_account(kreo, fake, kreo_editor):
    delivery = sent(kreo, Network.MASTODON, fake)
    fake.inject("/api/v1/statuses/", "401")
    change = retraction.request_change(delivery, "delete", kreo_editor)
    assert run(change) == C.NEEDS_REAUTH
    assert reload(delivery).account.status == SocialAccount.Status.NEEDS_REAUTH
    assert "401" in PostChange.objects.get(pk=change.pk).last_error
    assert delivery.remote_id in fake.statuses  # nothing deleted
    # after re-authorisation the editor asks again (the failed change is closed)
    SocialAccount.objects.filter(pk=delivery.account_id).update(
        status=SocialAccount.Status.CONNECTED
    )
    assert run(retraction.request_change(reload(delivery), "delete", kreo_editor)) == C.DONE


def test_rate_limited_delete_waits_and_holds_the_credential(
    kreo, fake, kreo_editor, queued, django_capture_on_commit_callbacks
):
    delivery = sent(kreo, Network.TELEGRAM, fake)
    fake.inject("/bot", "429:90")
    change = retraction.request_change(delivery, "delete", kreo_editor)
    with django_capture_on_commit_callbacks(execute=True):
        assert run(change) == C.RETRY_WAIT
    change = PostChange.objects.get(pk=change.pk)
    assert change.next_attempt_at >= timezone.now() + dt.timedelta(seconds=85)
    assert reload(delivery).account.blocked_until >= change.next_attempt_at - dt.timedelta(
        seconds=1
    )
    assert run(change) == "held"  # not before the hold ends
    assert fake.deletions == []
    assert ("c", change.pk, pytest.approx(90, abs=5)) in queued
    due(change)
    assert run(change) == C.DONE and len(fake.deletions) == 1


def test_server_errors_are_retried_until_attempts_run_out(kreo, fake, kreo_editor, monkeypatch):
    delivery = sent(kreo, Network.FACEBOOK, fake)
    correct(delivery.share.page, "Perbaikan judul")
    fake.inject(f"/{delivery.remote_id}", "500")
    change = retraction.request_change(delivery, "edit", kreo_editor)
    assert run(change) == C.RETRY_WAIT  # a lost or failed edit is safe to repeat
    assert "Facebook 500" in PostChange.objects.get(pk=change.pk).last_error
    due(change)
    assert run(change) == C.DONE
    assert fake.facebook_posts[delivery.remote_id].startswith("Perbaikan judul")

    monkeypatch.setattr(retraction, "MAX_ATTEMPTS", 2)
    other = sent(kreo, Network.TELEGRAM, fake)
    fake.inject("/bot", "500", "500")
    failing = retraction.request_change(other, "delete", kreo_editor)
    assert run(failing) == C.RETRY_WAIT
    due(failing)
    assert run(failing) == C.FAILED
    assert "Telegram 500" in PostChange.objects.get(pk=failing.pk).last_error
    assert fake.deletions == []
    assert retraction.live_deliveries(other.share.page, kreo).exists()


def test_one_open_change_per_post_and_each_runs_once(kreo, fake, kreo_editor):
    delivery = sent(kreo, Network.MASTODON, fake)
    first = retraction.request_change(delivery, "delete", kreo_editor)
    assert retraction.request_change(delivery, "delete", kreo_editor) is None
    assert retraction.request_change(delivery, "edit", kreo_editor) is None
    assert run(first) == C.DONE
    assert run(first) == "skipped"
    assert fake.deletions == [("mastodon", delivery.remote_id)]


def test_a_change_stuck_in_sending_is_tried_again(
    kreo, fake, kreo_editor, queued, django_capture_on_commit_callbacks
):
    delivery = sent(kreo, Network.TELEGRAM, fake)
    change = retraction.request_change(delivery, "delete", kreo_editor)
    assert retraction.claim(change.pk, timezone.now()) is not None  # a worker died here
    PostChange.objects.filter(pk=change.pk).update(
        claimed_at=timezone.now() - outbox.STUCK_AFTER * 2
    )
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = retraction.sweep()
    assert counts == {"changes_stuck": 1, "changes_queued": 1}
    assert queued == [("c", change.pk, 0.0)]
    assert run(change) == C.DONE and len(fake.deletions) == 1


def test_plugin_switched_off_fails_queued_changes(kreo, fake, kreo_editor):
    delivery = sent(kreo, Network.TELEGRAM, fake)
    change = retraction.request_change(delivery, "delete", kreo_editor)
    switch(kreo, False)
    assert run(change) == C.FAILED
    assert fake.deletions == []


def test_a_row_mixing_villages_is_never_acted_on(kreo, kandang, fake):
    theirs = sent(kandang, Network.TELEGRAM, fake, target="@kandang_desa")
    mixed = PostChange.objects.create(village=kreo, delivery=theirs, action="delete")
    assert run(mixed) == C.FAILED
    assert fake.deletions == []


# -- the page panel ----------------------------------------------------------------------------


def test_panel_confirms_before_deleting_and_ignores_other_villages(
    client, kreo, kandang, kreo_editor, fake, queued, django_capture_on_commit_callbacks
):
    tg = sent(kreo, Network.TELEGRAM, fake)
    page = tg.share.page
    ig = account(kreo, Network.INSTAGRAM, fake)
    ig_delivery = Delivery.objects.create(
        village=kreo, share=tg.share, account=ig, status=S.SENT, remote_id="media1"
    )
    theirs = sent(kandang, Network.TELEGRAM, fake, target="@kandang_desa")
    client.force_login(kreo_editor)
    url = reverse("social_page", args=[page.pk])
    body = client.get(url, **host(kreo)).content.decode()
    assert "Hapus kiriman" in body and "Perbarui kiriman" in body
    assert f'id="social-delivery-{tg.pk}"' in body
    assert f'id="social-delivery-{ig_delivery.pk}"' not in body
    assert "Instagram tidak menyediakan API" in body

    chosen = {"action": "delete", "deliveries": [tg.pk, ig_delivery.pk, theirs.pk]}
    confirm = client.post(url, chosen, **host(kreo))
    assert confirm.status_code == 200  # the confirmation page; nothing queued yet
    text = confirm.content.decode()
    assert "Ya, hapus" in text and "Instagram tidak menyediakan API" in text
    assert "kandang_desa" not in text
    assert not PostChange.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {**chosen, "confirm": "1"}, follow=True, **host(kreo))
    assert "1 perubahan kiriman dijadwalkan." in done.content.decode()
    change = PostChange.objects.get()
    assert change.delivery_id == tg.pk and change.requested_by == "social.editor.kreo"
    assert ("c", change.pk, 0.0) in queued
    assert run(change) == C.DONE
    body = client.get(url, **host(kreo)).content.decode()
    assert "kiriman sudah dihapus" in body
    # nothing chosen: a clear message, nothing queued
    response = client.post(url, {"action": "edit"}, follow=True, **host(kreo))
    assert "Pilih sedikitnya satu kiriman." in response.content.decode()
    assert PostChange.objects.count() == 1


def test_panel_marks_outdated_posts_and_edits_after_confirmation(client, kreo, kreo_editor, fake):
    md = sent(kreo, Network.MASTODON, fake)
    page = md.share.page
    client.force_login(kreo_editor)
    url = reverse("social_page", args=[page.pk])
    assert "teks lama" not in client.get(url, **host(kreo)).content.decode()
    correct(page, "Judul yang sudah dibetulkan")
    body = client.get(url, **host(kreo)).content.decode()
    assert "Halaman berubah sejak dibagikan" in body and "teks lama" in body
    confirm = client.post(url, {"action": "edit", "deliveries": [md.pk]}, **host(kreo))
    assert "Judul yang sudah dibetulkan" in confirm.content.decode()  # the new text shown
    client.post(url, {"action": "edit", "deliveries": [md.pk], "confirm": "1"}, **host(kreo))
    assert run(PostChange.objects.get()) == C.DONE
    assert fake.statuses[md.remote_id]["content"].startswith("Judul yang sudah dibetulkan")
    assert "teks lama" not in client.get(url, **host(kreo)).content.decode()


def test_unpublishing_lists_posts_still_live_and_deletes_nothing(client, kreo, kreo_editor, fake):
    tg = sent(kreo, Network.TELEGRAM, fake)
    page = tg.share.page
    client.force_login(kreo_editor)
    response = client.post(
        reverse("wagtailadmin_pages:unpublish", args=[page.pk]), follow=True, **host(kreo)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "masih tampil di" in body and str(tg.account) in body
    assert reverse("social_page", args=[page.pk]) in body
    assert fake.deletions == [] and not PostChange.objects.exists()
    panel = client.get(reverse("social_page", args=[page.pk]), **host(kreo)).content.decode()
    assert "Halaman ini tidak tayang lagi" in panel
