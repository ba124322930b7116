"""Admin of accounts and deliveries: scoped to the editor's villages, switched with the plugin,
credentials never shown, editor decisions on unknown deliveries."""

import pytest
from django.urls import reverse

from plugins.social import outbox
from plugins.social.models import Delivery, Network, SocialAccount

from . import fakenet
from .conftest import switch
from .helpers import account, publish_news, reload

pytestmark = pytest.mark.django_db
S = Delivery.Status


@pytest.fixture(autouse=True)
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(outbox, "enqueue", lambda d, delay=0.0: calls.append((d.pk, delay)))
    return calls


def host(village):
    return {"HTTP_HOST": village.site.hostname}


def test_accounts_are_scoped_and_credentials_never_shown(client, kreo, kandang, kreo_editor):
    mine = account(kreo, Network.TELEGRAM, None, name="Kanal Kreo")
    theirs = account(kandang, Network.TELEGRAM, None, name="Kanal Kandang")
    client.force_login(kreo_editor)
    index = client.get(reverse("social_accounts:index"), **host(kreo))
    assert index.status_code == 200
    body = index.content.decode()
    assert "Kanal Kreo" in body and "Kanal Kandang" not in body
    edit = client.get(reverse("social_accounts:edit", args=[mine.pk]), **host(kreo))
    assert edit.status_code == 200
    assert fakenet.TELEGRAM_TOKEN not in edit.content.decode()
    inspect = client.get(reverse("social_accounts:inspect", args=[mine.pk]), **host(kreo))
    assert fakenet.TELEGRAM_TOKEN not in inspect.content.decode()
    for name in ("edit", "inspect", "delete"):
        url = reverse(f"social_accounts:{name}", args=[theirs.pk])
        assert client.get(url, **host(kreo)).status_code == 404


def test_account_form_keeps_the_stored_credential_and_reconnects(client, kreo, kreo_editor):
    acc = account(kreo, Network.TELEGRAM, None)
    SocialAccount.objects.filter(pk=acc.pk).update(
        status=SocialAccount.Status.NEEDS_REAUTH, last_error="Telegram 401"
    )
    client.force_login(kreo_editor)
    url = reverse("social_accounts:edit", args=[acc.pk])
    data = {
        "village": kreo.pk,
        "network": Network.TELEGRAM,
        "name": "Kanal baru",
        "target": "@kreo_desa",
        "api_base_url": "",
        "credential": "",
        "status": SocialAccount.Status.NEEDS_REAUTH,
    }
    assert client.post(url, data, **host(kreo)).status_code == 302
    acc.refresh_from_db()
    assert acc.name == "Kanal baru" and acc.credential == fakenet.TELEGRAM_TOKEN
    assert acc.status == SocialAccount.Status.NEEDS_REAUTH
    data["credential"] = "777:new-token-abcdefghijklmnop"
    assert client.post(url, data, **host(kreo)).status_code == 302
    acc.refresh_from_db()
    assert acc.credential == "777:new-token-abcdefghijklmnop"
    assert acc.status == SocialAccount.Status.CONNECTED and acc.last_error == ""
    # a new account needs a credential and a target: the form says so and saves nothing
    data.update(credential="", target="", name="Tanpa token")
    response = client.post(reverse("social_accounts:add"), data, **host(kreo))
    assert response.status_code == 200
    assert "Isi kredensial akun ini." in response.content.decode()
    assert not SocialAccount.objects.filter(name="Tanpa token").exists()


def test_unknown_delivery_decisions_through_the_admin(
    client, kreo, kandang, kreo_editor, fake, fast_timeouts
):
    acc = account(kreo, Network.TELEGRAM, fake)
    delivery = Delivery.objects.get(share__page=publish_news(kreo), account=acc)
    fake.inject("/bot", "timeout-after")
    assert outbox.deliver(delivery.pk) == S.UNKNOWN
    other = account(kandang, Network.TELEGRAM, fake, target="@kandang")
    foreign = Delivery.objects.get(share__page=publish_news(kandang), account=other)
    Delivery.objects.filter(pk=foreign.pk).update(status=S.UNKNOWN)

    client.force_login(kreo_editor)
    inspect = client.get(reverse("social_deliveries:inspect", args=[delivery.pk]), **host(kreo))
    body = inspect.content.decode()
    assert inspect.status_code == 200
    assert reverse("social_deliveries:mark_posted", args=[delivery.pk]) in body
    assert "https://wa.me/?text=" in body
    index = client.get(reverse("social_deliveries:index"), **host(kreo)).content.decode()
    assert "Kandang" not in index or str(foreign.share) not in index

    # another village's delivery: 404, unchanged
    url = reverse("social_deliveries:mark_posted", args=[foreign.pk])
    assert client.post(url, **host(kreo)).status_code == 404
    assert reload(foreign).status == S.UNKNOWN
    # GET does nothing
    mine = reverse("social_deliveries:mark_posted", args=[delivery.pk])
    assert client.get(mine, **host(kreo)).status_code == 405
    assert reload(delivery).status == S.UNKNOWN
    response = client.post(mine, {"remote_url": "https://t.me/kreo_desa/5"}, **host(kreo))
    assert response.status_code == 302
    done = reload(delivery)
    assert done.status == S.SENT and done.resolved_by == "social.editor.kreo"
    assert done.remote_url == "https://t.me/kreo_desa/5"
    # share again makes a new share of the same page
    share_again = reverse("social_deliveries:share_again", args=[delivery.pk])
    assert client.post(share_again, **host(kreo)).status_code == 302
    assert Delivery.objects.filter(share__page=delivery.share.page).count() == 2
    # add and edit only lead to the inspect page
    edit = client.post(reverse("social_deliveries:edit", args=[delivery.pk]), {"status": "sent"})
    assert edit.status_code == 302 and reload(delivery).status == S.SENT


