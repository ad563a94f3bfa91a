"""Every write of a workshop: starting, locking, showing a principle, ending, joining,
and the seats people join in: handing one to the next person, removing one.

Only the round's organisation's leads run a workshop; the activity log records its
start, lock, end and how many people joined and finished, never an answer.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext

from assessments.accounts.models import AuditKind, User, new_token
from assessments.accounts.services import audit_record, require_lead
from assessments.errors import ServiceError
from assessments.rounds.models import (
    BINDING_ENDED,
    Invite,
    Perspective,
    Respondent,
    Round,
    token_hash,
)
from assessments.workshops.models import MAX_CAPACITY, Workshop, new_projector_nonce
from assessments.workshops.room import room_figures_update
from coprod import codes
from coprod.limits import Limit, blocked, hit, network, remember, remembered
from principles.models import PracticeStatement, Principle

CODE_LENGTH = 8
# A room shares one network address (the venue's wifi), so these are generous per address;
# the lead's cap on the workshop is what keeps a code read out in a room from flooding a
# round. Wrong codes are counted; right ones are not, as each person in the room types one,
# and the QR code opens the page with it too.
WRONG_CODES = Limit("workshop-code", 60, timedelta(minutes=10))
JOINS = Limit("workshop-join", 150, timedelta(hours=1))
# Past the limit an address's codes are looked up only among the workshops whose room it
# is in (someone joined from it, or the lead started or ran it from there: people there
# read its code off the screen), so wrong codes never keep a room out of its own workshop.
# Guessing another room's code stays at 60 tries in 10 minutes against 20^8 (2.6e10)
# codes: with 100 workshops going on, 1 in 250 million a try, 1 in 30,000 a day.
ROOM = "workshop-room"
ROOM_FOR = timedelta(hours=12)


class JoinRefused(ServiceError):
    """Nobody can join with this code now; ``reason`` says why, for the page."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def _check_capacity(capacity: int) -> None:
    if not 1 <= capacity <= MAX_CAPACITY:
        raise ServiceError(gettext("Choose between 1 and %(max)s people.") % {"max": MAX_CAPACITY})


def _check_language(language: str) -> None:
    if language not in {code for code, _ in settings.LANGUAGES}:
        raise ServiceError(gettext("Choose a language the site offers."))


def workshop_start(
    *, round: Round, by: User | None, capacity: int = 40, language: str = ""
) -> Workshop:
    """Start a workshop on an open round, with a new join code, its room in ``language``
    (the site's default when none is given)."""
    _check_capacity(capacity)
    language = language or settings.LANGUAGE_CODE
    _check_language(language)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        require_lead(user=by, organisation=locked.organisation_id)
        if not locked.accepts_answers:
            raise ServiceError(gettext("A workshop needs an open round that is taking answers."))
        if locked.at_levels:
            # The room shows one figure a statement; a round at levels has one a level.
            raise ServiceError(
                gettext(
                    "A workshop cannot be held on a round that asks each statement at "
                    "several levels. People can answer it with their links instead."
                )
            )
        if Workshop.objects.live().filter(round=locked).exists():
            raise ServiceError(gettext("This round has a workshop going on already."))
        for _ in range(5):
            try:
                with transaction.atomic():
                    workshop = Workshop.objects.create(
                        round=locked,
                        code=codes.new_code(CODE_LENGTH),
                        capacity=capacity,
                        language=language,
                        started_by=by,
                    )
                break
            except IntegrityError:  # the code was taken (1 in 10^11): draw another
                continue
        else:  # pragma: no cover
            raise ServiceError(gettext("Could not make a join code. Try again."))
        audit_record(
            organisation=locked.organisation_id,
            kind=AuditKind.WORKSHOP_STARTED,
            what="workshop_started",
            details={"round": locked.title, "capacity": capacity},
            actor=by,
            round=locked,
        )
    return workshop


def _locked_live(workshop: Workshop, by: User | None) -> Workshop:
    locked = Workshop.objects.locked(workshop.pk)
    require_lead(user=by, organisation=locked.round.organisation_id)
    if not locked.is_live:
        raise ServiceError(gettext("This workshop has ended."))
    return locked


def workshop_lock(*, workshop: Workshop, by: User | None, locked: bool = True) -> Workshop:
    """Lock the room (nobody new can join), or open it again."""
    with transaction.atomic():
        row = _locked_live(workshop, by)
        if row.locked == locked:
            return row
        Workshop.objects.filter(pk=row.pk).update(locked=locked, version=F("version") + 1)
        joined = row.invites.active().count()
        audit_record(
            organisation=row.round.organisation_id,
            kind=AuditKind.WORKSHOP_LOCKED if locked else AuditKind.WORKSHOP_UNLOCKED,
            what="workshop_locked" if locked else "workshop_unlocked",
            details={"round": row.round.title, "joined": joined},
            actor=by,
            round=row.round,
        )
    row.locked = locked
    return row


