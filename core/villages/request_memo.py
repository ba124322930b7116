"""A per-request memo for hot lookups (plugin switches, village maps).

:class:`core.villages.middleware.VillageMiddleware` opens one for each request; outside a request
(workers, commands) :func:`namespace` returns ``None`` and callers ask the shared cache, so a
long-running worker never keeps a stale answer.
"""

from __future__ import annotations

import contextvars

_memo: contextvars.ContextVar[dict[str, dict] | None] = contextvars.ContextVar(
    "sidekem_request_memo", default=None
)


def start() -> contextvars.Token:
    return _memo.set({})


def end(token: contextvars.Token) -> None:
    _memo.reset(token)


def namespace(name: str) -> dict | None:
    """The request's memo dict for ``name``, or ``None`` outside a request."""
    memo = _memo.get()
    if memo is None:
        return None
    return memo.setdefault(name, {})
