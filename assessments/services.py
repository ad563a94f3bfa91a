"""Every write in a round's life, as ``<noun>_<verb>`` functions with keyword-only arguments.

Views call these and never save models themselves, so the rules (who may do what, in
which state, with which record) live in one place.
"""

import logging
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from principles.models import Framework, PracticeStatement
from principles.services import framework_freeze

from .models import (
    Action,
    ActionStatus,
    AgreedPosition,
    Answer,
    AuditEvent,
    AuditKind,
    Cohort,
    CohortInvitation,
    CohortMember,
    ColleagueInvite,
    Invite,
    Level,
    Membership,
    Organisation,
    Perspective,
    Respondent,
    Role,
    Round,
    RoundEvent,
    RoundStatus,
    User,
)

logger = logging.getLogger(__name__)

MAX_BATCH = 200


class ServiceError(Exception):
    """A request that breaks a rule; the message is written for the person who made it."""


# Organisations and people -------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def audit_record(
    *,
    organisation: Organisation | int,
    kind: str,
    summary: str,
    actor: User | None = None,
    round: Round | None = None,
) -> AuditEvent:
    """Note an event in the organisation's activity log. The summary names people by their
    account only (never a respondent, an answer, a note or a link's token)."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return AuditEvent.objects.create(
        organisation_id=organisation_id,
        kind=kind,
        summary=summary[:300],
        actor=actor if actor is not None and actor.is_authenticated else None,
        round=round,
    )


def organisation_create(*, name: str, lead: User) -> Organisation:
    organisation = Organisation.objects.create(name=name.strip(), slug=_unique_slug(name))
    Membership.objects.create(user=lead, organisation=organisation, role=Role.LEAD)
    return organisation


def colleague_invite(
    *, organisation: Organisation, email: str, role: str, invited_by: User, base_url: str
) -> ColleagueInvite:
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ServiceError(f"{email} is already a member of {organisation}.")
    try:
        with transaction.atomic():
            invite = ColleagueInvite.objects.create(
                organisation=organisation, email=email, role=role, invited_by=invited_by
            )
    except IntegrityError as exc:
        raise ServiceError(f"{email} has already been invited and has not answered yet.") from exc
    audit_record(
        organisation=organisation,
        kind=AuditKind.COLLEAGUE_INVITED,
        summary=f"Invited {email} as {Role(role).label.lower()}.",
        actor=invited_by,
    )
    context = {"invite": invite, "url": base_url + invite_accept_path(invite), "by": invited_by}
    send_mail(
        subject=f"Join {organisation} on coprod",
        message=render_to_string("assessments/email/colleague_invite.txt", context),
        from_email=None,
        recipient_list=[email],
    )
    return invite


def invite_accept_path(invite: ColleagueInvite) -> str:
    from django.urls import reverse

    return reverse("assessments:join", kwargs={"token": invite.token})


@transaction.atomic
def colleague_invite_accept(*, invite: ColleagueInvite, user: User) -> Membership:
    invite = ColleagueInvite.objects.select_for_update().get(pk=invite.pk)
    if not invite.is_pending:
        raise ServiceError("This invitation has already been used or was cancelled.")
    if user.email.lower() != invite.email.lower():
        raise ServiceError(
            f"This invitation is for {invite.email}. Sign in with that address to accept it."
        )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invite.organisation, defaults={"role": invite.role}
    )
    invite.accepted_at = timezone.now()
    invite.save(update_fields=["accepted_at"])
    if created:
        audit_record(
            organisation=invite.organisation,
            kind=AuditKind.MEMBER_JOINED,
            summary=f"{user.email} joined as {membership.get_role_display().lower()}.",
            actor=user,
        )
    return membership


def colleague_invite_cancel(*, invite: ColleagueInvite) -> None:
    ColleagueInvite.objects.filter(pk=invite.pk, accepted_at__isnull=True).update(
        cancelled_at=timezone.now()
    )


def _check_not_last_lead(membership: Membership) -> None:
    if not membership.is_lead:
        return
    leads = Membership.objects.select_for_update().filter(
        organisation_id=membership.organisation_id, role=Role.LEAD
    )
    if len(leads) <= 1:
        raise ServiceError(
            "An organisation needs at least one lead. Make someone else a lead first."
        )


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: str, by: User | None = None
) -> Membership:
    if role not in Role.values:
        raise ServiceError("Choose lead or member.")
    if role != membership.role:
        if role == Role.MEMBER:
            _check_not_last_lead(membership)
        membership.role = role
        membership.save(update_fields=["role"])
        audit_record(
            organisation=membership.organisation_id,
            kind=AuditKind.ROLE_CHANGED,
            summary=f"{membership.user.email} is now a {membership.get_role_display().lower()}.",
            actor=by,
        )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User | None = None) -> None:
    _check_not_last_lead(membership)
    membership.delete()
    audit_record(
        organisation=membership.organisation_id,
        kind=AuditKind.MEMBER_REMOVED,
        summary=(
            f"{membership.user.email} left the organisation."
            if by is not None and by.pk == membership.user_id
            else f"{membership.user.email} was removed from the organisation."
        ),
        actor=by,
    )


# Rounds --------------------------------------------------------------------------------


def round_create(
    *, organisation: Organisation, framework: Framework, title: str, closes_on, created_by: User
) -> Round:
    return Round.objects.create(
        organisation=organisation,
        framework=framework,
        title=title.strip(),
        closes_on=closes_on,
        created_by=created_by,
    )


def round_update(*, round: Round, title: str, closes_on) -> Round:
    round.title = title.strip()
    round.closes_on = closes_on
    round.save(update_fields=["title", "closes_on"])
    return round


ROUND_AUDIT_KINDS = {
    RoundEvent.Kind.OPENED: AuditKind.ROUND_OPENED,
    RoundEvent.Kind.CLOSED: AuditKind.ROUND_CLOSED,
    RoundEvent.Kind.REOPENED: AuditKind.ROUND_REOPENED,
}


def _transition(round: Round, allowed_from: set[str], to: str, kind: str, by: User, reason: str):
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        if locked.status not in allowed_from:
            raise ServiceError(
                f"This round is {locked.get_status_display().lower()}, so it cannot be {kind}."
            )
        now = timezone.now()
        locked.status = to
        if to == RoundStatus.OPEN:
            locked.opened_at = locked.opened_at or now
            locked.closed_at = None
            if locked.closes_on and locked.closes_on < timezone.localdate():
                locked.closes_on = None
        else:
            locked.closed_at = now
        locked.save(update_fields=["status", "opened_at", "closed_at", "closes_on"])
        RoundEvent.objects.create(round=locked, kind=kind, by=by, at=now, reason=reason)
        audit_record(
            organisation=locked.organisation_id,
            kind=ROUND_AUDIT_KINDS[kind],
            summary=f"Round “{locked.title}” {kind}." + (f" Reason: {reason}" if reason else ""),
            actor=by,
            round=locked,
        )
        if to == RoundStatus.OPEN:
            framework_freeze(framework=locked.framework)
    for field in ("status", "opened_at", "closed_at", "closes_on"):
        setattr(round, field, getattr(locked, field))
    return round


def round_open(*, round: Round, by: User) -> Round:
    return _transition(round, {RoundStatus.DRAFT}, RoundStatus.OPEN, "opened", by, "")


def round_close(*, round: Round, by: User) -> Round:
    """Closing freezes every answer: from now on nothing is written to this round's answers."""
    return _transition(round, {RoundStatus.OPEN}, RoundStatus.CLOSED, "closed", by, "")