def workshop_capacity(*, workshop: Workshop, by: User | None, capacity: int) -> Workshop:
    _check_capacity(capacity)
    with transaction.atomic():
        row = _locked_live(workshop, by)
        Workshop.objects.filter(pk=row.pk).update(capacity=capacity, version=F("version") + 1)
    row.capacity = capacity
    return row


def workshop_show(*, workshop: Workshop, by: User | None, principle: Principle | None) -> Workshop:
    """Show the room a principle's figures (or none), making its first snapshot if it is
    due."""
    with transaction.atomic():
        row = _locked_live(workshop, by)
        if principle is not None and principle.framework_id != row.round.framework_id:
            raise ServiceError(gettext("That principle is not part of this round."))
        Workshop.objects.filter(pk=row.pk).update(
            shown_principle=principle, shown_statement=None, version=F("version") + 1
        )
    row.shown_principle = principle
    row.shown_statement = None
    if principle is not None:
        room_figures_update(workshop=row, principle_id=principle.pk)
    return row


def workshop_show_statement(
    *, workshop: Workshop, by: User | None, statement: PracticeStatement
) -> Workshop:
    """Show the room another statement of the principle shown: the projector shows one
    statement's figures at a time."""
    with transaction.atomic():
        row = _locked_live(workshop, by)
        if row.shown_principle_id is None or statement.principle_id != row.shown_principle_id:
            raise ServiceError(gettext("That statement is not part of the principle shown."))
        Workshop.objects.filter(pk=row.pk).update(
            shown_statement=statement, version=F("version") + 1
        )
    row.shown_statement = statement
    return row


def workshop_wording(*, workshop: Workshop, by: User | None, easy_read: bool) -> Workshop:
    """The room's wording: in easy read, the projector shows the easy-read words, and
    phones that join from now on open the answering pages in easy read."""
    with transaction.atomic():
        row = _locked_live(workshop, by)
        Workshop.objects.filter(pk=row.pk).update(easy_read=easy_read, version=F("version") + 1)
    row.easy_read = easy_read
    return row


def workshop_language(*, workshop: Workshop, by: User | None, language: str) -> Workshop:
    """The room's language: the projector shows it at once, and phones that join from now
    on open in it (unless a phone has chosen its own)."""
    _check_language(language)
    with transaction.atomic():
        row = _locked_live(workshop, by)
        Workshop.objects.filter(pk=row.pk).update(language=language, version=F("version") + 1)
    row.language = language
    return row


def workshop_projector_renew(*, workshop: Workshop, by: User | None) -> Workshop:
    """A new address for the projector view: the one in use stops working at once (for a
    lead who thinks it was seen, on the screen's address bar or over a shoulder)."""
    with transaction.atomic():
        row = _locked_live(workshop, by)
        nonce = new_projector_nonce()
        Workshop.objects.filter(pk=row.pk).update(projector_nonce=nonce, version=F("version") + 1)
    row.projector_nonce = nonce
    return row


def workshop_end(*, workshop: Workshop, by: User | None) -> Workshop:
    """End the workshop: its code and its projector view stop working. People who joined
    can still finish their answers while the round is open, through the link their phone
    holds."""
    with transaction.atomic():
        row = _locked_live(workshop, by)
        now = timezone.now()
        Workshop.objects.filter(pk=row.pk).update(
            ended_at=now, projector_nonce="", version=F("version") + 1
        )
        counts = Respondent.objects.filter(invite__workshop=row).aggregate(
            joined=Count("pk"), finished=Count("pk", filter=Q(finished_at__isnull=False))
        )
        removed = row.invites.filter(revoked_at__isnull=False).count()
        audit_record(
            organisation=row.round.organisation_id,
            kind=AuditKind.WORKSHOP_ENDED,
            what="workshop_ended_removed" if removed else "workshop_ended",
            details={"round": row.round.title, **counts, "removed": removed},
            actor=by,
            round=row.round,
        )
    row.ended_at, row.projector_nonce = now, ""
    return row


# Joining -------------------------------------------------------------------------------


def workshop_seen_from(*, workshop: Workshop, address: str | None) -> None:
    """People at ``address`` are in ``workshop``'s room: someone joined from there, or the
    lead started or ran it from there. Its code works from there whatever wrong codes are
    typed."""
    remember(ROOM, (network(address), str(workshop.pk)), for_=ROOM_FOR)


