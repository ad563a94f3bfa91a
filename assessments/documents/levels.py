"""A round that asks each statement at each level of its framework (nef's individual,
service and organisation): its results at each level, for the results page, the report
and the scores CSV.

Each statement at each level is a cell of the publication of its own (``publishing``), with
its own disclosure check: a level's figures are worked out from that level's published
cells only, as an ordinary round's are from its statements' (``Figures.at``). The round's
own principle scores, across the levels (``summary.round_results``), come from all the
published cells of each statement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext, pgettext

from assessments.documents.held import HELD, PRINCIPLE_HELD_WORDS, held_figures, held_words
from assessments.figures import scoring
from assessments.figures.publishing import EVERYONE, Figures
from assessments.rounds.models import Round
from assessments.rounds.scopes import round_scopes
from principles.scopes import Scope


@dataclass
class AtLevel:
    """A principle's or a statement's figures at one level."""

    scope: Scope
    summary: scoring.Summary
    by_perspective: dict[str, scoring.Summary]
    # A statement's figures held back at this level: key (EVERYONE or a group) → HELD.
    held: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def everyone_held(self) -> str:
        return self.held.get(EVERYONE, "")


@dataclass
class LevelFigures:
    scopes: list[Scope]
    principles: dict[int, list[AtLevel]]  # principle id → its figures at each level
    statements: dict[int, list[AtLevel]]  # statement id → its figures at each level

    @cached_property
    def held_statements(self) -> set[int]:
        """The statements with a figure at some level that is not shown."""
        return {s for s, levels in self.statements.items() if any(at.held for at in levels)}

    @property
    def held(self) -> bool:
        """Whether any principle's score at a level is not shown."""
        return any(at.summary.mean is None for ps in self.principles.values() for at in ps)


def level_figures(
    round_: Round, framework, figures: Figures, group_keys: list[str]
) -> LevelFigures | None:
    """The round's figures at each level, or None for a round that does not ask at levels."""
    scopes = round_scopes(round_)
    if not scopes:
        return None
    principle_of = {s.pk: p.pk for p in framework.principles.all() for s in p.statements.all()}
    principles: dict[int, list[AtLevel]] = {p.pk: [] for p in framework.principles.all()}
    statements: dict[int, list[AtLevel]] = {s: [] for s in principle_of}
    keys = [EVERYONE, *group_keys]
    for scope in scopes:
        at = figures.at(scope.slug)
        rows = {key: at.rows(key, principle_of) for key in keys}
        p_scores = {key: scoring.principle_scores(r) for key, r in rows.items()}
        s_scores = {key: scoring.statement_scores(r) for key, r in rows.items()}
        held = held_figures(at, keys)
        for principle_id, found in principles.items():
            found.append(_at(scope, p_scores, principle_id, group_keys))
        for statement_id, found in statements.items():
            level = _at(scope, s_scores, statement_id, group_keys)
            level.held = held.get(statement_id, {})
            if statement_id not in at.statements and figures.publication is not None:
                level.held = dict.fromkeys(keys, HELD)  # nobody rated it at this level
            level.notes = at.notes.get(statement_id, [])
            found.append(level)
    return LevelFigures(scopes=scopes, principles=principles, statements=statements)


def _at(scope: Scope, scores: dict[str, dict], key: int, group_keys: list[str]) -> AtLevel:
    return AtLevel(
        scope=scope,
        summary=scores[EVERYONE].get(key, scoring.EMPTY),
        by_perspective={g: scores[g][key] for g in group_keys if key in scores[g]},
    )


# In the CSVs ------------------------------------------------------------------------


def score_rows(results, number: Callable[[float | None], str]) -> list[tuple]:
    """The scores CSV's rows at each level of a round at levels, as the results page shows
    them: each principle's and statement's, for everyone and each group, where shown, each
    score written by ``number``."""
    rows: list[tuple] = []
    everyone = (EVERYONE, gettext("Everyone"), results.respondents)
    for p in results.principles:
        head = (p.number, p.principle.name)
        for at in results.levels.principles[p.principle.pk]:
            for key, label, count in [everyone, *results.groups]:
                found = at.summary if key == EVERYONE else at.by_perspective.get(key)
                mean = found.mean if found else None
                why = "" if mean is not None else str(PRINCIPLE_HELD_WORDS)
                rows.append((*head, "", at.scope.name, label, count, number(mean), *[""] * 6, why))
        for s in p.statements:
            for at in results.levels.statements[s.statement.pk]:
                for key, label, count in [everyone, *results.groups]:
                    found = at.summary if key == EVERYONE else at.by_perspective.get(key)
                    held = at.held.get(key, "")
                    if found is None and not held:
                        continue
                    shown = found is not None and not held and found.rated
                    rows.append(
                        (
                            *head,
                            s.statement.code,
                            at.scope.name,
                            label,
                            count,
                            number(found.mean) if shown and found else "",
                            "",
                            "",
                            found.minimum if shown and found and key == EVERYONE else "",
                            found.maximum if shown and found and key == EVERYONE else "",
                            "",
                            found.not_sure if found and not held and key == EVERYONE else "",
                            "",
                            held_words(held, everyone=key == EVERYONE) if held else "",
                        )
                    )
    return rows


def asked(round_: Round) -> list[tuple[str, list[str]]]:
    """Each level a round at levels asks at, as (slug, [its name]) for a column of its own;
    one with no name and no column for an ordinary round."""
    return [(scope.slug, [scope.name]) for scope in round_scopes(round_)] or [("", [])]


def asked_once(levels: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """An instrument's statements are asked once, in a round at levels too: a blank in the
    level's column."""
    return [("", [""] * len(levels[0][1]))]


def header(levels: list[tuple[str, list[str]]]) -> list[str]:
    return [pgettext("CSV header", "asked at level")] if levels[0][0] else []