def round_reopen(*, round: Round, by: User, reason: str) -> Round:
    if not reason.strip():
        raise ServiceError("Say why the round is being reopened; it is kept in the round's record.")
    return _transition(round, {RoundStatus.CLOSED}, RoundStatus.OPEN, "reopened", by, reason)


# Invite links for people without an account --------------------------------------------


def invites_create(
    *, round: Round, perspective: str, count: int = 1, label: str = "", email: str = "", by: User
) -> list[Invite]:
    if round.is_closed:
        raise ServiceError("This round is closed. Reopen it before making new links.")
    if perspective not in Perspective.values:
        raise ServiceError("Choose the perspective of the people who will use these links.")
    if not 1 <= count <= MAX_BATCH:
        raise ServiceError(f"Make between 1 and {MAX_BATCH} links at a time.")
    invites = [
        Invite(
            round=round,
            perspective=perspective,
            label=(f"{label} {n}".strip() if count > 1 and label else label),
            email=email,
            created_by=by,
        )
        for n in range(1, count + 1)
    ]
    Invite.objects.bulk_create(invites)
    return list(Invite.objects.filter(round=round).order_by("-pk")[:count])[::-1]


def invite_send(*, invite: Invite, email: str, base_url: str) -> Invite:
    """E-mail a link to the person it is for. Their address is kept only to show it was sent."""
    context = {"invite": invite, "round": invite.round, "url": base_url + invite.get_absolute_url()}
    send_mail(
        subject=f"Your invitation: {invite.round.organisation} wants to hear from you",
        message=render_to_string("assessments/email/answer_invite.txt", context),
        from_email=None,
        recipient_list=[email],
    )
    invite.email = email
    invite.sent_at = timezone.now()
    invite.save(update_fields=["email", "sent_at"])
    return invite


