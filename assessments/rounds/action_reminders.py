"""Reminders to an action's owner before it is due: one e-mail, a set number of days
before the due date (``Action.remind_days_before``), to the colleague chosen as its owner,
at the address their account verified and in their language (or in Welsh and English
where the organisation writes both).

Queued as a task to run at 09:00 that day whenever an action is saved with a due date and
an owner with an account; saving it again with another date queues another. The task
checks, when it runs, that the action is still open, still due on the date it was queued
for and not reminded for that date already, so an old task for a changed date, a second
task for the same date, or one for an action done or dropped since sends nothing.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from assessments import mail
from assessments.accounts.models import Membership
from assessments.errors import MailNotSent
from assessments.rounds.models import Action

logger = logging.getLogger(__name__)

SEND_AT = time(9, 0)


def remind_at(action: Action) -> datetime | None:
    """When the owner of ``action`` is to be reminded, or None when nobody is to be."""
    if action.due_on is None or action.owner_user_id is None or not action.is_open:
        return None
    day = action.due_on - timedelta(days=action.remind_days_before)
    return timezone.make_aware(datetime.combine(day, SEND_AT))


def reminder_queue(action: Action) -> bool:
    """Queue the reminder of ``action`` as it now stands (in the caller's transaction).
    Returns whether one was queued: not when nobody is to be reminded, when it was sent for
    this date already, when the date is past, or when the reminder's time is still to come
    and the queue cannot wait (tasks run at once)."""
    when = remind_at(action)
    if when is None or action.due_on is None or action.reminded_for == action.due_on:
        return False
    now = timezone.now()
    if action.due_on < timezone.localdate(now):
        return False
    job = send_action_reminder
    if when > now:
        if not job.get_backend().supports_defer:
            return False
        job = job.using(run_after=when)
    job.enqueue(action.pk, action.due_on.isoformat())
    return True


def action_reminder_send(action_id: int, due_on: str) -> bool:
    """Send the reminder (the task's body), once for each due date, only while the action
    is open, still due on ``due_on`` and owned by a member of its organisation. Returns
    whether it was sent."""
    due = date.fromisoformat(due_on)
    with transaction.atomic():
        action = (
            Action.objects.select_for_update(of=("self",))
            .select_related("round__organisation", "principle", "statement", "owner_user")
            .filter(pk=action_id)
            .first()
        )
        if action is None or action.due_on != due or action.reminded_for == due:
            return False
        owner = action.owner_user
        round_ = action.round
        if (
            not action.is_open
            or owner is None
            or not owner.email
            or action.carried_into.exists()
            or not Membership.objects.filter(
                user=owner, organisation_id=round_.organisation_id
            ).exists()
        ):
            logger.info("action reminder not sent: action=%s", action.pk)
            return False
        context = {
            "action": action,
            "round": round_,
            "organisation": round_.organisation,
            "owner": owner,
            "plan_url": mail.site_url(reverse("assessments:actions", args=[round_.pk])),
        }
        try:
            mail.send(mail.Message.ACTION_REMINDER, to=owner.email, context=context, about=action)
        except MailNotSent:  # tasks run at once and the mail server failed: noted there
            pass
        action.reminded_for = due
        action.save(update_fields=["reminded_for"])
    return True


@task()
def send_action_reminder(action_id: int, due_on: str) -> None:
    action_reminder_send(action_id, due_on)
