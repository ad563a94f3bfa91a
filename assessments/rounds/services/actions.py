"""Actions: the round's plan, and the review that carries the last round's open actions
forward or closes them."""

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.accounts.activity import translated
from assessments.accounts.models import AuditKind, Membership, User
from assessments.accounts.services import audit_record, require_lead
from assessments.errors import ServiceError
from assessments.rounds.action_reminders import reminder_queue
from assessments.rounds.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatus,
    ActionUpdate,
    Round,
)
from assessments.rounds.selectors import previous_round


def action_save(*, action: Action, by: User | None = None) -> Action:
    """Add an action to a round's plan, or save changes to one. A new action starts its
    history with a progress note of the status it was added with; after that the status
    changes only through ``action_progress_add``. The owner's reminder is queued for the
    due date as it now stands (``action_reminders``)."""
    require_lead(user=by, organisation=action.round.organisation_id)
    if action.statement is not None and action.statement.principle_id != action.principle_id:
        raise ServiceError(_("The statement chosen is not part of the principle chosen."))
    if action.principle.framework_id != action.round.framework_id:
        raise ServiceError(_("That principle is not part of this round."))
    if (
        action.owner_user_id is not None
        and not Membership.objects.filter(
            user_id=action.owner_user_id, organisation_id=action.round.organisation_id
        ).exists()
    ):
        raise ServiceError(_("The owner chosen is not a member of this organisation."))
    if not 0 <= action.remind_days_before <= 365:
        raise ServiceError(_("Choose between 0 and 365 days before the due date."))
    with transaction.atomic():
        new = action.pk is None
        remind = new
        if not new:
            before = Action.objects.select_for_update().get(pk=action.pk)
            action.status = before.status  # changed through a progress note only
            action.reminded_for = before.reminded_for
            remind = _reminder_terms(before) != _reminder_terms(action)
        action.save()
        if new:
            ActionUpdate.objects.create(action=action, status=action.status, written_by=by)
        if remind:
            reminder_queue(action)
    return action


def _reminder_terms(action: Action) -> tuple:
    """What the owner's reminder depends on: a change to any of them queues it again."""
    return (action.due_on, action.remind_days_before, action.owner_user_id)


def action_progress_add(
    *, action: Action, status: str, note: str = "", by: User | None = None
) -> ActionUpdate:
    """Write a progress note on an action: where it stands now, and how it got there. The
    action takes the note's status."""
    require_lead(user=by, organisation=action.round.organisation_id)
    if status not in ActionStatus.values:
        raise ServiceError(_("Choose where the action stands."))
    note = note.strip()
    if len(note) > 2000:
        raise ServiceError(_("Keep this to 2000 characters."))
    with transaction.atomic():
        locked = _lock_action(action)
        if Action.objects.filter(carried_from=locked).exists():
            raise ServiceError(
                _("This action has been carried into a later round. Update it there.")
            )
        if status == locked.status and not note:
            raise ServiceError(_("Say what has happened, or choose a new status."))
        update = ActionUpdate.objects.create(action=locked, status=status, note=note, written_by=by)
        reopened = status in OPEN_ACTION_STATUSES and locked.status not in OPEN_ACTION_STATUSES
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        if reopened:
            reminder_queue(locked)
    action.status, action.updated_at = locked.status, locked.updated_at
    return update


def action_delete(*, action: Action, by: User | None = None) -> None:
    """Take an action out of the plan for good (a wrong entry, a duplicate), noted in the
    activity log with what it said it would change. An action carried into a later round
    leaves that round's copy as it is, no longer linked back."""
    require_lead(user=by, organisation=action.round.organisation_id)
    with transaction.atomic():
        round_ = action.round
        what = action.change_to if len(action.change_to) <= 120 else action.change_to[:119] + "…"
        audit_record(
            organisation=round_.organisation_id,
            kind=AuditKind.ACTION_DELETED,
            what="action_deleted",
            details={
                "action": what,
                "principle": translated(action.principle, "name"),
                "round": round_.title,
            },
            actor=by,
            round=round_,
        )
        action.delete()


def _lock_action(action: Action) -> Action:
    return (
        Action.objects.select_for_update(of=("self",))
        .select_related("round", "principle")
        .get(pk=action.pk)
    )


def _check_reviewable(action: Action, round: Round, by: User | None) -> None:
    """A lead of ``round`` may decide on ``action`` there if it is an open action of the
    organisation's round before this one, not yet carried on."""
    require_lead(user=by, organisation=round.organisation_id)
    if action.round.organisation_id != round.organisation_id:
        raise ServiceError(_("Actions can only be carried into a round of the same organisation."))
    previous = previous_round(round)
    if previous is None or action.round_id != previous.pk:
        raise ServiceError(
            _("Only the open actions of the round before this one can be reviewed here.")
        )
    if action.status not in OPEN_ACTION_STATUSES:
        raise ServiceError(
            _("This action is already marked %(status)s.")
            % {"status": action.get_status_display().lower()}
        )
    if Action.objects.filter(carried_from=action).exists():
        raise ServiceError(_("This action has been carried into a later round. Update it there."))


def action_carry_forward(*, action: Action, into: Round, by: User | None = None) -> Action:
    """Bring an open action from the last round into this one, keeping the link back.
    Carrying it again returns the copy already made."""
    with transaction.atomic():
        locked = _lock_action(action)  # two leads carrying it at once make one copy
        existing = Action.objects.filter(round=into, carried_from=locked).first()
        if existing:
            require_lead(user=by, organisation=into.organisation_id)
            return existing
        _check_reviewable(locked, into, by)
        principle = into.framework.principles.filter(slug=locked.principle.slug).first()
        if principle is None:
            raise ServiceError(_("This round's framework has no principle matching that action."))
        copy = Action.objects.create(
            round=into,
            principle=principle,
            change_from=locked.change_from,
            change_to=locked.change_to,
            owner=locked.owner,
            owner_user=locked.owner_user,
            co_owner=locked.co_owner,
            due_on=locked.due_on,
            remind_days_before=locked.remind_days_before,
            reminded_for=locked.reminded_for,
            step=locked.step,
            status=locked.status,
            carried_from=locked,
        )
        ActionUpdate.objects.create(
            action=copy,
            status=copy.status,
            written_by=by,
        )
        reminder_queue(copy)
        return copy


def action_close_from_review(
    *, action: Action, status: str, round: Round, by: User | None = None
) -> Action:
    """Close an open action of the last round, from ``round``'s review, as done or dropped."""
    if status not in (ActionStatus.DONE, ActionStatus.DROPPED):
        raise ServiceError(_("Mark the action as done or dropped."))
    with transaction.atomic():
        locked = _lock_action(action)
        _check_reviewable(locked, round, by)
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        ActionUpdate.objects.create(
            action=locked,
            status=status,
            written_by=by,
        )
    action.status, action.updated_at = locked.status, locked.updated_at
    return action
