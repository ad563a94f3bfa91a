"""Every write in a round's life, as ``<noun>_<verb>`` functions with keyword-only arguments:
opening and closing, answer links, answering, agreed positions and actions.

Views call these and never save models themselves, so the rules (who may do what, in
which state, with which record) live here and hold for every caller.
"""

import hmac
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists
from django.utils import timezone
from django.utils.crypto import salted_hmac

from assessments import mail
from assessments.accounts.models import (
    AuditKind,
    Membership,
    Organisation,
    User,
    new_token,
)
from assessments.accounts.services import audit_record, require_lead
from assessments.errors import MailNotSent, ServiceError
from assessments.rounds import signals
from assessments.rounds.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatus,
    AgreedPosition,
    Answer,
    Invite,
    Level,
    Perspective,
    Respondent,
    Round,
    RoundStatus,
    token_hash,
)
from assessments.rounds.selectors import previous_round
from coprod import codes
from principles.models import Framework, PracticeStatement
from principles.selectors import latest_frameworks
from principles.services import framework_freeze

logger = logging.getLogger(__name__)


MAX_BATCH = 200
NOTE_MAX = 2000
REASON_MAX = 2000


def _locked(round: Round) -> Round:
    """The round's row, locked until the transaction ends, so that its status cannot change
    between checking it and writing what depends on it."""
    return Round.objects.select_for_update().get(pk=round.pk)


def _check_closing_date(closes_on, unchanged_from=None) -> None:
    """A closing date may not be in the past, unless the round already had it."""
    if closes_on and closes_on < timezone.localdate() and closes_on != unchanged_from:
        raise ServiceError(
            "The closing date cannot be in the past. Choose today or a later day, "
            "or leave it empty."
        )


def _check_current_version(framework: Framework) -> None:
    if not latest_frameworks().filter(pk=framework.pk).exists():
        raise ServiceError(
            f"There is a newer version of {framework.name}. Choose it for a new round."
        )


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ServiceError("Enter a title for the round.")
    return title


