"""Every write to a cohort: starting and changing it, inviting organisations, their
leads' answers, leaving and showing the name.
"""

import logging
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import quote

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments import mail
from assessments.accounts.models import (
    AuditKind,
    Membership,
    Organisation,
    Role,
    User,
    new_token,
)
from assessments.accounts.services import audit_record, require_lead, require_verified_email
from assessments.cohorts import selectors
from assessments.cohorts.benchmark import benchmark_update
from assessments.cohorts.figures import cohort_figures
from assessments.cohorts.models import (
    Cohort,
    CohortFigures,
    CohortInvitation,
    CohortMember,
)
from assessments.errors import MailNotSent, ServiceError
from assessments.rounds.models import token_hash
from coprod import limits
from coprod.limits import Limit
from principles.models import Framework
from principles.selectors import latest_frameworks

logger = logging.getLogger(__name__)


def _check_period(starts_on, ends_on) -> None:
    if ends_on < starts_on:
        raise ServiceError("The end of the period must be on or after its start.")


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ServiceError("Enter a name for the cohort.")
    return name


def _require_facilitator(cohort: Cohort, user: User | None) -> None:
    """Refuse a change to a cohort by anyone but its facilitator (``None`` is the system)."""
    if user is not None and cohort.facilitator_id != user.pk:
        raise ServiceError("Only the cohort's facilitator can do that.")


def cohort_create(
    *, name: str, framework: Framework, starts_on, ends_on, facilitator: User
) -> Cohort:
    """Start a cohort; whoever starts it is its facilitator."""
    if not latest_frameworks().filter(pk=framework.pk).exists():
        raise ServiceError(
            f"There is a newer version of {framework.name}. Choose it for a new cohort."
        )
    _check_period(starts_on, ends_on)
    return Cohort.objects.create(
        name=_clean_name(name),
        framework=framework,
        starts_on=starts_on,
        ends_on=ends_on,
        facilitator=facilitator,
    )


@transaction.atomic
def cohort_update(
    *, cohort: Cohort, name: str, starts_on, ends_on, by: User | None = None
) -> Cohort:
    """Rename a cohort or move its period. Its framework stays: the organisations joined
    to reflect on that one. Once organisations have joined, the period can be made shorter
    but not longer: they agreed to share the rounds of the period they were shown, and a
    longer one would share rounds they never agreed to. Each of them is told, in its
    activity log, when the period changes."""
    _require_facilitator(cohort, by)
    _check_period(starts_on, ends_on)
    name = _clean_name(name)
    with transaction.atomic():
        locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
        before = (locked.starts_on, locked.ends_on)
        members = list(CohortMember.objects.filter(cohort=locked).select_related("organisation"))
        if members and (starts_on < locked.starts_on or ends_on > locked.ends_on):
            raise ServiceError(
                f"Organisations have joined this cohort to share their rounds from "
                f"{_day(locked.starts_on)} to {_day(locked.ends_on)}. The period can be made "
                "shorter, but not longer: a longer one would share rounds they did not agree "
                "to share. To take in more, start a new cohort and invite them to it."
            )
        cohort.name = locked.name = name
        cohort.starts_on = locked.starts_on = starts_on
        cohort.ends_on = locked.ends_on = ends_on
        locked.save(update_fields=["name", "starts_on", "ends_on"])
        if (starts_on, ends_on) != before:
            for member in members:
                audit_record(
                    organisation=member.organisation,
                    kind=AuditKind.COHORT_PERIOD,
                    summary=f"The cohort “{name}” now counts rounds from {_day(starts_on)} "
                    f"to {_day(ends_on)} (it was {_day(before[0])} to {_day(before[1])}).",
                    actor=by,
                )
    cohort_figures_refresh(cohort=cohort)  # fewer rounds may count now
    return cohort


