"""atproto TIDs: the record keys of Bluesky posts, chosen here before the first attempt."""

from __future__ import annotations

import random
import re
import time

ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable
TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


def new_tid(now_us: int | None = None, clock_id: int | None = None) -> str:
    """64 bits (top bit 0, 53 bits of microseconds since the epoch, 10 bits of clock id),
    written as 13 base32-sortable characters: later TIDs sort after earlier ones."""
    micros = now_us if now_us is not None else time.time_ns() // 1000
    clock = clock_id if clock_id is not None else random.randrange(1024)
    value = ((micros & ((1 << 53) - 1)) << 10) | (clock & 0x3FF)
    out = []
    for _ in range(13):
        out.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(out))