def invite_revoke(*, invite: Invite, by: User | None = None) -> None:
    revoked = Invite.objects.filter(pk=invite.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    invite.refresh_from_db(fields=["revoked_at"])
    if revoked:
        name = f"“{invite.label}”" if invite.label else f"number {invite.pk}"
        audit_record(
            organisation=invite.round.organisation_id,
            kind=AuditKind.LINK_REVOKED,
            summary=f"Answer link {name} ({invite.get_perspective_display().lower()}) revoked "
            f"in round “{invite.round.title}”.",
            actor=by,
            round=invite.round,
        )


# Answering -----------------------------------------------------------------------------


def respondent_for_member(*, round: Round, user: User, perspective: str) -> Respondent:
    """A member's one respondent in a round; the perspective is chosen once."""
    if perspective not in Perspective.values:
        raise ServiceError("Choose the perspective you are answering from.")
    try:
        with transaction.atomic():
            respondent, _ = Respondent.objects.get_or_create(
                round=round, user=user, defaults={"perspective": perspective}
            )
    except IntegrityError:  # two tabs chose at once: the first one wins
        respondent = Respondent.objects.get(round=round, user=user)
    return respondent


def respondent_for_invite(*, invite: Invite) -> Respondent:
    try:
        with transaction.atomic():
            respondent, _ = Respondent.objects.get_or_create(
                invite=invite, defaults={"round": invite.round, "perspective": invite.perspective}
            )
    except IntegrityError:
        respondent = Respondent.objects.get(invite=invite)
    return respondent


class RoundNotAcceptingAnswers(ServiceError):
    pass


@dataclass(frozen=True)
class AnswerInput:
    statement_id: int
    level: int
    note: str = ""


def answers_save(*, respondent: Respondent, answers: list[AnswerInput]) -> int:
    """Save (insert or update) a respondent's answers in one statement.

    An upsert on the (respondent, statement) constraint, so a double submit, a stale tab
    or two tabs at once leave exactly one answer per statement: the latest one written.
    The round is locked for the write, so an answer cannot slip in after it closes.
    """
    if not answers:
        return 0
    valid_levels = set(Level.values)
    for item in answers:
        if item.level not in valid_levels:
            raise ServiceError(f"{item.level!r} is not one of the levels on the scale.")
    statement_ids = {item.statement_id for item in answers}
    known = set(
        PracticeStatement.objects.filter(
            pk__in=statement_ids, principle__framework_id=respondent.round.framework_id
        ).values_list("pk", flat=True)
    )
    if statement_ids - known:
        raise ServiceError("Some answers are for statements that are not in this round.")
    now = timezone.now()
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=respondent.round_id)
        if not round_.accepts_answers:
            raise RoundNotAcceptingAnswers(
                "This round has closed, so answers can no longer be changed. "
                "Thank you for taking part."
            )
        Answer.objects.bulk_create(
            [
                Answer(
                    respondent=respondent,
                    statement_id=item.statement_id,
                    level=item.level,
                    note=item.note.strip(),
                    updated_at=now,
                )
                for item in answers
            ],
            update_conflicts=True,
            unique_fields=["respondent", "statement"],
            update_fields=["level", "note", "updated_at"],
        )
    return len(answers)


