"""Who is asking, and how often: client addresses and rate limits for public forms.

Behind the reverse proxy of a production install (README.md, "Production") ``REMOTE_ADDR`` is
the proxy's own address, the same for every resident. ``SIDEKEM_TRUSTED_PROXY_COUNT`` says how
many proxies stand in front of the application; each appends the address it saw to
``X-Forwarded-For``, so the client is the Nth address from the right. Everything left of that
was written by the client and is never trusted. A missing, short or malformed header falls back
to ``REMOTE_ADDR`` (one shared bucket, never a spoofed one).

Limits are fixed windows counted in the shared cache; keys carry a salted hash of the address,
never the address itself.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

KEY_PREFIX = "sidekem:rate"
IPV6_PREFIX = 64  # one subscriber usually holds a whole /64


def trusted_proxy_count() -> int:
    try:
        return max(0, int(getattr(settings, "SIDEKEM_TRUSTED_PROXY_COUNT", 0) or 0))
    except (TypeError, ValueError):
        return 0


def _parse_address(value: str) -> str:
    """A normalised address (IPv6 as its /64 network), or "" if ``value`` is not one."""
    value = value.strip().strip('"')
    if value.startswith("["):  # "[2001:db8::1]:443"
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False))
    return str(address)


def client_address(request) -> str:
    """The address of the client as far as the configured trusted proxies vouch for it."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    fallback = _parse_address(remote) or remote.strip()[:64]
    count = trusted_proxy_count()
    if not count:
        return fallback
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in str(header).split(",")] if header else []
    if len(hops) < count:
        return fallback
    return _parse_address(hops[-count]) or fallback


def client_fingerprint(request) -> str:
    """A salted hash of the client address: rate-limit keys never hold the address itself."""
    return salted_hmac("sidekem.ratelimit", client_address(request)).hexdigest()[:32]


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` hits per ``window`` seconds for ``scope`` (a limit of 0 is off)."""

    scope: str
    limit: int
    window: int = 3600

    @property
    def key(self) -> str:
        return f"{KEY_PREFIX}:{self.scope}"


def exceeded(limits: Iterable[Limit]) -> Limit | None:
    """The first of ``limits`` already used up, without counting this attempt."""
    for item in limits:
        if item.limit > 0 and (cache.get(item.key) or 0) >= item.limit:
            return item
    return None


def count(limits: Iterable[Limit]) -> None:
    """Count one hit against each of ``limits`` (the window starts with the first hit)."""
    for item in limits:
        if item.limit <= 0 or cache.add(item.key, 1, item.window):
            continue
        try:
            cache.incr(item.key)
        except ValueError:  # expired between add and incr
            cache.set(item.key, 1, item.window)
