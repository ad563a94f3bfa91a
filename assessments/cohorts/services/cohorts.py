"""Starting and changing a cohort; an organisation leaving it or showing its name."""

import logging
from datetime import date

from django.db import transaction
from django.utils import dateformat
from django.utils.translation import gettext

from assessments.accounts.models import (
    AuditKind,
    User,
)
from assessments.accounts.services import audit_record, require_lead
from assessments.cohorts.models import (
    Cohort,
    CohortMember,
)
from assessments.cohorts.services.kept import cohort_figures_refresh
from assessments.errors import ServiceError
from principles.models import Framework
from principles.selectors import latest_frameworks

logger = logging.getLogger(__name__)


def _day(day: date) -> str:
    return dateformat.format(day, "j F Y")  # the month's name in the active language


def _check_period(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise ServiceError(gettext("The end of the period must be on or after its start."))


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ServiceError(gettext("Enter a name for the cohort."))
    return name


def _require_facilitator(cohort: Cohort, user: User | None) -> None:
    """Refuse a change to a cohort by anyone but its facilitator (``None`` is the system)."""
    if user is not None and cohort.facilitator_id != user.pk:
        raise ServiceError(gettext("Only the cohort's facilitator can do that."))


def cohort_create(
    *, name: str, framework: Framework, starts_on: date, ends_on: date, facilitator: User
) -> Cohort:
    """Start a cohort; whoever starts it is its facilitator."""
    if not latest_frameworks().filter(pk=framework.pk).exists():
        raise ServiceError(
            gettext("There is a newer version of %(framework)s. Choose it for a new cohort.")
            % {"framework": framework.name}
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
    *, cohort: Cohort, name: str, starts_on: date, ends_on: date, by: User | None = None
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
                gettext(
                    "Organisations have joined this cohort to share their rounds from "
                    "%(starts)s to %(ends)s. The period can be made shorter, but not longer: "
                    "a longer one would share rounds they did not agree to share. To take in "
                    "more, start a new cohort and invite them to it."
                )
                % {"starts": _day(locked.starts_on), "ends": _day(locked.ends_on)}
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
                    what="cohort_period",
                    details={
                        "name": name,
                        "starts": starts_on,
                        "ends": ends_on,
                        "was_starts": before[0],
                        "was_ends": before[1],
                    },
                    actor=by,
                )
    cohort_figures_refresh(cohort=cohort)  # fewer rounds may count now
    return cohort


def _lock_member(member: CohortMember) -> CohortMember:
    locked = (
        CohortMember.objects.select_for_update(of=("self",))
        .select_related("cohort")
        .filter(pk=member.pk)
        .first()
    )
    if locked is None:
        raise ServiceError(gettext("Your organisation is no longer in this cohort."))
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
        what="cohort_left",
        details={"name": locked.cohort.name},
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
            what="cohort_name_shown" if show else "cohort_name_hidden",
            details={"name": locked.cohort.name},
            actor=by,
        )
    return member
