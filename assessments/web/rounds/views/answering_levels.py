"""The answering pages of a round that asks each statement at each level of its framework
(``Round.at_levels``; nef's individual, service and organisation): which levels a page
asks at, and how many answers a principle has, for ``views.answering``."""

from assessments.rounds.models import Round
from assessments.rounds.scopes import answer_key, round_scopes
from principles.scopes import Scope


def scopes_asked(round_: Round) -> list[Scope | None]:
    """The levels each statement is asked at: ``[None]``, once, in an ordinary round."""
    return [*round_scopes(round_)] or [None]


def scope_posted(round_: Round, slug: str) -> tuple[bool, Scope | None]:
    """The level an autosaved answer is for, and whether it is one the round asks at."""
    scopes = {scope.slug: scope for scope in round_scopes(round_)}
    return (slug in scopes or not (scopes or slug)), scopes.get(slug)


def answered_by_principle(principles, scopes: list[Scope | None], saved: dict) -> dict:
    """principle id → how many of its answers the person has given (one a statement, or
    one a statement at each level)."""
    return {
        p.pk: sum(
            1
            for s in p.statements.all()
            for scope in scopes
            if answer_key(s.pk, scope.slug if scope else "") in saved
        )
        for p in principles
    }


def at_levels(statement, scopes: list[Scope], saved: dict, words) -> list[tuple]:
    """A statement's answers at each level, for "Check your answers": (level, answer,
    its words); none in a round that does not ask at levels."""
    return [
        (scope, answer, words(answer))
        for scope in scopes
        for answer in [saved.get(answer_key(statement.pk, scope.slug))]
    ]
