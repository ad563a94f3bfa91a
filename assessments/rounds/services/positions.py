"""Agreed positions: what the group settled on for a statement after discussing the
answers, and why."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.accounts.models import User
from assessments.accounts.services import require_lead
from assessments.errors import ServiceError
from assessments.rounds.models import AgreedPosition, Level, Round, RoundStatus
from assessments.rounds.services.evidence import evidence_removed_with
from assessments.rounds.services.lifecycle import _locked
from principles.models import PracticeStatement

REASON_MAX = 2000


def _check_positions_allowed(round: Round, statement: PracticeStatement, by: User | None) -> None:
    """Inside a transaction: a lead, a round that has opened, a statement of the round."""
    locked = _locked(round)
    require_lead(user=by, organisation=locked.organisation_id)
    if locked.status == RoundStatus.DRAFT:
        raise ServiceError(_("Open the round and gather answers before agreeing positions."))
    if not PracticeStatement.objects.filter(
        pk=statement.pk, principle__framework_id=locked.framework_id
    ).exists():
        raise ServiceError(_("That statement is not part of this round."))


AGREED_LEVELS = {level for level in Level.values if level != Level.NOT_SURE}


def agreed_position_record(
    *, round: Round, statement: PracticeStatement, level: int, reason: str, by: User
) -> AgreedPosition:
    """What the group agreed for a statement after discussing the answers, and why."""
    if level not in AGREED_LEVELS:
        raise ServiceError(_("Choose the level the group agreed on."))
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Say briefly why the group agreed this level."))
    if len(reason) > REASON_MAX:
        raise ServiceError(
            ngettext(
                "Keep the reason to %(max)s characters (it has %(count)s).",
                "Keep the reason to %(max)s characters (it has %(count)s).",
                len(reason),
            )
            % {"max": REASON_MAX, "count": len(reason)}
        )
    with transaction.atomic():
        _check_positions_allowed(round, statement, by)
        position, _created = AgreedPosition.objects.update_or_create(
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
        for position in AgreedPosition.objects.filter(round=round, statement=statement):
            evidence_removed_with(position, by)  # its evidence goes with it
            position.delete()


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
