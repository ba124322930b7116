"""Contact form: stored for the village, emailed to it, spam-protected without JavaScript.

The tests post what a browser posts: the page is fetched first (its one-use ``issued`` token
read from the form), then the form is sent after a moment on a clock the test controls.
"""

from __future__ import annotations

import html
import re
import time
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from core.website import forms as contact_forms
from core.website import models as content_models
from core.website.forms import ContactForm
from core.website.models import ContactMessage
from core.website.models.contact import SpamReason
from core.website.ratelimit import client_address
from core.website.tasks import MAX_RETRIES
from core.website.tasks import send_contact_message as task

# Valid (at most 320 characters) but longer than the 254 that ContactMessage.email stores.
LONG_EMAIL = "a" * 120 + "@" + "b" * 60 + "." + "c" * 60 + "." + "d" * 40 + ".example"
MESSAGE = "Lampu jalan di RT 02 mati sejak seminggu."
ALERT = re.compile(r'<div class="errors" role="alert">(.*?)</div>', re.S)


class Clock:
    """Stands in for the ``time`` module of core.website.forms: real time plus an offset."""

    def __init__(self):
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(contact_forms, "time", clock)
    return clock


def _fields(**overrides):
    data = {
        "name": "Sri Wahyuni",
        "email": "sri@example.invalid",
        "phone": "",
        "subject": "Lampu jalan mati",
        "message": MESSAGE,
        "website": "",
    }
    data.update(overrides)
    return data


def _token(client, host, path="/kontak/", **extra) -> str:
    body = client.get(path, HTTP_HOST=host, **extra).content.decode()
    return html.unescape(re.search(r'name="issued" value="([^"]*)"', body).group(1))


def _send(client, clock, host, path="/kontak/", wait=10, token=None, addr="127.0.0.1", **fields):
    """Open the page, wait ``wait`` seconds, send the form (from client address ``addr``)."""
    extra = {"REMOTE_ADDR": addr, **fields.pop("extra", {})}
    if token is None:
        token = _token(client, host, path, **extra)
    clock.advance(wait)
    data = _fields(**fields)
    if token is not False:
        data["issued"] = token
    return client.post(path, data, HTTP_HOST=host, **extra)


def _alert(response) -> str:
    match = ALERT.search(response.content.decode())
    return re.sub(r"<[^>]+>", " ", match.group(1)).strip() if match else ""


def _kept_input(response) -> bool:
    body = html.unescape(response.content.decode())
    return MESSAGE in body and "Lampu jalan mati" in body and "Sri Wahyuni" in body


def test_message_is_stored_and_emailed(demo, client, clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, clock, demo.kreo_host)
    assert response.status_code == 302 and "terkirim=1" in response["Location"]
    message = ContactMessage.objects.get()
    assert message.village == demo.kreo and message.subject == "Lampu jalan mati"
    assert not message.suspected_spam
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [demo.kreo.email]
    message.refresh_from_db()
    assert message.emailed_at is not None
    thanks = client.get(response["Location"], HTTP_HOST=demo.kreo_host).content.decode()
    assert "Terima kasih" in thanks


@pytest.mark.parametrize(
    "wait, overrides",
    [
        pytest.param(10, {"website": "http://spam.example"}, id="honeypot"),
        pytest.param(3 * 24 * 3600, {}, id="stale-token"),
        pytest.param(10, {"issued": "forged"}, id="forged-token"),
        pytest.param(10, {"issued": False}, id="missing-token"),
        pytest.param(10, {"email": "", "phone": ""}, id="no-way-to-answer"),
        pytest.param(10, {"email": LONG_EMAIL}, id="email-longer-than-stored"),
    ],
)
def test_refusals_say_why_and_keep_the_input(demo, client, clock, wait, overrides):
    token = overrides.pop("issued", None)
    response = _send(client, clock, demo.kreo_host, wait=wait, token=token, **overrides)
    assert response.status_code == 200
    assert _alert(response)  # said at the top of the form, in words
    body = response.content.decode()
    for error_id in re.findall(r'<span class="error" id="([^"]+)"', body):
        assert f'aria-describedby="{error_id}"' in body  # and at the field it concerns
    assert _kept_input(response)
    assert not ContactMessage.objects.exists()
    assert not mail.outbox


