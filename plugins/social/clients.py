"""Network clients: one small class per network, speaking its HTTP API with ``requests``.

A client's ``post`` returns :class:`Posted` or raises one of the outcome errors below; the
outbox (``plugins/social/outbox.py``) turns them into delivery states:

* :class:`RetryLater` – nothing was posted (the request was refused, or never left): try again
  after ``retry_after`` seconds (429, API errors, connection refused);
* :class:`Reauthorise` – the credential no longer works (401, Telegram 403, Facebook 190);
* :class:`Permanent` – the post itself is refused (400/422, duplicate content);
* :class:`Unknown` – the request may have been received but its answer was lost (read timeout,
  connection dropped, a gateway's 5xx without an API answer). Never retried blindly.

``edit`` and ``delete`` change a sent post (``can_edit`` / ``can_delete`` say whether the network
allows it); both are idempotent, and a post already gone counts as deleted. ``whoami`` is the
daily credential check's cheap call: it raises :class:`Reauthorise` when the credential is dead.

``reconcile`` reads the network back where it can (Bluesky: the record key chosen before the
first attempt; Instagram: the media container) and returns :class:`Posted`, ``None`` (certainly
not posted) or raises :class:`CannotReconcile`.

No error text may carry a credential: every message passes through :func:`redact`.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests
from django.utils import timezone

from .models import Delivery, Network, SocialAccount
from .text import bluesky_facets
from .tid import TID_RE

CONNECT_TIMEOUT = 5
READ_TIMEOUT = 20
BLUESKY_COLLECTION = "app.bsky.feed.post"
MEDIA_POLLS = 10  # Mastodon: how often to ask whether an uploaded image is processed
MEDIA_POLL_DELAY = 0.5
logger = logging.getLogger(__name__)
_TOKENISH = re.compile(
    r"(bot\d+:[A-Za-z0-9_-]{10,})|(access_token=[^&\s]+)|(Bearer\s+[A-Za-z0-9._~+/=-]+)"
)


def redact(text: str, secrets: list[str] | tuple[str, ...] = ()) -> str:
    """``text`` without any of ``secrets`` nor anything shaped like a token."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[disembunyikan]")
    text = _TOKENISH.sub("[disembunyikan]", text)
    return text[:1000]


