"""Reading numbers and words out of query strings and forms without letting odd input through.

``str.isdigit()`` accepts "²" and "①", which ``int()`` refuses, and PostgreSQL refuses text
with a NUL byte: both would turn a visitor's odd link into a server error.
"""

from __future__ import annotations

import re

ID_RE = re.compile(r"[0-9]{1,12}")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def int_param(value: object, max_digits: int = 12) -> int | None:
    """A non-negative whole number written in ASCII digits, else ``None``."""
    text = str(value or "").strip()
    if len(text) > max_digits or not ID_RE.fullmatch(text):
        return None
    return int(text)


def text_param(value: object, max_length: int = 100) -> str:
    """Text without control characters (NUL included), trimmed and cut to ``max_length``."""
    return CONTROL_RE.sub("", str(value or "")).strip()[:max_length]
