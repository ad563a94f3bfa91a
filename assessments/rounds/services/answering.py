"""Answering: a member's or a link's respondent, their answers saved while the round takes
them, how far they got, and moving a link's answers to another device."""

import hmac
import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn

from django.db import IntegrityError, transaction
from django.db.models import Exists
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessments.accounts.models import Membership, User
from assessments.errors import ServiceError
from assessments.rounds import signals
from assessments.rounds.models import (
    Answer,
    Invite,
    Level,
    Perspective,
    Respondent,
    Round,
    RoundStatus,
    token_hash,
)
from assessments.rounds.services.links import MIN_TOKEN_LENGTH
from coprod import codes
from coprod.limits import Limit, blocked, hit, network
from principles.models import PracticeStatement

NOTE_MAX = 2000


class RoundNotAcceptingAnswers(ServiceError):
    """The round is not taking answers from this person; ``reason`` says why, as the kind
    page names it: ``draft``, ``closed`` or ``revoked``."""

    def __init__(self, message: str, reason: str = "closed"):
        super().__init__(message)
        self.reason = reason


CLOSED_MESSAGE = gettext_lazy(
    "This round has closed, so answers can no longer be changed. Thank you for taking part."
)


def _check_taking_answers(round: Round, *, link_revoked: bool = False) -> None:
    if link_revoked:
        raise RoundNotAcceptingAnswers(
            _("This link has been revoked, so it can no longer be used to answer."), "revoked"
        )
    if round.status == RoundStatus.DRAFT:
        raise RoundNotAcceptingAnswers(_("This round has not opened yet."), "draft")
    if not round.accepts_answers:
        raise RoundNotAcceptingAnswers(str(CLOSED_MESSAGE))


def _lock_round_taking_answers(respondent: Respondent) -> Round:
    """Lock the respondent's round (inside a transaction) and refuse unless it takes their
    answers: open, before its closing date, and (for a link) the link not revoked. One
    query, so that the busiest write reads the round only under its lock."""
    rounds = Round.objects.select_for_update(of=("self",))
    if respondent.invite_id is not None:
        revoked = Invite.objects.filter(pk=respondent.invite_id, revoked_at__isnull=False)
        rounds = rounds.annotate(link_revoked=Exists(revoked))
    round_ = rounds.get(pk=respondent.round_id)
    _check_taking_answers(round_, link_revoked=getattr(round_, "link_revoked", False))
    return round_


def respondent_for_member(*, round: Round, user: User, perspective: str) -> Respondent:
    """A member's one respondent in a round; the perspective is chosen once."""
    if perspective not in Perspective.values:
        raise ServiceError(_("Choose the perspective you are answering from."))
    if not Membership.objects.filter(user=user, organisation_id=round.organisation_id).exists():
        raise ServiceError(_("Only the organisation's members can answer without a link."))
    _check_taking_answers(round)
    try:
        with transaction.atomic():
            respondent, _created = Respondent.objects.get_or_create(
                round=round, user=user, defaults={"perspective": perspective}
            )
    except IntegrityError:  # two tabs chose at once: the first one wins
        respondent = Respondent.objects.get(round=round, user=user)
    return respondent


def respondent_perspective_change(*, respondent: Respondent, perspective: str) -> Respondent:
    """A person who chose the wrong group (or was sent a link for the wrong one) puts it
    right, while the round takes answers. Figures already published keep the group they
    were published with; the next publication's disclosure check sees the move like any
    other change of who is in which group."""
    if perspective not in Perspective.values:
        raise ServiceError(_("Choose the perspective you are answering from."))
    with transaction.atomic():
        _lock_round_taking_answers(respondent)
        Respondent.objects.filter(pk=respondent.pk).update(perspective=perspective)
    respondent.perspective = perspective
    return respondent


def respondent_for_invite(*, invite: Invite, browser_key: str) -> Respondent:
    """The one respondent of a link, bound to the first browser that starts answering
    through it: ``browser_key`` is that browser's secret (kept here as a hash only). A link
    started before browsers were bound is bound to the first browser that carries on with
    it. The caller checks ``is_held_by(browser_key)``: another browser may have been first.
    """
    if len(browser_key) < MIN_TOKEN_LENGTH:
        raise ServiceError("A browser's secret must be at least 256 bits.")
    _check_taking_answers(invite.round, link_revoked=invite.is_revoked)
    key_hash = token_hash(browser_key)
    created = False
    try:
        with transaction.atomic():
            respondent, created = Respondent.objects.get_or_create(
                invite=invite,
                defaults={
                    "round": invite.round,
                    "perspective": invite.perspective,
                    "browser_key_hash": key_hash,
                },
            )
    except IntegrityError:  # two browsers started at once: the first one wins
        respondent = Respondent.objects.get(invite=invite)
    if not created and not respondent.browser_key_hash:
        Respondent.objects.filter(pk=respondent.pk, browser_key_hash="").update(
            browser_key_hash=key_hash
        )
        respondent.refresh_from_db(fields=["browser_key_hash"])
    return respondent