def test_admin_switched_off_with_the_plugin(client, kreo, kreo_editor):
    client.force_login(kreo_editor)
    assert client.get(reverse("social_deliveries:index"), **host(kreo)).status_code == 200
    switch(kreo, False)
    assert client.get(reverse("social_deliveries:index"), **host(kreo)).status_code == 403
    assert client.get(reverse("social_accounts:index"), **host(kreo)).status_code == 403


def test_dashboard_panel_counts_deliveries_needing_attention(client, kreo, kandang, kreo_editor):
    acc = account(kreo, Network.TELEGRAM, None)
    delivery = Delivery.objects.get(share__page=publish_news(kreo), account=acc)
    Delivery.objects.filter(pk=delivery.pk).update(status=S.FAILED)
    theirs = account(kandang, Network.TELEGRAM, None)
    foreign = Delivery.objects.get(share__page=publish_news(kandang), account=theirs)
    Delivery.objects.filter(pk=foreign.pk).update(status=S.UNKNOWN)
    client.force_login(kreo_editor)
    body = client.get(reverse("wagtailadmin_home"), **host(kreo)).content.decode()
    assert "Pengiriman media sosial yang perlu ditangani" in body
    assert "Gagal: 1" in body and "Tidak pasti" not in body
    switch(kreo, False)
    body = client.get(reverse("wagtailadmin_home"), **host(kreo)).content.decode()
    assert "Pengiriman media sosial yang perlu ditangani" not in body


def test_page_social_panel_previews_and_shares_to_chosen_accounts(
    client, kreo, kandang, kreo_editor
):
    tg = account(kreo, Network.TELEGRAM, None, name="Kanal Kreo")
    md = account(kreo, Network.MASTODON, None, name="Mastodon Kreo")
    theirs = account(kandang, Network.TELEGRAM, None, name="Kanal Kandang")
    page = publish_news(kreo, title="Panen raya 🌾 di Kreo")
    foreign_page = publish_news(kandang, title="Berita Kandang")
    client.force_login(kreo_editor)
    url = reverse("social_page", args=[page.pk])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]), **host(kreo))
    assert url in edit.content.decode()  # the page header's button
    body = client.get(url, **host(kreo)).content.decode()
    assert "Pratinjau per jaringan" in body and "dari 300" in body and "dari 500" in body
    assert "Kanal Kreo" in body and "Kanal Kandang" not in body
    assert (
        client.get(reverse("social_page", args=[foreign_page.pk]), **host(kreo)).status_code == 404
    )
    # share again to one chosen account; another village's account is ignored
    before = Delivery.objects.filter(share__page=page).count()
    response = client.post(url, {"accounts": [md.pk, theirs.pk]}, **host(kreo))
    assert response.status_code == 302
    new = Delivery.objects.filter(share__page=page, share__reason="manual")
    assert [d.account_id for d in new] == [md.pk]
    assert Delivery.objects.filter(share__page=page).count() == before + 1
    assert not Delivery.objects.filter(account=theirs, share__page=page).exists()
    # nothing chosen: a clear message, nothing created
    response = client.post(url, {}, follow=True, **host(kreo))
    assert "Pilih sedikitnya satu akun." in response.content.decode()
    assert Delivery.objects.filter(share__page=page).count() == before + 1
    assert tg.pk  # the first publish went to both accounts
    switch(kreo, False)
    assert client.get(url, **host(kreo)).status_code in (403, 404)


def test_a_row_mixing_villages_shows_and_sends_nothing_of_the_other(
    client, kreo, kandang, kreo_editor, fake
):
    """The outbox never mixes villages; a hand-made row pointing at Kandang's share and
    account from Kreo is neither shown nor acted on nor delivered."""
    theirs = account(kandang, Network.TELEGRAM, fake, name="Kanal RAHASIA")
    foreign = Delivery.objects.get(share__page=publish_news(kandang, title="Berita RAHASIA"))
    assert foreign.account_id == theirs.pk
    other = account(kandang, Network.TELEGRAM, fake, name="Kanal RAHASIA dua", target="@dua")
    mixed = Delivery.objects.create(
        village=kreo, share=foreign.share, account=other, idempotency_key="x"
    )
    client.force_login(kreo_editor)
    for name in ("inspect", "delete", "history", "usage"):
        body = client.get(reverse(f"social_deliveries:{name}", args=[mixed.pk]), **host(kreo))
        assert body.status_code == 200 and "RAHASIA" not in body.content.decode(), name
    assert (
        "RAHASIA"
        not in client.get(reverse("social_deliveries:index"), **host(kreo)).content.decode()
    )
    url = reverse("social_deliveries:share_again", args=[mixed.pk])
    client.post(url, **host(kreo))
    assert Delivery.objects.count() == 2
    assert outbox.deliver(mixed.pk) == S.CANCELLED
    assert fake.posts_of("telegram") == []