class RedactTokens(logging.Filter):
    """Keeps tokens out of log records of the HTTP stack (urllib3 logs each request line, and a
    Telegram request line carries the bot token). Attached in ``apps.py``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        elif record.args:
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


class DeliveryError(Exception):
    def __init__(self, message: str, *, retry_after: float | None = None, scope: str = "account"):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
        #: what a rate limit holds: "account" or "credential" (shared by several accounts)
        self.scope = scope


class RetryLater(DeliveryError):
    pass


class Reauthorise(DeliveryError):
    pass


class Permanent(DeliveryError):
    pass


class Unknown(DeliveryError):
    pass


class CannotReconcile(Exception):
    pass


@dataclass
class Posted:
    remote_id: str
    remote_url: str = ""


@dataclass
class RateWindow:
    """A rate-limit window reported with a successful answer (remaining 0 → wait for reset)."""

    remaining: int | None = None
    reset_at: dt.datetime | None = None


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - timezone.now()).total_seconds())


def parse_reset(value: str | None) -> dt.datetime | None:
    """A rate-limit reset header: ISO 8601 (Mastodon) or epoch seconds (Bluesky)."""
    if not value:
        return None
    value = value.strip()
    try:
        if value.replace(".", "", 1).isdigit():
            return dt.datetime.fromtimestamp(float(value), tz=dt.UTC)
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        return None


class Client:
    """Base of the network clients. ``http`` is a ``requests.Session`` (tests pass their own)."""

    network: str = ""
    can_reconcile = False
    can_edit = False
    can_delete = False
    #: whether a retry after a lost answer is safe for ``idempotency_window`` seconds
    idempotency_window: float = 0

    def __init__(self, account: SocialAccount, http: requests.Session | None = None):
        self.account = account
        self.http = http or requests.Session()
        self.rate = RateWindow()

    # -- helpers ----------------------------------------------------------------------------
    @property
    def secrets(self) -> list[str]:
        values = [self.account.credential]
        values.extend(p for p in self.account.credential.split(":") if len(p) >= 8)
        if self.account.session:
            values.extend(self.account.session.split("\n"))
        return values

    def fail(self, cls: type[DeliveryError], message: str, **kw: Any) -> DeliveryError:
        return cls(redact(message, self.secrets), **kw)

    def request(self, method: str, url: str, **kw: Any) -> requests.Response:
        """Send; classify transport failures. A request that certainly never reached the
        server is :class:`RetryLater`; one that may have is :class:`Unknown`."""
        kw.setdefault("timeout", (CONNECT_TIMEOUT, READ_TIMEOUT))
        try:
            return self.http.request(method, url, **kw)
        except requests.ConnectTimeout as exc:
            raise self.fail(RetryLater, f"tidak tersambung: {exc}") from None
        except requests.ReadTimeout as exc:
            raise self.fail(Unknown, f"jawaban tidak datang (batas waktu): {exc}") from None
        except requests.ConnectionError as exc:
            if _never_connected(exc):
                raise self.fail(RetryLater, f"tidak tersambung: {exc}") from None
            raise self.fail(Unknown, f"sambungan terputus: {exc}") from None
        except requests.RequestException as exc:
            raise self.fail(RetryLater, f"permintaan gagal: {exc}") from None

    def read_rate_headers(self, response: requests.Response) -> None:
        remaining = response.headers.get("X-RateLimit-Remaining") or response.headers.get(
            "RateLimit-Remaining"
        )
        reset = response.headers.get("X-RateLimit-Reset") or response.headers.get("RateLimit-Reset")
        try:
            self.rate.remaining = int(remaining) if remaining is not None else None
        except ValueError:
            self.rate.remaining = None
        self.rate.reset_at = parse_reset(reset)

    def retry_after_of(self, response: requests.Response) -> float | None:
        seconds = parse_retry_after(response.headers.get("Retry-After"))
        if seconds is None:
            reset = parse_reset(
                response.headers.get("X-RateLimit-Reset") or response.headers.get("RateLimit-Reset")
            )
            if reset is not None:
                seconds = max(0.0, (reset - timezone.now()).total_seconds())
        return seconds

    def post(self, delivery: Delivery) -> Posted:
        raise NotImplementedError

    #: the largest image a network takes (bytes); a larger one is left out of the post
    max_image_bytes = 1_000_000

    def fetch_image(self, url: str) -> tuple[bytes, str] | None:
        """The feed image's bytes and type, or ``None``: a post goes out without its image
        rather than not at all (the page's link card still shows it)."""
        if not url:
            return None
        try:
            response = self.http.get(url, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT))
        except requests.RequestException:
            logger.warning("social: feed image not fetched")
            return None
        kind = response.headers.get("Content-Type", "").split(";")[0].strip()
        if response.status_code != 200 or not kind.startswith("image/"):
            logger.warning("social: feed image answered %s %s", response.status_code, kind)
            return None
        if len(response.content) > self.max_image_bytes:
            logger.warning("social: feed image too large (%s bytes)", len(response.content))
            return None
        return response.content, kind

    def reconcile(self, delivery: Delivery) -> Posted | None:
        raise CannotReconcile

    def edit(self, delivery: Delivery, text: str) -> None:
        raise self.fail(Permanent, "jaringan ini tidak bisa menyunting kiriman")

    def delete(self, delivery: Delivery) -> None:
        raise self.fail(Permanent, "jaringan ini tidak bisa menghapus kiriman")

    def whoami(self) -> str:
        """The account's name on the network; raises :class:`Reauthorise` for a dead
        credential, other errors when the network could not tell."""
        raise NotImplementedError


