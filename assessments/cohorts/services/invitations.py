"""Inviting organisations into a cohort, and their leads' answers."""

import logging
import secrets
from urllib.parse import quote

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from assessments import mail
from assessments.accounts.models import (
    AuditKind,
    Membership,
    Organisation,
    Role,
    User,
    new_token,
)
from assessments.accounts.services import audit_record, require_verified_email
from assessments.cohorts.models import (
    Cohort,
    CohortInvitation,
    CohortMember,
)
from assessments.cohorts.services.cohorts import _require_facilitator
from assessments.cohorts.services.kept import cohort_figures_refresh
from assessments.errors import MailNotSent, ServiceError
from assessments.rounds.models import token_hash

logger = logging.getLogger(__name__)


def cohort_invite(*, cohort: Cohort, email: str, invited_by: User) -> CohortInvitation:
    """E-mail an organisation's lead an invitation to bring their organisation into the
    cohort. They answer on their organisation's page, or by the link in the e-mail. The
    e-mail goes out once the invitation is committed; if the mail server fails, the
    invitation stays, valid, and MailNotSent says so: the facilitator can send it again
    with ``cohort_invitation_resend``, or by inviting the same address again."""
    _require_facilitator(cohort, invited_by)
    email = email.strip().lower()
    leads_of = list(
        Membership.objects.filter(user__email__iexact=email, role=Role.LEAD).values_list(
            "organisation_id", flat=True
        )
    )
    if leads_of and not set(leads_of) - set(
        CohortMember.objects.filter(cohort=cohort).values_list("organisation_id", flat=True)
    ):
        raise ServiceError(
            (
                gettext("Every organisation %(email)s leads is already in %(cohort)s.")
                if len(leads_of) > 1
                else gettext("The organisation %(email)s leads is already in %(cohort)s.")
            )
            % {"email": email, "cohort": cohort.name}
        )
    # An invitation whose e-mail never went out is not "already invited": inviting again
    # sends that one.
    invitation = CohortInvitation.objects.filter(
        cohort=cohort,
        email__iexact=email,
        status=CohortInvitation.Status.PENDING,
        sent_at__isnull=True,
    ).first()
    if invitation is None:
        try:
            with transaction.atomic(durable=True):
                invitation = CohortInvitation.objects.create(
                    cohort=cohort,
                    email=email,
                    invited_by=invited_by,
                    # A token nobody knows until the e-mail goes out with a fresh one.
                    token_hash=token_hash(new_token()),
                )
        except IntegrityError as exc:
            raise ServiceError(
                gettext(
                    "%(email)s has already been invited and has not answered yet. To send the "
                    "e-mail again, use Resend beside the invitation."
                )
                % {"email": email}
            ) from exc
    _cohort_invitation_email(
        invitation,
        failure=gettext(
            "We saved the invitation to %(email)s but could not send the e-mail just now. "
            "Try sending it again with Resend, in the list of invitations."
        )
        % {"email": email},
    )
    return invitation


def cohort_invitation_resend(
    *, invitation: CohortInvitation, by: User | None = None
) -> CohortInvitation:
    """E-mail a pending invitation again: the mail server failed the first time, or the
    e-mail went astray. For the cohort's facilitator."""
    _require_facilitator(invitation.cohort, by)
    if not invitation.is_pending:
        raise ServiceError(
            gettext("The invitation to %(email)s was already answered or withdrawn.")
            % {"email": invitation.email}
        )
    if mail.being_sent(invitation):
        raise ServiceError(
            gettext(
                "The invitation to %(email)s is being sent. Wait a few minutes, then look "
                "again before you resend it."
            )
            % {"email": invitation.email}
        )
    _cohort_invitation_email(
        invitation,
        failure=gettext(
            "We could not send the e-mail to %(email)s just now. Try again in a few minutes."
        )
        % {"email": invitation.email},
    )
    return invitation


