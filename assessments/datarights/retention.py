"""Keeping less: each person's answers and notes are kept for the organisation's keeping
period after a round closes (``Organisation.keep_answers_months``), then deleted.

What goes: every answer and its note, each respondent (who answered, their group, their
progress and the browser their link was bound to), the round's answer links (their labels
and the addresses they were e-mailed to) and the outbox's rows of the e-mails sent to them
(links and reminders: their addresses; a sent e-mail's text is not kept), and the
notes the round's publications carry word for word. What stays: the published figures
(``Publication``, ``PublicationScore``, a workshop room's snapshots), the agreed positions,
the actions, and whatever the organisation added as evidence. Every page and download of
the round is made from what stays; the round records when its answers went, how many rows,
and how many people had answered and finished (shown only in steps of three, ``steps``).

A round whose answers are deleted cannot be reopened (``rounds.services.lifecycle``): its
figures could not be published again. ``expired_answers_delete`` runs from every worker's
housekeeping once an hour, and from ``manage.py delete_expired_answers`` for cron.
"""

from __future__ import annotations

import calendar
import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from assessments.accounts.models import KEEP_ANSWERS_SHORTEST, AuditKind
from assessments.accounts.services import audit_record
from assessments.figures.models import Publication
from assessments.mail import Message, about_key
from assessments.mail.models import OutgoingEmail
from assessments.rounds.models import Answer, Invite, Respondent, Round, RoundStatus

logger = logging.getLogger(__name__)


def months_after(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months later (the month's last day where
    it is shorter: 31 January and one month is 28 or 29 February)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def answers_deleted_on(round: Round) -> datetime | None:
    """When the round's answers are due to be deleted (None while it is not closed)."""
    if not round.is_closed or round.closed_at is None:
        return None
    return months_after(round.closed_at, round.organisation.keep_answers_months)


def rounds_past_keeping(now: datetime | None = None) -> list[Round]:
    """Closed rounds whose keeping period has ended and whose answers are not yet deleted."""
    now = now or timezone.now()
    # No period is shorter than a month (28 days at least): the rest are checked one by one.
    candidates = Round.objects.filter(
        status=RoundStatus.CLOSED,
        answers_deleted_at__isnull=True,
        closed_at__lte=now - timedelta(days=28 * KEEP_ANSWERS_SHORTEST),
    ).select_related("organisation")
    return [r for r in candidates if (due := answers_deleted_on(r)) is not None and due <= now]


def round_answers_delete(*, round: Round, now: datetime | None = None) -> int:
    """Delete what the round holds of each person (see the module's docstring), note it on
    the round and in the activity log, in one transaction. Returns the rows deleted; 0 if
    the round is not closed or its answers went already."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        if locked.status != RoundStatus.CLOSED or locked.answers_deleted_at is not None:
            return 0
        respondents = Respondent.objects.filter(round=locked)
        answered = respondents.filter(
            Exists(Answer.objects.filter(respondent=OuterRef("pk")))
        ).count()
        finished = respondents.filter(finished_at__isnull=False).count()
        invites = Invite.objects.filter(round=locked)
        emails = OutgoingEmail.objects.filter(pk__in=_emails_to_links(locked, invites))
        rows = 0
        # Children first, so that each count is of the rows of that kind.
        for queryset in (Answer.objects.filter(respondent__round=locked), respondents, emails):
            rows += queryset.delete()[0]
        rows += invites.delete()[0]
        _publication_notes_delete(locked)
        locked.answers_deleted_at = now
        locked.answers_deleted_rows = rows
        locked.people_answered = answered
        locked.people_finished = finished
        # A save, not an update: the results stamp moves (``documents.stamp``), so that no
        # page keeps what it looked up before.
        locked.save(
            update_fields=[
                "answers_deleted_at",
                "answers_deleted_rows",
                "people_answered",
                "people_finished",
            ]
        )
        audit_record(
            organisation=locked.organisation_id,
            kind=AuditKind.ANSWERS_DELETED,
            what="answers_deleted",
            details={"round": locked.title, "count": rows},
            round=locked,
            at=now,
        )
    round.answers_deleted_at = locked.answers_deleted_at
    round.answers_deleted_rows = rows
    round.people_answered, round.people_finished = answered, finished
    logger.info("answers deleted: round=%s rows=%d", locked.pk, rows)
    return rows


def _emails_to_links(round: Round, invites) -> list[int]:
    """The outbox's rows of e-mails to the round's links: each link's own e-mail, and the
    reminders sent while the round was open to addresses its links were e-mailed to (a
    reminder names no link, so it is found by its addresses and its time)."""
    found = list(
        OutgoingEmail.objects.filter(
            about__in=[about_key(invite) for invite in invites.only("pk")]
        ).values_list("pk", flat=True)
    )
    addresses = set(invites.exclude(email="").values_list("email", flat=True))
    if addresses and round.opened_at is not None:
        reminders = OutgoingEmail.objects.filter(
            message=Message.REMINDER, created_at__gte=round.opened_at
        )
        if round.closed_at is not None:
            reminders = reminders.filter(created_at__lte=round.closed_at)
        found += [pk for pk, to in reminders.values_list("pk", "to") if to and set(to) <= addresses]
    return found


def _publication_notes_delete(round: Round) -> None:
    """The notes a round's publications carry word for word go with the answers: they are
    what people wrote, not figures. The counts stay as they were published."""
    for publication in Publication.objects.filter(round=round).only("pk", "figures"):
        if publication.figures.get("notes"):
            publication.figures["notes"] = {}
            publication.save(update_fields=["figures"])


def expired_answers_delete(*, now: datetime | None = None) -> int:
    """Delete the answers of every round past its organisation's keeping period. Returns
    how many rounds; one that fails is logged and left for the next run."""
    done = 0
    for round in rounds_past_keeping(now):
        try:
            if round_answers_delete(round=round, now=now):
                done += 1
        except Exception:  # one round's failure must not keep the others' answers
            logger.exception("deleting answers failed: round=%s", round.pk)
    return done
