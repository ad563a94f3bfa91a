"""Publishing a round's figures: once, with disclosure control, then only read.

When a round closes, and while it is open each time at least three more people have
finished, ``publication_update`` computes the round's figures from the answers and stores
them as a ``Publication``. Every page, download and cohort view reads the latest one
(``latest_figures``); nothing anyone sees is computed from the answers when they look.

The rules, each enforced here and checked by ``disclosure.Ledger`` against everything the
round has published before (see docs/SCORING.md):

- A publication covers at least three people, and its set of people differs from every
  earlier publication's by at least three: a reader comparing two of them learns about
  three people or more, never one or two. Until then the earlier one stands.
- Groups (perspectives) are shown only as parts of a partition of everyone into groups of
  at least three: a small perspective is folded into "others", and when "others" would
  still be too small, the smallest group is folded in with it, so no group can be worked
  out by taking the others away from "everyone". If the groups, set beside earlier
  publications, would reveal anyone, this publication shows everyone only.
- A statement's figure for a group is shown only when at least three people in it rated
  the statement and, beside every figure shown so far, it reveals nothing about one or two
  people (complementary suppression: when one group's figure is held back, another is held
  back with it if the two could be subtracted from "everyone").
- Notes are one list per statement, never tied to a group, in alphabetical order.
- In a round that asks each statement at each level of its framework (``Round.at_levels``),
  each statement at each level is a cell of its own, under its own key ("12@service",
  ``rounds.scopes.answer_key``), with its own ledger and noise, exactly as a separate
  statement would be. Every figure across levels is worked out from these published cells.

A workshop's room is shown figures too (``workshops.room``): snapshots of one
principle, under the same rules and in the same ledger as the round's publications, so
that nothing set beside a publication, or two snapshots side by side, tells anything about
one or two people. See "Workshops" in docs/SCORING.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from django.db import transaction

from assessments.figures import cohort_scoring, noise, scoring
from assessments.figures.disclosure import MIN_PEOPLE, Ledger
from assessments.figures.models import Publication, PublicationScore, RoomSnapshot
from assessments.figures.signals import figures_changed
from assessments.rounds.models import Answer, Perspective, Respondent, Round
from assessments.rounds.scopes import answer_key, split_key
from principles.models import PracticeStatement

EVERYONE = "all"
GROUP_ORDER = [*Perspective.values, scoring.OTHERS]


# Writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawAnswer:
    respondent: int
    perspective: str
    statement: int
    level: int  # 0 is "not sure"
    note: str
    scope: str = ""  # the level of the framework, in a round that asks at levels


def _answers(round_: Round, people: set[int]) -> list[RawAnswer]:
    rows = Answer.objects.filter(respondent__round=round_, respondent_id__in=people).values_list(
        "respondent_id", "respondent__perspective", "statement_id", "level", "note", "scope"
    )
    return [RawAnswer(*row) for row in rows]


def _people(round_: Round, *, closing: bool) -> set[int]:
    """Who a publication covers: at close, everyone who gave an answer; while the round is
    open, those who said they had finished."""
    respondents = Respondent.objects.filter(round=round_, answers__isnull=False)
    if not closing:
        respondents = respondents.filter(finished_at__isnull=False)
    return set(respondents.values_list("pk", flat=True).distinct())


def partition(perspective_of: dict[int, str]) -> dict[str, frozenset[int]]:
    """Everyone split into groups of at least three, by perspective, with small ones folded
    into "others" (and the smallest group too, while "others" is under three). Empty when
    fewer than two groups would be left: one group is just everyone again."""
    members: dict[str, set[int]] = defaultdict(set)
    for person, perspective in perspective_of.items():
        members[perspective].add(person)
    groups = {p: frozenset(m) for p, m in members.items() if len(m) >= MIN_PEOPLE}
    others: set[int] = set().union(*(m for p, m in members.items() if len(m) < MIN_PEOPLE))
    while 0 < len(others) < MIN_PEOPLE and groups:
        smallest = min(groups, key=lambda p: (len(groups[p]), GROUP_ORDER.index(p)))
        others |= groups.pop(smallest)
    parts = dict(groups)
    if len(others) >= MIN_PEOPLE:
        parts[scoring.OTHERS] = frozenset(others)
    return parts if len(parts) >= 2 else {}


def earlier_sets(earlier: Iterable[dict]) -> tuple[list, dict[str, list]]:
    """Who every figure shown before covered, from the ledgers of the round's publications
    and of its workshops' room snapshots: the groups, and each statement's figures."""
    parts: list[list[int]] = []
    cells: dict[str, list] = defaultdict(list)
    for ledger in earlier:
        parts.extend(ledger["parts"].values())
        for statement, shown in ledger["cells"].items():
            cells[statement].extend(shown.values())
    return parts, cells


def room_ledgers(round_: Round) -> list[dict]:
    return list(
        RoomSnapshot.objects.filter(workshop__round=round_)
        .order_by("pk")
        .values_list("ledger", flat=True)
    )


def build(
    answers: list[RawAnswer], earlier: list[Publication], room: Iterable[dict] = ()
) -> tuple[dict, dict] | None:
    """The figures and ledger of a new publication of these answers, or None when nothing
    new may be published beside the earlier publications (and the ledgers of the room
    snapshots the round's workshops were shown, ``room``)."""
    perspective_of = {a.respondent: a.perspective for a in answers}
    everyone = frozenset(perspective_of)
    if len(everyone) < MIN_PEOPLE:
        return None
    for publication in earlier:
        if len(everyone ^ set(publication.ledger["people"])) < MIN_PEOPLE:
            return None
    earlier_parts, earlier_cells = earlier_sets([*(p.ledger for p in earlier), *room])
    people_ledger = Ledger(earlier_parts)
    if not people_ledger.add_if_safe(everyone):
        return None
    parts = partition(perspective_of)
    if parts and not _all_safe(people_ledger, parts.values()):
        parts = {}
    keys = [EVERYONE, *sorted(parts, key=lambda k: (-len(parts[k]), GROUP_ORDER.index(k)))]
    members = {EVERYONE: everyone, **parts}

    by_cell: dict[tuple[int, str], list[RawAnswer]] = defaultdict(list)
    for answer in answers:
        by_cell[(answer.statement, answer.scope)].append(answer)
    statements: dict[str, dict[str, dict]] = {}
    shown_cells: dict[str, dict[str, list[int]]] = {}
    notes: dict[str, list[str]] = {}
    for (statement, scope), given in sorted(by_cell.items()):
        cell = answer_key(statement, scope)
        ledger = Ledger(earlier_cells.get(str(cell), []))
        split = {
            key: [(a.respondent, a.level) for a in given if a.respondent in group]
            for key, group in (parts or {EVERYONE: everyone}).items()
        }
        # The noise is keyed by the cell's text: a statement's id, or "12@service".
        noisy = noise.cells(cast(int, cell), split, EVERYONE)
        cells, shown = {}, {}
        for key in keys:
            rated = [a.respondent for a in given if a.respondent in members[key] and a.level]
            if ledger.add_if_safe(rated):
                cells[key] = noisy[key]
                shown[key] = sorted(rated)
        statements[str(cell)] = cells
        shown_cells[str(cell)] = shown
        written = sorted(a.note for a in given if a.note.strip())
        if written:
            notes[str(cell)] = written
    figures = {
        "respondents": len(everyone),
        "groups": [[key, len(parts[key])] for key in GROUP_ORDER if key in parts],
        "statements": statements,
        "notes": notes,
    }
    ledger_data = {
        "people": sorted(everyone),
        "parts": {key: sorted(members[key]) for key in keys},
        "cells": shown_cells,
    }
    return figures, ledger_data


def _all_safe(ledger: Ledger, sets: Iterable[frozenset[int]]) -> bool:
    trial = Ledger(ledger.sets)
    return all(trial.add_if_safe(members) for members in sets)


def publication_update(*, round: Round, closing: bool | None = None) -> Publication | None:
    """Publish the round's figures if the rules allow a new publication now; return it, or
    None when the latest one stands. ``closing`` defaults to whether the round is closed."""
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        if closing is None:
            closing = locked.is_closed
        if not closing and not locked.figures_while_open:
            return None  # the lead asked for figures only once the round closes
        earlier = list(Publication.objects.filter(round=locked).order_by("number"))
        people = _people(locked, closing=closing)
        if not closing and earlier and len(people - set(earlier[-1].ledger["people"])) < 3:
            return None  # while open, figures move only in steps of three more people
        built = build(_answers(locked, people), earlier, room_ledgers(locked))
        if built is None:
            return None
        figures, ledger = built
        scores = cohort_scoring.publication_scores(figures, _positions(locked), EVERYONE)
        publication = Publication.objects.create(
            round=locked,
            number=len(earlier) + 1,
            closing=closing,
            respondents=figures["respondents"],
            figures=figures,
            ledger=ledger,
            scores=scores,
        )
        PublicationScore.objects.bulk_create(score_rows(publication))
        figures_changed.send(Round, round=locked)
        return publication


def _positions(round_: Round) -> dict[int, tuple[int, int]]:
    """The round's statements by position: (principle order, statement order)."""
    return {
        pk: (principle, order)
        for pk, principle, order in PracticeStatement.objects.filter(
            principle__framework_id=round_.framework_id
        ).values_list("pk", "principle__order", "order")
    }


def score_rows(publication: Publication) -> list[PublicationScore]:
    """The publication's principle scores as rows, for sorting a cohort's heat map."""
    return [
        PublicationScore(publication=publication, group=key, principle=int(order), score=score)
        for key, group in publication.scores["groups"].items()
        for order, score in group["principles"].items()
    ]


# Reading ---------------------------------------------------------------------------------


def latest(round_: Round, *, figures: bool = True) -> Publication | None:
    """The round's latest publication, without its ledger (which only the next publication
    reads), and without its figures unless ``figures`` (read when first used)."""
    deferred = ["ledger"] if figures else ["ledger", "figures"]
    return Publication.objects.filter(round=round_).defer(*deferred).order_by("-number").first()


@dataclass(frozen=True)
class Figures:
    """A publication's figures, as the scoring functions read them."""

    respondents: int
    groups: list[tuple[str, int]]
    statements: dict[int, dict[str, dict]]
    notes: dict[int, list[str]]
    publication: Publication | None = None
    # A round at levels: its cells by (statement, level), and their notes. Its
    # ``statements`` and ``notes`` are then empty: ``at(level)`` reads one level as a round.
    scoped: dict[tuple[int, str], dict[str, dict]] = field(default_factory=dict)
    scoped_notes: dict[tuple[int, str], list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, publication: Publication | None) -> Figures:
        if publication is None:
            return cls(respondents=0, groups=[], statements={}, notes={})
        data = publication.figures
        statements, scoped, notes, scoped_notes = {}, {}, {}, {}
        for key, cells in data["statements"].items():
            statement, scope = split_key(key)
            if scope:
                scoped[(statement, scope)] = cells
            else:
                statements[statement] = cells
        for key, written in data["notes"].items():
            statement, scope = split_key(key)
            if scope:
                scoped_notes[(statement, scope)] = written
            else:
                notes[statement] = written
        return cls(
            respondents=data["respondents"],
            groups=[(key, n) for key, n in data["groups"]],
            statements=statements,
            notes=notes,
            publication=publication,
            scoped=scoped,
            scoped_notes=scoped_notes,
        )

    def cells_of(self) -> dict[int, list[dict[str, dict]]]:
        """statement id → its published cells: one, or in a round at levels one a level."""
        found: dict[int, list[dict[str, dict]]] = {s: [c] for s, c in self.statements.items()}
        for (statement, _), cells in self.scoped.items():
            found.setdefault(statement, []).append(cells)
        return found

    def at(self, scope: str) -> Figures:
        """One level's published cells, keyed by statement as an ordinary round's are."""
        return Figures(
            respondents=self.respondents,
            groups=self.groups,
            statements={s: cells for (s, at), cells in self.scoped.items() if at == scope},
            notes={s: notes for (s, at), notes in self.scoped_notes.items() if at == scope},
            publication=self.publication,
        )

    def rows(self, key: str, principle_of: dict[int, int]) -> list[scoring.AnswerRow]:
        """The published levels of one group (or everyone) as rows the scoring functions
        take. They carry no person: each level is its own row. In a round at levels, the
        published cells of every level, so a statement's rows are those of all its levels
        shown."""
        rows = []
        number = 0
        cells_of = [*self.statements.items(), *((s, c) for (s, _), c in self.scoped.items())]
        for statement, cells in cells_of:
            cell = cells.get(key)
            if cell is None or statement not in principle_of:
                continue
            for level, count in enumerate(cell["levels"], start=1):
                for _ in range(count):
                    number += 1
                    rows.append(
                        scoring.AnswerRow(number, key, principle_of[statement], statement, level)
                    )
            for _ in range(cell["not_sure"]):
                number += 1
                rows.append(
                    scoring.AnswerRow(number, key, principle_of[statement], statement, None)
                )
        return rows