def _day(day) -> str:
    return f"{day.day} {day:%B %Y}"


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
            f"Every organisation {email} leads is already in {cohort.name}."
            if len(leads_of) > 1
            else f"The organisation {email} leads is already in {cohort.name}."
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
                f"{email} has already been invited and has not answered yet. To send the "
                "e-mail again, use Resend beside the invitation."
            ) from exc
    _cohort_invitation_email(
        invitation,
        failure=f"We saved the invitation to {email} but could not send the e-mail just now. "
        "Try sending it again with Resend, in the list of invitations.",
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
            f"The invitation to {invitation.email} was already answered or withdrawn."
        )
    _cohort_invitation_email(
        invitation,
        failure=f"We could not send the e-mail to {invitation.email} just now. "
        "Try again in a few minutes.",
    )
    return invitation


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
            f"Keep the note to {REMINDER_NOTE_MAX} characters (it has {len(note)})."
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
                mail.send(
                    mail.Message.COHORT_REMINDER, to=lead.email, context=context, by=by
                )
        except MailNotSent:
            outcome.failed.append(organisation.name)
            continue
        limits.hit((REMINDER_LIMIT, key))
        audit_record(
            organisation=organisation,
            kind=AuditKind.COHORT_REMINDED,
            summary=f"{by.get_full_name() or by.email}, facilitator of the cohort "
            f"“{cohort.name}”, reminded the leads to start a round.",
            actor=by,
        )
        outcome.sent.append(organisation.name)
    return outcome


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
    invitation.sent_at = (
        CohortInvitation.objects.values_list("sent_at", flat=True).get(pk=invitation.pk)
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
        raise ServiceError(f"The invitation to {locked.email} was already answered.")
    locked.status = CohortInvitation.Status.CANCELLED
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "answered_at"])
    invitation.status, invitation.answered_at = locked.status, locked.answered_at


def _pending_invitation(invitation: CohortInvitation) -> CohortInvitation:
    locked = CohortInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != CohortInvitation.Status.PENDING:
        answered: dict[str, str] = {
            CohortInvitation.Status.ACCEPTED: "This invitation has already been accepted.",
            CohortInvitation.Status.DECLINED: "This invitation has already been declined.",
        }
        raise ServiceError(
            answered.get(locked.status, "The facilitator has withdrawn this invitation.")
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
        raise ServiceError("This invitation was sent to someone else.")
    if not secrets.compare_digest(locked.token_hash, token_hash(token or "")):
        raise ServiceError(
            f"To accept, open the link in the invitation e-mail sent to {locked.email}."
        )
    require_verified_email(user)
    if not Membership.objects.filter(user=user, organisation=organisation, role=Role.LEAD).exists():
        raise ServiceError(f"Only a lead of {organisation.name} can bring it into a cohort.")
    if CohortMember.objects.filter(cohort=locked.cohort_id, organisation=organisation).exists():
        raise ServiceError(f"{organisation.name} is already in {locked.cohort.name}.")
    member = CohortMember.objects.create(cohort_id=locked.cohort_id, organisation=organisation)
    locked.status = CohortInvitation.Status.ACCEPTED
    locked.organisation = organisation
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "organisation", "answered_at"])
    invitation.status, invitation.organisation = locked.status, organisation
    audit_record(
        organisation=organisation,
        kind=AuditKind.COHORT_JOINED,
        summary=f"Joined the cohort “{locked.cohort.name}”.",
        actor=user,
    )
    cohort_figures_refresh(cohort=locked.cohort, organisation_id=organisation.pk)
    return member


@transaction.atomic
def cohort_invitation_decline(*, invitation: CohortInvitation, user: User) -> None:
    locked = _pending_invitation(invitation)
    if locked.email.lower() != user.email.lower():
        raise ServiceError("This invitation was sent to someone else.")
    locked.status = CohortInvitation.Status.DECLINED
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "answered_at"])
    invitation.status = locked.status


def _lock_member(member: CohortMember) -> CohortMember:
    locked = (
        CohortMember.objects.select_for_update(of=("self",))
        .select_related("cohort")
        .filter(pk=member.pk)
        .first()
    )
    if locked is None:
        raise ServiceError("Your organisation is no longer in this cohort.")
    return locked