# Moving to another device: a short code, shown in the browser bound to a link's answers
# and typed on the new device's link page, moves the binding there. Capitals and digits
# that cannot be mistaken for one another (coprod.codes): 8 of 20 characters, 2.56e10 codes.
# Wrong codes never spend the code (anyone holding the link could then spend it for its
# owner); they are limited per link and network address instead, 5 in 5 minutes, so in a
# code's 15 minutes one address gets at most 20 tries, odds of 1 in 1.3 billion (a thousand
# addresses, 1 in 1.3 million).
MOVE_CODE_LENGTH = 8
MOVE_CODE_LIFETIME = timedelta(minutes=15)
MOVE_WRONG_CODES = Limit("move-code", 5, timedelta(minutes=5))


def _move_code_hash(respondent: Respondent, code: str) -> str:
    # Keyed with SECRET_KEY: a short code's plain hash could be reversed by trying them all.
    return salted_hmac(
        "coprod.move-code", f"{respondent.pk}:{code}", algorithm="sha256"
    ).hexdigest()


def move_code_clean(code: str) -> str:
    """A code as typed, made comparable (empty when it cannot be one)."""
    return codes.normalise(code) or ""


def respondent_move_code(*, respondent: Respondent) -> tuple[str, datetime]:
    """A new one-time code to move a link's answers to another browser, and until when it
    works. Any earlier code stops working."""
    if respondent.invite_id is None:
        raise ServiceError(_("Only answers given through a link move between browsers."))
    if not respondent.browser_key_hash:
        raise ServiceError(_("Carry on with your answers first; then they can move."))
    code = codes.new_code(MOVE_CODE_LENGTH)
    expires = timezone.now() + MOVE_CODE_LIFETIME
    Respondent.objects.filter(pk=respondent.pk).update(
        move_code_hash=_move_code_hash(respondent, code), move_code_expires_at=expires
    )
    return code, expires


class MoveRefused(ServiceError):
    pass


def respondent_move(
    *, respondent: Respondent, code: str, browser_key: str, address: str | None
) -> Respondent:
    """Bind a link's answers to the browser with ``browser_key``, if ``code`` is the live
    code shown in the browser that had them; that browser loses them. The code works once.
    A wrong code counts against ``address`` at this link (``MOVE_WRONG_CODES``); past the
    limit nothing typed there is checked until the window ends, and the code lives on."""
    if len(browser_key) < MIN_TOKEN_LENGTH:
        raise ServiceError("A browser's secret must be at least 256 bits.")
    code = move_code_clean(code)
    with transaction.atomic():
        # Counted under the link's lock, so that tries made at once are counted one by one.
        locked = Respondent.objects.select_for_update().get(pk=respondent.pk)
        limit = _move_limit(locked.invite_id, address)
        live = (
            bool(locked.move_code_hash)
            and locked.move_code_expires_at is not None
            and locked.move_code_expires_at > timezone.now()
        )
        if live and hmac.compare_digest(locked.move_code_hash, _move_code_hash(locked, code)):
            locked.browser_key_hash = token_hash(browser_key)
            locked.move_code_hash, locked.move_code_expires_at = "", None
            locked.save(
                update_fields=["browser_key_hash", "move_code_hash", "move_code_expires_at"]
            )
            respondent.browser_key_hash = locked.browser_key_hash
            return respondent
        hit(limit)
    raise MoveRefused(str(WRONG_MOVE_CODE))


WRONG_MOVE_CODE = gettext_lazy(
    "That code is not right, or it has run out (a code works for 15 minutes). Check it, "
    "or make a new code on the device where you started."
)


