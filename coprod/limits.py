"""Fixed-window limits on actions that anyone can repeat: password resets, typing a short
code, joining a workshop. The counts live in Django's cache (shared between servers when the
cache is), keyed by a hash so that no address or e-mail is stored in the clear.
"""

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone


@dataclass(frozen=True)
class Limit:
    """At most `count` actions in a `window`, per whatever the caller names as the key."""

    scope: str
    count: int
    window: timedelta


def _key(scope: str, key: tuple[str, ...]) -> str:
    digest = hashlib.sha256("\0".join((scope, *key)).encode()).hexdigest()
    return f"limit:{digest}"


def network(address: str | None) -> str:
    """What a limit per network address counts: an IPv4 address whole, an IPv6 address by
    its /64, as one home, phone or office is given a whole /64 and can use any address in
    it."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return address or ""
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def remember(scope: str, key: tuple[str, ...], *, for_: timedelta) -> None:
    """Note, for ``for_`` from now, that ``key`` was seen in ``scope``: for a limit that
    lets through whoever it has seen succeed."""
    cache.set(_key(scope, key), True, timeout=int(for_.total_seconds()))


def remembered(scope: str, key: tuple[str, ...]) -> bool:
    return cache.get(_key(scope, key)) is not None


def blocked(*limits: tuple[Limit, tuple[str, ...]], now: datetime | None = None) -> datetime | None:
    """When any limit is reached, the time from which the action may go ahead again; else
    None. Counts nothing: for actions that count only their failures (``hit`` on failure)."""
    now = now or timezone.now()
    until = []
    for limit, key in limits:
        entry = cache.get(_key(limit.scope, key))
        if entry is not None and entry["start"] + limit.window > now:
            if entry["count"] >= limit.count:
                until.append(entry["start"] + limit.window)
    return max(until) if until else None


def hit(*limits: tuple[Limit, tuple[str, ...]], now: datetime | None = None) -> datetime | None:
    """Count one action against every (limit, key) pair.

    Returns None when it may go ahead (and it is counted against each), or, when any limit
    is reached, the time from which it may (and nothing is counted).
    """
    now = now or timezone.now()
    current = []
    for limit, key in limits:
        cache_key = _key(limit.scope, key)
        entry = cache.get(cache_key)
        if entry is None or entry["start"] + limit.window <= now:
            entry = {"start": now, "count": 0}
        current.append((cache_key, limit, entry))
    blocked = [
        entry["start"] + limit.window
        for _, limit, entry in current
        if entry["count"] >= limit.count
    ]
    if blocked:
        return max(blocked)
    for cache_key, limit, entry in current:
        entry["count"] += 1
        remaining = (entry["start"] + limit.window - now).total_seconds()
        cache.set(cache_key, entry, timeout=max(1, int(remaining) + 1))
    return None
