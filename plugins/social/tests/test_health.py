"""The daily credential check: each connected account's "who am I" call against the fake
networks; a dead credential marks the account and e-mails the village's moderators once, in
Indonesian."""

import pytest
from celery import current_app
from django.contrib.auth import get_user_model
from django.urls import reverse

from plugins.social import health, outbox, tasks
from plugins.social.forms import SocialAccountForm
from plugins.social.models import Delivery, Network, SocialAccount

from . import fakenet
from .conftest import switch
from .helpers import account, publish_news

pytestmark = pytest.mark.django_db
A = SocialAccount.Status


@pytest.fixture(autouse=True)
def queued(monkeypatch):
    monkeypatch.setattr(outbox, "enqueue", lambda d, delay=0.0: None)


@pytest.fixture
def moderators(kreo, kandang):
    User = get_user_model()
    people = {
        "kreo.mod": (kreo.moderators_group, "moderator@kreo.desa.id"),
        "kreo.mod.noemail": (kreo.moderators_group, ""),
        "kreo.editor.mail": (kreo.editors_group, "editor@kreo.desa.id"),
        "kandang.mod": (kandang.moderators_group, "moderator@kandang.desa.id"),
    }
    for username, (group, email) in people.items():
        user, _created = User.objects.get_or_create(username=username)
        user.email = email
        user.save()
        user.groups.add(group)
    return people


def status(acc):
    return SocialAccount.objects.get(pk=acc.pk)


def test_dead_credentials_are_marked_and_moderators_emailed_once(
    kreo, kandang, fake, moderators, mailoutbox
):
    alive = {
        network: account(kreo, network, fake)
        for network in (Network.TELEGRAM, Network.MASTODON, Network.FACEBOOK, Network.INSTAGRAM)
    }
    revoked_bot = account(
        kreo, Network.TELEGRAM, fake, target="@lama", credential="99:revoked-bot-token-xyz"
    )
    bad_mastodon = account(kreo, Network.MASTODON, fake, credential="expired-mastodon-token")
    bad_facebook = account(kreo, Network.FACEBOOK, fake, credential="EAAB-expired-token-0000")
    theirs_alive = account(kandang, Network.TELEGRAM, fake, target="@kandang_desa")

    counts = health.check_credentials()
    assert counts["checked"] == 8 and counts["needs_reauth"] == 3 and counts["emails"] == 1
    for acc in (*alive.values(), theirs_alive):
        assert status(acc).status == A.CONNECTED and status(acc).checked_at is not None
    for acc in (revoked_bot, bad_mastodon, bad_facebook):
        assert status(acc).status == A.NEEDS_REAUTH, acc
        assert status(acc).reauth_notified_at is not None
    assert "401" in status(revoked_bot).last_error
    assert "190" in status(bad_facebook).last_error

    [mail] = mailoutbox
    assert mail.to == ["moderator@kreo.desa.id"]  # Kreo's moderators with an address only
    assert "Akun media sosial perlu otorisasi ulang" in mail.subject and "Kreo" in mail.subject
    assert "Pemeriksaan harian" in mail.body
    for acc in (revoked_bot, bad_mastodon, bad_facebook):
        assert acc.name in mail.body
    assert "99:revoked-bot-token-xyz" not in mail.body and "expired" not in mail.body.lower()
    assert reverse("social_accounts:edit", args=[revoked_bot.pk]) in mail.body

    # the next day: nothing new to say, no second e-mail
    counts = health.check_credentials()
    assert counts["checked"] == 5 and counts["emails"] == 0
    assert len(mailoutbox) == 1

    # a new credential saved through the form reconnects; if it dies again, a new e-mail
    form = SocialAccountForm(
        instance=status(bad_mastodon),
        data={
            "village": kreo.pk,
            "network": Network.MASTODON,
            "name": bad_mastodon.name,
            "target": "",
            "api_base_url": fake.url,
            "credential": "another-expired-token",
            "status": A.NEEDS_REAUTH,
        },
    )
    assert form.is_valid(), form.errors
    form.save()
    assert status(bad_mastodon).status == A.CONNECTED
    assert status(bad_mastodon).reauth_notified_at is None
    assert health.check_credentials()["emails"] == 1
    assert len(mailoutbox) == 2 and bad_mastodon.name in mailoutbox[1].body


def test_bluesky_revoked_app_password_shows_when_the_session_is_renewed(
    kreo, fake, moderators, mailoutbox
):
    bluesky = account(kreo, Network.BLUESKY, fake)
    assert health.check_credentials()["needs_reauth"] == 0
    assert status(bluesky).session  # a session was made and kept
    fake.session_valid = False  # the app password was revoked: the session expires too
    assert health.check_credentials()["needs_reauth"] == 1
    assert status(bluesky).status == A.NEEDS_REAUTH
    assert len(mailoutbox) == 1


def test_a_network_that_cannot_answer_changes_nothing(kreo, fake, moderators, mailoutbox):
    telegram = account(kreo, Network.TELEGRAM, fake)
    mastodon = account(kreo, Network.MASTODON, fake)
    fake.inject("/bot", "500")
    fake.inject("/api/v1/accounts", "429:60")
    counts = health.check_credentials()
    assert counts["unreachable"] == 2 and counts["needs_reauth"] == 0
    assert status(telegram).status == status(mastodon).status == A.CONNECTED
    assert mailoutbox == []


def test_accounts_marked_while_posting_are_reported_too(kreo, fake, moderators, mailoutbox):
    revoked = account(kreo, Network.TELEGRAM, fake, credential="5:revoked-while-posting-xx")
    delivery = Delivery.objects.get(share__page=publish_news(kreo), account=revoked)
    assert outbox.deliver(delivery.pk) == Delivery.Status.NEEDS_REAUTH
    counts = health.check_credentials()
    assert counts["checked"] == 0 and counts["emails"] == 1
    assert revoked.name in mailoutbox[0].body


def test_villages_with_the_plugin_off_are_not_checked(kreo, fake, moderators, mailoutbox):
    account(kreo, Network.TELEGRAM, fake, credential="7:revoked-bot-token-abc")
    switch(kreo, False)
    assert health.check_credentials() == {
        "checked": 0,
        "needs_reauth": 0,
        "unreachable": 0,
        "emails": 0,
    }
    assert mailoutbox == []


def test_the_check_runs_daily_from_beat():
    entry = current_app.conf.beat_schedule["social-check-credentials"]
    assert entry["task"] == tasks.check_social_credentials.name
    assert entry["schedule"] == 24 * 3600
    assert fakenet.TELEGRAM_TOKEN  # the fake's tokens are the valid ones
