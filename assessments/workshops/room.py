"""What a workshop's room is shown: snapshots of one principle's figures, made under the
same rules and in the same ledger as the round's publications (``figures.publishing``), so
that nothing set beside a publication, or two snapshots side by side, tells anything about
one or two people. See "Workshops" in docs/SCORING.md."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable

from django.db import transaction
from django.db.models import Count, F

from assessments.figures import noise, scoring
from assessments.figures.disclosure import MIN_PEOPLE, Ledger
from assessments.figures.models import Publication, RoomSnapshot
from assessments.figures.publishing import (
    EVERYONE,
    RawAnswer,
    earlier_sets,
    room_ledgers,
)
from assessments.rounds import steps
from assessments.rounds.models import Answer, Perspective, Respondent
from assessments.workshops.models import Workshop
from principles.models import PracticeStatement

STAFF_SIDE = "staff"
LIVED_SIDE = "lived"
SIDES = {
    STAFF_SIDE: {Perspective.STAFF, Perspective.MANAGER},
    LIVED_SIDE: {Perspective.LIVED_EXPERIENCE, Perspective.CARER},
}
ROOM_STEP = MIN_PEOPLE  # a new snapshot only after this many more people have finished
# The room's counts of people move in the same steps as a round's (``rounds.steps``).
COUNT_STEP = steps.STEP


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
    answers: list[RawAnswer], perspective_of: dict[int, str], earlier: Iterable[dict]
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
    _, earlier_cells = earlier_sets(earlier)
    by_statement: dict[int, list[RawAnswer]] = defaultdict(list)
    for answer in answers:
        by_statement[answer.statement].append(answer)
    statements: list[dict] = []
    order: list[tuple[bool, float, float, int]] = []
    shown_cells: dict[str, dict[str, list[int]]] = {}
    for statement, given in sorted(by_statement.items()):
        ledger = Ledger(earlier_cells.get(str(statement), []))
        noisy = noise.cells(statement, _split(given, sides), EVERYONE)
        cells: dict[str, dict] = {}
        shown: dict[str, list[int]] = {}
        for key, group in members.items():
            rated = [a.respondent for a in given if a.respondent in group and a.level]
            if ledger.add_if_safe(rated):
                cells[key] = noisy[key]
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


def _split(given: list[RawAnswer], sides: dict[str, frozenset[int]]) -> dict[str, list]:
    """The answers by side, and those of the people on neither side, so that the room's
    counts for everyone are the sum of the sides' (``noise.cells``)."""
    placed = set().union(*sides.values())
    split = {
        side: [(a.respondent, a.level) for a in given if a.respondent in group]
        for side, group in sides.items()
    }
    split["rest"] = [(a.respondent, a.level) for a in given if a.respondent not in placed]
    return split


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
            *room_ledgers(locked.round),
        ]
        rows = Answer.objects.filter(
            respondent_id__in=people, statement_id__in=statement_ids
        ).values_list("respondent_id", "respondent__perspective", "statement_id", "level", "note")
        answers = [RawAnswer(*row) for row in rows]
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


def room_answers_saved(
    *, respondent: Respondent, workshop_id: int, new_statements: frozenset[int], principle_of: dict
) -> None:
    """After someone in a workshop saved answers, in the same transaction: what the room
    sees moves only when they have just answered the last statement of a principle, and
    then only when its count of people who answered it all reaches the next step of three
    (or a snapshot is made). The workshop's version, the ETag of every screen's poll,
    moves with it and not otherwise, so that no poll tells when one person finished. A
    changed answer moves nothing the room sees (the figures are snapshots), so it writes
    nothing here, and nobody in the room queues for the workshop's row on every answer."""
    touched = {principle_of[s] for s in new_statements}
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
    # Every save in a round holds the round's lock (answers_save): people finishing at the
    # same moment are counted one after the other, each with everyone before them.
    row = (
        Workshop.objects.filter(pk=workshop_id, ended_at__isnull=True)
        .values_list("shown_principle_id")
        .first()
    )
    if row is None:
        return  # the workshop has ended: nobody sees the room any more
    rows = (
        Answer.objects.filter(
            respondent__invite__workshop_id=workshop_id, statement__principle_id__in=finished
        )
        .values_list("respondent_id", "statement__principle_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    people = Counter(principle for _, principle, n in rows if n >= sizes[principle])
    # One person more each time: a count shown in steps moves when it reaches a multiple.
    if any(people[p] % COUNT_STEP == 0 for p in finished):
        Workshop.objects.filter(pk=workshop_id).update(version=F("version") + 1)
    shown = row[0]
    if shown is not None and shown in finished:
        room_figures_update(workshop=Workshop(pk=workshop_id), principle_id=shown)


def latest_room_snapshot(workshop: Workshop, principle_id: int) -> RoomSnapshot | None:
    return (
        RoomSnapshot.objects.filter(workshop=workshop, principle_id=principle_id)
        .defer("ledger")
        .order_by("-number")
        .first()
    )