def _cohort_invitation_email(invitation: CohortInvitation, *, failure: str) -> None:
    """E-mail the invitation with a fresh one-use token in its link; the database keeps
    only its hash, so the earlier link (if any) stops working."""
    email = invitation.email
    invitation.raw_token = new_token()
    invitation.token_hash = token_hash(invitation.raw_token)
    CohortInvitation.objects.filter(pk=invitation.pk).update(token_hash=invitation.token_hash)
    context = {
        "invitation": invitation,
        "cohort": invitation.cohort,
        "by": invitation.invited_by,
        "url": mail.site_url(cohort_invitation_path(invitation, invitation.raw_token)),
        # "@" kept as it is, so the address reads naturally in the e-mail.
        "signup_url": mail.site_url(f"{reverse('account_signup')}?email={quote(email, '@')}"),
        "has_account": User.objects.filter(email__iexact=email).exists(),
    }
    try:
        mail.send(
            mail.Message.COHORT_INVITATION,
            to=email,
            context=context,
            about=invitation,
            by=invitation.invited_by,
        )
    except MailNotSent as exc:
        raise MailNotSent(failure) from exc
    # Set by the worker once the e-mail has gone (at once when tasks run at once).
    invitation.sent_at = CohortInvitation.objects.values_list("sent_at", flat=True).get(
        pk=invitation.pk
    )


@transaction.atomic
def cohort_invitation_cancel(*, invitation: CohortInvitation, by: User | None = None) -> None:
    """The facilitator withdraws an invitation nobody has answered yet. Nothing goes in an
    organisation's activity log: no organisation has taken it up."""
    locked = (
        CohortInvitation.objects.select_for_update(of=("self",))
        .select_related("cohort")
        .get(pk=invitation.pk)
    )
    _require_facilitator(locked.cohort, by)
    if not locked.is_pending:
        raise ServiceError(
            gettext("The invitation to %(email)s was already answered.") % {"email": locked.email}
        )
    locked.status = CohortInvitation.Status.CANCELLED
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "answered_at"])
    invitation.status, invitation.answered_at = locked.status, locked.answered_at


def _pending_invitation(invitation: CohortInvitation) -> CohortInvitation:
    locked = CohortInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != CohortInvitation.Status.PENDING:
        answered: dict[str, str] = {
            CohortInvitation.Status.ACCEPTED: gettext("This invitation has already been accepted."),
            CohortInvitation.Status.DECLINED: gettext("This invitation has already been declined."),
        }
        raise ServiceError(
            answered.get(locked.status, gettext("The facilitator has withdrawn this invitation."))
        )
    return locked


def cohort_invitation_path(invitation: CohortInvitation, token: str) -> str:
    return reverse(
        "assessments:cohort-invitation-link", kwargs={"pk": invitation.pk, "token": token}
    )


@transaction.atomic
def cohort_invitation_accept(
    *, invitation: CohortInvitation, organisation: Organisation, user: User, token: str
) -> CohortMember:
    """A lead brings one of their organisations into the cohort, with the invitation's
    one-use token (from the e-mailed link), signed in with the address it was sent to,
    once that address is verified: the address alone is not enough."""
    locked = _pending_invitation(invitation)
    if locked.email.lower() != user.email.lower():
        raise ServiceError(gettext("This invitation was sent to someone else."))
    if not secrets.compare_digest(locked.token_hash, token_hash(token or "")):
        raise ServiceError(
            gettext("To accept, open the link in the invitation e-mail sent to %(email)s.")
            % {"email": locked.email}
        )
    require_verified_email(user)
    if not Membership.objects.filter(user=user, organisation=organisation, role=Role.LEAD).exists():
        raise ServiceError(
            gettext("Only a lead of %(name)s can bring it into a cohort.")
            % {"name": organisation.name}
        )
    if CohortMember.objects.filter(cohort=locked.cohort_id, organisation=organisation).exists():
        raise ServiceError(
            gettext("%(name)s is already in %(cohort)s.")
            % {"name": organisation.name, "cohort": locked.cohort.name}
        )
    member = CohortMember.objects.create(cohort_id=locked.cohort_id, organisation=organisation)
    locked.status = CohortInvitation.Status.ACCEPTED
    locked.organisation = organisation
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "organisation", "answered_at"])
    invitation.status, invitation.organisation = locked.status, organisation
    audit_record(
        organisation=organisation,
        kind=AuditKind.COHORT_JOINED,
        what="cohort_joined",
        details={"name": locked.cohort.name},
        actor=user,
    )
    cohort_figures_refresh(cohort=locked.cohort, organisation_id=organisation.pk)
    return member


@transaction.atomic
def cohort_invitation_decline(*, invitation: CohortInvitation, user: User) -> None:
    locked = _pending_invitation(invitation)
    if locked.email.lower() != user.email.lower():
        raise ServiceError(gettext("This invitation was sent to someone else."))
    locked.status = CohortInvitation.Status.DECLINED
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "answered_at"])
    invitation.status = locked.status
