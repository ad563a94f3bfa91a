"""The previous round's actions on a round's results: which statement or principle each
was aimed at, where it stands, and how that statement's or principle's published figure
moved between the two rounds (only where both rounds showed it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assessments.figures import scoring
from assessments.rounds.models import Action

if TYPE_CHECKING:
    from assessments.documents.summary import PrincipleResult, StatementResult


@dataclass
class FollowedAction:
    """One of the previous round's actions, beside the move of the published figure of its
    statement (or, for an action on a whole principle, of its principle) between the two
    rounds; ``move`` is None when either round held that figure back."""

    action: Action
    carried: Action | None
    principle: PrincipleResult | None
    statement: StatementResult | None
    move: scoring.Move | None

    @property
    def status(self) -> str:
        """Where it stands now: its copy's status when carried into this round."""
        return (self.carried or self.action).get_status_display()


def followed_actions(
    actions: list[Action], principles: list[PrincipleResult]
) -> list[FollowedAction]:
    """Each of the previous round's actions with the move of its statement's or principle's
    figure, matched to this round's by position, as "what moved" matches them; only moves
    with a published figure on both sides count."""
    by_order = {p.principle.order: p for p in principles}
    statements = {
        (p.principle.order, s.statement.order): s for p in principles for s in p.statements
    }
    followed = []
    for action in actions:
        principle = by_order.get(action.principle.order)
        statement = None
        if action.statement is not None:
            position = (action.statement.principle.order, action.statement.order)
            statement = statements.get(position)
        if action.statement is not None:
            move = statement.move if statement is not None else None
        else:
            move = principle.move if principle is not None else None
        if move is not None and move.change is None:
            move = None
        followed.append(
            FollowedAction(
                action=action,
                carried=getattr(action, "carried", None),
                principle=principle,
                statement=statement,
                move=move,
            )
        )
    return followed
