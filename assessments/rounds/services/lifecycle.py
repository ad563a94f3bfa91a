"""A round's life: made, changed, opened, closed and reopened, each change in the
activity log with the round's row locked while it is checked and written."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.accounts.models import AuditKind, Organisation, User
from assessments.accounts.services import audit_record, require_lead
from assessments.errors import ServiceError
from assessments.rounds import signals
from assessments.rounds.models import BINDING_ENDED, Respondent, Round, RoundStatus
from principles.models import Framework
from principles.selectors import latest_frameworks
from principles.services import framework_freeze


def _locked(round: Round) -> Round:
    """The round's row, locked until the transaction ends, so that its status cannot change
    between checking it and writing what depends on it."""
    return Round.objects.select_for_update().get(pk=round.pk)


def _check_closing_date(closes_on: date | None, unchanged_from: date | None = None) -> None:
    """A closing date may not be in the past, unless the round already had it."""
    if closes_on and closes_on < timezone.localdate() and closes_on != unchanged_from:
        raise ServiceError(
            _(
                "The closing date cannot be in the past. Choose today or a later day, "
                "or leave it empty."
            )
        )


def _end_link_bindings(round: Round) -> None:
    """End every answer link's binding to its browser: a cookie kept from before grants
    nothing any more, on any device, even if the round takes answers again. The answers
    stay, and count; a fresh link starts empty. Done when the round closes, and when a
    round that closed by its date is given a later one."""
    Respondent.objects.filter(round=round, invite__isnull=False).exclude(
        browser_key_hash=BINDING_ENDED
    ).update(
        browser_key_hash=BINDING_ENDED,
        move_code_hash="",
        move_code_expires_at=None,
        move_code_tries=0,
    )


def _check_current_version(framework: Framework) -> None:
    if not latest_frameworks().filter(pk=framework.pk).exists():
        raise ServiceError(
            _("There is a newer version of %(name)s. Choose it for a new round.")
            % {"name": framework.name}
        )


def _check_instruments(framework: Framework, instrument: Framework | None) -> None:
    """A round is answered against principles; an instrument (the four Co's grid) is only
    ever added beside them: its steps say how far people are involved, so scores, radar and
    comparisons made from them would not mean what they mean for principles."""
    if framework.instrument:
        raise ServiceError(
            _(
                "%(name)s is asked beside a round's principles, not instead of them. "
                "Choose the principles to reflect on, and add it to the round."
            )
            % {"name": framework.name}
        )
    if instrument is not None:
        if not instrument.instrument:
            raise ServiceError(
                _("%(name)s cannot be added to a round: it is a set of principles.")
                % {"name": instrument.name}
            )
        _check_current_version(instrument)


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ServiceError(_("Enter a title for the round."))
    return title


def round_create(
    *,
    organisation: Organisation,
    framework: Framework,
    title: str,
    closes_on: date | None,
    created_by: User | None,
    figures_while_open: bool = False,
    contact: str = "",
    instrument: Framework | None = None,
) -> Round:
    """A draft round against ``framework``, with ``instrument`` (such as the four Co's
    grid) asked after its principles if given."""
    require_lead(user=created_by, organisation=organisation)
    _check_current_version(framework)
    _check_instruments(framework, instrument)
    _check_closing_date(closes_on)
    with transaction.atomic():
        made = Round.objects.create(
            organisation=organisation,
            framework=framework,
            instrument=instrument,
            title=_clean_title(title),
            closes_on=closes_on,
            figures_while_open=figures_while_open,
            contact=contact.strip(),
            created_by=created_by,
        )
        signals.round_changed.send(Round, round=made, change=signals.CREATED)
    return made


def round_update(
    *,
    round: Round,
    title: str,
    closes_on: date | None,
    by: User | None = None,
    figures_while_open: bool | None = None,
    contact: str | None = None,
) -> Round:
    """Rename a round, move its closing date, say whether figures show while it is open or
    who people can ask; a closed round stays as it closed."""
    title = _clean_title(title)
    with transaction.atomic():
        locked = _locked(round)
        require_lead(user=by, organisation=locked.organisation_id)
        if locked.is_closed:
            raise ServiceError(_("This round is closed, so it cannot be changed. Reopen it first."))
        _check_closing_date(closes_on, unchanged_from=locked.closes_on)
        closed_by_date = locked.is_past_closing_date
        locked.title = title
        locked.closes_on = closes_on
        if figures_while_open is not None:
            locked.figures_while_open = figures_while_open
        if contact is not None:
            locked.contact = contact.strip()
        locked.save(update_fields=["title", "closes_on", "figures_while_open", "contact"])
        if closed_by_date and locked.accepts_answers:
            _end_link_bindings(locked)
        signals.round_changed.send(Round, round=locked, change=signals.EDITED)
    round.title, round.closes_on, round.status = locked.title, locked.closes_on, locked.status
    round.figures_while_open = locked.figures_while_open
    round.contact = locked.contact
    return round


def round_instrument_set(*, round: Round, instrument: Framework | None, by: User | None) -> Round:
    """Add an instrument (the four Co's grid) to a draft round, change it, or take it away
    (``instrument`` None). Only while nobody can have answered: once a round has opened,
    what it asks is fixed."""
    with transaction.atomic():
        locked = _locked(round)
        require_lead(user=by, organisation=locked.organisation_id)
        if locked.status != RoundStatus.DRAFT:
            raise ServiceError(
                _("A grid can be added to a round, or taken away, only before it opens.")
            )
        _check_instruments(locked.framework, instrument)
        locked.instrument = instrument
        locked.save(update_fields=["instrument"])
        signals.round_changed.send(Round, round=locked, change=signals.EDITED)
    round.instrument = instrument
    return round


ROUND_AUDIT_KINDS: dict[str, AuditKind] = {
    "opened": AuditKind.ROUND_OPENED,
    "closed": AuditKind.ROUND_CLOSED,
    "reopened": AuditKind.ROUND_REOPENED,
}


def _transition(
    round: Round, allowed_from: set[str], to: str, kind: str, by: User | None, reason: str
) -> Round:
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        if locked.status not in allowed_from:
            refused = {
                "opened": _("This round is %(status)s, so it cannot be opened."),
                "closed": _("This round is %(status)s, so it cannot be closed."),
                "reopened": _("This round is %(status)s, so it cannot be reopened."),
            }[kind]
            raise ServiceError(refused % {"status": locked.get_status_display().lower()})
        now = timezone.now()
        locked.status = to
        if to == RoundStatus.OPEN:
            locked.opened_at = locked.opened_at or now
            locked.closed_at = None
            if locked.closes_on and locked.closes_on < timezone.localdate():
                locked.closes_on = None
        else:
            locked.closed_at = now
            _end_link_bindings(locked)
        locked.save(update_fields=["status", "opened_at", "closed_at", "closes_on"])
        audit_record(
            organisation=locked.organisation_id,
            kind=ROUND_AUDIT_KINDS[kind],
            what=f"round_{kind}_reason" if reason else f"round_{kind}",
            details={"round": locked.title, "reason": reason},
            actor=by,
            round=locked,
            reason=reason,
            at=now,
        )
        if to == RoundStatus.OPEN:
            framework_freeze(framework=locked.framework)
            if locked.instrument is not None:
                framework_freeze(framework=locked.instrument)
        signals.round_changed.send(Round, round=locked, change=kind)
    for field in ("status", "opened_at", "closed_at", "closes_on"):
        setattr(round, field, getattr(locked, field))
    return round


def round_open(*, round: Round, by: User | None) -> Round:
    require_lead(user=by, organisation=round.organisation_id)
    return _transition(round, {RoundStatus.DRAFT}, RoundStatus.OPEN, "opened", by, "")


def round_close(*, round: Round, by: User | None) -> Round:
    """Closing freezes every answer: from now on nothing is written to this round's answers,
    and no browser can open a link's answers again (``_end_link_bindings``)."""
    require_lead(user=by, organisation=round.organisation_id)
    return _transition(round, {RoundStatus.OPEN}, RoundStatus.CLOSED, "closed", by, "")


def round_reopen(*, round: Round, by: User, reason: str) -> Round:
    require_lead(user=by, organisation=round.organisation_id)
    reason = reason.replace("\x00", "").strip()  # a NUL byte is no text a database keeps
    if not reason:
        raise ServiceError(
            _("Say why the round is being reopened; it is kept in the round's record.")
        )
    if Round.objects.filter(pk=round.pk, answers_deleted_at__isnull=False).exists():
        raise ServiceError(
            _(
                "This round cannot be reopened: its answers were deleted at the end of the "
                "organisation's keeping period, and only its published figures are kept."
            )
        )
    return _transition(round, {RoundStatus.CLOSED}, RoundStatus.OPEN, "reopened", by, reason)