def test_errors_of_hidden_fields_become_form_errors(demo):
    form = ContactForm(_fields(issued="forged"), request=RequestFactory().post("/kontak/"))
    assert not form.is_valid()
    assert "issued" not in form.errors and form.non_field_errors()


def test_refused_token_is_replaced_and_the_honeypot_emptied(demo, client, clock):
    response = _send(client, clock, demo.kreo_host, token="forged", website="http://x.example")
    body = response.content.decode()
    token = html.unescape(re.search(r'name="issued" value="([^"]*)"', body).group(1))
    assert token != "forged"
    assert 'name="website"' in body and "http://x.example" not in body
    # Pressing "Kirim" again right away sends the message (the person already typed it).
    data = _fields(issued=token)
    response = client.post("/kontak/", data, HTTP_HOST=demo.kreo_host)
    assert response.status_code == 302
    assert not ContactMessage.objects.get().suspected_spam


def test_too_fast_message_is_stored_flagged_and_thanked(demo, client, clock):
    """Autofill and quick typists are people: their message is kept, marked, not mailed."""
    response = _send(client, clock, demo.kreo_host, wait=1)
    assert response.status_code == 302 and "terkirim=1" in response["Location"]
    message = ContactMessage.objects.get()
    assert message.suspected_spam and message.spam_reason == SpamReason.TOO_FAST
    assert message.message == MESSAGE
    assert not mail.outbox and message.emailed_at is None


def test_token_is_accepted_once(demo, client, clock):
    token = _token(client, demo.kreo_host)
    assert _send(client, clock, demo.kreo_host, token=token).status_code == 302
    again = _send(client, clock, demo.kreo_host, token=token)
    assert again.status_code == 200 and _alert(again) and _kept_input(again)
    assert ContactMessage.objects.count() == 1


def test_client_limit_counts_the_village_in_both_languages(demo, client, clock):
    for path in ["/kontak/"] * 3 + ["/en/contact/"] * 2:
        assert _send(client, clock, demo.kreo_host, path=path).status_code == 302
    refused = _send(client, clock, demo.kreo_host, path="/en/contact/")
    assert refused.status_code == 200 and _alert(refused) and _kept_input(refused)
    assert ContactMessage.objects.count() == 5
    # Another village is not affected by this client's messages to Kreo.
    assert _send(client, clock, demo.kandang_host).status_code == 302


@override_settings(SIDEKEM_CONTACT_LIMIT_PER_VILLAGE=3)
def test_village_limit_holds_across_clients(demo, client, clock):
    for n in range(3):
        assert _send(client, clock, demo.kreo_host, addr=f"192.0.2.{n + 1}").status_code == 302
    refused = _send(client, clock, demo.kreo_host, addr="192.0.2.99")
    assert refused.status_code == 200 and _kept_input(refused)
    assert "desa" in _alert(refused).lower()
    assert ContactMessage.objects.count() == 3
    assert _send(client, clock, demo.kandang_host, addr="192.0.2.99").status_code == 302


