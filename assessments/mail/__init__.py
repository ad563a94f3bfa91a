"""Every e-mail the site sends, from one place.

Each message has three templates in ``templates/assessments/email/<message>/``: the
subject, the plain text and the HTML. Each is written in the recipient's language where it
is known (``recipient_language``: the link's, or their account's), or in Welsh and English,
Welsh first, for an organisation that sends its e-mails in both (``bilingual_emails``).
Links in them are absolute, built from the SITE_URL setting with ``site_url``, never from
the request that sent them: behind a proxy or with a second host name the request's
address is not the one people should open.

Every e-mail goes through the outbox (``mail.models.OutgoingEmail``) and is sent by a
background task (``deliver_email``), so no page waits for a mail server and a
mail server that hiccups is tried again, waiting longer each time (``MAIL_ATTEMPTS``
tries in all). With the database queue the outbox row and its task are written in the
caller's transaction: they exist only once it commits, so an e-mail never points at
something that was rolled back; services send after their own transaction anyway. An
e-mail given up on is shown as failed, with a Resend button, to whoever sent it (``about``
names what it is about, and the pages listing those things read its state with
``with_mail_status``). When the queue runs tasks at once (tests, TASKS_BACKEND=immediate),
``send`` raises ``MailNotSent`` when every try failed, as the page can say so at once.

Django's EMAIL_BACKEND is ``QueuedEmailBackend``: anything sent through Django's mail API
(a library's e-mails, Django's own) goes through the same outbox and retries. The worker
delivers with settings.EMAIL_DELIVERY_BACKEND (SMTP, or the console in development).

Each failure is logged here, naming the message but never its address, its link or its
token; the text of an e-mail is dropped from the outbox once it is sent or given up on.
"""

import logging
import smtplib
from datetime import datetime, timedelta
from enum import StrEnum

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import models as db
from django.db import transaction
from django.db.models.functions import Cast, Concat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task

from assessments.errors import MailNotSent
from assessments.mail.models import OutgoingEmail
from assessments.queue import leases
from assessments.queue.models import JobStatus

logger = logging.getLogger(__name__)

# What a mail server that is down, refuses us or drops the connection raises. Each is an
# OSError (smtplib's errors and ConnectionError included); named for the reader.
MAIL_FAILURES = (smtplib.SMTPException, ConnectionError, OSError)


class Message(StrEnum):
    """The e-mails the site sends; each names its folder of templates."""

    COLLEAGUE_INVITATION = "colleague_invitation"
    COHORT_INVITATION = "cohort_invitation"
    ANSWER_LINK = "answer_link"
    REMINDER = "reminder"
    COHORT_REMINDER = "cohort_reminder"
    ACTION_REMINDER = "action_reminder"


def site_url(path: str) -> str:
    """The absolute address of a path on this site, as people reach it."""
    return settings.SITE_URL + path


# An organisation that writes to people in both languages: Welsh first, then English, as
# Welsh public bodies send them.
BILINGUAL = ("cy", "en-gb")
# Between the languages of a bilingual e-mail's text part.
LANGUAGE_RULE = "\n\n" + "—" * 20 + "\n\n"


def language_tag(language: str | None = None) -> str:
    """The BCP 47 tag of ``language`` (the active one when not said) for a document's
    ``lang``: "en-gb" → "en-GB", "cy" → "cy"."""
    code = language or translation.get_language() or settings.LANGUAGE_CODE
    head, _, rest = code.partition("-")
    return f"{head}-{rest.upper()}" if len(rest) == 2 else code


def recipient_language(to: str, about: db.Model | None = None) -> str:
    """The language to write to ``to`` in: the one their link was made in (``about``'s
    ``language``), or the one their account chose, or the site's."""
    language = getattr(about, "language", "")
    user_model = get_user_model()
    # Read by name: an account's language is a field only where the site offers a choice.
    field = "language"
    if not language and any(f.name == field for f in user_model._meta.get_fields()):
        found = (
            user_model._default_manager.filter(email__iexact=to)
            .values_list(field, flat=True)
            .first()
        )
        language = found or ""
    return language or settings.LANGUAGE_CODE


def organisation_of(context: dict):
    """The organisation a message is sent for, when it is sent for one."""
    if context.get("organisation") is not None:
        return context["organisation"]
    for key in ("round", "invite"):
        organisation = getattr(context.get(key), "organisation", None)
        if organisation is not None:
            return organisation
    return None


