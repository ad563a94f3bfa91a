"""Rounds that ask each statement at each level of the framework (``Round.at_levels``;
nef's individual, service and organisation: ``principles.scopes``).

Such a round has one answer from each person for each statement at each level, and its
published figures one cell for each, under the key ``answer_key`` gives
("12@service"); an ordinary round's keys are its statements' ids, as they always were.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from assessments.errors import ServiceError
from assessments.rounds.models import Round
from principles.models import Framework
from principles.scopes import Scope, framework_scopes

SEPARATOR = "@"


def answer_key(statement_id: int, scope: str) -> int | str:
    """What an answer, a form field and a published cell are known by: the statement's id,
    or in a round at levels the id and the level ("12@service")."""
    return f"{statement_id}{SEPARATOR}{scope}" if scope else statement_id


def split_key(key: int | str) -> tuple[int, str]:
    """(statement id, level) of a key as ``answer_key`` makes it (or as JSON keeps it)."""
    statement, _, scope = str(key).partition(SEPARATOR)
    return int(statement), scope


def round_scopes(round_: Round) -> list[Scope]:
    """The levels each statement is asked at in the round: none unless it asks at levels."""
    return framework_scopes(round_.framework) if round_.at_levels else []


def answers_per_statement(round_: Round) -> int:
    return len(round_scopes(round_)) or 1


def check_scopes(framework: Framework, at_levels: bool) -> None:
    """A round can ask at levels only when its framework defines them."""
    if at_levels and not framework.scopes:
        raise ServiceError(
            _("%(name)s does not define levels, so its statements can be asked only once.")
            % {"name": framework.name}
        )


def check_answer_scopes(round_: Round, scopes: set[str]) -> None:
    """Every answer is for one of the round's levels (none in an ordinary round)."""
    allowed = {scope.slug for scope in round_scopes(round_)} or {""}
    if scopes - allowed:
        raise ServiceError(_("Some answers are for levels that are not in this round."))