@transaction.atomic
def cohort_member_leave(*, member: CohortMember, by: User | None = None) -> None:
    """The organisation leaves the cohort: its figures leave the cohort's dashboard at once,
    and the cohort mean members see the next time that mean is worked out (it moves only in
    steps, see ``reporting.benchmark``). Its rounds and answers are untouched."""
    require_lead(user=by, organisation=member.organisation_id)
    locked = _lock_member(member)  # two leads leaving at once: one leaves, one is told
    locked.delete()
    audit_record(
        organisation=locked.organisation_id,
        kind=AuditKind.COHORT_LEFT,
        summary=f"Left the cohort “{locked.cohort.name}”.",
        actor=by,
    )
    cohort_figures_refresh(cohort=locked.cohort, organisation_id=locked.organisation_id)


@transaction.atomic
def cohort_member_show_name(
    *, member: CohortMember, show: bool, by: User | None = None
) -> CohortMember:
    require_lead(user=by, organisation=member.organisation_id)
    locked = _lock_member(member)
    changed = locked.show_name != show
    locked.show_name = show
    locked.save(update_fields=["show_name"])
    member.show_name = show
    if changed:
        audit_record(
            organisation=locked.organisation_id,
            kind=AuditKind.COHORT_NAME,
            summary=(
                f"The organisation’s name is now shown to others in “{locked.cohort.name}”."
                if show
                else f"The organisation’s name is now hidden from others in “{locked.cohort.name}”."
            ),
            actor=by,
        )
    return member


# What a cohort shows, kept up to date ------------------------------------------------------


def cohort_figures_store(*, cohort: Cohort) -> CohortFigures:
    """Work out the cohort-level figures of the dashboard from the members' latest
    publications, and keep them."""
    data = cohort_figures(
        cohort, closed_organisations=len(selectors.cohort_closing_publications(cohort))
    )
    figures, _ = CohortFigures.objects.update_or_create(
        cohort=cohort,
        defaults={"data": data, "made_at": timezone.now(), "version": uuid.uuid4().hex},
    )
    return figures


def cohort_pages_touch(*, organisation_id: int) -> None:
    """Something the cohort pages show of an organisation changed without changing any
    figure (its round's title, or whether it shows figures while open): a new version, so
    that no worker shows what it kept of the pages before."""
    CohortFigures.objects.filter(cohort__members__organisation_id=organisation_id).update(
        version=uuid.uuid4().hex
    )


def cohort_figures_refresh(
    *, cohort: Cohort | None = None, organisation_id: int | None = None
) -> None:
    """After anything that can change what a cohort shows — a round made, opened, closed or
    reopened, a publication made, an organisation joining or leaving, the period moved —
    point each member at the round that counts and its latest publication, work the
    cohort-level figures out again, and make a new cohort mean if the rules allow one
    (``reporting.benchmark``). For every cohort the organisation is in, or for one cohort
    (all its members, or only the organisation given). Pages only read what this keeps."""
    if cohort is not None:
        cohorts = [cohort]
    else:
        assert organisation_id is not None, "a cohort or an organisation"
        cohorts = list(  # always locked in the same order
            Cohort.objects.filter(members__organisation_id=organisation_id)
            .select_related("framework")
            .order_by("pk")
        )
    only = None if organisation_id is None else [organisation_id]
    for each in cohorts:
        with transaction.atomic():
            Cohort.objects.select_for_update().filter(pk=each.pk).first()  # one at a time
            standing = selectors.cohort_standing(each, only)
            members = CohortMember.objects.filter(cohort=each)
            if only is not None:
                members = members.filter(organisation_id__in=only)
            changed = []
            for member in members.only("pk", "organisation_id", "round_id", "publication_id"):
                round_id, publication_id = standing.get(member.organisation_id, (None, None))
                if (member.round_id, member.publication_id) != (round_id, publication_id):
                    member.round_id, member.publication_id = round_id, publication_id
                    changed.append(member)
            CohortMember.objects.bulk_update(changed, ["round", "publication"], batch_size=500)
            cohort_figures_store(cohort=each)
            benchmark_update(cohort=each)


def cohorts_of(organisation_id: int) -> list[int]:
    """The cohorts an organisation is in (to refresh them once it has gone)."""
    return list(
        CohortMember.objects.filter(organisation_id=organisation_id).values_list(
            "cohort_id", flat=True
        )
    )


def cohorts_refresh(cohort_ids) -> None:
    for cohort in Cohort.objects.filter(pk__in=cohort_ids).select_related("framework"):
        cohort_figures_refresh(cohort=cohort)