def _never_connected(exc: requests.ConnectionError) -> bool:
    reason = exc.args[0] if exc.args else None
    inner = getattr(reason, "reason", reason)
    name = type(inner).__name__
    return name in ("NewConnectionError", "NameResolutionError", "ConnectTimeoutError")


def _json(response: requests.Response) -> dict | None:
    try:
        data = response.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


class TelegramClient(Client):
    """Bot API: ``sendMessage`` / ``sendPhoto`` to a channel. Telegram has no idempotency key: a
    lost answer is :class:`Unknown`. A sent message is edited with ``editMessageText`` (or
    ``editMessageCaption`` for a photo) and deleted with ``deleteMessage``."""

    network = Network.TELEGRAM
    can_edit = True
    can_delete = True
    #: Bot API descriptions (400) meaning the change is already in place
    NOT_MODIFIED = "message is not modified"
    ALREADY_DELETED = "message to delete not found"

    def method_url(self, method: str) -> str:
        return f"{self.account.api_base}/bot{self.account.credential}/{method}"

    def call(self, method: str, payload: dict | None = None, ok_if: str = "") -> Any:
        """Call a Bot API method; its ``result``, or the outcome error. ``ok_if``: a 400
        description (lower case) that counts as success."""
        response = self.request("POST", self.method_url(method), json=payload or {})
        data = _json(response)
        if data is None:
            if response.status_code >= 500 or response.status_code == 429:
                # a gateway answered, not the Bot API: the request may have gone through
                raise self.fail(Unknown, f"HTTP {response.status_code} tanpa jawaban API")
            raise self.fail(Permanent, f"HTTP {response.status_code} tanpa jawaban API")
        if data.get("ok"):
            return data.get("result")
        code = int(data.get("error_code") or response.status_code)
        description = str(data.get("description", ""))
        if ok_if and code == 400 and ok_if in description.lower():
            return None
        message = f"Telegram {code}: {description}"
        if code == 429:
            retry_after = (data.get("parameters") or {}).get("retry_after")
            raise self.fail(
                RetryLater,
                message,
                retry_after=float(retry_after) if retry_after is not None else None,
                scope="credential",
            )
        if code in (401, 403):
            raise self.fail(Reauthorise, message)
        if code >= 500:
            raise self.fail(RetryLater, message)  # the Bot API answered: nothing was done
        raise self.fail(Permanent, message)

    def post(self, delivery: Delivery) -> Posted:
        share = delivery.share
        text = share.texts.get("telegram", "")
        chat = self.account.target
        if share.image_url:
            method = "sendPhoto"
            payload = {"chat_id": chat, "photo": share.image_url, "caption": text}
        else:
            method = "sendMessage"
            payload = {"chat_id": chat, "text": text}
        result = self.call(method, payload) or {}
        message_id = str(result.get("message_id", ""))
        username = (result.get("chat") or {}).get("username") or ""
        url = f"https://t.me/{username}/{message_id}" if username and message_id else ""
        return Posted(message_id, url)

    def message_ref(self, delivery: Delivery) -> dict:
        if not delivery.remote_id.isdigit():
            raise self.fail(Permanent, "id pesan Telegram tidak diketahui")
        return {"chat_id": self.account.target, "message_id": int(delivery.remote_id)}

    def edit(self, delivery: Delivery, text: str) -> None:
        if delivery.share.image_url:
            method, payload = "editMessageCaption", {"caption": text}
        else:
            method, payload = "editMessageText", {"text": text}
        self.call(method, {**self.message_ref(delivery), **payload}, ok_if=self.NOT_MODIFIED)

    def delete(self, delivery: Delivery) -> None:
        self.call("deleteMessage", self.message_ref(delivery), ok_if=self.ALREADY_DELETED)

    def whoami(self) -> str:
        result = self.call("getMe") or {}
        return str(result.get("username") or result.get("id") or "")