def workshop_for_code(*, typed: str, address: str | None) -> Workshop:
    """The live workshop behind a typed code; a wrong one counts against the address's
    limit on wrong codes, and past it only the code of a workshop whose room the address is
    in works (``workshop_seen_from``). Refused (JoinRefused) when the code is not one, or
    nobody can join now."""
    key = (network(address),)
    code = codes.normalise(typed)
    workshop = (
        Workshop.objects.live().select_related("round__organisation").filter(code=code).first()
        if code
        else None
    )
    if blocked((WRONG_CODES, key)) is not None and (
        workshop is None or not remembered(ROOM, (key[0], str(workshop.pk)))
    ):
        raise JoinRefused(
            gettext(
                "Too many codes that did not work have been typed on this network. Check "
                "the code with the person running the workshop, and try again in a few "
                "minutes."
            ),
            "limit",
        )
    if workshop is None:
        hit((WRONG_CODES, key))
        raise JoinRefused(
            gettext(
                "That code does not match a workshop going on now. Check it with the person "
                "running the workshop."
            ),
            "unknown",
        )
    _check_joinable(workshop)
    return workshop


def _check_joinable(workshop: Workshop) -> None:
    if workshop.locked:
        raise JoinRefused(
            gettext("This workshop is not taking new people now. Ask the person running it."),
            "locked",
        )
    if not workshop.round.accepts_answers:
        raise JoinRefused(gettext("This round is not taking answers now."), "closed")


@dataclass
class Joined:
    invite: Invite  # with its raw_token: the phone's own answer link
    respondent: Respondent
    browser_key: str  # the secret this phone's browser keeps, binding it to the answers


def workshop_join(*, workshop: Workshop, perspective: str, address: str | None) -> Joined:
    """One person joins from their phone: their own answer link, with their perspective,
    bound to this browser. No account and no name. Refused when the room is locked, full,
    or this network address has joined too many times."""
    if perspective not in Perspective.values:
        raise ServiceError(gettext("Choose the group that describes you best."))
    # Counted before the room is locked for the join, so that the lock is held briefly.
    if hit((JOINS, (network(address),))) is not None:
        raise JoinRefused(
            gettext("Too many people have joined from this network. Wait a while, then try again."),
            "limit",
        )
    with transaction.atomic():
        row = Workshop.objects.locked(workshop.pk)
        if not row.is_live:
            raise JoinRefused(gettext("This workshop has ended."), "ended")
        _check_joinable(row)
        if row.invites.active().count() >= row.capacity:
            raise JoinRefused(
                gettext(
                    "This workshop is full. Ask the person running it to let more people join."
                ),
                "full",
            )
        token = new_token()
        invite = Invite.objects.create(
            round=row.round,
            perspective=perspective,
            token_hash=token_hash(token),
            label="Workshop",
            workshop=row,
            easy_read=row.easy_read,  # a room in easy read: the phone's pages open in it
        )
        invite.raw_token = token
        invite.round = row.round
        # A link made this moment, for this browser: its respondent is bound from the start
        # (as respondent_for_invite binds the first browser that starts answering).
        key = new_token()
        respondent = Respondent.objects.create(
            round=row.round,
            perspective=perspective,
            invite=invite,
            browser_key_hash=token_hash(key),
        )
        Workshop.objects.filter(pk=row.pk).update(version=F("version") + 1)
    workshop_seen_from(workshop=row, address=address)
    return Joined(invite=invite, respondent=respondent, browser_key=key)


# Seats ---------------------------------------------------------------------------------


def workshop_seat_end(*, invite: Invite) -> None:
    """End a seat on the device that holds it (the person hands the phone or tablet to the
    next one, or the code is typed on it again): its answers stay, and count, but no
    browser can see or change them any more. The caller checks that the request comes
    from the seat's own browser."""
    if invite.workshop_id is None:
        raise ServiceError(gettext("Only a workshop's seat is handed on."))
    Respondent.objects.filter(invite=invite).update(
        browser_key_hash=BINDING_ENDED,
        move_code_hash="",
        move_code_expires_at=None,
        move_code_tries=0,
    )


def workshop_seat_remove(*, workshop: Workshop, invite_id: int, by: User | None) -> int:
    """Remove one join (a stray one, or someone who joined twice): its link stops working,
    its answers are deleted, so they leave the room's figures from the next snapshot on and
    the round's from its next publication, and it frees a place. Only while the round takes
    answers (a closed round's answers are frozen). Returns the seat's number."""
    with transaction.atomic():
        row = _locked_live(workshop, by)
        if not row.round.accepts_answers:
            raise ServiceError(
                gettext(
                    "The round is not taking answers, so its answers are frozen: nobody can "
                    "be removed now."
                )
            )
        seats = list(row.invites.order_by("created_at", "pk").values_list("pk", "revoked_at"))
        number = next((n for n, (pk, _) in enumerate(seats, start=1) if pk == invite_id), None)
        if number is None or seats[number - 1][1] is not None:
            raise ServiceError(
                gettext("That seat is not in the room (it may have been removed already).")
            )
        Invite.objects.filter(pk=invite_id).update(revoked_at=timezone.now())
        Respondent.objects.filter(invite_id=invite_id).delete()
        Workshop.objects.filter(pk=row.pk).update(version=F("version") + 1)
    return number
