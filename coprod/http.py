"""Small helpers every part of the site's views shares: where to go back to, how a
download is handed over, and that no page is kept by the browser or a proxy."""

from typing import Literal, cast

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse
from django.utils import translation
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


class NoStore:
    """Middleware: every page and download says ``Cache-Control: no-store`` unless it says
    otherwise. Results, answers and reports are opened on shared computers (libraries, day
    centres), where the next person must not find them in the browser's cache or history;
    static files are served before this (WhiteNoise) and keep their long caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


def _account_language_on_sign_in(sender, request, user, **kwargs) -> None:
    """When someone signs in, the language they chose on their account (if any) is put in
    force and, by AccountLanguage, in their browser's language cookie."""
    chosen = getattr(user, "language", "")
    if chosen and request is not None:
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
        request.account_language = chosen


user_logged_in.connect(_account_language_on_sign_in, dispatch_uid="coprod-account-language")


class AccountLanguage:
    """Middleware: a person who chose a language with the header's switch while signed in
    reads the site in it on any browser they sign in on: signing in sets the browser's
    language cookie (Django's) to their account's language, which LocaleMiddleware reads
    from then on. Nothing else is looked up, so no page reads the session for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        chosen = getattr(request, "account_language", "")
        if chosen and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen:
            language_cookie_set(response, chosen)
        return response


def language_cookie_set(response: HttpResponse, language: str, *, for_session=False) -> None:
    """The language cookie LocaleMiddleware reads, as Django's ``set_language`` sets it;
    ``for_session``: only until the browser closes (a language chosen for the person, not
    by them)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=None if for_session else settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(Literal["Lax", "Strict", "None"], settings.LANGUAGE_COOKIE_SAMESITE),
    )
