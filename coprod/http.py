"""Small helpers every part of the site's views shares: where to go back to, and how a
download is handed over."""

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The ``next`` address a form or link asked to return to (posted, or in the query
    string), if it is on this site; otherwise ``fallback``. Never an open redirect."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def attachment(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    """A response the browser saves as ``filename`` rather than shows: every download (CSV,
    PDF, zip) is built here, so each says the same."""
    response = HttpResponse(content, content_type=content_type)
    header = content_disposition_header(True, filename)
    assert header is not None  # always a header for an attachment
    response["Content-Disposition"] = header
    return response
