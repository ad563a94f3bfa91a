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

A workshop's room is shown figures too (``room_figures_update``): snapshots of one
principle, under the same rules and in the same ledger as the round's publications, so
that nothing set beside a publication, or two snapshots side by side, tells anything about
one or two people. See "Workshops" in docs/SCORING.md.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F

from assessments.reporting import scoring
from assessments.reporting.disclosure import MIN_PEOPLE, Ledger
from assessments.reporting.models import Publication, PublicationScore, RoomSnapshot
from assessments.rounds.models import Answer, Invite, Perspective, Respondent, Round
from assessments.workshops.models import Workshop
from principles.models import PracticeStatement

EVERYONE = "all"
GROUP_ORDER = [*Perspective.values, scoring.OTHERS]


# Writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Answer:
    respondent: int
    perspective: str
    statement: int
    level: int  # 0 is "not sure"
    note: str


def _answers(round_: Round, people: set[int]) -> list[_Answer]:
    rows = Answer.objects.filter(respondent__round=round_, respondent_id__in=people).values_list(
        "respondent_id", "respondent__perspective", "statement_id", "level", "note"
    )
    return [_Answer(*row) for row in rows]


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


def _earlier_sets(earlier: Iterable[dict]) -> tuple[list, dict[str, list]]:
    """Who every figure shown before covered, from the ledgers of the round's publications
    and of its workshops' room snapshots: the groups, and each statement's figures."""
    parts: list[list[int]] = []
    cells: dict[str, list] = defaultdict(list)
    for ledger in earlier:
        parts.extend(ledger["parts"].values())
        for statement, shown in ledger["cells"].items():
            cells[statement].extend(shown.values())
    return parts, cells


def _room_ledgers(round_: Round) -> list[dict]:
    return list(
        RoomSnapshot.objects.filter(workshop__round=round_)
        .order_by("pk")
        .values_list("ledger", flat=True)
    )


