"""What a lead sets for the whole organisation: two-step sign-in for everyone, and e-mails
in Welsh and English. Each change is written with its line in the activity log."""

from django.db import transaction
from django.utils.translation import gettext

from assessments.accounts.models import AuditKind, Organisation, User
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


@transaction.atomic
def _setting_set(
    organisation: Organisation, field: str, value: bool, *, kind: str, what: str, by: User
) -> None:
    """The setting and its line in the activity log, together; nothing when unchanged."""
    if getattr(organisation, field) == value:
        return
    Organisation.objects.filter(pk=organisation.pk).update(**{field: value})
    setattr(organisation, field, value)
    audit_record(organisation=organisation, kind=kind, what=what, actor=by)