def round_create(
    *,
    organisation: Organisation,
    framework: Framework,
    title: str,
    closes_on,
    created_by: User | None,
    figures_while_open: bool = False,
    contact: str = "",
) -> Round:
    require_lead(user=created_by, organisation=organisation)
    _check_current_version(framework)
    _check_closing_date(closes_on)
    with transaction.atomic():
        made = Round.objects.create(
            organisation=organisation,
            framework=framework,
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
    closes_on,
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
            raise ServiceError("This round is closed, so it cannot be changed. Reopen it first.")
        _check_closing_date(closes_on, unchanged_from=locked.closes_on)
        locked.title = title
        locked.closes_on = closes_on
        if figures_while_open is not None:
            locked.figures_while_open = figures_while_open
        if contact is not None:
            locked.contact = contact.strip()
        locked.save(update_fields=["title", "closes_on", "figures_while_open", "contact"])
        signals.round_changed.send(Round, round=locked, change=signals.EDITED)
    round.title, round.closes_on, round.status = locked.title, locked.closes_on, locked.status
    round.figures_while_open = locked.figures_while_open
    round.contact = locked.contact
    return round


ROUND_AUDIT_KINDS: dict[str, AuditKind] = {
    "opened": AuditKind.ROUND_OPENED,
    "closed": AuditKind.ROUND_CLOSED,
    "reopened": AuditKind.ROUND_REOPENED,
}


def _transition(
    round: Round, allowed_from: set[str], to: str, kind: str, by: User | None, reason: str
):
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
        audit_record(
            organisation=locked.organisation_id,
            kind=ROUND_AUDIT_KINDS[kind],
            summary=f"Round “{locked.title}” {kind}." + (f" Reason: {reason}" if reason else ""),
            actor=by,
            round=locked,
            reason=reason,
            at=now,
        )
        if to == RoundStatus.OPEN:
            framework_freeze(framework=locked.framework)
        signals.round_changed.send(Round, round=locked, change=kind)
    for field in ("status", "opened_at", "closed_at", "closes_on"):
        setattr(round, field, getattr(locked, field))
    return round


def round_open(*, round: Round, by: User | None) -> Round:
    require_lead(user=by, organisation=round.organisation_id)
    return _transition(round, {RoundStatus.DRAFT}, RoundStatus.OPEN, "opened", by, "")


def round_close(*, round: Round, by: User | None) -> Round:
    """Closing freezes every answer: from now on nothing is written to this round's answers."""
    require_lead(user=by, organisation=round.organisation_id)
    return _transition(round, {RoundStatus.OPEN}, RoundStatus.CLOSED, "closed", by, "")


def round_reopen(*, round: Round, by: User, reason: str) -> Round:
    require_lead(user=by, organisation=round.organisation_id)
    reason = reason.replace("\x00", "").strip()  # a NUL byte is no text a database keeps
    if not reason:
        raise ServiceError("Say why the round is being reopened; it is kept in the round's record.")
    return _transition(round, {RoundStatus.CLOSED}, RoundStatus.OPEN, "reopened", by, reason)


MIN_TOKEN_LENGTH = 43  # 256 bits in URL-safe base64, as new_token() makes them


def _new_invites(
    *,
    round: Round,
    perspective: str,
    labels: list[str],
    email: str,
    by: User | None,
    tokens,
    easy_read: bool = False,
) -> list[Invite]:
    """Save one invite per label, keeping only the hash of each token; the invites come
    back with their ``raw_token`` for the page that shows them once."""
    tokens = list(tokens) if tokens is not None else [new_token() for _ in labels]
    if len(tokens) != len(labels) or len(set(tokens)) != len(tokens):
        raise ServiceError("Each new link needs a token of its own.")
    if any(len(token) < MIN_TOKEN_LENGTH for token in tokens):
        raise ServiceError("A link's token must be at least 256 bits.")
    by_hash = {token_hash(token): token for token in tokens}
    Invite.objects.bulk_create(
        [
            Invite(
                round=round,
                perspective=perspective,
                label=label,
                email=email,
                easy_read=easy_read,
                created_by=by,
                token_hash=hashed,
            )
            for label, hashed in zip(labels, by_hash, strict=True)
        ]
    )
    made = list(Invite.objects.filter(token_hash__in=by_hash).order_by("pk"))
    for invite in made:
        invite.raw_token = by_hash[invite.token_hash]
        invite.round = round
    return made


def invites_create(
    *,
    round: Round,
    perspective: str,
    count: int = 1,
    label: str = "",
    email: str = "",
    by: User | None,
    tokens: Sequence[str] | None = None,
    easy_read: bool = False,
) -> list[Invite]:
    """Make ``count`` links, with ``tokens`` if given (the page that shows them once
    derives them from a key it keeps; see ``rounds/new_links.py``), or new random ones.
    Each invite returned carries its ``raw_token``; the database keeps only its hash. The
    links returned are exactly those made, whoever else is making links at the same moment."""
    with transaction.atomic():
        locked = _locked(round)
        require_lead(user=by, organisation=locked.organisation_id)
        if locked.is_closed:
            raise ServiceError("This round is closed. Reopen it before making new links.")
        if perspective not in Perspective.values:
            raise ServiceError("Choose the perspective of the people who will use these links.")
        if not 1 <= count <= MAX_BATCH:
            raise ServiceError(f"Make between 1 and {MAX_BATCH} links at a time.")
        if email and count != 1:
            raise ServiceError("An e-mail address can only be given when making 1 link.")
        labels = [
            f"{label} {n}".strip() if count > 1 and label else label for n in range(1, count + 1)
        ]
        return _new_invites(
            round=round,
            perspective=perspective,
            labels=labels,
            email=email,
            by=by,
            tokens=tokens,
            easy_read=easy_read,
        )


def invite_send(*, invite: Invite, email: str) -> Invite:
    """E-mail a link just made (its ``raw_token`` is known only then) to the person it is
    for. Their address is kept only to show it was sent. If the mail server fails, the link
    is as it was and MailNotSent says so."""
    revoked_at, status = (
        Invite.objects.filter(pk=invite.pk).values_list("revoked_at", "round__status").get()
    )
    if status == RoundStatus.CLOSED:
        raise ServiceError("This round is closed, so its links no longer work.")
    if revoked_at is not None:
        raise ServiceError("This link was revoked, so it cannot be sent.")
    if not invite.raw_token or token_hash(invite.raw_token) != invite.token_hash:
        raise ServiceError(
            "This link's address is no longer known (only a fingerprint of it is kept), so "
            "it cannot be sent. Make a fresh link for this person instead."
        )
    context = {
        "invite": invite,
        "round": invite.round,
        "url": mail.site_url(invite.path),
    }
    invite.email = email
    Invite.objects.filter(pk=invite.pk).update(email=email)
    try:
        mail.send(mail.Message.ANSWER_LINK, to=email, context=context, about=invite)
    except MailNotSent as exc:
        raise MailNotSent(
            f"The e-mail to {email} could not be sent just now. Try sending it again, or "
            "copy the link and send it yourself."
        ) from exc
    # Set by the worker once the e-mail has gone (at once when tasks run at once).
    invite.sent_at = Invite.objects.values_list("sent_at", flat=True).get(pk=invite.pk)
    return invite


def invite_replace(
    *, invite: Invite, by: User, token: str | None = None, email: str = ""
) -> Invite:
    """A fresh link for someone who lost theirs: the old link is revoked and a new one made
    with the same perspective and label (and the address it is about to be e-mailed to,
    if any). The new link starts empty: it never opens the old link's answers (they stay
    in the results, unseen)."""
    with transaction.atomic():
        old = Invite.objects.select_for_update().get(pk=invite.pk)
        if invite.round.is_closed:
            raise ServiceError("This round is closed. Reopen it before making new links.")
        if old.revoked_at is not None:
            raise ServiceError("This link was revoked already. Make a new link instead.")
        old.revoked_at = timezone.now()
        old.save(update_fields=["revoked_at"])
        (fresh,) = _new_invites(
            round=invite.round,
            perspective=old.perspective,
            labels=[old.label],
            email=email,
            by=by,
            tokens=None if token is None else [token],
            easy_read=old.easy_read,
        )
        _audit_link_revoked(old, invite.round, by, replaced=True)
    invite.revoked_at = old.revoked_at
    return fresh


def _audit_link_revoked(invite: Invite, round: Round, by: User | None, *, replaced: bool):
    """The activity log's line for a revoked link: its label or number and perspective,
    never who it was for beyond the label, nor anything answered through it."""
    name = f"“{invite.label}”" if invite.label else f"number {invite.pk}"
    how = "revoked and replaced by a fresh link" if replaced else "revoked"
    audit_record(
        organisation=round.organisation_id,
        kind=AuditKind.LINK_REVOKED,
        summary=f"Answer link {name} ({invite.get_perspective_display().lower()}) {how} "
        f"in round “{round.title}”.",
        actor=by,
        round=round,
    )


def invite_revoke(*, invite: Invite, by: User | None = None) -> None:
    """Stop a link working, noted in the activity log; revoking it again changes nothing."""
    with transaction.atomic():
        locked = (
            Invite.objects.select_for_update(of=("self",)).select_related("round").get(pk=invite.pk)
        )
        require_lead(user=by, organisation=locked.round.organisation_id)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            _audit_link_revoked(locked, locked.round, by, replaced=False)
    invite.revoked_at = locked.revoked_at


class RoundNotAcceptingAnswers(ServiceError):
    """The round is not taking answers from this person; ``reason`` says why, as the kind
    page names it: ``draft``, ``closed`` or ``revoked``."""

    def __init__(self, message: str, reason: str = "closed"):
        super().__init__(message)
        self.reason = reason


CLOSED_MESSAGE = (
    "This round has closed, so answers can no longer be changed. Thank you for taking part."
)


def _check_taking_answers(round: Round, *, link_revoked: bool = False) -> None:
    if link_revoked:
        raise RoundNotAcceptingAnswers(
            "This link has been revoked, so it can no longer be used to answer.", "revoked"
        )
    if round.status == RoundStatus.DRAFT:
        raise RoundNotAcceptingAnswers("This round has not opened yet.", "draft")
    if not round.accepts_answers:
        raise RoundNotAcceptingAnswers(CLOSED_MESSAGE)


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
        raise ServiceError("Choose the perspective you are answering from.")
    if not Membership.objects.filter(user=user, organisation_id=round.organisation_id).exists():
        raise ServiceError("Only the organisation's members can answer without a link.")
    _check_taking_answers(round)
    try:
        with transaction.atomic():
            respondent, _ = Respondent.objects.get_or_create(
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
        raise ServiceError("Choose the perspective you are answering from.")
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
# that cannot be mistaken for one another (coprod.codes); 8 of 20 characters are 2.56e10
# codes, and each code may be typed wrong 5 times before it is spent, within its 15
# minutes: a guess succeeds with odds of 1 in 5 billion.
MOVE_CODE_LENGTH = 8
MOVE_CODE_LIFETIME = timedelta(minutes=15)
MOVE_CODE_TRIES = 5


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
        raise ServiceError("Only answers given through a link move between browsers.")
    if not respondent.browser_key_hash:
        raise ServiceError("Carry on with your answers first; then they can move.")
    code = codes.new_code(MOVE_CODE_LENGTH)
    expires = timezone.now() + MOVE_CODE_LIFETIME
    Respondent.objects.filter(pk=respondent.pk).update(
        move_code_hash=_move_code_hash(respondent, code),
        move_code_expires_at=expires,
        move_code_tries=0,
    )
    return code, expires


class MoveRefused(ServiceError):
    pass


def respondent_move(*, respondent: Respondent, code: str, browser_key: str) -> Respondent:
    """Bind a link's answers to the browser with ``browser_key``, if ``code`` is the live
    code shown in the browser that had them; that browser loses them. The code works once.
    A wrong code counts against the live one; after 5, it is spent."""
    if len(browser_key) < MIN_TOKEN_LENGTH:
        raise ServiceError("A browser's secret must be at least 256 bits.")
    code = move_code_clean(code)
    with transaction.atomic():
        locked = Respondent.objects.select_for_update().get(pk=respondent.pk)
        live = (
            bool(locked.move_code_hash)
            and locked.move_code_expires_at is not None
            and locked.move_code_expires_at > timezone.now()
            and locked.move_code_tries < MOVE_CODE_TRIES
        )
        if live and hmac.compare_digest(locked.move_code_hash, _move_code_hash(locked, code)):
            locked.browser_key_hash = token_hash(browser_key)
            locked.move_code_hash, locked.move_code_expires_at = "", None
            locked.move_code_tries = 0
            locked.save(
                update_fields=[
                    "browser_key_hash",
                    "move_code_hash",
                    "move_code_expires_at",
                    "move_code_tries",
                ]
            )
            respondent.browser_key_hash = locked.browser_key_hash
            return respondent
        locked.move_code_tries = min(locked.move_code_tries + 1, MOVE_CODE_TRIES)
        spent = locked.move_code_tries >= MOVE_CODE_TRIES
        if spent:
            locked.move_code_hash, locked.move_code_expires_at = "", None
        locked.save(update_fields=["move_code_tries", "move_code_hash", "move_code_expires_at"])
    if spent:
        raise MoveRefused(
            "That code is not right, and too many wrong codes have been typed, so no code "
            "works now. Make a new code on the device where you started."
        )
    raise MoveRefused(
        "That code is not right, or it has run out (a code works for 15 minutes). Check it, "
        "or make a new code on the device where you started."
    )


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
            raise ServiceError(f"{item.level!r} is not one of the levels on the scale.")
        if len(item.note.strip()) > NOTE_MAX:
            raise ServiceError(
                f"Keep your note to {NOTE_MAX} characters (it has {len(item.note.strip())})."
            )
    statement_ids = {item.statement_id for item in answers}
    principle_of = dict(
        PracticeStatement.objects.filter(
            pk__in=statement_ids, principle__framework_id=respondent.round.framework_id
        ).values_list("pk", "principle_id")
    )
    if statement_ids - set(principle_of):
        raise ServiceError("Some answers are for statements that are not in this round.")
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


def _check_positions_allowed(round: Round, statement: PracticeStatement, by: User | None):
    """Inside a transaction: a lead, a round that has opened, a statement of the round."""
    locked = _locked(round)
    require_lead(user=by, organisation=locked.organisation_id)
    if locked.status == RoundStatus.DRAFT:
        raise ServiceError("Open the round and gather answers before agreeing positions.")
    if not PracticeStatement.objects.filter(
        pk=statement.pk, principle__framework_id=locked.framework_id
    ).exists():
        raise ServiceError("That statement is not part of this round.")


AGREED_LEVELS = {level for level in Level.values if level != Level.NOT_SURE}


def agreed_position_record(
    *, round: Round, statement: PracticeStatement, level: int, reason: str, by: User
) -> AgreedPosition:
    """What the group agreed for a statement after discussing the answers, and why."""
    if level not in AGREED_LEVELS:
        raise ServiceError("Choose the level the group agreed on.")
    reason = reason.strip()
    if not reason:
        raise ServiceError("Say briefly why the group agreed this level.")
    if len(reason) > REASON_MAX:
        raise ServiceError(f"Keep the reason to {REASON_MAX} characters (it has {len(reason)}).")
    with transaction.atomic():
        _check_positions_allowed(round, statement, by)
        position, _ = AgreedPosition.objects.update_or_create(
            round=round,
            statement=statement,
            defaults={"level": level, "reason": reason, "recorded_by": by},
        )
    return position


def agreed_position_clear(
    *, round: Round, statement: PracticeStatement, by: User | None = None
) -> None:
    with transaction.atomic():
        _check_positions_allowed(round, statement, by)
        AgreedPosition.objects.filter(round=round, statement=statement).delete()


@dataclass(frozen=True)
class PositionDecision:
    """What the group decided for one statement: a level with its reason, or (level
    None) no agreed position."""

    statement: PracticeStatement
    level: int | None
    reason: str = ""


def agreed_positions_record(
    *, round: Round, decisions: Sequence[PositionDecision], by: User
) -> tuple[int, int]:
    """The agreed positions of several statements (a principle's, from one page), all or
    none: each recorded, changed or removed as decided; a statement whose position stays as
    it was is left alone. Returns how many were recorded or changed, and removed."""
    saved = removed = 0
    with transaction.atomic():
        existing = {
            position.statement_id: position
            for position in AgreedPosition.objects.filter(
                round=round, statement__in=[d.statement for d in decisions]
            )
        }
        for decision in decisions:
            before = existing.get(decision.statement.pk)
            if decision.level is None:
                if before is not None:
                    agreed_position_clear(round=round, statement=decision.statement, by=by)
                    removed += 1
                continue
            if (
                before is not None
                and before.level == decision.level
                and before.reason == decision.reason.strip()
            ):
                continue
            agreed_position_record(
                round=round,
                statement=decision.statement,
                level=decision.level,
                reason=decision.reason,
                by=by,
            )
            saved += 1
    return saved, removed


def action_save(*, action: Action, by: User | None = None) -> Action:
    """Add an action to a round's plan, or save changes to one."""
    require_lead(user=by, organisation=action.round.organisation_id)
    if action.statement is not None and action.statement.principle_id != action.principle_id:
        raise ServiceError("The statement chosen is not part of the principle chosen.")
    if action.principle.framework_id != action.round.framework_id:
        raise ServiceError("That principle is not part of this round.")
    action.save()
    return action


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
            summary=f"Action “{what}” ({action.principle.name}) deleted from the plan of "
            f"round “{round_.title}”.",
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
        raise ServiceError("Actions can only be carried into a round of the same organisation.")
    previous = previous_round(round)
    if previous is None or action.round_id != previous.pk:
        raise ServiceError(
            "Only the open actions of the round before this one can be reviewed here."
        )
    if action.status not in OPEN_ACTION_STATUSES:
        raise ServiceError(f"This action is already marked {action.get_status_display().lower()}.")
    if Action.objects.filter(carried_from=action).exists():
        raise ServiceError("This action has been carried into a later round. Update it there.")


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
            raise ServiceError("This round's framework has no principle matching that action.")
        return Action.objects.create(
            round=into,
            principle=principle,
            change_from=locked.change_from,
            change_to=locked.change_to,
            owner=locked.owner,
            co_owner=locked.co_owner,
            due_on=locked.due_on,
            step=locked.step,
            status=locked.status,
            carried_from=locked,
        )


def action_close_from_review(
    *, action: Action, status: str, round: Round, by: User | None = None
) -> Action:
    """Close an open action of the last round, from ``round``'s review, as done or dropped."""
    if status not in (ActionStatus.DONE, ActionStatus.DROPPED):
        raise ServiceError("Mark the action as done or dropped.")
    with transaction.atomic():
        locked = _lock_action(action)
        _check_reviewable(locked, round, by)
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
    action.status, action.updated_at = locked.status, locked.updated_at
    return action