@override_settings(SIDEKEM_TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_one_sender_does_not_block_the_village(demo, client, clock):
    def via_proxy(resident, forged=""):
        xff = f"{forged}, {resident}" if forged else resident
        return {"HTTP_X_FORWARDED_FOR": xff}

    for n in range(5):  # the sender rotates the part of the header it writes itself
        extra = via_proxy("198.51.100.7", forged=f"203.0.113.{n}")
        assert _send(client, clock, demo.kreo_host, addr="10.0.0.1", extra=extra).status_code == 302
    extra = via_proxy("198.51.100.7", forged="203.0.113.200")
    assert _send(client, clock, demo.kreo_host, addr="10.0.0.1", extra=extra).status_code == 200
    extra = via_proxy("198.51.100.8")
    assert _send(client, clock, demo.kreo_host, addr="10.0.0.1", extra=extra).status_code == 302


@pytest.mark.parametrize(
    "proxies, remote, header, expected",
    [
        (0, "198.51.100.7", "203.0.113.1", "198.51.100.7"),  # no proxy: header ignored
        (1, "10.0.0.1", "203.0.113.1, 198.51.100.7", "198.51.100.7"),
        (2, "10.0.0.1", "203.0.113.1, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (1, "10.0.0.1", "198.51.100.7:51234", "198.51.100.7"),
        (1, "10.0.0.1", "[2001:db8:1:2::7]:443", "2001:db8:1:2::/64"),
        (1, "10.0.0.1", "2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        (1, "10.0.0.1", "::ffff:198.51.100.7", "198.51.100.7"),
        (1, "10.0.0.1", "", "10.0.0.1"),  # missing
        (1, "10.0.0.1", "unknown", "10.0.0.1"),  # malformed
        (1, "10.0.0.1", "198.51.100.7, ", "10.0.0.1"),  # empty last hop
        (2, "10.0.0.1", "198.51.100.7", "10.0.0.1"),  # fewer hops than proxies
        (1, "10.0.0.1", "\x00, , ,", "10.0.0.1"),
    ],
)
def test_client_address_from_trusted_proxies(proxies, remote, header, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=header)
    with override_settings(SIDEKEM_TRUSTED_PROXY_COUNT=proxies):
        assert client_address(request) == expected


def test_messages_are_scoped_in_the_admin(demo, client, django_user_model):
    other = ContactMessage.objects.create(
        village=demo.kandang, name="X", subject="Rahasia", message="Hanya untuk Kandang"
    )
    own = ContactMessage.objects.create(
        village=demo.kreo, name="Y", subject="Milik Kreo", message="Untuk Kreo"
    )
    editor = django_user_model.objects.create_user("ed", password="x")
    editor.groups.add(demo.kreo.editors_group)
    client.force_login(editor)
    index = client.get("/admin/contact_messages/").content.decode()
    assert "Milik Kreo" in index and "Rahasia" not in index
    assert client.get(f"/admin/contact_messages/edit/{other.pk}/").status_code == 404
    assert client.get(f"/admin/contact_messages/inspect/{other.pk}/").status_code == 404
    assert client.get(f"/admin/contact_messages/edit/{own.pk}/").status_code == 200


def test_suspected_spam_is_shown_and_filterable_in_the_admin(demo, client, django_user_model):
    ContactMessage.objects.create(
        village=demo.kreo, name="Y", subject="Pesan biasa", message="Untuk Kreo"
    )
    flagged = ContactMessage.objects.create(
        village=demo.kreo,
        name="Z",
        subject="Pesan kilat",
        message="Terlalu cepat",
        suspected_spam=True,
        spam_reason=SpamReason.TOO_FAST,
    )
    editor = django_user_model.objects.create_user("ed", password="x")
    editor.groups.add(demo.kreo.editors_group)
    client.force_login(editor)
    filtered = client.get("/admin/contact_messages/?suspected_spam=true").content.decode()
    assert "Pesan kilat" in filtered and "Pesan biasa" not in filtered
    inspect = client.get(f"/admin/contact_messages/inspect/{flagged.pk}/").content.decode()
    assert str(SpamReason.TOO_FAST.label) in inspect


def test_failed_mail_is_retried_until_sent(demo):
    """Each failure schedules a retry with capped backoff; the last try gives up, message kept."""
    message = ContactMessage.objects.create(
        village=demo.kreo, name="Warga", subject="Jalan rusak", message="Mohon diperbaiki."
    )
    args = (message.pk, "desa@example.invalid")
    failing = mock.Mock(side_effect=OSError("SMTP server unreachable"))
    with mock.patch.object(content_models.contact, "send_mail", failing):
        for retries, countdown in ((0, 60), (3, 480), (4, 900)):
            task.push_request(retries=retries)
            try:
                with mock.patch.object(task, "retry", side_effect=Retry()) as retry:
                    with pytest.raises(Retry):
                        task.run(*args)
                retry.assert_called_once_with(countdown=countdown)
            finally:
                task.pop_request()
        task.push_request(retries=MAX_RETRIES)
        try:
            assert task.run(*args) is False
        finally:
            task.pop_request()
    message.refresh_from_db()
    assert message.emailed_at is None
    assert task.run(*args) is True
    message.refresh_from_db()
    assert message.emailed_at is not None and len(mail.outbox) == 1


def test_token_with_a_nul_byte_is_replaced(demo, client, clock):
    response = _send(client, clock, demo.kreo_host, token="abc\x00def")
    body = response.content.decode()
    assert response.status_code == 200 and _alert(response) and _kept_input(response)
    assert "\x00" not in re.search(r'name="issued" value="([^"]*)"', body).group(1)
