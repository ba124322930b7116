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

Changing a sent post, and the credential checks:

* Telegram ``editMessageText`` (400 "there is no text in the message to edit" for a photo),
  ``editMessageCaption``, 400 "message is not modified" for the same text, ``deleteMessage``
  (400 "message to delete not found" once gone), ``getMe``;
* Mastodon ``PUT`` / ``DELETE /api/v1/statuses/:id`` (404 ``Record not found`` once gone),
  ``GET /api/v1/accounts/verify_credentials``;
* Bluesky ``com.atproto.repo.deleteRecord`` (a missing record deletes fine),
  ``com.atproto.server.getSession``;
* Facebook ``POST /<post-id>`` (``message``) and ``DELETE /<post-id>`` → ``{"success": true}``
  (code 100 "does not exist" once gone), ``GET /me``; Instagram ``GET /<ig-user-id>``.

Images: ``GET /media/<name>.jpg`` serves a small JPEG (the page's feed image); Mastodon
``POST /api/v2/media`` (multipart ``file`` + ``description``) answers 200, or 202 while
"processing" (``fake.media_processing`` polls of ``GET /api/v1/media/:id`` answer 206 first), and
a status naming unknown or unprocessed media is refused with 422; Bluesky
``com.atproto.repo.uploadBlob`` takes the raw bytes and returns ``{"blob": {"$type": "blob",
"ref": {"$link"}, "mimeType", "size"}}``, and a record embedding an unknown blob is refused.

Faults are injected per path prefix, consumed in order: ``"500"``, ``"502-gateway"`` (no API
body), ``"429:<seconds>"``, ``"401"``, ``"400"``, ``"timeout-after"`` (the post is made, the
answer comes too late) and ``"timeout-before"`` (no post, no answer in time); ``"hold-after"``
(the post is made, the answer waits until :meth:`FakeNetworks.release`) and ``"hold-before"``
(nothing is posted; once released the answer is a gateway's 504), so a test can kill a worker
while its requests are in flight.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import json
import re
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
INSTAGRAM_USER = "17841400000000000"
#: the smallest valid JPEG header and end marker around some bytes: enough for the clients
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + b"\xff\xd9"
)
FB_POST = re.compile(r"^/\d+_\d+$")
TELEGRAM_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


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
        self.telegram_messages: dict[tuple[str, int], dict] = {}  # (chat, id) → message
        self.statuses: dict[str, dict] = {}  # Mastodon status id → status
        self.facebook_posts: dict[str, str] = {}  # post id → message
        self.edits: list[tuple[str, str, str]] = []  # (network, id, new text)
        self.deletions: list[tuple[str, str]] = []  # (network, id)
        self.session_valid = True  # False: the Bluesky app password was revoked
        self.media: dict[str, dict] = {}  # Mastodon media id → attachment
        self.media_processing = 0  # polls answered 206 before an upload is processed
        self.blobs: dict[str, dict] = {}  # Bluesky blob cid → blob
        self.next_id = 1000
        self.released = threading.Event()
        self.held = 0  # requests waiting for release()
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

    def release(self) -> None:
        """Let every held request answer (its client may be gone)."""
        self.released.set()

    def wait_held(self, count: int, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.held >= count:
                    return
            time.sleep(0.1)
        raise AssertionError(f"{self.held} requests held, expected {count}")

    def hold(self) -> None:
        with self.lock:
            self.held += 1
        try:
            self.released.wait(120)
        finally:
            with self.lock:
                self.held -= 1

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

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
                headers = dict(headers or {})
                kind = headers.pop("Content-Type", "application/json")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def body(self) -> dict:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                kind = self.headers.get("Content-Type", "")
                if kind.startswith("application/json"):
                    return json.loads(raw or b"{}")
                if kind.startswith("multipart/form-data"):
                    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                        f"Content-Type: {kind}\r\n\r\n".encode() + raw
                    )
                    fields: dict = {}
                    for part in message.iter_parts():
                        name = part.get_param("name", header="content-disposition")
                        value = part.get_payload(decode=True)
                        if part.get_filename() is None:
                            value = value.decode()
                        fields[name] = value
                    return fields
                if kind.startswith("application/x-www-form-urlencoded") or not raw:
                    return {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                return {"_raw": raw, "_type": kind}

            def do_GET(self):
                self.dispatch("GET")

            def do_POST(self):
                self.dispatch("POST")

            def do_PUT(self):
                self.dispatch("PUT")

            def do_DELETE(self):
                self.dispatch("DELETE")

            def dispatch(self, method: str) -> None:
                parsed = urlparse(self.path)
                path = parsed.path
                with fake.lock:
                    fake.requests.append((method, path))
                payload = self.body() if method in ("POST", "PUT") else {}
                query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
                fault = fake.take_fault(path)
                if fault == "timeout-before":
                    time.sleep(fake.answer_delay)
                    return self.reply(504, b"")
                if fault == "hold-before":
                    fake.hold()
                    return self.reply(504, b"")
                if fault and fault not in ("timeout-after", "hold-after"):
                    return self.fail(path, fault)
                if path.startswith("/media/") and method == "GET":
                    status, body, headers = self.image(path)
                elif path.startswith("/bot"):
                    status, body, headers = self.telegram(path, payload)
                elif path == "/api/v2/media" or path.startswith("/api/v1/media/"):
                    status, body, headers = self.mastodon_media(method, path, payload)
                elif path == "/api/v1/statuses":
                    status, body, headers = self.mastodon(payload)
                elif path.startswith("/api/v1/"):
                    status, body, headers = self.mastodon_status(method, path, payload)
                elif path.startswith("/xrpc/"):
                    status, body, headers = self.bluesky(path, payload, query)
                elif path.endswith("/feed"):
                    status, body, headers = self.facebook(path, payload)
                elif path.endswith(("/media", "/media_publish")) or path in fake.containers_paths():
                    status, body, headers = self.instagram(method, path, payload, query)
                elif path == "/me" or FB_POST.match(path) or path == f"/{INSTAGRAM_USER}":
                    status, body, headers = self.graph_object(method, path, payload, query)
                else:
                    status, body, headers = 404, {"error": "not found"}, {}
                if fault == "timeout-after":
                    time.sleep(fake.answer_delay)
                if fault == "hold-after":
                    fake.hold()
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
                if path.startswith("/api/"):  # Mastodon
                    errors = {401: "The access token is invalid", 404: "Record not found"}
                    return self.reply(code, {"error": errors.get(code, "Internal error")})
                # Graph API: the error object, code 190 for an expired token, 2 for a
                # temporary server problem
                graph = {401: (190, "OAuthException"), 400: (100, "GraphMethodException")}
                number, kind = graph.get(code, (2, "OAuthException"))
                return self.reply(
                    code,
                    {
                        "error": {
                            "message": "An unexpected error has occurred."
                            if number == 2
                            else "Error validating access token",
                            "type": kind,
                            "code": number,
                            "fbtrace_id": "AbCdEf",
                        }
                    },
                )

            def telegram(self, path: str, payload: dict):
                token, _sep, method = path[4:].partition("/")
                if token not in fake.valid_telegram_tokens:
                    return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}, {}
                if method == "getMe":
                    result = {
                        "id": 123456,
                        "is_bot": True,
                        "first_name": "Desa",
                        "username": "desa_bot",
                    }
                    return 200, {"ok": True, "result": result}, {}
                if method in ("editMessageText", "editMessageCaption", "deleteMessage"):
                    return self.telegram_change(method, payload)
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
                    fake.telegram_messages[(str(payload.get("chat_id")), message_id)] = {
                        "method": method,
                        "text": text,
                    }
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

            def telegram_change(self, method: str, payload: dict):
                key = (str(payload.get("chat_id")), int(payload.get("message_id") or 0))

                def bad(description: str):
                    return 400, {"ok": False, "error_code": 400, "description": description}, {}

                with fake.lock:
                    message = fake.telegram_messages.get(key)
                    if method == "deleteMessage":
                        if message is None:
                            return bad("Bad Request: message to delete not found")
                        del fake.telegram_messages[key]
                        fake.deletions.append(("telegram", str(key[1])))
                        return 200, {"ok": True, "result": True}, {}
                    if message is None:
                        return bad("Bad Request: message to edit not found")
                    photo = message["method"] == "sendPhoto"
                    if method == "editMessageText" and photo:
                        return bad("Bad Request: there is no text in the message to edit")
                    if method == "editMessageCaption" and not photo:
                        return bad("Bad Request: there is no caption in the message to edit")
                    text = (
                        payload.get("text")
                        if method == "editMessageText"
                        else payload.get("caption")
                    )
                    if text == message["text"]:
                        return bad(TELEGRAM_NOT_MODIFIED)
                    message["text"] = text
                    fake.edits.append(("telegram", str(key[1]), text))
                result = {
                    "message_id": key[1],
                    "chat": {"id": -100, "type": "channel", "username": key[0].lstrip("@")},
                    "date": int(time.time()),
                    "edit_date": int(time.time()),
                }
                return 200, {"ok": True, "result": result}, {}

            def image(self, path: str):
                if not path.endswith(".jpg"):
                    return 404, {"error": "not found"}, {}
                return 200, JPEG, {"Content-Type": "image/jpeg"}

            def mastodon_media(self, method: str, path: str, payload: dict):
                if self.headers.get("Authorization") != f"Bearer {MASTODON_TOKEN}":
                    return 401, {"error": "The access token is invalid"}, {}
                if method == "POST":
                    file = payload.get("file")
                    if not isinstance(file, bytes) or not file.startswith(b"\xff\xd8"):
                        return 422, {"error": "Validation failed: File is invalid"}, {}
                    media_id = str(fake.new_id())
                    with fake.lock:
                        pending = fake.media_processing
                        fake.media[media_id] = {
                            "id": media_id,
                            "type": "image",
                            "url": None if pending else f"{fake.url}/media/{media_id}.jpg",
                            "description": payload.get("description") or None,
                            "size": len(file),
                            "polls_left": pending,
                        }
                        attachment = {
                            k: v for k, v in fake.media[media_id].items() if k != "polls_left"
                        }
                    return (202 if pending else 200), attachment, {}
                media_id = path.rsplit("/", 1)[-1]
                with fake.lock:
                    media = fake.media.get(media_id)
                    if media is None:
                        return 404, {"error": "Record not found"}, {}
                    if media["polls_left"] > 0:
                        media["polls_left"] -= 1
                        return 206, {**media, "url": None}, {}
                    media["url"] = f"{fake.url}/media/{media_id}.jpg"
                    return 200, {k: v for k, v in media.items() if k != "polls_left"}, {}

            def mastodon_status(self, method: str, path: str, payload: dict):
                if self.headers.get("Authorization") != f"Bearer {MASTODON_TOKEN}":
                    return 401, {"error": "The access token is invalid"}, {}
                headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299"}
                if path == "/api/v1/accounts/verify_credentials" and method == "GET":
                    account = {"id": "1", "username": "kreo", "acct": "kreo", "source": {}}
                    return 200, account, headers
                status_id = path.rsplit("/", 1)[-1]
                with fake.lock:
                    status = fake.statuses.get(status_id)
                    if status is None:
                        return 404, {"error": "Record not found"}, headers
                    if method == "DELETE":
                        del fake.statuses[status_id]
                        fake.deletions.append(("mastodon", status_id))
                        return 200, {**status, "text": status["content"]}, headers
                    if method == "PUT":
                        status = {
                            **status,
                            "content": payload.get("status", ""),
                            "edited_at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                        }
                        fake.statuses[status_id] = status
                        fake.edits.append(("mastodon", status_id, payload.get("status", "")))
                        return 200, status, headers
                return 404, {"error": "Record not found"}, headers

            def graph_object(self, method: str, path: str, payload: dict, query: dict):
                token = payload.get("access_token") or query.get("access_token")
                if token != FACEBOOK_TOKEN:
                    return (
                        400,
                        {"error": {"message": "Invalid OAuth access token", "code": 190}},
                        {},
                    )
                if path == "/me":
                    return 200, {"id": "1234567890", "name": "Pemerintah Desa"}, {}
                if path == f"/{INSTAGRAM_USER}":
                    return 200, {"id": INSTAGRAM_USER, "username": "desa"}, {}
                post_id = path.strip("/")
                with fake.lock:
                    if post_id not in fake.facebook_posts:
                        error = {
                            "message": f"(#100) Object with ID '{post_id}' does not exist",
                            "type": "GraphMethodException",
                            "code": 100,
                            "error_subcode": 33,
                        }
                        return 400, {"error": error}, {}
                    if method == "DELETE":
                        del fake.facebook_posts[post_id]
                        fake.deletions.append(("facebook", post_id))
                        return 200, {"success": True}, {}
                    if method == "POST" and "message" in payload:
                        fake.facebook_posts[post_id] = payload["message"]
                        fake.edits.append(("facebook", post_id, payload["message"]))
                        return 200, {"success": True}, {}
                    return 200, {"id": post_id, "message": fake.facebook_posts[post_id]}, {}

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
                media_ids = payload.get("media_ids") or []
                with fake.lock:
                    attachments = [fake.media.get(str(m)) for m in media_ids]
                if any(a is None for a in attachments):
                    return 422, {"error": "Validation failed: media not found"}, headers
                if any(a["url"] is None for a in attachments if a):
                    error = "Cannot attach files that have not finished processing. Try again!"
                    return 422, {"error": error}, headers
                status_id = str(fake.new_id())
                status = {
                    "id": status_id,
                    "url": f"{fake.url}/@kreo/{status_id}",
                    "uri": f"{fake.url}/users/kreo/statuses/{status_id}",
                    "content": payload.get("status", ""),
                }
                with fake.lock:
                    fake.statuses[status_id] = status
                    fake.posts.append(
                        {
                            "network": "mastodon",
                            "text": payload.get("status"),
                            "id": status_id,
                            "media_ids": [str(m) for m in media_ids],
                        }
                    )
                    if key:
                        fake.idempotency[key] = (now, status)
                return 200, status, headers

            def bluesky(self, path: str, payload: dict, query: dict):
                name = path.split("/xrpc/", 1)[1]
                if name == "com.atproto.server.createSession":
                    if not fake.session_valid or (
                        payload.get("identifier"),
                        payload.get("password"),
                    ) != (BLUESKY_HANDLE, BLUESKY_PASSWORD):
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
                if self.headers.get("Authorization") != "Bearer jwt-access-1" or not (
                    fake.session_valid
                ):
                    return 400, {"error": "ExpiredToken", "message": "Token has expired"}, {}
                if name == "com.atproto.repo.uploadBlob":
                    raw = payload.get("_raw") or b""
                    if not raw:
                        return 400, {"error": "InvalidRequest", "message": "empty blob"}, {}
                    if len(raw) > 1_000_000:
                        return 400, {"error": "BlobTooLarge"}, {}
                    cid = "bafkrei" + hashlib.sha256(raw).hexdigest()[:40]
                    blob = {
                        "$type": "blob",
                        "ref": {"$link": cid},
                        "mimeType": payload.get("_type", ""),
                        "size": len(raw),
                    }
                    with fake.lock:
                        fake.blobs[cid] = blob
                    return 200, {"blob": blob}, {}
                if name == "com.atproto.server.getSession":
                    return 200, {"handle": BLUESKY_HANDLE, "did": BLUESKY_DID, "active": True}, {}
                if name == "com.atproto.repo.deleteRecord":
                    uri = f"at://{payload.get('repo')}/{payload.get('collection')}/{payload.get('rkey')}"
                    with fake.lock:
                        if fake.records.pop(uri, None) is not None:
                            fake.deletions.append(("bluesky", str(payload.get("rkey"))))
                    return 200, {"commit": {"cid": "bafycommit", "rev": "3l000000000"}}, {}
                if name == "com.atproto.repo.createRecord":
                    embed = (payload.get("record") or {}).get("embed") or {}
                    for image in embed.get("images", []):
                        link = ((image.get("image") or {}).get("ref") or {}).get("$link")
                        if link not in fake.blobs or "alt" not in image:
                            return 400, {"error": "InvalidRequest", "message": "blob"}, {}
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
                                "embed": (payload.get("record") or {}).get("embed"),
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
                    fake.facebook_posts[post_id] = payload.get("message", "")
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
