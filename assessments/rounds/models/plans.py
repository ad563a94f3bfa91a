"""What the team agreed and what it will do: agreed positions, actions, and reminders of a
round to the people e-mailed a link."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.rounds.models.rounds import Level, Round
from principles.models import PracticeStatement, Principle


class AgreedPosition(models.Model):
    """After the discussion: the level the group agrees on for a statement, and why."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="agreed_positions")
    statement = models.ForeignKey(PracticeStatement, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        choices=[c for c in Level.choices if c[0] != Level.NOT_SURE]
    )
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "statement"], name="agreed_position_once"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="agreed_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.statement_id} agreed at {self.level}"


class Step(models.TextChoices):
    """Governance International's five steps, used as the stage an action is at."""

    MAP = "map", _("Map it")
    FOCUS = "focus", _("Focus it")
    PEOPLE = "people", _("People it")
    MARKET = "market", _("Market it")
    GROW = "grow", _("Grow it")


# Each step in one plain sentence: on the action form, and in the glossary.
STEP_MEANINGS = {
    Step.MAP: _("Find out who already takes part and what they bring."),
    Step.FOCUS: _("Choose where working together would make the biggest difference."),
    Step.PEOPLE: _("Find and support the people, staff and people who use the service, who do it."),
    Step.MARKET: _("Tell people about it and win support for it."),
    Step.GROW: _("Keep it going and make it part of how the service always works."),
}


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class Action(models.Model):
    """What the team will change, tied to a principle (and optionally a statement)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="actions")
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, related_name="+")
    statement = models.ForeignKey(
        PracticeStatement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    change_from = models.TextField(_("what happens now"))
    change_to = models.TextField(_("what will happen instead"))
    owner = models.CharField(max_length=120)
    # A colleague with an account, when the owner is one: reminded by e-mail before the
    # due date, in their own language, at the address their account has verified.
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner's account"),
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("days before the due date to remind the owner"), default=7
    )
    # The due date a reminder was sent for: never a second one for the same date.
    reminded_for = models.DateField(null=True, blank=True)
    co_owner = models.CharField(
        _("co-owner"),
        max_length=120,
        blank=True,
        default="",
        help_text=_("Someone who uses the service and shares ownership of this action."),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    # Optional: blank when the team has not placed the action on the five steps.
    step = models.CharField(max_length=10, choices=Step.choices, blank=True, default="")
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_into"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["principle__order", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(step__in=[*Step.values, ""]), name="action_step_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.change_to[:80]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    @property
    def latest_update(self) -> "ActionUpdate | None":
        """The newest progress note (from the prefetched ones, when prefetched)."""
        updates = list(self.updates.all())
        return updates[0] if updates else None


class ActionUpdate(models.Model):
    """A progress note on an action: where it stood then, in a lead's words. An action's
    status changes only through one of these, so its history is the list of them."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    note = models.TextField(blank=True, default="")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ActionStatus.values),
                name="action_update_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.status} at {self.written_at:%Y-%m-%d}"


class Reminder(models.Model):
    """A reminder e-mailed, now or at a set time before the round closes, to everyone whose
    link was e-mailed and still works, whether or not they have answered: so that nobody
    learns from it who has finished (``rounds/reminders.py``)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reminders")
    send_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_count = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["send_at", "pk"]

    def __str__(self) -> str:
        return f"Reminder for {self.round} at {self.send_at:%Y-%m-%d %H:%M}"

    @property
    def is_waiting(self) -> bool:
        return self.sent_at is None and self.cancelled_at is None
