"""A facilitator's reminder to the organisations that have not started."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext

from assessments import mail
from assessments.accounts.models import (
    AuditKind,
    User,
)
from assessments.accounts.services import audit_record
from assessments.cohorts import selectors
from assessments.cohorts.models import (
    Cohort,
)
from assessments.cohorts.services.cohorts import _require_facilitator
from assessments.errors import MailNotSent, ServiceError
from coprod import limits
from coprod.limits import Limit

logger = logging.getLogger(__name__)


# A facilitator's reminder reaches one organisation at most once a week from one cohort.
REMINDER_LIMIT = Limit("cohort-reminder", 1, timedelta(days=7))
REMINDER_NOTE_MAX = 1000


@dataclass
class ReminderOutcome:
    sent: list[str] = field(default_factory=list)  # organisations' names
    recently: list[str] = field(default_factory=list)  # reminded in the last week
    failed: list[str] = field(default_factory=list)  # the mail server refused
    no_lead: list[str] = field(default_factory=list)


def cohort_remind_not_started(*, cohort: Cohort, by: User, note: str = "") -> ReminderOutcome:
    """E-mail the leads of each organisation in the cohort that has no round for it yet,
    reminding them to start one; noted in each organisation's activity log. An organisation
    reminded from this cohort in the last week is left out (``REMINDER_LIMIT``), and so is
    one whose e-mail the mail server refused (it can be tried again)."""
    _require_facilitator(cohort, by)
    note = note.strip()
    if len(note) > REMINDER_NOTE_MAX:
        raise ServiceError(
            gettext("Keep the note to %(max)s characters (it has %(has)s).")
            % {"max": REMINDER_NOTE_MAX, "has": len(note)}
        )
    outcome = ReminderOutcome()
    for organisation in selectors.cohort_not_started(cohort):
        key = (str(cohort.pk), str(organisation.pk))
        if not organisation.leads:
            outcome.no_lead.append(organisation.name)
            continue
        if limits.blocked((REMINDER_LIMIT, key)):
            outcome.recently.append(organisation.name)
            continue
        context = {
            "cohort": cohort,
            "by": by,
            "organisation": organisation,
            "note": note,
            "url": mail.site_url(
                reverse("assessments:round-create", kwargs={"org": organisation.slug})
            ),
        }
        try:
            for lead in organisation.leads:
                mail.send(mail.Message.COHORT_REMINDER, to=lead.email, context=context, by=by)
        except MailNotSent:
            outcome.failed.append(organisation.name)
            continue
        limits.hit((REMINDER_LIMIT, key))
        audit_record(
            organisation=organisation,
            kind=AuditKind.COHORT_REMINDED,
            what="cohort_reminded",
            details={"name": by.get_full_name() or by.email, "cohort": cohort.name},
            actor=by,
        )
        outcome.sent.append(organisation.name)
    return outcome
