"""Files the site hands over: every download is built here, so each says the same."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def attachment(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    """A response the browser saves as ``filename`` rather than shows."""
    response = HttpResponse(content, content_type=content_type)
    header = content_disposition_header(True, filename)
    assert header is not None  # always a header for an attachment
    response["Content-Disposition"] = header
    return response
