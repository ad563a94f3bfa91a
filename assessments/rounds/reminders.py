"""Reminders: one e-mail to everyone whose answer link was e-mailed and still works, sent
now or at a time the lead sets before the round closes (a task run at that time by a
worker).

The reminder carries no link (coprod keeps only a fingerprint of each) and goes to every
link e-mailed, whether or not anyone has answered through it; those who have finished are
thanked and asked to ignore it. Sent only to those who had not finished, it would tell
whoever reads one of those addresses (a lead can e-mail a link to their own address and
pass it on) whether that person had finished, and so which people the figures cover. The
lead sees how many it goes to, a number of their own making: the links they e-mailed and
did not revoke. Scheduling, sending and cancelling go in the activity log.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from assessments import mail
from assessments.accounts.models import AuditKind, User
from assessments.accounts.services import audit_record, require_lead
from assessments.errors import MailNotSent, ServiceError
from assessments.rounds.models import Invite, Reminder, Round
from assessments.rounds.services.links import in_language

logger = logging.getLogger(__name__)


NOBODY = gettext_lazy(
    "Nobody to remind by e-mail: no link has been e-mailed from coprod, or every one e-mailed "
    "was revoked. People given a printed sheet or a copied link can be reminded with your own "
    "message below."
)


def recipients(round: Round) -> list[str]:
    """The addresses of the links e-mailed in this round that still work: all of them,
    whether or not anyone has answered through them (see above)."""
    return sorted(
        set(
            Invite.objects.filter(round=round, revoked_at__isnull=True, workshop__isnull=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def languages(round: Round) -> dict[str, str]:
    """The language of the link last e-mailed to each address (``Invite.language``; empty:
    none chosen), so that each reminder is written in it."""
    found = (
        Invite.objects.filter(round=round, revoked_at__isnull=True, workshop__isnull=True)
        .exclude(email="")
        .order_by("created_at", "pk")
        .values_list("email", "language")
    )
    return dict(found)


def latest_time(round: Round) -> datetime | None:
    """The last moment a reminder may be set for: the end of the closing date."""
    if round.closes_on is None:
        return None
    return timezone.make_aware(datetime.combine(round.closes_on, time(23, 59)))


def reminder_schedule(*, round: Round, by: User, send_at: datetime | None = None) -> Reminder:
    """Send a reminder now (``send_at`` None) or at ``send_at``, before the round closes."""
    now = timezone.now()
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        require_lead(user=by, organisation=locked.organisation_id)
        if not locked.is_open:
            raise ServiceError(_("Reminders can be sent only while the round is open."))
        if send_at is None and not recipients(locked):
            raise ServiceError(str(NOBODY))
        task = send_reminder
        if send_at is not None:
            if send_at <= now + timedelta(minutes=1):
                raise ServiceError(_("Choose a time in the future, or send the reminder now."))
            last = latest_time(locked)
            if last is not None and send_at > last:
                raise ServiceError(
                    _("Choose a time before the round closes, on %(date)s.")
                    % {"date": date_format(locked.closes_on, "j F Y")}
                )
            if not task.get_backend().supports_defer:
                raise ServiceError(
                    _("Reminders can be scheduled only where a task worker runs them.")
                )
            task = task.using(run_after=send_at)
        reminder = Reminder.objects.create(round=locked, send_at=send_at or now, created_by=by)
        if send_at is not None:
            audit_record(
                organisation=locked.organisation_id,
                kind=AuditKind.REMINDER_SCHEDULED,
                what="reminder_scheduled",
                details={"when": send_at},
                actor=by,
                round=locked,
            )
        # With the database queue the task is saved with the reminder, and runs once both are.
        task.enqueue(reminder.pk)
    reminder.refresh_from_db()
    return reminder


def reminder_cancel(*, reminder: Reminder, by: User) -> Reminder:
    with transaction.atomic():
        locked = Reminder.objects.select_for_update().select_related("round").get(pk=reminder.pk)
        require_lead(user=by, organisation=locked.round.organisation_id)
        if not locked.is_waiting:
            raise ServiceError(_("This reminder was already sent or cancelled."))
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at"])
        audit_record(
            organisation=locked.round.organisation_id,
            kind=AuditKind.REMINDER_SCHEDULED,
            what="reminder_cancelled",
            details={"when": locked.send_at},
            actor=by,
            round=locked.round,
        )
    return locked


def reminder_send(reminder_id: int) -> int:
    """Send the reminder (the task's body): once, and only while the round is open. The
    e-mails are put in the outbox in the same transaction as the reminder is marked sent, so
    a worker that dies midway leaves either all of them or none. Returns how many."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update()
            .select_related("round__organisation")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or not reminder.is_waiting:
            return 0
        round_ = reminder.round
        if not round_.is_open:
            reminder.cancelled_at = timezone.now()
            reminder.save(update_fields=["cancelled_at"])
            logger.info("reminder not sent: round=%s reason=not_open", round_.pk)
            return 0
        to = recipients(round_)
        language = languages(round_)
        context = {"round": round_, "about_url": mail.site_url("/what-is-co-production/")}
        for address in to:
            try:
                with in_language(language.get(address, "")):
                    mail.send(
                        mail.Message.REMINDER, to=address, context=context, by=reminder.created_by
                    )
            except MailNotSent:  # tasks run at once and the mail server failed: noted there
                pass
        reminder.sent_at = timezone.now()
        reminder.sent_count = len(to)
        reminder.save(update_fields=["sent_at", "sent_count"])
        audit_record(
            organisation=round_.organisation_id,
            kind=AuditKind.REMINDER_SENT,
            what="reminder_sent",
            details={"count": len(to)},
            actor=reminder.created_by,
            round=round_,
        )
    return len(to)


@task()
def send_reminder(reminder_id: int) -> None:
    reminder_send(reminder_id)