class MastodonClient(Client):
    """``POST /api/v1/statuses`` with an ``Idempotency-Key``: the server keeps keys for about an
    hour, so within that window a retry after a lost answer returns the same status. A status
    is edited with ``PUT /api/v1/statuses/:id`` and deleted with ``DELETE``; the credential is
    checked with ``GET /api/v1/accounts/verify_credentials``."""

    network = Network.MASTODON
    idempotency_window = 55 * 60
    can_edit = True
    can_delete = True
    max_image_bytes = 16 * 1024 * 1024

    def headers(self, **extra: str) -> dict:
        return {"Authorization": f"Bearer {self.account.credential}", **extra}

    def error(self, response: requests.Response, data: dict) -> DeliveryError:
        message = f"Mastodon {response.status_code}: {data.get('error', '')}"
        if response.status_code == 429:
            return self.fail(RetryLater, message, retry_after=self.retry_after_of(response))
        if response.status_code in (401, 403):
            return self.fail(Reauthorise, message)
        if response.status_code >= 500:
            # it may have been done: repeat only what is safe to repeat
            return self.fail(Unknown, message)
        return self.fail(Permanent, message)

    def upload_media(self, share: Any) -> str | None:
        """``POST /api/v2/media`` with the feed image and its alt text (``description``); a 202
        means the server is still processing it: ask ``GET /api/v1/media/:id`` until it is
        done, as a status naming unprocessed media is refused. Nothing is posted yet, so any
        failure here is "retry later"."""
        image = self.fetch_image(share.image_url)
        if image is None:
            return None
        content, kind = image
        response = self.request(
            "POST",
            f"{self.account.api_base}/api/v2/media",
            headers=self.headers(),
            files={"file": ("image" + (".jpg" if kind == "image/jpeg" else ""), content, kind)},
            data={"description": share.image_alt},
        )
        data = _json(response) or {}
        if response.status_code not in (200, 202) or not data.get("id"):
            error = self.error(response, data)
            raise self.fail(RetryLater, error.message) if isinstance(error, Unknown) else error
        media_id = str(data["id"])
        polls = 0
        while response.status_code != 200 or not data.get("url"):
            polls += 1
            if polls > MEDIA_POLLS:
                raise self.fail(RetryLater, "Mastodon: gambar masih diproses")
            time.sleep(MEDIA_POLL_DELAY)
            response = self.request(
                "GET",
                f"{self.account.api_base}/api/v1/media/{quote(media_id, safe='')}",
                headers=self.headers(),
            )
            data = _json(response) or {}
            if response.status_code not in (200, 206):
                error = self.error(response, data)
                raise self.fail(RetryLater, error.message) if isinstance(error, Unknown) else error
        return media_id

    def post(self, delivery: Delivery) -> Posted:
        payload: dict[str, Any] = {
            "status": delivery.share.texts.get("mastodon", ""),
            "visibility": "public",
            "language": "id",
        }
        media_id = self.upload_media(delivery.share) if delivery.share.image_url else None
        if media_id:
            payload["media_ids"] = [media_id]
        response = self.request(
            "POST",
            f"{self.account.api_base}/api/v1/statuses",
            headers=self.headers(**{"Idempotency-Key": delivery.idempotency_key}),
            json=payload,
        )
        self.read_rate_headers(response)
        data = _json(response) or {}
        if response.status_code == 200 and data.get("id"):
            return Posted(str(data["id"]), str(data.get("url") or data.get("uri") or ""))
        raise self.error(response, data)

    def status_url(self, delivery: Delivery) -> str:
        if not delivery.remote_id:
            raise self.fail(Permanent, "id status Mastodon tidak diketahui")
        return f"{self.account.api_base}/api/v1/statuses/{quote(delivery.remote_id, safe='')}"

    def edit(self, delivery: Delivery, text: str) -> None:
        response = self.request(
            "PUT",
            self.status_url(delivery),
            headers=self.headers(),
            json={"status": text, "language": "id"},
        )
        data = _json(response) or {}
        if response.status_code == 200 and data.get("id"):
            return
        if response.status_code == 404:
            raise self.fail(Permanent, "Mastodon 404: status sudah tidak ada")
        raise self.error(response, data)

    def delete(self, delivery: Delivery) -> None:
        response = self.request("DELETE", self.status_url(delivery), headers=self.headers())
        if response.status_code in (200, 404):  # 404: already gone
            return
        raise self.error(response, _json(response) or {})

    def whoami(self) -> str:
        response = self.request(
            "GET",
            f"{self.account.api_base}/api/v1/accounts/verify_credentials",
            headers=self.headers(),
        )
        data = _json(response) or {}
        if response.status_code == 200 and data.get("id"):
            return str(data.get("acct") or data.get("username") or data["id"])
        raise self.error(response, data)


