"""What a lead sets for the whole organisation: two-step sign-in for everyone, e-mails in
Welsh and English, and how long answers are kept after a round closes. Each change is
written with its line in the activity log."""

from django.db import transaction
from django.utils.translation import gettext

from assessments.accounts.models import (
    KEEP_ANSWERS_LONGEST,
    KEEP_ANSWERS_SHORTEST,
    AuditKind,
    Organisation,
    User,
)
from assessments.accounts.services import audit_record, require_lead
from assessments.accounts.two_step import has_two_step
from assessments.errors import ServiceError


def organisation_require_two_step(*, organisation: Organisation, required: bool, by: User) -> None:
    """A lead makes two-step sign-in a condition of seeing the organisation's pages (or
    stops). They must have it themselves first, so they do not lock themselves out."""
    require_lead(user=by, organisation=organisation)
    if required and not has_two_step(by):
        raise ServiceError(
            gettext("Turn on two-step sign-in for yourself first, then require it of everyone.")
        )
    _setting_set(
        organisation,
        "require_two_step",
        required,
        kind=AuditKind.TWO_STEP,
        what="two_step_on" if required else "two_step_off",
        by=by,
    )


def organisation_bilingual_emails(*, organisation: Organisation, bilingual: bool, by: User) -> None:
    """A lead chooses whether every e-mail sent for the organisation is in Welsh and
    English, Welsh first (as Welsh councils often send), or in its reader's language."""
    require_lead(user=by, organisation=organisation)
    _setting_set(
        organisation,
        "bilingual_emails",
        bilingual,
        kind=AuditKind.EMAIL_LANGUAGES,
        what="emails_bilingual" if bilingual else "emails_one_language",
        by=by,
    )


def organisation_keeping_period(*, organisation: Organisation, months: int, by: User) -> None:
    """A lead sets how many months each person's answers and notes are kept after a round
    closes; then they are deleted and only the published figures are kept."""
    require_lead(user=by, organisation=organisation)
    if not KEEP_ANSWERS_SHORTEST <= months <= KEEP_ANSWERS_LONGEST:
        raise ServiceError(
            gettext("Keep answers for between %(shortest)s and %(longest)s months.")
            % {"shortest": KEEP_ANSWERS_SHORTEST, "longest": KEEP_ANSWERS_LONGEST}
        )
    _setting_set(
        organisation,
        "keep_answers_months",
        months,
        kind=AuditKind.KEEPING_PERIOD,
        what="keeping_period",
        details={"months": months},
        by=by,
    )


@transaction.atomic
def _setting_set(
    organisation: Organisation,
    field: str,
    value: bool | int,
    *,
    kind: str,
    what: str,
    by: User,
    details: dict | None = None,
) -> None:
    """The setting and its line in the activity log, together; nothing when unchanged."""
    if getattr(organisation, field) == value:
        return
    Organisation.objects.filter(pk=organisation.pk).update(**{field: value})
    setattr(organisation, field, value)
    audit_record(organisation=organisation, kind=kind, what=what, details=details, actor=by)
