"""The Telegram channel against a local fake Bot API (no network), and the webhook link."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from plugins.admin_services.models import RequestState, ServiceRequest, ServiceSettings
from plugins.admin_services.tasks import notify_transition
from plugins.admin_services.telegram import TelegramError, send_message, webhook_secret
from plugins.admin_services.workflow import transition

from .conftest import VALID_NIK
from .helpers import make_request

pytestmark = pytest.mark.django_db
BOT_TOKEN = "123456:ABC-fake"


class FakeBotAPI(BaseHTTPRequestHandler):
    behaviour = "ok"
    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeBotAPI.received.append((self.path, body))
        if self.behaviour == "slow":
            time.sleep(2)
        codes = {"ok": 200, "429": 429, "500": 500, "401": 401, "refused": 200, "slow": 200}
        self.send_response(codes[self.behaviour])
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        ok = self.behaviour in ("ok", "slow")
        self.wfile.write(json.dumps({"ok": ok, "result": {}}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def bot_api(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeBotAPI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SIDEKEM_TELEGRAM_API_BASE = f"http://127.0.0.1:{server.server_port}"
    FakeBotAPI.received = []
    FakeBotAPI.behaviour = "ok"
    yield FakeBotAPI
    server.shutdown()
    server.server_close()


@pytest.fixture
def bot(kreo):
    conf = ServiceSettings.for_site(kreo.site)
    conf.telegram_bot_username = "DesaKreoBot"
    conf.telegram_bot_token = BOT_TOKEN
    conf.save()
    return conf


def link(client, obj, secret=None, text=None):
    update = {"message": {"text": text or f"/start {obj.telegram_token}", "chat": {"id": 4242}}}
    return client.post(
        "/admin_services/telegram/",
        json.dumps(update),
        content_type="application/json",
        HTTP_HOST="kreo.localhost",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=secret or webhook_secret(BOT_TOKEN),
    )


def test_webhook_links_chat_only_with_secret(client, bot, sktm):
    obj = make_request(sktm)
    assert link(client, obj, secret="wrong").status_code == 403
    assert ServiceRequest.objects.get(pk=obj.pk).telegram_chat_id == ""
    assert link(client, obj, text="/start bukan-token").status_code == 200
    assert ServiceRequest.objects.get(pk=obj.pk).telegram_chat_id == ""
    assert link(client, obj).status_code == 200
    assert ServiceRequest.objects.get(pk=obj.pk).telegram_chat_id == "4242"


def test_tracking_page_offers_start_link(client, bot, kreo_page, sktm):
    obj = make_request(sktm, pin="482913")
    track = f"{kreo_page.url}lacak/{obj.tracking_token}/"
    client.post(track, {"action": "pin", "pin": "482913"}, HTTP_HOST="kreo.localhost")
    body = client.get(track, HTTP_HOST="kreo.localhost").content.decode()
    assert f"https://t.me/DesaKreoBot?start={obj.telegram_token}" in body


def test_state_change_sent_to_telegram(
    client, bot, bot_api, sktm, officer, django_capture_on_commit_callbacks
):
    obj = make_request(sktm)
    link(client, obj)
    with django_capture_on_commit_callbacks(execute=True):
        transition(obj, RequestState.CHECKING, user=officer)
    path, body = bot_api.received[-1]
    assert path == f"/bot{BOT_TOKEN}/sendMessage" and body["chat_id"] == "4242"
    assert obj.number in body["text"] and VALID_NIK not in body["text"]
    assert mail.outbox == []


@pytest.mark.parametrize("behaviour", ["429", "500", "401", "refused"])
def test_failures_raise_for_retry(bot_api, behaviour):
    bot_api.behaviour = behaviour
    with pytest.raises(TelegramError):
        send_message(BOT_TOKEN, "4242", "halo")


def test_timeout_and_unreachable(bot_api, settings, monkeypatch):
    monkeypatch.setattr("plugins.admin_services.telegram.TIMEOUT", 0.5)
    bot_api.behaviour = "slow"
    with pytest.raises(TelegramError):
        send_message(BOT_TOKEN, "4242", "halo")
    settings.SIDEKEM_TELEGRAM_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(TelegramError):
        send_message(BOT_TOKEN, "4242", "halo")


def test_failed_send_is_released_for_the_retry(client, bot, bot_api, kreo, sktm):
    """Eager tasks do not retry: the failure surfaces, and the transition is not marked sent,
    so the worker's retry (tests/test_celery_worker.py pattern) sends it later."""
    obj = make_request(sktm)
    link(client, obj)
    row = obj.transitions.get()
    bot_api.behaviour = "500"
    with pytest.raises(Exception):  # noqa: B017 - celery's Retry or the TelegramError
        notify_transition(kreo.pk, row.pk)
    row.refresh_from_db()
    assert row.notified_at is None
    bot_api.behaviour = "ok"
    assert notify_transition(kreo.pk, row.pk) == "telegram"
