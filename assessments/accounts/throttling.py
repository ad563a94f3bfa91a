"""Brakes on guessing: sign-in lock-outs (django-axes) and a limit on password reset e-mails.

Sign-in: django-axes counts wrong passwords per e-mail address and network address (see
AXES_* in coprod/settings.py); `login_username` makes "Jo@Example.org" and "jo@example.org"
one address, as signing in does.

Password reset: each request may send an e-mail to someone, so a few an hour for one address
from one network address, and a few more from one network address in all. The counts live in
Django's cache, in fixed windows (coprod.limits).
"""

from datetime import datetime

from django.conf import settings

from coprod.limits import Limit, hit


def login_username(request, credentials: dict | None) -> str:
    """The e-mail address a sign-in attempt is for, as the lock-out counts it."""
    raw = (credentials or {}).get("username") or request.POST.get("username") or ""
    return raw.strip().lower()


def password_reset_request(*, ip: str, email: str, now: datetime | None = None) -> datetime | None:
    """Count one password reset request from `ip` for `email`.

    Returns None when it may go ahead, or, when a limit is reached, the time from which
    it may (the request is then not counted).
    """
    window = settings.PASSWORD_RESET_WINDOW
    per_email = Limit("password-reset:email", settings.PASSWORD_RESET_LIMIT_PER_EMAIL, window)
    per_address = Limit("password-reset:address", settings.PASSWORD_RESET_LIMIT_PER_ADDRESS, window)
    return hit((per_email, (ip, email.strip().lower())), (per_address, (ip,)), now=now)