def languages_for(to: str, context: dict, about: db.Model | None = None) -> list[str]:
    """The languages of one message to ``to``: Welsh then English where the organisation
    sends its e-mails in both, otherwise the recipient's."""
    if getattr(organisation_of(context), "bilingual_emails", False):
        return list(BILINGUAL)
    return [recipient_language(to, about)]


def _render_part(folder: str, context: dict, language: str, *, part_only: bool):
    """The subject, text and HTML of a message in one language."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{folder}/subject.txt", context).split())
        context = {**context, "subject": subject, "lang": language_tag(language)}
        context["part_only"] = part_only
        text = render_to_string(f"{folder}/body.txt", context)
        html = render_to_string(f"{folder}/body.html", context)
    return subject, text, html


def render(
    message: Message, context: dict, *, languages: list[str] | None = None
) -> EmailMultiAlternatives:
    """The e-mail, with its subject, plain text and HTML parts, addressed to nobody yet: in
    ``languages`` (the active language when not said), one after the other in each part,
    the subject's joined by a slash ("Welsh / English")."""
    folder = f"assessments/email/{message}"
    languages = languages or [translation.get_language() or settings.LANGUAGE_CODE]
    if len(languages) == 1:
        subject, text, html = _render_part(folder, context, languages[0], part_only=False)
    else:
        parts = [_render_part(folder, context, lang, part_only=True) for lang in languages]
        subject = " / ".join(part[0] for part in parts)
        text = LANGUAGE_RULE.join(part[1].strip("\n") for part in parts) + "\n"
        html = render_to_string(
            "assessments/email/bilingual.html",
            {
                "subject": subject,
                "lang": language_tag(languages[0]),
                "parts": [part[2] for part in parts],
            },
        )
    email = EmailMultiAlternatives(subject=subject, body=text)
    email.attach_alternative(html, "text/html")
    return email


def send(
    message: Message,
    *,
    to: str,
    context: dict,
    about: db.Model | None = None,
    by=None,
    language: str = "",
) -> OutgoingEmail:
    """Put one message to one address in the outbox, to be sent by a worker.

    ``about`` is what it is about (an invitation, an answer link): its ``sent_at`` is set
    once the e-mail is sent, and the page listing it shows a failure. ``by`` is who sent it.
    ``language``: the recipient's, when the caller knows it better than ``about`` and their
    account do (``languages_for``). Raises MailNotSent only when the queue ran the task at
    once and every try failed."""
    if language and not getattr(organisation_of(context), "bilingual_emails", False):
        languages = [language]
    else:
        languages = languages_for(to, context, about)
    email = render(message, context, languages=languages)
    email.to = [to]
    row = outbox_add(email, message=str(message), about=about_key(about), by=by)
    if row.status == JobStatus.FAILED:
        raise MailNotSent(gettext("We could not send the e-mail just now. Try again later."))
    return row


def about_key(about: db.Model | None) -> str:
    return f"{about._meta.label_lower}:{about.pk}" if about is not None else ""


def outbox_add(
    email: EmailMessage, *, message: str = "", about: str = "", by=None
) -> OutgoingEmail:
    """Keep ``email`` in the outbox and queue its sending. Returns the row as it stands
    after the queue took it (already sent or failed when the queue runs tasks at once)."""
    html = ""
    for content, mimetype in getattr(email, "alternatives", []):
        if mimetype == "text/html":
            html = str(content)
    with transaction.atomic():
        row = OutgoingEmail.objects.create(
            message=message,
            about=about,
            sent_by=by if by is not None and by.is_authenticated else None,
            from_email=email.from_email or settings.DEFAULT_FROM_EMAIL,
            to=list(email.to),
            cc=list(email.cc),
            bcc=list(email.bcc),
            reply_to=list(email.reply_to),
            headers=dict(email.extra_headers),
            subject=str(email.subject),
            body=str(email.body),
            html=html,
        )
        _enqueue(row)
    row.refresh_from_db()
    return row


def _enqueue(row: OutgoingEmail, run_after: datetime | None = None) -> None:
    task = deliver_email
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    # A queue that cannot wait (tasks run at once) tries again straight away.
    leases.queued(row, task.enqueue(row.pk))


