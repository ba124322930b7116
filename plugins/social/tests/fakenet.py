"""A local fake of the networks' HTTP APIs (``http.server`` in a thread), behaving as the real
ones are documented to:

* Telegram Bot API: ``/bot<token>/sendMessage`` and ``/sendPhoto`` → ``{"ok": true, "result":
  {message_id, chat}}``; errors ``{"ok": false, "error_code", "description", "parameters":
  {"retry_after"}}``; 401 for an unknown token.
* Mastodon: ``POST /api/v1/statuses`` with a bearer token; an ``Idempotency-Key`` seen in the
  last hour returns the status created with it; rate-limit headers on every answer.
* Bluesky: ``createSession`` (identifier + app password → accessJwt, did), ``createRecord`` with
  a caller-chosen rkey (a duplicate answers 500, as the real PDS currently does),
  ``getRecord`` (400 ``RecordNotFound``).
* Facebook Page feed: ``POST /<page>/feed`` → ``{"id"}``, errors ``{"error": {"code"}}``.

Faults are injected per path prefix, consumed in order: ``"500"``, ``"502-gateway"`` (no API
body), ``"429:<seconds>"``, ``"401"``, ``"400"``, ``"timeout-after"`` (the post is made, the
answer comes too late) and ``"timeout-before"`` (no post, no answer in time).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

TELEGRAM_TOKEN = "123456:AAH-test-bot-token-abcdefghijkl"
MASTODON_TOKEN = "mastodon-token-0123456789abcdef"
BLUESKY_HANDLE = "kreo.bsky.test"
BLUESKY_PASSWORD = "abcd-efgh-ijkl-mnop"
BLUESKY_DID = "did:plc:kreotest0000000000000"
FACEBOOK_TOKEN = "EAAB-facebook-page-token-0123456789"


class FakeNetworks:
    def __init__(self, answer_delay: float = 2.0):
        self.lock = threading.Lock()
        self.posts: list[dict] = []
        self.requests: list[tuple[str, str]] = []
        self.faults: list[tuple[str, str]] = []
        self.answer_delay = answer_delay
        self.idempotency: dict[str, tuple[float, dict]] = {}
        self.idempotency_ttl = 3600.0
        self.records: dict[str, dict] = {}
        self.valid_telegram_tokens = {TELEGRAM_TOKEN}
        self.containers: dict[str, str] = {}  # Instagram container id → status_code
        self.next_id = 1000
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeNetworks:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def inject(self, prefix: str, *faults: str) -> None:
        with self.lock:
            self.faults.extend((prefix, f) for f in faults)

    def take_fault(self, path: str) -> str | None:
        with self.lock:
            for i, (prefix, fault) in enumerate(self.faults):
                if path.startswith(prefix):
                    del self.faults[i]
                    return fault
        return None

    def posts_of(self, network: str) -> list[dict]:
        with self.lock:
            return [p for p in self.posts if p["network"] == network]

    def containers_paths(self) -> set[str]:
        with self.lock:
            return {f"/{cid}" for cid in self.containers}

    def new_id(self) -> int:
        with self.lock:
            self.next_id += 1
            return self.next_id

    def handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def reply(self, status: int, body, headers: dict | None = None) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in (headers or {}).items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def body(self) -> dict:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    return json.loads(raw or b"{}")
                return {k: v[0] for k, v in parse_qs(raw.decode()).items()}

            def do_GET(self):
                self.dispatch("GET")

            def do_POST(self):
                self.dispatch("POST")

            def dispatch(self, method: str) -> None:
                parsed = urlparse(self.path)
                path = parsed.path
                with fake.lock:
                    fake.requests.append((method, path))
                payload = self.body() if method == "POST" else {}
                query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
                fault = fake.take_fault(path)
                if fault == "timeout-before":
                    time.sleep(fake.answer_delay)
                    return self.reply(504, b"")
                if fault and fault != "timeout-after":
                    return self.fail(path, fault)
                if path.startswith("/bot"):
                    status, body, headers = self.telegram(path, payload)
                elif path.startswith("/api/v1/statuses"):
                    status, body, headers = self.mastodon(payload)
                elif path.startswith("/xrpc/"):
                    status, body, headers = self.bluesky(path, payload, query)
                elif path.endswith("/feed"):
                    status, body, headers = self.facebook(path, payload)
                elif path.endswith(("/media", "/media_publish")) or path in fake.containers_paths():
                    status, body, headers = self.instagram(method, path, payload, query)
                else:
                    status, body, headers = 404, {"error": "not found"}, {}
                if fault == "timeout-after":
                    time.sleep(fake.answer_delay)
                self.reply(status, body, headers)

            def fail(self, path: str, fault: str) -> None:
                telegram = path.startswith("/bot")
                if fault.startswith("429"):
                    seconds = int(fault.split(":")[1]) if ":" in fault else 1
                    if telegram:
                        return self.reply(
                            429,
                            {
                                "ok": False,
                                "error_code": 429,
                                "description": f"Too Many Requests: retry after {seconds}",
                                "parameters": {"retry_after": seconds},
                            },
                        )
                    return self.reply(
                        429, {"error": "Too many requests"}, {"Retry-After": str(seconds)}
                    )
                if fault == "502-gateway":
                    return self.reply(502, b"<html>Bad Gateway</html>")
                code = int(fault)
                if telegram:
                    description = {401: "Unauthorized", 400: "Bad Request: chat not found"}
                    return self.reply(
                        code,
                        {
                            "ok": False,
                            "error_code": code,
                            "description": description.get(code, "Internal Server Error"),
                        },
                    )
                if path.startswith("/xrpc/"):
                    names = {401: "AuthenticationRequired", 400: "InvalidRequest"}
                    return self.reply(code, {"error": names.get(code, "InternalServerError")})
                return self.reply(code, {"error": "The access token is invalid"})

            def telegram(self, path: str, payload: dict):
                token, _sep, method = path[4:].partition("/")
                if token not in fake.valid_telegram_tokens:
                    return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}, {}
                if method not in ("sendMessage", "sendPhoto"):
                    return 404, {"ok": False, "error_code": 404, "description": "Not Found"}, {}
                text = payload.get("text") or payload.get("caption") or ""
                limit = 1024 if method == "sendPhoto" else 4096
                if len(text.encode("utf-16-le")) // 2 > limit:
                    return (
                        400,
                        {"ok": False, "error_code": 400, "description": "Bad Request: too long"},
                        {},
                    )
                message_id = fake.new_id()
                with fake.lock:
                    fake.posts.append(
                        {
                            "network": "telegram",
                            "target": payload.get("chat_id"),
                            "text": text,
                            "method": method,
                            "id": message_id,
                        }
                    )
                chat = str(payload.get("chat_id", ""))
                result = {
                    "message_id": message_id,
                    "chat": {"id": -100, "type": "channel", "username": chat.lstrip("@")},
                    "date": int(time.time()),
                }
                return 200, {"ok": True, "result": result}, {}

            def mastodon(self, payload: dict):
                if self.headers.get("Authorization") != f"Bearer {MASTODON_TOKEN}":
                    return 401, {"error": "The access token is invalid"}, {}
                key = self.headers.get("Idempotency-Key") or ""
                now = time.time()
                headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299"}
                with fake.lock:
                    if key in fake.idempotency:
                        seen_at, status = fake.idempotency[key]
                        if now - seen_at < fake.idempotency_ttl:
                            return 200, status, headers
                if len(payload.get("status", "")) > 500 + 200:  # generous: URLs count 23
                    return 422, {"error": "Validation failed: Text character limit"}, headers
                status_id = str(fake.new_id())
                status = {
                    "id": status_id,
                    "url": f"{fake.url}/@kreo/{status_id}",
                    "uri": f"{fake.url}/users/kreo/statuses/{status_id}",
                    "content": payload.get("status", ""),
                }
                with fake.lock:
                    fake.posts.append(
                        {"network": "mastodon", "text": payload.get("status"), "id": status_id}
                    )
                    if key:
                        fake.idempotency[key] = (now, status)
                return 200, status, headers

            def bluesky(self, path: str, payload: dict, query: dict):
                name = path.split("/xrpc/", 1)[1]
                if name == "com.atproto.server.createSession":
                    if (payload.get("identifier"), payload.get("password")) != (
                        BLUESKY_HANDLE,
                        BLUESKY_PASSWORD,
                    ):
                        return 401, {"error": "AuthenticationRequired"}, {}
                    return (
                        200,
                        {
                            "accessJwt": "jwt-access-1",
                            "refreshJwt": "jwt-refresh-1",
                            "did": BLUESKY_DID,
                            "handle": BLUESKY_HANDLE,
                        },
                        {},
                    )
                if self.headers.get("Authorization") != "Bearer jwt-access-1":
                    return 400, {"error": "ExpiredToken"}, {}
                if name == "com.atproto.repo.createRecord":
                    rkey = payload.get("rkey")
                    uri = f"at://{payload.get('repo')}/{payload.get('collection')}/{rkey}"
                    with fake.lock:
                        if uri in fake.records:
                            # what the real PDS answers today for a duplicate record key
                            return 500, {"error": "InternalServerError"}, {}
                        fake.records[uri] = payload.get("record") or {}
                        fake.posts.append(
                            {
                                "network": "bluesky",
                                "rkey": rkey,
                                "text": (payload.get("record") or {}).get("text"),
                                "facets": (payload.get("record") or {}).get("facets"),
                            }
                        )
                    return 200, {"uri": uri, "cid": f"bafy{rkey}"}, {}
                if name == "com.atproto.repo.getRecord":
                    uri = f"at://{query.get('repo')}/{query.get('collection')}/{query.get('rkey')}"
                    with fake.lock:
                        record = fake.records.get(uri)
                    if record is None:
                        return 400, {"error": "RecordNotFound", "message": "Could not locate"}, {}
                    return 200, {"uri": uri, "cid": "bafy", "value": record}, {}
                return 501, {"error": "MethodNotImplemented"}, {}

            def facebook(self, path: str, payload: dict):
                if payload.get("access_token") != FACEBOOK_TOKEN:
                    return (
                        400,
                        {"error": {"message": "Invalid OAuth access token", "code": 190}},
                        {},
                    )
                page = path.strip("/").split("/")[-2]
                post_id = f"{page}_{fake.new_id()}"
                with fake.lock:
                    fake.posts.append(
                        {"network": "facebook", "text": payload.get("message"), "id": post_id}
                    )
                return 200, {"id": post_id}, {}

            def instagram(self, method: str, path: str, payload: dict, query: dict):
                token = payload.get("access_token") or query.get("access_token")
                if token != FACEBOOK_TOKEN:
                    return (
                        400,
                        {"error": {"message": "Invalid OAuth access token", "code": 190}},
                        {},
                    )
                if method == "GET":  # a container's status
                    cid = path.strip("/")
                    with fake.lock:
                        return 200, {"id": cid, "status_code": fake.containers[cid]}, {}
                if path.endswith("/media"):
                    if not payload.get("image_url"):
                        return 400, {"error": {"message": "image_url required", "code": 100}}, {}
                    cid = str(fake.new_id())
                    with fake.lock:
                        fake.containers[cid] = "FINISHED"
                    return 200, {"id": cid}, {}
                cid = payload.get("creation_id", "")
                with fake.lock:
                    if fake.containers.get(cid) != "FINISHED":
                        return (
                            400,
                            {"error": {"message": "Media ID is not available", "code": 9007}},
                            {},
                        )
                    fake.containers[cid] = "PUBLISHED"
                    media_id = f"media{cid}"
                    fake.posts.append(
                        {
                            "network": "instagram",
                            "text": payload.get("caption"),
                            "id": media_id,
                            "container": cid,
                        }
                    )
                return 200, {"id": media_id}, {}

        return Handler