def respondent_progress(*, respondent: Respondent, page: int, finished: bool = False) -> None:
    fields = {"last_page": page}
    if finished:
        fields["finished_at"] = timezone.now()
    Respondent.objects.filter(pk=respondent.pk).update(**fields)


# After the discussion ------------------------------------------------------------------


def agreed_position_record(
    *, round: Round, statement: PracticeStatement, level: int, reason: str, by: User
) -> AgreedPosition:
    if statement.principle.framework_id != round.framework_id:
        raise ServiceError("That statement is not part of this round.")
    position, _ = AgreedPosition.objects.update_or_create(
        round=round,
        statement=statement,
        defaults={"level": level, "reason": reason.strip(), "recorded_by": by},
    )
    return position


def agreed_position_clear(*, round: Round, statement: PracticeStatement) -> None:
    AgreedPosition.objects.filter(round=round, statement=statement).delete()


def action_save(*, action: Action) -> Action:
    if action.statement_id and action.statement.principle_id != action.principle_id:
        raise ServiceError("The statement chosen is not part of the principle chosen.")
    if action.principle.framework_id != action.round.framework_id:
        raise ServiceError("That principle is not part of this round.")
    action.save()
    return action


def action_carry_forward(*, action: Action, into: Round) -> Action:
    """Bring an open action from the last round into this one, keeping the link back."""
    if into.organisation_id != action.round.organisation_id:
        raise ServiceError("Actions can only be carried into a round of the same organisation.")
    principle = into.framework.principles.filter(slug=action.principle.slug).first()
    if principle is None:
        raise ServiceError("This round's framework has no principle matching that action.")
    existing = Action.objects.filter(round=into, carried_from=action).first()
    if existing:
        return existing
    return Action.objects.create(
        round=into,
        principle=principle,
        change_from=action.change_from,
        change_to=action.change_to,
        owner=action.owner,
        co_owner=action.co_owner,
        due_on=action.due_on,
        step=action.step,
        status=action.status,
        carried_from=action,
    )


def action_close_from_review(*, action: Action, status: str) -> Action:
    if status not in (ActionStatus.DONE, ActionStatus.DROPPED):
        raise ServiceError("Mark the action as done or dropped.")
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    return action


# Data rights ---------------------------------------------------------------------------


def organisation_delete(*, organisation: Organisation, by: User) -> None:
    """Delete the organisation and everything it holds: rounds, answers and notes, answer
    links, agreed positions, actions, memberships, invitations and its activity log. Cohort
    figures are computed from what remains, so they no longer include it."""
    with transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).delete()
    logger.info("organisation deleted", extra={"organisation_id": organisation.pk})


def account_blockers(user: User) -> list[Organisation]:
    """Organisations in which this person is the only lead while others belong: they must
    make someone else a lead before deleting their account."""
    blocking = []
    for membership in Membership.objects.filter(user=user, role=Role.LEAD).select_related(
        "organisation"
    ):
        organisation = membership.organisation
        others = Membership.objects.filter(organisation=organisation).exclude(user=user)
        if others.exists() and not others.filter(role=Role.LEAD).exists():
            blocking.append(organisation)
    return blocking


def account_sole_organisations(user: User) -> list[Organisation]:
    """Organisations this person is the only member of: they go with the account."""
    return [
        m.organisation
        for m in Membership.objects.filter(user=user).select_related("organisation")
        if not Membership.objects.filter(organisation=m.organisation).exclude(user=user).exists()
    ]


def account_delete(*, user: User) -> None:
    """Delete a person's account: their memberships, the answers they gave signed in, the
    cohorts they run, and any organisation they were the only member of. Refused while
    they are the only lead of an organisation others still belong to."""
    user_id = user.pk
    with transaction.atomic():
        blockers = account_blockers(user)
        if blockers:
            names = ", ".join(o.name for o in blockers)
            raise ServiceError(
                f"You are the only lead of {names}. Make someone else a lead first, so the "
                "organisation is not left without one."
            )
        for organisation in account_sole_organisations(user):
            Organisation.objects.filter(pk=organisation.pk).delete()
        for membership in Membership.objects.filter(user=user):
            audit_record(
                organisation=membership.organisation_id,
                kind=AuditKind.MEMBER_LEFT,
                summary="A person deleted their account and left the organisation; "
                "answers they gave signed in were deleted with it.",
            )
        user.delete()
    logger.info("account deleted", extra={"user_id": user_id})


