"""Every e-mail the site sends, from one place.

Each message has three templates in ``templates/assessments/email/<message>/``: the
subject, the plain text and the HTML. Links in them are absolute, built from the SITE_URL
setting with ``site_url``, never from the request that sent them: behind a proxy or with
a second host name the request's address is not the one people should open.

Services send after the transaction that saved what the e-mail is about has committed,
so an e-mail never points at something that was rolled back, and a mail server that fails
never undoes what was saved: ``send`` raises ``MailNotSent`` and the person sending can
try again. A failure is logged here, once, naming the message but never its address, its
link or its token.
"""

import logging
import smtplib
from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string

from assessments.errors import MailNotSent

logger = logging.getLogger(__name__)

# What a mail server that is down, refuses us or drops the connection raises. Each is an
# OSError (smtplib's errors and ConnectionError included); named for the reader.
MAIL_FAILURES = (smtplib.SMTPException, ConnectionError, OSError)


class Message(StrEnum):
    """The e-mails the site sends; each names its folder of templates."""

    COLLEAGUE_INVITATION = "colleague_invitation"
    COHORT_INVITATION = "cohort_invitation"
    ANSWER_LINK = "answer_link"
    COHORT_REMINDER = "cohort_reminder"


def site_url(path: str) -> str:
    """The absolute address of a path on this site, as people reach it."""
    return settings.SITE_URL + path


def render(message: Message, context: dict) -> EmailMultiAlternatives:
    """The e-mail, with its subject, plain text and HTML parts, addressed to nobody yet."""
    folder = f"assessments/email/{message}"
    subject = " ".join(render_to_string(f"{folder}/subject.txt", context).split())
    context = {**context, "subject": subject}
    email = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"{folder}/body.txt", context)
    )
    email.attach_alternative(render_to_string(f"{folder}/body.html", context), "text/html")
    return email


def send(message: Message, *, to: str, context: dict) -> None:
    """Send one message to one address, or raise MailNotSent if the mail server fails."""
    email = render(message, context)
    email.to = [to]
    try:
        email.send()
    except MAIL_FAILURES as exc:
        logger.warning("e-mail not sent: message=%s error=%s", message, type(exc).__name__)
        raise MailNotSent("We could not send the e-mail just now. Try again later.") from exc
    logger.info("e-mail sent: message=%s", message)


def reachable() -> bool:
    """Whether the mail server takes a connection now (nothing is sent)."""
    try:
        with get_connection():
            pass
    except MAIL_FAILURES as exc:
        logger.warning("mail server not reachable: error=%s", type(exc).__name__)
        return False
    return True
