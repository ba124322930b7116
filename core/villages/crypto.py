"""Personal data and secrets encrypted at rest, and masked on screen.

``EncryptedTextField`` stores a Fernet token (AES-128-CBC with HMAC-SHA256) instead of the text;
the keys come from ``SIDEKEM_FIELD_ENCRYPTION_KEYS`` (newest first, so keys can be rotated: old
tokens still decrypt, new ones use the first key), or, when that is empty, from a key derived from
``SECRET_KEY``. Encrypted values cannot be searched or filtered in the database: store a
``blind_index`` (keyed HMAC) beside the value for exact-match lookups ("requests of this NIK").

``mask`` shows only the ends of a value (``3327••••••••0001``) for lists, logs and e-mails.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

TOKEN_PREFIX = "enc1:"


def _derived_key(secret: str, purpose: str) -> bytes:
    digest = hashlib.sha256(f"sidekem:{purpose}:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _configured_keys() -> tuple[str, ...]:
    keys = getattr(settings, "SIDEKEM_FIELD_ENCRYPTION_KEYS", None) or []
    if isinstance(keys, str):
        keys = [k for k in keys.split(",") if k.strip()]
    return tuple(k.strip() for k in keys)


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...], secret: str) -> MultiFernet:
    if keys:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    return MultiFernet([Fernet(_derived_key(secret, "field-encryption"))])


def fernet() -> MultiFernet:
    return _fernet(_configured_keys(), settings.SECRET_KEY)


def encrypt_text(value: str) -> str:
    """A text token for ``value`` (a new token each call: equal values do not look equal)."""
    return TOKEN_PREFIX + fernet().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    """The text of a token made by :func:`encrypt_text`; ``ValueError`` if it is not one of ours
    or was made with a key that is no longer configured."""
    if not token.startswith(TOKEN_PREFIX):
        raise ValueError("not an encrypted value")
    try:
        return fernet().decrypt(token[len(TOKEN_PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ValueError("encrypted value cannot be read with the configured keys") from exc


def blind_index(value: str, purpose: str = "default") -> str:
    """A keyed hash of ``value`` (normalised: stripped, case-folded) for exact-match lookups of
    an encrypted field. ``purpose`` separates indexes so one cannot be matched against another."""
    key = hashlib.sha256(f"sidekem:blind-index:{purpose}:{settings.SECRET_KEY}".encode()).digest()
    normalised = value.strip().casefold().encode()
    return hmac.new(key, normalised, hashlib.sha256).hexdigest()


def mask(value: str | None, keep_start: int = 4, keep_end: int = 4, char: str = "•") -> str:
    """``value`` with all but its first ``keep_start`` and last ``keep_end`` characters hidden;
    short values are hidden entirely."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return char * len(value)
    return value[:keep_start] + char * (len(value) - keep_start - keep_end) + value[-keep_end:]


class EncryptedTextField(models.TextField):
    """A text field whose value is encrypted in the database and plain text in Python.

    Not usable in lookups other than ``isnull`` (the stored tokens differ for equal values).
    Empty strings are stored as they are, so "not given" stays visible without a key.
    """

    description = "Text encrypted at rest"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith(TOKEN_PREFIX):
            return decrypt_text(value)
        return super().to_python(value)