def _move_limit(invite_id: int | None, address: str | None) -> tuple[Limit, tuple[str, str]]:
    """The count of wrong codes at a link from a network; raises while it is used up."""
    limit = (MOVE_WRONG_CODES, (str(invite_id), network(address)))
    if (until := blocked(limit)) is not None:
        wait = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
        raise MoveRefused(
            ngettext(
                "Too many codes that did not work have been typed for this link on this "
                "network. Try again in %(count)s minute. If your code has run out by then, "
                "make a new one on the device where you started.",
                "Too many codes that did not work have been typed for this link on this "
                "network. Try again in %(count)s minutes. If your code has run out by then, "
                "make a new one on the device where you started.",
                wait,
            )
            % {"count": wait}
        )
    return limit


def move_code_for_unstarted_link(*, invite: Invite, address: str | None) -> NoReturn:
    """A code typed for a link nobody has started answering: refused as a wrong code for a
    started link is, and counted the same way, so that typing codes at a link tells
    nobody (a lead who kept it, say) whether its person has started."""
    with transaction.atomic():
        Invite.objects.select_for_update().get(pk=invite.pk)
        hit(_move_limit(invite.pk, address))
    raise MoveRefused(str(WRONG_MOVE_CODE))


@dataclass(frozen=True)
class AnswerInput:
    statement_id: int
    level: int
    note: str = ""


def _workshop_news(
    respondent: Respondent, statement_ids: Collection[int]
) -> tuple[int | None, frozenset[int]]:
    """Inside a save's transaction, before it writes: the workshop the person answers in
    (None if none) and which of these statements they had not answered yet (one small
    query, only in a workshop)."""
    if respondent.invite_id is None:
        return None, frozenset()
    field = Respondent._meta.get_field("invite")
    if field.is_cached(respondent):  # the answering pages reach the respondent by its link
        workshop_id = respondent.invite.workshop_id if respondent.invite else None
    else:
        workshop_id = (
            Invite.objects.filter(pk=respondent.invite_id)
            .values_list("workshop_id", flat=True)
            .first()
        )
    if workshop_id is None:
        return None, frozenset()
    answered = set(
        Answer.objects.filter(
            respondent=respondent, statement_id__in=list(statement_ids)
        ).values_list("statement_id", flat=True)
    )
    return workshop_id, frozenset(set(statement_ids) - answered)


def answers_save(*, respondent: Respondent, answers: list[AnswerInput]) -> int:
    """Save (insert or update) a respondent's answers in one statement.

    An upsert on the (respondent, statement) constraint, so a double submit, a stale tab
    or two tabs at once leave exactly one answer per statement: the latest one written.
    The round is locked for the write, so an answer cannot slip in after it closes or
    through a link revoked meanwhile.
    """
    if not answers:
        return 0
    valid_levels = set(Level.values)
    for item in answers:
        if item.level not in valid_levels:
            raise ServiceError(
                _("%(level)r is not one of the levels on the scale.") % {"level": item.level}
            )
        if len(item.note.strip()) > NOTE_MAX:
            raise ServiceError(
                ngettext(
                    "Keep your note to %(max)s characters (it has %(count)s).",
                    "Keep your note to %(max)s characters (it has %(count)s).",
                    len(item.note.strip()),
                )
                % {"max": NOTE_MAX, "count": len(item.note.strip())}
            )
    statement_ids = {item.statement_id for item in answers}
    principle_of = dict(
        PracticeStatement.objects.filter(
            pk__in=statement_ids, principle__framework_id__in=respondent.round.framework_ids
        ).values_list("pk", "principle_id")
    )
    if statement_ids - set(principle_of):
        raise ServiceError(_("Some answers are for statements that are not in this round."))
    now = timezone.now()
    with transaction.atomic():
        _lock_round_taking_answers(respondent)
        # In a workshop, what the room sees moves when someone answers the last statement
        # of a principle: which of these are new is read first, under the round's lock.
        workshop_id, new_statements = _workshop_news(respondent, statement_ids)
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
        if workshop_id is not None:  # ... in the same write
            signals.workshop_answers_saved.send(
                Respondent,
                respondent=respondent,
                workshop_id=workshop_id,
                new_statements=new_statements,
                principle_of=principle_of,
            )
    return len(answers)


def respondent_progress(*, respondent: Respondent, page: int, finished: bool = False) -> None:
    """Note the page a respondent reached, so they come back to it. Saying they have finished
    is part of their answers: only while the round takes them."""
    if not finished:
        Respondent.objects.filter(pk=respondent.pk).update(last_page=page)
        return
    with transaction.atomic():
        _lock_round_taking_answers(respondent)
        Respondent.objects.filter(pk=respondent.pk).update(
            last_page=page, finished_at=timezone.now()
        )
    signals.respondent_finished.send(Respondent, respondent=respondent)
