"""NIK and KK never in plain text: not in any column of any table, not in a log line, not in an
e-mail, after a whole request's life (public form with uploads, workflow, letter, notices)."""

import logging

import pytest
from django.core import mail

from core.provisioning.testing import plain_text_columns
from plugins.admin_services.letters import issue_letter
from plugins.admin_services.models import RequestState, ServiceRequest
from plugins.admin_services.workflow import transition

from .conftest import VALID_KK, VALID_NIK
from .helpers import PDF_BYTES, png_bytes, upload
from .test_public import post_form

pytestmark = pytest.mark.django_db


def test_nik_and_kk_in_no_table_log_or_mail(
    client, caplog, kreo_page, sktm, officer, sekdes, kades, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)  # every logger, every level
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(
            client,
            kreo_page,
            sktm,
            files=[upload("ktp.pdf", PDF_BYTES), upload("kk.png", png_bytes())],
            email="siti@example.org",
        )
    assert response.status_code == 302
    # a rejected form (bad PIN) with the same NIK logs nothing of it either
    post_form(client, kreo_page, sktm, pin="12", email="siti@example.org")
    obj = ServiceRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        transition(obj, RequestState.CHECKING, user=officer)
        transition(obj, RequestState.AWAITING_SIGNATURE, user=sekdes)
        letter = issue_letter(obj)
        transition(obj, RequestState.ISSUED, user=kades)
    assert letter.number and len(mail.outbox) >= 3
    assert plain_text_columns(letter.number), "the scan finds what is stored in plain text"
    for secret in (VALID_NIK, VALID_KK):
        assert plain_text_columns(secret) == []
        assert secret not in caplog.text
        for message in mail.outbox:
            assert secret not in message.subject + message.body
            for _name, content, _type in message.attachments:
                raw = content if isinstance(content, bytes) else content.encode()
                assert secret.encode() not in raw
    # the record is still whole for the officers
    assert ServiceRequest.objects.get(pk=obj.pk).nik == VALID_NIK
