"""Brakes on guessing: sign-in lock-outs (django-axes) and a limit on password reset e-mails.

Sign-in: django-axes counts wrong passwords per e-mail address and network address (see
AXES_* in coprod/settings.py); `login_username` makes "Jo@Example.org" and "jo@example.org"
one address, as signing in does.

Password reset: each request may send an e-mail to someone, so a few an hour for one address
from one network address, and a few more from one network address in all. The counts live in
Django's cache, in fixed windows.
"""

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def login_username(request, credentials: dict | None) -> str:
    """The e-mail address a sign-in attempt is for, as the lock-out counts it."""
    raw = (credentials or {}).get("username") or request.POST.get("username") or ""
    return raw.strip().lower()


def _key(*parts: str) -> str:
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    return f"password-reset:{digest}"


def password_reset_request(*, ip: str, email: str, now: datetime | None = None) -> datetime | None:
    """Count one password reset request from `ip` for `email`.

    Returns None when it may go ahead, or, when a limit is reached, the time from which
    it may (the request is then not counted).
    """
    now = now or timezone.now()
    window = settings.PASSWORD_RESET_WINDOW
    counters = [
        (_key("email", ip, email.strip().lower()), settings.PASSWORD_RESET_LIMIT_PER_EMAIL),
        (_key("address", ip), settings.PASSWORD_RESET_LIMIT_PER_ADDRESS),
    ]
    current = []
    for key, limit in counters:
        entry = cache.get(key)
        if entry is None or entry["start"] + window <= now:
            entry = {"start": now, "count": 0}
        current.append((key, limit, entry))
    blocked = [entry["start"] + window for _, limit, entry in current if entry["count"] >= limit]
    if blocked:
        return max(blocked)
    for key, _, entry in current:
        entry["count"] += 1
        remaining = (entry["start"] + window - now).total_seconds()
        cache.set(key, entry, timeout=max(1, int(remaining) + 1))
    return None
