import datetime
import io
import os

import pytest
from celery import current_app
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from plugins.admin_services import tasks
from plugins.admin_services.models import Letter, RequestDocument, RequestState, ServiceRequest
from plugins.admin_services.services import attach_documents
from plugins.admin_services.uploads import clean_upload
from plugins.admin_services.workflow import transition

from .conftest import VALID_NIK, switch
from .helpers import PDF_BYTES, make_request, upload

pytestmark = pytest.mark.django_db


def age(obj, days):
    ServiceRequest.objects.filter(pk=obj.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_erasure_keeps_register_drops_personal_data(
    sktm, officer, kades, settings, django_capture_on_commit_callbacks
):
    settings.SIDEKEM_SERVICES_RETENTION_DAYS = 30
    done = make_request(sktm, email="siti@example.org", dusun="Krajan")
    attach_documents(done, [("ktp.pdf", clean_upload(upload("ktp.pdf", PDF_BYTES)))])
    transition(done, RequestState.CHECKING, user=officer)
    transition(done, RequestState.AWAITING_SIGNATURE, user=officer)
    transition(done, RequestState.ISSUED, user=kades)
    transition(done, RequestState.COMPLETED, user=officer, note="Diambil oleh Siti")
    letter = Letter.objects.get(request=done)
    letter_path, doc_path = letter.file.path, RequestDocument.objects.get().file.path
    open_request = make_request(sktm, nik=VALID_NIK)
    recent = make_request(sktm)
    transition(recent, RequestState.CHECKING, user=officer)
    transition(recent, RequestState.REJECTED, user=officer, note="Bukan warga")
    for obj in (done, open_request):
        age(obj, 40)
    age(recent, 5)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("erase_service_data", stdout=io.StringIO())
    done.refresh_from_db()
    assert done.erased_at is not None and done.name == "(dihapus)"
    assert (done.nik, done.kk, done.phone, done.email, done.dusun) == ("", "", "", "", "")
    assert done.answers == {} and not done.documents.exists()
    assert not any(t.note for t in done.transitions.all())
    letter.refresh_from_db()
    assert letter.number and letter.subject and letter.addressee and letter.sha256
    assert not letter.file
    assert not os.path.exists(letter_path) and not os.path.exists(doc_path)
    open_request.refresh_from_db()
    recent.refresh_from_db()
    assert open_request.nik == VALID_NIK and open_request.erased_at is None  # still open
    assert recent.erased_at is None and recent.name  # closed too recently
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nik, phone FROM admin_services_servicerequest WHERE id=%s", [done.pk]
        )
        assert cursor.fetchone() == ("", "")


def test_nightly_beat_erases_in_every_village_where_the_plugin_is_on(
    sktm, officer, kades, settings, kandang
):
    entry = current_app.conf.beat_schedule["admin-services-erase-expired"]
    assert entry["task"] == tasks.erase_expired_everywhere.name
    settings.SIDEKEM_SERVICES_RETENTION_DAYS = 30
    done = make_request(sktm)
    transition(done, RequestState.CHECKING, user=officer)
    transition(done, RequestState.REJECTED, user=officer, note="Bukan warga")
    age(done, 40)
    switch(kandang, False)
    assert tasks.erase_expired_everywhere.delay().get() == [sktm.village_id]
    done.refresh_from_db()
    assert done.erased_at is not None and done.nik == ""
