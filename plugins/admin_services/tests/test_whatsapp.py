"""The WhatsApp Cloud API channel against a local fake Graph API (no network)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from plugins.admin_services.models import RequestState, ServiceSettings
from plugins.admin_services.tasks import notify_transition
from plugins.admin_services.whatsapp import WhatsAppError, send_template, wa_number
from plugins.admin_services.workflow import transition

from .conftest import VALID_KK, VALID_NIK
from .helpers import make_request

pytestmark = pytest.mark.django_db
PHONE_NUMBER_ID = "106540352242922"
ACCESS_TOKEN = "EAAGfake-token"
VERSION = "v21.0"


class FakeGraphAPI(BaseHTTPRequestHandler):
    """``POST /<version>/<phone-number-id>/messages`` as the Graph API answers it."""

    behaviour = "ok"
    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeGraphAPI.received.append((self.path, self.headers.get("Authorization"), body))
        if self.path != f"/{VERSION}/{PHONE_NUMBER_ID}/messages":
            return self.answer(400, graph_error(100, "Unsupported post request"))
        if self.headers.get("Authorization") != f"Bearer {ACCESS_TOKEN}":
            return self.answer(401, graph_error(190, "Invalid OAuth access token"))
        if self.behaviour == "slow":
            time.sleep(2)
        if self.behaviour == "401":
            return self.answer(401, graph_error(190, "Error validating access token"))
        if self.behaviour == "429":
            return self.answer(429, graph_error(130429, "Rate limit hit"))
        if self.behaviour == "500":
            return self.answer(500, graph_error(1, "An unknown error occurred"))
        if self.behaviour == "empty":
            return self.answer(200, {"messaging_product": "whatsapp"})
        return self.answer(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                "messages": [{"id": f"wamid.TEST{len(FakeGraphAPI.received)}"}],
            },
        )

    def answer(self, status, payload):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(payload).encode())

    def log_message(self, *args):
        pass


def graph_error(code, message):
    return {"error": {"message": message, "type": "OAuthException", "code": code}}


@pytest.fixture
def graph_api(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeGraphAPI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SIDEKEM_WHATSAPP_API_BASE = f"http://127.0.0.1:{server.server_port}"
    settings.SIDEKEM_WHATSAPP_API_VERSION = VERSION
    FakeGraphAPI.received = []
    FakeGraphAPI.behaviour = "ok"
    yield FakeGraphAPI
    server.shutdown()
    server.server_close()


@pytest.fixture
def business(kreo):
    conf = ServiceSettings.for_site(kreo.site)
    conf.whatsapp_phone_number_id = PHONE_NUMBER_ID
    conf.whatsapp_access_token = ACCESS_TOKEN
    conf.save()
    return conf


def test_numbers_in_whatsapp_form():
    assert wa_number("0812-3456-7890") == "6281234567890"
    assert wa_number("+62 812 3456 7890") == "6281234567890"
    assert wa_number("81234567890") == "6281234567890"
    assert wa_number("12345") == "" and wa_number("") == ""


def test_state_change_sends_a_template_message(
    business, graph_api, kreo_page, sktm, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        obj = make_request(sktm, phone="0812 3456 7890", kk=VALID_KK)
        transition(obj, RequestState.CHECKING, user=officer)
    assert len(graph_api.received) == 2  # the submission and the change
    path, authorization, body = graph_api.received[-1]
    assert path == f"/{VERSION}/{PHONE_NUMBER_ID}/messages"
    assert authorization == f"Bearer {ACCESS_TOKEN}"
    assert body["messaging_product"] == "whatsapp" and body["to"] == "6281234567890"
    assert body["type"] == "template"  # outside the 24-hour window: templates only
    template = body["template"]
    assert template["name"] == "sidekem_status_permohonan"
    assert template["language"] == {"code": "id"}
    values = [p["text"] for p in template["components"][0]["parameters"]]
    assert values[0] == obj.number and values[2] == "Sedang diperiksa"
    assert values[3].endswith(f"/lacak/{obj.tracking_token}/")
    raw = json.dumps(body)
    for secret in (VALID_NIK, VALID_KK, obj.name):
        assert secret not in raw
    assert mail.outbox == []


def test_not_configured_or_no_phone_sends_nothing(
    kreo, graph_api, sktm, business, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_request(sktm, phone="")
    assert graph_api.received == []
    business.whatsapp_access_token = ""
    business.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_request(sktm)
    assert graph_api.received == []


def test_access_token_encrypted_at_rest(business):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT whatsapp_access_token FROM admin_services_servicesettings WHERE id = %s",
            [business.pk],
        )
        raw = cursor.fetchone()[0]
    assert raw.startswith("enc1:") and ACCESS_TOKEN not in raw


@pytest.mark.parametrize(
    ("behaviour", "shown"),
    [("401", "HTTP 401 (code 190)"), ("429", "HTTP 429 (code 130429)"), ("500", "HTTP 500")],
)
def test_failures_raise_for_retry(business, graph_api, behaviour, shown):
    graph_api.behaviour = behaviour
    with pytest.raises(WhatsAppError, match=shown.replace("(", r"\(").replace(")", r"\)")):
        send_template(business, "6281234567890", ["A", "B", "C", "D"])


def test_wrong_token_and_answer_without_id(business, graph_api):
    business.whatsapp_access_token = "EAAG-revoked"
    with pytest.raises(WhatsAppError, match="HTTP 401"):
        send_template(business, "6281234567890", ["A", "B", "C", "D"])
    business.whatsapp_access_token = ACCESS_TOKEN
    graph_api.behaviour = "empty"
    with pytest.raises(WhatsAppError, match="without a message id"):
        send_template(business, "6281234567890", ["A", "B", "C", "D"])


def test_timeout_and_unreachable(business, graph_api, settings, monkeypatch):
    monkeypatch.setattr("plugins.admin_services.whatsapp.TIMEOUT", 0.5)
    graph_api.behaviour = "slow"
    with pytest.raises(WhatsAppError, match="unreachable"):
        send_template(business, "6281234567890", ["A", "B", "C", "D"])
    settings.SIDEKEM_WHATSAPP_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(WhatsAppError, match="unreachable"):
        send_template(business, "6281234567890", ["A", "B", "C", "D"])


def test_parameters_are_single_lines(business, graph_api):
    send_template(business, "6281234567890", ["A\nB", "  C\t\tD  ", "", "x" * 2000])
    values = [
        p["text"] for p in graph_api.received[-1][2]["template"]["components"][0]["parameters"]
    ]
    assert values[:3] == ["A B", "C D", "-"] and len(values[3]) == 1024


def test_failed_whatsapp_retries_without_mailing_twice(kreo, business, graph_api, sktm):
    """E-mail went out, WhatsApp failed: the retry carries the channels already done, so the
    resident gets the e-mail once and the WhatsApp message when the API is back."""
    obj = make_request(sktm, email="siti@example.org")
    row = obj.transitions.get()
    graph_api.behaviour = "500"
    with pytest.raises(Exception):  # noqa: B017 - celery's Retry or the WhatsAppError
        notify_transition(kreo.pk, row.pk)
    row.refresh_from_db()
    assert row.notified_at is None
    # Eager tasks run their retries at once: every try after the first skipped the e-mail.
    tries = len(graph_api.received)
    assert tries >= 1 and len(mail.outbox) == 1
    graph_api.behaviour = "ok"
    assert notify_transition(kreo.pk, row.pk, done=["email"]) == "whatsapp"
    assert len(mail.outbox) == 1
