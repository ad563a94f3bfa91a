"""How django-allauth fits the site: network addresses read as the rest of the site reads
them, sign-in failures counted per e-mail address *and* network address, every link in an
account e-mail built from SITE_URL, a mail server that fails never failing a page, QR codes
drawn by segno, and single sign-on matched on verified e-mail addresses only.
"""

import io
import logging
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import segno
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailConfirmation
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments import mail
from assessments.errors import MailNotSent
from coprod.network import client_ip

logger = logging.getLogger(__name__)


def _on_site(url: str, request: HttpRequest | None) -> str:
    """`url` with whatever scheme and host the request named replaced by SITE_URL: a forged
    Host header must not make the site e-mail a link to somewhere else."""
    if not isinstance(url, str) or url.startswith(settings.SITE_URL + "/") or request is None:
        return url
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc == request.get_host():
        return settings.SITE_URL + urlunsplit(("", "", parts.path, parts.query, parts.fragment))
    return url


def mask_email(email: str) -> str:
    """jo@council.gov.uk -> j***@council.gov.uk: enough to tell a pattern, not the person."""
    local, _, domain = email.strip().lower().partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def mask_address(ip: str) -> str:
    """203.0.113.7 -> 203.0.113.x; IPv6 keeps its first four groups."""
    if ":" in ip:
        return ":".join(ip.split(":")[:4]) + ":x"
    return ".".join(ip.split(".")[:3] + ["x"])


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Signing in with this address is paused for a while, after several wrong "
            "passwords. Try again in 15 minutes, or reset your password."
        ),
        "email_password_mismatch": _("That e-mail address and password do not match an account."),
    }

    def get_client_ip(self, request: HttpRequest) -> str:
        # The site's one rule for who is asking (BEHIND_PROXY and X-Forwarded-For).
        return client_ip(request) or "0.0.0.0"  # noqa: S104 - a request made in code

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # Wrong passwords are counted per e-mail address *from one network address*, so that
        # nobody can lock a colleague out by typing their address wrongly from elsewhere;
        # the "ip" part of ACCOUNT_RATE_LIMITS["login_failed"] counts across all accounts.
        login = str(credentials.get("email", credentials.get("username", ""))).strip().lower()
        return f"{self.get_client_ip(request)}:{login}"

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        # For an operator watching for guessing: which account and where from, masked.
        login = str(credentials.get("email", credentials.get("username", "")))
        logger.warning(
            "sign-in failed: email=%s address=%s",
            mask_email(login),
            mask_address(self.get_client_ip(request)),
        )

    def get_email_confirmation_url(self, request, emailconfirmation: EmailConfirmation) -> str:
        path = reverse("account_confirm_email", kwargs={"key": emailconfirmation.key})
        return mail.site_url(path)

    def get_reset_password_from_key_url(self, key: str) -> str:
        return _on_site(super().get_reset_password_from_key_url(key), allauth_context.request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        context = {key: _on_site(value, request) for key, value in context.items()}
        context.setdefault("site_url", settings.SITE_URL)
        try:
            super().send_mail(template_prefix, email, context)
        except (*mail.MAIL_FAILURES, MailNotSent) as exc:
            # With a worker sending mail (QueuedEmailBackend) nothing fails here: the e-mail
            # waits in the outbox, the page says the same for every address, and the mail
            # server is not asked. Only when the queue runs tasks at once is a failure known.
            # The page says the same as it would have (no hint of whether an account uses
            # the address), and that the e-mail may be late; logged without the address.
            logger.warning(
                "e-mail not sent: message=%s error=%s", template_prefix, type(exc).__name__
            )
            if request is not None:
                messages.warning(
                    request,
                    gettext(
                        "We could not send the e-mail just now. If it has not arrived in a few "
                        "minutes, try again."
                    ),
                )
            return
        logger.info("e-mail sent: message=%s", template_prefix)

    def format_email_subject(self, subject: str) -> str:
        return f"coprod: {subject}"


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_issuer(self) -> str:
        return "coprod"

    def build_totp_svg(self, url: str) -> str:
        # segno (already drawing the answer-link sheets' codes) instead of the qrcode package.
        buffer = io.BytesIO()
        segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=4, xmldecl=False)
        return buffer.getvalue().decode()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on through the council's OpenID Connect provider. An account is found by
    an e-mail address the provider says it verified (SOCIALACCOUNT_EMAIL_AUTHENTICATION);
    an address it has not verified never signs anyone in to an existing account."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return any(address.verified for address in sociallogin.email_addresses)