class BlueskyClient(Client):
    """atproto: ``com.atproto.server.createSession`` (app password), then
    ``com.atproto.repo.createRecord`` with the record key (a TID) chosen before the first
    attempt; before any retry the record is read back with ``com.atproto.repo.getRecord``."""

    network = Network.BLUESKY
    can_reconcile = True
    can_delete = True  # a record cannot be edited: delete it (and share again)

    def xrpc(self, name: str) -> str:
        return f"{self.account.api_base}/xrpc/{name}"

    def session(self, renew: bool = False) -> tuple[str, str]:
        if self.account.session and not renew:
            token, _sep, did = self.account.session.partition("\n")
            if token and did:
                return token, did
        identifier = self.account.target
        response = self.request(
            "POST",
            self.xrpc("com.atproto.server.createSession"),
            json={"identifier": identifier, "password": self.account.credential},
        )
        data = _json(response) or {}
        if response.status_code == 200 and data.get("accessJwt") and data.get("did"):
            self.account.session = f"{data['accessJwt']}\n{data['did']}"
            self.account.save(update_fields=["session"])
            return data["accessJwt"], data["did"]
        message = f"Bluesky {response.status_code}: {data.get('error', '')}"
        if response.status_code == 429:
            raise self.fail(RetryLater, message, retry_after=self.retry_after_of(response))
        if response.status_code in (400, 401):
            raise self.fail(Reauthorise, message)
        raise self.fail(RetryLater, message)

    def authorised(
        self, method: str, name: str, kw: Callable[[str], dict]
    ) -> tuple[requests.Response, str]:
        """Call ``name`` with the session's token (renewed once if it expired); ``kw(did)``
        gives the request's arguments."""
        token, did = self.session()
        response = self._call(method, name, token, kw(did))
        data = _json(response) or {}
        if response.status_code in (400, 401) and data.get("error") in (
            "ExpiredToken",
            "InvalidToken",
        ):
            token, did = self.session(renew=True)
            response = self._call(method, name, token, kw(did))
        return response, did

    def _call(self, method: str, name: str, token: str, kw: dict) -> requests.Response:
        headers = {**_bearer(token), **kw.pop("headers", {})}
        return self.request(method, self.xrpc(name), headers=headers, **kw)

    def upload_blob(self, share: Any) -> dict | None:
        """``com.atproto.repo.uploadBlob`` with the feed image's bytes; the blob reference for
        an ``app.bsky.embed.images`` embed, or ``None`` (no image, or none fetched)."""
        image = self.fetch_image(share.image_url)
        if image is None:
            return None
        content, kind = image
        response, _did = self.authorised(
            "POST",
            "com.atproto.repo.uploadBlob",
            kw=lambda did: {"data": content, "headers": {"Content-Type": kind}},
        )
        data = _json(response) or {}
        if response.status_code == 200 and isinstance(data.get("blob"), dict):
            return data["blob"]
        error = self.error(response)
        raise self.fail(RetryLater, error.message) if isinstance(error, Unknown) else error

    def record(self, delivery: Delivery, blob: dict | None = None) -> dict:
        """The post record: text with link facets, and the feed image with its alt text
        (``app.bsky.embed.images``) when it was uploaded, else the page's link card."""
        share = delivery.share
        text = share.texts.get("bluesky", "")
        record: dict[str, Any] = {
            "$type": BLUESKY_COLLECTION,
            "text": text,
            "createdAt": timezone.now().isoformat().replace("+00:00", "Z"),
            "langs": ["id"],
        }
        facets = bluesky_facets(text)
        if facets:
            record["facets"] = facets
        if blob is not None:
            record["embed"] = {
                "$type": "app.bsky.embed.images",
                "images": [{"alt": share.image_alt, "image": blob}],
            }
        elif share.url:
            record["embed"] = {
                "$type": "app.bsky.embed.external",
                "external": {"uri": share.url, "title": share.title, "description": ""},
            }
        return record

    def posted(self, did: str, rkey: str, uri: str = "") -> Posted:
        return Posted(
            uri or f"at://{did}/{BLUESKY_COLLECTION}/{rkey}",
            f"https://bsky.app/profile/{did}/post/{rkey}",
        )

    def post(self, delivery: Delivery) -> Posted:
        rkey = delivery.idempotency_key
        if not TID_RE.match(rkey):
            raise self.fail(Permanent, "kunci rekaman bukan TID")
        blob = self.upload_blob(delivery.share) if delivery.share.image_url else None
        record = self.record(delivery, blob)
        response, did = self._create(record, rkey)
        data = _json(response) or {}
        if response.status_code == 200 and data.get("uri"):
            return self.posted(did, rkey, str(data["uri"]))
        message = f"Bluesky {response.status_code}: {data.get('error', '')}"
        if response.status_code == 429:
            raise self.fail(RetryLater, message, retry_after=self.retry_after_of(response))
        if response.status_code == 401:
            raise self.fail(Reauthorise, message)
        if response.status_code >= 500:
            # A duplicate createRecord currently answers 500 as well: read before retrying.
            raise self.fail(Unknown, message)
        raise self.fail(Permanent, message)

    def _create(self, record: dict, rkey: str) -> tuple[requests.Response, str]:
        return self.authorised(
            "POST",
            "com.atproto.repo.createRecord",
            kw=lambda did: {
                "json": {
                    "repo": did,
                    "collection": BLUESKY_COLLECTION,
                    "rkey": rkey,
                    "record": record,
                }
            },
        )

    def reconcile(self, delivery: Delivery) -> Posted | None:
        rkey = delivery.idempotency_key
        response, did = self.authorised(
            "GET",
            "com.atproto.repo.getRecord",
            kw=lambda did: {
                "params": {"repo": did, "collection": BLUESKY_COLLECTION, "rkey": rkey}
            },
        )
        data = _json(response) or {}
        if response.status_code == 200 and data.get("uri"):
            return self.posted(did, rkey, str(data["uri"]))
        if response.status_code == 400 and data.get("error") == "RecordNotFound":
            return None
        raise CannotReconcile(redact(f"Bluesky {response.status_code}", self.secrets))

    def error(self, response: requests.Response) -> DeliveryError:
        data = _json(response) or {}
        message = f"Bluesky {response.status_code}: {data.get('error', '')}"
        if response.status_code == 429:
            return self.fail(RetryLater, message, retry_after=self.retry_after_of(response))
        if response.status_code == 401:
            return self.fail(Reauthorise, message)
        if response.status_code >= 500:
            return self.fail(Unknown, message)
        return self.fail(Permanent, message)

    def delete(self, delivery: Delivery) -> None:
        """``com.atproto.repo.deleteRecord``: deleting a record that is not there succeeds."""
        rkey = delivery.remote_id.rsplit("/", 1)[-1] if delivery.remote_id else ""
        rkey = rkey or delivery.idempotency_key
        response, _did = self.authorised(
            "POST",
            "com.atproto.repo.deleteRecord",
            kw=lambda did: {"json": {"repo": did, "collection": BLUESKY_COLLECTION, "rkey": rkey}},
        )
        if response.status_code != 200:
            raise self.error(response)

    def whoami(self) -> str:
        """``com.atproto.server.getSession``; an expired session is renewed with the app
        password, so a revoked app password shows here."""
        response, did = self.authorised("GET", "com.atproto.server.getSession", kw=lambda did: {})
        data = _json(response) or {}
        if response.status_code == 200 and data.get("did"):
            return str(data.get("handle") or did)
        raise self.error(response)


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


