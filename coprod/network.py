"""Where a request comes from, for the limits on sign-in, sign-up, resets and short codes."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's network address, or None when the request has none (a request made
    in code, as Django's test client makes for force_login).

    Behind one reverse proxy (BEHIND_PROXY=true) every request comes from the proxy, which
    appends the address it saw to X-Forwarded-For: the last entry is the one to trust, as
    anything before it was sent by the visitor and could be made up.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR") or None
