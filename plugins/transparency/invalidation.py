"""Dropping visitors' cached pages when budget data changes: at once for a single edit, once
per village for a whole import (an import saves hundreds of lines)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from core.website.cache import bump_village

_state = threading.local()


def village_changed(village_id: int | None) -> None:
    deferred = getattr(_state, "deferred", None)
    if deferred is not None:
        deferred.add(village_id)
    else:
        bump_village(village_id)


@contextmanager
def one_bump_per_village() -> Iterator[None]:
    """Inside, changes are collected; on leaving, each village is bumped once."""
    outer = getattr(_state, "deferred", None)
    if outer is not None:  # already collecting
        yield
        return
    _state.deferred = set()
    try:
        yield
    finally:
        villages, _state.deferred = _state.deferred, None
        for village_id in villages:
            bump_village(village_id)