def backoff(attempt: int) -> timedelta:
    """How long to wait after the ``attempt``-th failure: 1, 2, 4, 8 … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** (attempt - 1), 60))


def deliver(email_id: int) -> None:
    """Send one e-mail from the outbox (the task's body). A mail server that fails puts it
    back in the queue for later, until the last try, after which it is marked failed."""
    row = leases.claim(OutgoingEmail, email_id)
    if row is None:  # sent, given up on, or held by another worker
        return
    email = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers=row.headers,
        connection=get_connection(settings.EMAIL_DELIVERY_BACKEND),
    )
    if row.html:
        email.attach_alternative(row.html, "text/html")
    name = row.message or "other"
    try:
        email.send()
    except MAIL_FAILURES as exc:
        error = type(exc).__name__
        logger.warning("e-mail not sent: message=%s attempt=%d error=%s", name, row.attempts, error)
        if row.attempts >= settings.MAIL_ATTEMPTS:
            OutgoingEmail.objects.filter(pk=row.pk).update(
                status=JobStatus.FAILED,
                error=error,
                body="",
                html="",
                finished_at=timezone.now(),
                lease_until=None,
            )
            logger.warning("e-mail given up: message=%s attempts=%d", name, row.attempts)
            return
        when = timezone.now() + backoff(row.attempts)
        OutgoingEmail.objects.filter(pk=row.pk).update(
            status=JobStatus.QUEUED, error=error, next_attempt_at=when, lease_until=None
        )
        _enqueue(row, run_after=when)
        return
    now = timezone.now()
    with transaction.atomic():
        OutgoingEmail.objects.filter(pk=row.pk).update(
            status=JobStatus.DONE, body="", html="", error="", finished_at=now, lease_until=None
        )
        _mark_sent(row.about, now)
    logger.info("e-mail sent: message=%s", name)


def _mark_sent(about: str, when: datetime) -> None:
    if not about:
        return
    label, _, pk = about.rpartition(":")
    model = apps.get_model(label)
    if any(field.name == "sent_at" for field in model._meta.get_fields()):
        model._default_manager.filter(pk=pk, sent_at__isnull=True).update(sent_at=when)


def being_sent(about: db.Model) -> bool:
    """Whether the latest e-mail about ``about`` is still waiting or being sent: sending
    another now would only queue a second copy (and, for an invitation, stop the first
    one's link working before it arrives)."""
    latest = (
        OutgoingEmail.objects.filter(about=about_key(about))
        .order_by("-created_at", "-pk")
        .values_list("status", flat=True)
        .first()
    )
    return latest in (JobStatus.QUEUED, JobStatus.RUNNING)


def with_mail_status(queryset: db.QuerySet) -> db.QuerySet:
    """``queryset`` with ``mail_status``: the state of the latest e-mail about each row
    ("queued", "running", "done", "failed"), or None when none was sent."""
    label = queryset.model._meta.label_lower
    latest = (
        OutgoingEmail.objects.filter(
            about=Concat(
                db.Value(f"{label}:"),
                Cast(db.OuterRef("pk"), db.CharField()),
                output_field=db.CharField(),
            )
        )
        .order_by("-created_at", "-pk")
        .values("status")[:1]
    )
    return queryset.annotate(mail_status=db.Subquery(latest))


class QueuedEmailBackend(BaseEmailBackend):
    """Django's EMAIL_BACKEND: every message sent through Django's mail API goes to the
    outbox, to be sent by a worker with retries. A message with attachments is delivered at
    once instead (the outbox keeps text and HTML only). When the queue runs tasks at once
    and every try failed, it raises ``MailNotSent`` (unless ``fail_silently``)."""

    def send_messages(self, email_messages):
        sent = 0
        for email in email_messages:
            alternatives = getattr(email, "alternatives", [])
            if email.attachments or any(mimetype != "text/html" for _, mimetype in alternatives):
                email.connection = get_connection(settings.EMAIL_DELIVERY_BACKEND)
                sent += email.send(fail_silently=self.fail_silently)
                continue
            row = outbox_add(email)
            if row.status == JobStatus.FAILED and not self.fail_silently:
                # Only when the queue runs tasks at once (a worker leaves it queued): the
                # caller can say so now, as it would for a mail server that refused.
                raise MailNotSent(gettext("The e-mail could not be sent just now."))
            sent += 1
        return sent


def sent_in_request() -> bool:
    """Whether the queue runs tasks in the request that enqueues them (tests, trials): then
    a mail server's failure is known before the page is answered."""
    return not deliver_email.get_backend().supports_defer


def reachable() -> bool:
    """Whether the mail server takes a connection now (nothing is sent)."""
    try:
        with get_connection(settings.EMAIL_DELIVERY_BACKEND):
            pass
    except MAIL_FAILURES as exc:
        logger.warning("mail server not reachable: error=%s", type(exc).__name__)
        return False
    return True


@task()
def deliver_email(email_id: int) -> None:
    deliver(email_id)
