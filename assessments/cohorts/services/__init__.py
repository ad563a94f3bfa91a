"""Every write to a cohort: starting and changing it, inviting organisations, their
leads' answers, reminders, leaving and showing the name, and keeping what it shows up to
date. One module a topic; the names are gathered here."""

from assessments.cohorts.services.cohorts import (
    cohort_create,
    cohort_member_leave,
    cohort_member_show_name,
    cohort_update,
)
from assessments.cohorts.services.invitations import (
    cohort_invitation_accept,
    cohort_invitation_cancel,
    cohort_invitation_decline,
    cohort_invitation_path,
    cohort_invitation_resend,
    cohort_invite,
)
from assessments.cohorts.services.kept import (
    cohort_figures_refresh,
    cohort_figures_store,
    cohort_pages_touch,
    cohorts_of,
    cohorts_refresh,
)
from assessments.cohorts.services.reminders import (
    ReminderOutcome,
    cohort_remind_not_started,
)

__all__ = [
    "cohort_create",
    "cohort_update",
    "cohort_member_leave",
    "cohort_member_show_name",
    "cohort_invite",
    "cohort_invitation_resend",
    "cohort_invitation_cancel",
    "cohort_invitation_path",
    "cohort_invitation_accept",
    "cohort_invitation_decline",
    "cohort_figures_store",
    "cohort_pages_touch",
    "cohort_figures_refresh",
    "cohorts_of",
    "cohorts_refresh",
    "ReminderOutcome",
    "cohort_remind_not_started",
]