class GraphClient(Client):
    """Facebook Graph API errors: ``{"error": {"code": …, "message": …}}``."""

    RATE_CODES = (4, 17, 32, 613)

    def classify(self, response: requests.Response, label: str) -> DeliveryError:
        data = _json(response) or {}
        raw = data.get("error")
        error = raw if isinstance(raw, dict) else ({"message": str(raw)} if raw else {})
        code = int(error.get("code") or 0)
        message = f"{label} {response.status_code}/{code}: {error.get('message', '')}"
        if code == 190 or response.status_code == 401:
            return self.fail(Reauthorise, message)
        if code in self.RATE_CODES or response.status_code == 429:
            return self.fail(
                RetryLater,
                message,
                retry_after=self.retry_after_of(response) or 15 * 60,
                scope="credential",
            )
        if response.status_code >= 500 or code in (1, 2) or not error:
            return self.fail(Unknown, message)  # no idempotency: it may have been posted
        return self.fail(Permanent, message)


class FacebookClient(GraphClient):
    """A Page's feed: ``POST /{page-id}/feed`` with ``message`` and ``link`` (a link card); a
    post is edited with ``POST /{post-id}`` (``message``) and deleted with ``DELETE
    /{post-id}``; the credential is checked with ``GET /me``."""

    network = Network.FACEBOOK
    can_edit = True
    can_delete = True
    #: Graph error code of an object that does not exist (a post already deleted)
    MISSING = 100

    def post(self, delivery: Delivery) -> Posted:
        share = delivery.share
        response = self.request(
            "POST",
            f"{self.account.api_base}/{quote(self.account.target)}/feed",
            data={
                "message": share.texts.get("facebook", ""),
                "link": share.url,
                "access_token": self.account.credential,
            },
        )
        data = _json(response) or {}
        if response.status_code == 200 and data.get("id"):
            return Posted(str(data["id"]), f"https://www.facebook.com/{data['id']}")
        raise self.classify(response, "Facebook")

    def post_url(self, delivery: Delivery) -> str:
        if not delivery.remote_id:
            raise self.fail(Permanent, "id kiriman Facebook tidak diketahui")
        return f"{self.account.api_base}/{quote(delivery.remote_id, safe='')}"

    def edit(self, delivery: Delivery, text: str) -> None:
        """``POST /{post-id}`` with the new ``message``."""
        response = self.request(
            "POST",
            self.post_url(delivery),
            data={"message": text, "access_token": self.account.credential},
        )
        data = _json(response) or {}
        if response.status_code == 200 and data.get("success"):
            return
        raise self.for_change(response)

    def delete(self, delivery: Delivery) -> None:
        response = self.request(
            "DELETE", self.post_url(delivery), params={"access_token": self.account.credential}
        )
        data = _json(response) or {}
        if response.status_code == 200 and data.get("success"):
            return
        error = (data.get("error") or {}) if isinstance(data.get("error"), dict) else {}
        if error.get("code") == self.MISSING and "does not exist" in str(error.get("message")):
            return  # already gone
        raise self.for_change(response)

    def for_change(self, response: requests.Response) -> DeliveryError:
        error = self.classify(response, "Facebook")
        # an edit or a delete may be repeated: a lost answer is simply tried again
        return self.fail(RetryLater, error.message) if isinstance(error, Unknown) else error

    def whoami(self) -> str:
        response = self.request(
            "GET",
            f"{self.account.api_base}/me",
            params={"fields": "id,name", "access_token": self.account.credential},
        )
        data = _json(response) or {}
        if response.status_code == 200 and data.get("id"):
            return str(data.get("name") or data["id"])
        raise self.classify(response, "Facebook")