def build(
    answers: list[_Answer], earlier: list[Publication], room: Iterable[dict] = ()
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
    earlier_parts, earlier_cells = _earlier_sets([*(p.ledger for p in earlier), *room])
    people_ledger = Ledger(earlier_parts)
    if not people_ledger.add_if_safe(everyone):
        return None
    parts = partition(perspective_of)
    if parts and not _all_safe(people_ledger, parts.values()):
        parts = {}
    keys = [EVERYONE, *sorted(parts, key=lambda k: (-len(parts[k]), GROUP_ORDER.index(k)))]
    members = {EVERYONE: everyone, **parts}

    by_statement: dict[int, list[_Answer]] = defaultdict(list)
    for answer in answers:
        by_statement[answer.statement].append(answer)
    statements: dict[str, dict[str, dict]] = {}
    shown_cells: dict[str, dict[str, list[int]]] = {}
    notes: dict[str, list[str]] = {}
    for statement, given in sorted(by_statement.items()):
        ledger = Ledger(earlier_cells.get(str(statement), []))
        cells, shown = {}, {}
        for key in keys:
            mine = [a for a in given if a.respondent in members[key]]
            rated = [a.respondent for a in mine if a.level]
            if ledger.add_if_safe(rated):
                levels = Counter(a.level for a in mine)
                cells[key] = {"levels": [levels[n] for n in range(1, 5)], "not_sure": levels[0]}
                shown[key] = sorted(rated)
        statements[str(statement)] = cells
        shown_cells[str(statement)] = shown
        written = sorted(a.note for a in given if a.note.strip())
        if written:
            notes[str(statement)] = written
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
        built = build(_answers(locked, people), earlier, _room_ledgers(locked))
        if built is None:
            return None
        figures, ledger = built
        scores = scoring.publication_scores(figures, _positions(locked), EVERYONE)
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
        # Imported here: the cohorts' services read this module's publications.
        from assessments.cohorts.services import cohort_figures_refresh

        cohort_figures_refresh(organisation_id=locked.organisation_id)
        return publication


# A workshop's room ------------------------------------------------------------------------

STAFF_SIDE = "staff"
LIVED_SIDE = "lived"
SIDES = {
    STAFF_SIDE: {Perspective.STAFF, Perspective.MANAGER},
    LIVED_SIDE: {Perspective.LIVED_EXPERIENCE, Perspective.CARER},
}
ROOM_STEP = MIN_PEOPLE  # a new snapshot only after this many more people have finished


def room_finishers(workshop: Workshop, statement_ids: Collection[int]) -> dict[int, str]:
    """The people in the room who have answered every one of these statements (a
    principle's), with their perspective."""
    rows = (
        Answer.objects.filter(
            respondent__invite__workshop=workshop, statement_id__in=list(statement_ids)
        )
        .values_list("respondent_id", "respondent__perspective")
        .annotate(n=Count("statement_id"))
        .order_by()
    )
    return {person: perspective for person, perspective, n in rows if n >= len(statement_ids)}


def room_build(
    answers: list[_Answer], perspective_of: dict[int, str], earlier: Iterable[dict]
) -> tuple[dict, dict]:
    """The room's figures of one principle from these answers (of people who answered all
    its statements), and its ledger, checked against every earlier ledger of the round
    (publications and snapshots): everyone in the room, and the staff and lived-experience
    sides when each has at least three people; each figure only when it covers three
    people or more and, beside everything shown before, reveals nothing about one or two."""
    everyone = frozenset(perspective_of)
    sides = {
        side: frozenset(p for p, view in perspective_of.items() if view in views)
        for side, views in SIDES.items()
    }
    if any(len(members) < MIN_PEOPLE for members in sides.values()):
        sides = {}
    members = {EVERYONE: everyone, **sides}
    _, earlier_cells = _earlier_sets(earlier)
    by_statement: dict[int, list[_Answer]] = defaultdict(list)
    for answer in answers:
        by_statement[answer.statement].append(answer)
    statements: list[dict] = []
    order: list[tuple[bool, float, float, int]] = []
    shown_cells: dict[str, dict[str, list[int]]] = {}
    for statement, given in sorted(by_statement.items()):
        ledger = Ledger(earlier_cells.get(str(statement), []))
        cells: dict[str, dict] = {}
        shown: dict[str, list[int]] = {}
        for key, group in members.items():
            mine = [a for a in given if a.respondent in group]
            rated = [a.respondent for a in mine if a.level]
            if ledger.add_if_safe(rated):
                levels = Counter(a.level for a in mine)
                cells[key] = {"levels": [levels[n] for n in range(1, 5)], "not_sure": levels[0]}
                shown[key] = sorted(rated)
        counts: list[int] = cells[EVERYONE]["levels"] if EVERYONE in cells else []
        summary = scoring.summarise(
            level for level, count in enumerate(counts, 1) for _ in range(count)
        )
        order.append(
            (summary.stdev is None, -(summary.stdev or 0.0), -(summary.spread or 0.0), statement)
        )
        statements.append(
            {
                "statement": statement,
                "cells": cells,
                "stdev": summary.stdev,
                "range": summary.spread,
            }
        )
        shown_cells[str(statement)] = shown
    # Where the room differs most first; statements held back last.
    rank = {key[-1]: position for position, key in enumerate(sorted(order))}
    statements.sort(key=lambda s: rank[s["statement"]])
    figures = {
        "people": len(everyone),
        "sides": {side: len(group) for side, group in sides.items()},
        "statements": statements,
    }
    ledger_data = {"people": sorted(everyone), "parts": {}, "cells": shown_cells}
    return figures, ledger_data


def room_figures_update(*, workshop: Workshop, principle_id: int) -> RoomSnapshot | None:
    """Make the room a new snapshot of a principle's figures if the rules allow it now:
    while the workshop is live and shows that principle, once three people in the room
    have answered all its statements, and after that only when at least three more have
    (and the people covered differ by three or more from every earlier snapshot of it).
    Returns the snapshot, or None when the latest one stands."""
    with transaction.atomic():
        locked = Workshop.objects.locked(workshop.pk)
        if not locked.is_live or locked.shown_principle_id != principle_id:
            return None
        statement_ids = list(
            PracticeStatement.objects.filter(principle_id=principle_id).values_list("pk", flat=True)
        )
        perspective_of = room_finishers(locked, statement_ids)
        people = set(perspective_of)
        if len(people) < MIN_PEOPLE:
            return None
        last = (
            RoomSnapshot.objects.filter(workshop=locked, principle_id=principle_id)
            .order_by("-number")
            .values_list("people", flat=True)
            .first()
        )
        # Who has finished a principle only grows (answers are changed, never taken back),
        # so fewer than three more than last time means no new snapshot: said without
        # reading every earlier snapshot's ledger, as most answers in a room end here.
        if last is not None and len(people) < last + ROOM_STEP:
            return None
        mine = list(
            RoomSnapshot.objects.filter(workshop=locked, principle_id=principle_id)
            .order_by("number")
            .values_list("number", "ledger")
        )
        if mine and len(people - set(mine[-1][1]["people"])) < ROOM_STEP:
            return None
        if any(len(people ^ set(ledger["people"])) < MIN_PEOPLE for _, ledger in mine):
            return None
        earlier = [
            *Publication.objects.filter(round=locked.round).values_list("ledger", flat=True),
            *_room_ledgers(locked.round),
        ]
        rows = Answer.objects.filter(
            respondent_id__in=people, statement_id__in=statement_ids
        ).values_list("respondent_id", "respondent__perspective", "statement_id", "level", "note")
        answers = [_Answer(*row) for row in rows]
        figures, ledger = room_build(answers, perspective_of, earlier)
        snapshot = RoomSnapshot.objects.create(
            workshop=locked,
            principle_id=principle_id,
            number=(mine[-1][0] + 1) if mine else 1,
            people=len(people),
            figures=figures,
            ledger=ledger,
        )
        Workshop.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        return snapshot


@dataclass(frozen=True)
class RoomSave:
    """Read before a save by someone in a workshop: the workshop, and which of the
    statements being saved this person had not answered yet."""

    workshop_id: int
    new_statements: frozenset[int]


def room_answers_before(
    *, respondent: Respondent, statement_ids: Collection[int]
) -> RoomSave | None:
    """Inside the save's transaction, before it writes: None unless the person answers in a
    workshop (one small query for the statements they answered before)."""
    if respondent.invite_id is None:
        return None
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
        return None
    answered = set(
        Answer.objects.filter(
            respondent=respondent, statement_id__in=list(statement_ids)
        ).values_list("statement_id", flat=True)
    )
    return RoomSave(workshop_id, frozenset(set(statement_ids) - answered))


def room_answers_saved(*, respondent: Respondent, before: RoomSave, principle_of: dict) -> None:
    """After someone in a workshop saved answers, in the same transaction: what the room
    sees moves only when they have just answered the last statement of a principle (its
    count of people who answered it all, and perhaps its figures). A changed answer moves
    nothing the room sees (the figures are snapshots), so it writes nothing here, and
    nobody in the room queues for the workshop's row on every answer."""
    touched = {principle_of[s] for s in before.new_statements}
    if not touched:
        return
    # Two small queries (of this person's answers, and of the principles' sizes) rather
    # than one joining every answer ever given to the principles' statements.
    answered = dict(
        Answer.objects.filter(respondent=respondent, statement__principle_id__in=touched)
        .values_list("statement__principle_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    sizes = dict(
        PracticeStatement.objects.filter(principle_id__in=list(answered))
        .values_list("principle_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    finished = {p for p, n in answered.items() if n >= sizes.get(p, n + 1)}
    if not finished:
        return
    live = Workshop.objects.filter(pk=before.workshop_id, ended_at__isnull=True)
    if not live.update(version=F("version") + 1):
        return  # the workshop has ended: nobody sees the room any more
    shown = live.values_list("shown_principle_id", flat=True).first()
    if shown is not None and shown in finished:
        room_figures_update(workshop=Workshop(pk=before.workshop_id), principle_id=shown)


def latest_room_snapshot(workshop: Workshop, principle_id: int) -> RoomSnapshot | None:
    return (
        RoomSnapshot.objects.filter(workshop=workshop, principle_id=principle_id)
        .defer("ledger")
        .order_by("-number")
        .first()
    )


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

    @classmethod
    def of(cls, publication: Publication | None) -> Figures:
        if publication is None:
            return cls(respondents=0, groups=[], statements={}, notes={})
        data = publication.figures
        return cls(
            respondents=data["respondents"],
            groups=[(key, n) for key, n in data["groups"]],
            statements={int(s): cells for s, cells in data["statements"].items()},
            notes={int(s): notes for s, notes in data["notes"].items()},
            publication=publication,
        )

    def rows(self, key: str, principle_of: dict[int, int]) -> list[scoring.AnswerRow]:
        """The published levels of one group (or everyone) as rows the scoring functions
        take. They carry no person: each level is its own row."""
        rows = []
        number = 0
        for statement, cells in self.statements.items():
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
