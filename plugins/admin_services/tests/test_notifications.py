"""Every state change is told to the resident after the commit, once, without the NIK."""

import pytest
from django.core import mail

from plugins.admin_services.models import RequestState, RequestTransition
from plugins.admin_services.notifications import Channel
from plugins.admin_services.tasks import CHANNELS, notify_transition
from plugins.admin_services.workflow import transition

from .conftest import VALID_KK, VALID_NIK, switch
from .helpers import make_request

pytestmark = pytest.mark.django_db


def test_email_on_each_change_without_personal_numbers(
    kreo, kreo_page, sktm, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        obj = make_request(sktm, email="siti@example.org", kk=VALID_KK)
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        transition(obj, RequestState.CHECKING, user=officer)
        transition(obj, RequestState.NEEDS_REVISION, user=officer, note="Foto KTP buram")
    assert len(mail.outbox) == 3
    last = mail.outbox[-1]
    assert last.to == ["siti@example.org"] and obj.number in last.subject
    assert "Foto KTP buram" in last.body and obj.tracking_token in last.body
    for message in mail.outbox:
        assert VALID_NIK not in message.body + message.subject
        assert VALID_KK not in message.body
    assert not RequestTransition.objects.filter(request=obj, notified_at=None).exists()


def test_nothing_sent_before_commit_or_twice(
    kreo, sktm, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        obj = make_request(sktm, email="siti@example.org")
    assert mail.outbox == [] and len(callbacks) == 1
    row = obj.transitions.get()
    assert notify_transition(kreo.pk, row.pk) == "email"
    assert notify_transition(kreo.pk, row.pk) == "already-sent"  # redelivered: no second mail
    assert len(mail.outbox) == 1


def test_no_email_address_no_mail_and_plugin_off_skips(
    kreo, sktm, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_request(sktm)
    assert mail.outbox == []
    switch(kreo, False)
    with django_capture_on_commit_callbacks(execute=True):
        make_request(sktm, email="a@example.org")
    assert mail.outbox == []


def test_channel_interface(kreo, sktm, monkeypatch, django_capture_on_commit_callbacks):
    sent = []

    class FakeBot(Channel):
        name = "fake"

        def can_reach(self, service_request):
            return True

        def send(self, service_request, text, subject):
            sent.append(text)

    monkeypatch.setattr("plugins.admin_services.tasks.CHANNELS", [*CHANNELS, FakeBot()])
    with django_capture_on_commit_callbacks(execute=True):
        obj = make_request(sktm)
    assert len(sent) == 1 and obj.number in sent[0]