# Cohorts -------------------------------------------------------------------------------


def _check_period(starts_on, ends_on) -> None:
    if ends_on < starts_on:
        raise ServiceError("The end of the period must be on or after its start.")


def cohort_create(
    *, name: str, framework: Framework, starts_on, ends_on, facilitator: User
) -> Cohort:
    """Start a cohort; whoever starts it is its facilitator."""
    _check_period(starts_on, ends_on)
    return Cohort.objects.create(
        name=name.strip(),
        framework=framework,
        starts_on=starts_on,
        ends_on=ends_on,
        facilitator=facilitator,
    )


def cohort_update(*, cohort: Cohort, name: str, starts_on, ends_on) -> Cohort:
    """Rename a cohort or move its period. Its framework stays: the organisations joined
    to reflect on that one."""
    _check_period(starts_on, ends_on)
    cohort.name = name.strip()
    cohort.starts_on = starts_on
    cohort.ends_on = ends_on
    cohort.save(update_fields=["name", "starts_on", "ends_on"])
    return cohort


def cohort_invite(*, cohort: Cohort, email: str, invited_by: User, base_url: str):
    """E-mail an organisation's lead an invitation to bring their organisation into the
    cohort. They answer on their organisation's page, or by the link in the e-mail."""
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
    try:
        with transaction.atomic():
            invitation = CohortInvitation.objects.create(
                cohort=cohort, email=email, invited_by=invited_by
            )
    except IntegrityError as exc:
        raise ServiceError(f"{email} has already been invited and has not answered yet.") from exc
    context = {
        "invitation": invitation,
        "cohort": cohort,
        "by": invited_by,
        "url": base_url + invitation.get_absolute_url(),
        "signup_url": base_url + reverse("assessments:signup") + f"?email={email}",
        "has_account": User.objects.filter(email__iexact=email).exists(),
    }
    send_mail(
        subject=f"Join the cohort {cohort.name} on coprod",
        message=render_to_string("assessments/email/cohort_invite.txt", context),
        from_email=None,
        recipient_list=[email],
    )
    return invitation


def cohort_invitation_cancel(*, invitation: CohortInvitation) -> None:
    CohortInvitation.objects.filter(
        pk=invitation.pk, status=CohortInvitation.Status.PENDING
    ).update(status=CohortInvitation.Status.CANCELLED, answered_at=timezone.now())


def _pending_invitation(invitation: CohortInvitation) -> CohortInvitation:
    locked = CohortInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != CohortInvitation.Status.PENDING:
        raise ServiceError(
            {
                CohortInvitation.Status.ACCEPTED: "This invitation has already been accepted.",
                CohortInvitation.Status.DECLINED: "This invitation has already been declined.",
            }.get(locked.status, "The facilitator has withdrawn this invitation.")
        )
    return locked


@transaction.atomic
def cohort_invitation_accept(
    *, invitation: CohortInvitation, organisation: Organisation, user: User
) -> CohortMember:
    """A lead brings one of their organisations into the cohort."""
    locked = _pending_invitation(invitation)
    if locked.email.lower() != user.email.lower():
        raise ServiceError("This invitation was sent to someone else.")
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


def cohort_member_leave(*, member: CohortMember, by: User | None = None) -> None:
    """The organisation leaves the cohort: its figures no longer count in the cohort's
    dashboard or benchmark. Its rounds and answers are untouched."""
    member.delete()
    audit_record(
        organisation=member.organisation_id,
        kind=AuditKind.COHORT_LEFT,
        summary=f"Left the cohort “{member.cohort.name}”.",
        actor=by,
    )


def cohort_member_show_name(
    *, member: CohortMember, show: bool, by: User | None = None
) -> CohortMember:
    changed = member.show_name != show
    member.show_name = show
    member.save(update_fields=["show_name"])
    if changed:
        audit_record(
            organisation=member.organisation_id,
            kind=AuditKind.COHORT_NAME,
            summary=(
                f"The organisation’s name is now shown to others in “{member.cohort.name}”."
                if show
                else f"The organisation’s name is now hidden from others in “{member.cohort.name}”."
            ),
            actor=by,
        )
    return member
