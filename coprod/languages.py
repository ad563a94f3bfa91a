"""The languages the site offers, each named in itself."""

from django.conf import settings


def language_name(code: str) -> str:
    """A language as the site offers it, named as its own speakers write it ("English",
    "Cymraeg"), so that whoever reads a list of them can find their own."""
    return dict(settings.LANGUAGES).get(code, code)
