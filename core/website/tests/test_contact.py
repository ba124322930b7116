"""Contact form: stored for the village, emailed to it, spam-protected without JavaScript."""

from __future__ import annotations

import time

import pytest
from django.core import mail, signing

from core.website.forms import SALT
from core.website.models import ContactMessage


def _issued(seconds_ago: float = 10) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=SALT)


def _post(client, host, **overrides):
    data = {
        "name": "Sri Wahyuni",
        "email": "sri@example.invalid",
        "phone": "",
        "subject": "Lampu jalan mati",
        "message": "Lampu jalan di RT 02 mati sejak seminggu.",
        "website": "",
        "issued": _issued(),
    }
    data.update(overrides)
    return client.post("/kontak/", data, HTTP_HOST=host)


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    from django.core.cache import cache

    cache.clear()


def test_message_is_stored_and_emailed(demo, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, demo.kreo_host)
    assert response.status_code == 302 and "terkirim=1" in response["Location"]
    message = ContactMessage.objects.get()
    assert message.village == demo.kreo and message.subject == "Lampu jalan mati"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [demo.kreo.email]
    message.refresh_from_db()
    assert message.emailed_at is not None
    thanks = client.get(response["Location"], HTTP_HOST=demo.kreo_host).content.decode()
    assert "Terima kasih" in thanks


@pytest.mark.parametrize(
    "overrides",
    [
        lambda: {"website": "http://spam.example"},  # honeypot
        lambda: {"issued": _issued(0)},  # too fast
        lambda: {"issued": _issued(3 * 24 * 3600)},  # stale
        lambda: {"issued": "forged"},
        lambda: {"email": "", "phone": ""},  # no way to answer
    ],
)
def test_spam_and_invalid_posts_store_nothing(demo, client, overrides):
    response = _post(client, demo.kreo_host, **overrides())
    assert response.status_code == 200
    assert not ContactMessage.objects.exists()
    assert not mail.outbox


def test_rate_limit(demo, client):
    for _ in range(5):
        assert _post(client, demo.kreo_host).status_code == 302
    assert _post(client, demo.kreo_host).status_code == 200
    assert ContactMessage.objects.count() == 5


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


def test_failed_mail_is_retried_until_sent(demo):
    """Each failure schedules a retry with capped backoff; the last try gives up, message kept."""
    from unittest import mock

    from celery.exceptions import Retry

    from core.website import models as content_models
    from core.website.tasks import MAX_RETRIES
    from core.website.tasks import send_contact_message as task

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