class InstagramClient(GraphClient):
    """Container → publish. The container id, kept on the delivery before publishing, is the
    key: after a lost publish answer the container's ``status_code`` says whether it went out."""

    network = Network.INSTAGRAM
    can_reconcile = True

    def post(self, delivery: Delivery) -> Posted:
        share = delivery.share
        if not share.image_url:
            raise self.fail(Permanent, "Instagram memerlukan gambar di alamat publik")
        base = f"{self.account.api_base}/{quote(self.account.target)}"
        container = delivery.remote_id if delivery.remote_id.startswith("container:") else ""
        if not container:
            response = self.request(
                "POST",
                f"{base}/media",
                data={
                    "image_url": share.image_url,
                    "caption": share.texts.get("instagram", ""),
                    "alt_text": share.image_alt,
                    "access_token": self.account.credential,
                },
            )
            data = _json(response) or {}
            if not (response.status_code == 200 and data.get("id")):
                error = self.classify(response, "Instagram")
                if isinstance(error, Unknown):  # an unpublished container posts nothing
                    error = self.fail(RetryLater, error.message)
                raise error
            container = f"container:{data['id']}"
            Delivery.objects.filter(pk=delivery.pk).update(remote_id=container)
            delivery.remote_id = container
        response = self.request(
            "POST",
            f"{base}/media_publish",
            data={
                "creation_id": container.split(":", 1)[1],
                "access_token": self.account.credential,
            },
        )
        data = _json(response) or {}
        if response.status_code == 200 and data.get("id"):
            return Posted(str(data["id"]))
        raise self.classify(response, "Instagram")

    def reconcile(self, delivery: Delivery) -> Posted | None:
        if not delivery.remote_id.startswith("container:"):
            return None  # the container was never created: nothing can have been published
        container = delivery.remote_id.split(":", 1)[1]
        response = self.request(
            "GET",
            f"{self.account.api_base}/{quote(container)}",
            params={"fields": "status_code", "access_token": self.account.credential},
        )
        data = _json(response) or {}
        if response.status_code != 200:
            raise CannotReconcile(redact(f"Instagram {response.status_code}", self.secrets))
        if data.get("status_code") == "PUBLISHED":
            return Posted(delivery.remote_id)
        if data.get("status_code") in ("FINISHED", "IN_PROGRESS", "ERROR", "EXPIRED"):
            return None
        raise CannotReconcile("status kontainer tidak dikenal")

    def whoami(self) -> str:
        """The business account itself (``GET /{ig-user-id}?fields=username``). Instagram's
        API can neither edit a caption nor delete a post: done in the app."""
        response = self.request(
            "GET",
            f"{self.account.api_base}/{quote(self.account.target)}",
            params={"fields": "id,username", "access_token": self.account.credential},
        )
        data = _json(response) or {}
        if response.status_code == 200 and data.get("id"):
            return str(data.get("username") or data["id"])
        raise self.classify(response, "Instagram")


CLIENTS: dict[str, type[Client]] = {
    Network.TELEGRAM: TelegramClient,
    Network.MASTODON: MastodonClient,
    Network.BLUESKY: BlueskyClient,
    Network.FACEBOOK: FacebookClient,
    Network.INSTAGRAM: InstagramClient,
}


def client_for(account: SocialAccount, http: requests.Session | None = None) -> Client:
    return CLIENTS[account.network](account, http)
