"""What a workshop's pages read: the live workshop of a round, the room's view (counts
of people, never of answers, and the latest snapshot of the principle shown), in a fixed
number of queries however many people joined, and the lead's list of seats.

Every count of people the room's view holds is in steps of three ("fewer than 3",
"3 or more", "6 or more"…): a count that moved with each person would tell anyone
watching the screen, or polling it, the moment one particular person finished."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count

from assessments.figures.models import RoomSnapshot
from assessments.figures.publishing import EVERYONE
from assessments.rounds import steps
from assessments.rounds.models import PERSPECTIVE_LABELS, Answer, Level, Perspective, Round
from assessments.workshops.models import Workshop
from assessments.workshops.room import (
    COUNT_STEP,
    LIVED_SIDE,
    STAFF_SIDE,
    latest_room_snapshot,
)
from coprod.queries import only_row
from principles.models import PracticeStatement, Principle


def live_workshop(round_: Round) -> Workshop | None:
    """The round's workshop going on, if any (at most one: a unique constraint, so no order
    is asked of the database)."""
    workshop = only_row(Workshop.objects.live().filter(round=round_))
    if workshop is not None:
        workshop.round = round_
    return workshop


def projector_workshop(pk: int, key: str) -> Workshop | None:
    """The live workshop whose projector view this key opens, with its round and
    organisation, in one query (the projector's whole cost while the room is unchanged);
    None for a wrong key, another workshop's key, or a workshop that has ended."""
    workshop = only_row(Workshop.objects.live().select_related("round__organisation").filter(pk=pk))
    if workshop is None or not workshop.projector_key_matches(key):
        return None
    return workshop


def last_workshop(round_: Round) -> Workshop | None:
    workshop = Workshop.objects.filter(round=round_).order_by("-started_at", "-pk").first()
    if workshop is not None:
        workshop.round = round_
    return workshop


STEP = COUNT_STEP


@dataclass(frozen=True)
class Stepped:
    """A count of people as the room is shown it, in a round's steps (``rounds.steps``):
    the multiple of three at or below it (0 for "fewer than 3"), never the count itself."""

    at_least: int

    @classmethod
    def of(cls, count: int) -> "Stepped":
        return cls(steps.in_steps(count))

    def __str__(self) -> str:
        return steps.in_words(self.at_least)


LEVELS = [Level.FROM, Level.STARTING, Level.MOSTLY_TO, Level.FIRMLY_TO]
# Under the bars; the table beside the chart has the full words.
SHORT_LEVELS = {
    Level.FROM: "From",
    Level.STARTING: "Starting",
    Level.MOSTLY_TO: "Mostly",
    Level.FIRMLY_TO: "Firmly",
    Level.NOT_SURE: "Not sure",
}
GROUP_LABELS = {
    EVERYONE: "Everyone",
    STAFF_SIDE: "Staff and managers",
    LIVED_SIDE: "Lived experience and carers",
}


@dataclass
class Bar:
    label: str
    count: int
    x: int
    y: int
    height: int
    unsure: bool = False


@dataclass
class Cell:
    key: str
    label: str
    counts: list[int]  # four levels, then "not sure"

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class StatementFigure:
    statement: PracticeStatement
    cells: list[Cell]
    bars: list[Bar] = field(default_factory=list)
    shown: bool = True


@dataclass
class PrincipleProgress:
    principle: Principle
    number: int
    finished: Stepped  # people in the room who answered all its statements


@dataclass
class Room:
    workshop: Workshop
    joined: Stepped
    by_perspective: list[tuple[str, Stepped]]  # the groups with three or more
    principles: list[PrincipleProgress]
    shown: Principle | None
    snapshot: RoomSnapshot | None
    figures: list[StatementFigure]

    @property
    def basis(self) -> Stepped | None:
        """How many people the snapshot covers, in steps like every other count."""
        return Stepped.of(self.snapshot.people) if self.snapshot else None

    @property
    def sides(self) -> dict[str, Stepped]:
        sides = self.snapshot.figures.get("sides", {}) if self.snapshot else {}
        return {side: Stepped.of(n) for side, n in sides.items()}

    @property
    def figures_key(self) -> str:
        shown = self.shown.pk if self.shown else 0
        number = self.snapshot.number if self.snapshot else 0
        return f"{shown}-{number}"


CHART_HEIGHT = 120
BAR_WIDTH = 64
BAR_GAP = 24
CHART_LEFT = 12


def _bars(counts: list[int]) -> list[Bar]:
    top = max(counts) or 1
    bars = []
    for i, (level, count) in enumerate(zip([*LEVELS, Level.NOT_SURE], counts, strict=True)):
        height = round(CHART_HEIGHT * count / top)
        bars.append(
            Bar(
                label=SHORT_LEVELS[level],
                count=count,
                x=CHART_LEFT + i * (BAR_WIDTH + BAR_GAP),
                y=CHART_HEIGHT + 30 - height,
                height=height,
                unsure=level == Level.NOT_SURE,
            )
        )
    return bars


def room(workshop: Workshop) -> Room:
    """The room's view: who joined by perspective, how many finished each principle, and
    the shown principle's latest snapshot (figures made when people finished, never here)."""
    round_ = workshop.round
    rows = workshop.invites.active().values_list("perspective").annotate(n=Count("pk")).order_by()
    counts = dict(rows)
    # Only the groups with three people or more: a group listed from its first person
    # would say which group someone who just joined is in.
    by_perspective = [
        (PERSPECTIVE_LABELS[p], Stepped.of(counts[p]))
        for p in Perspective.values
        if counts.get(p, 0) >= STEP
    ]
    principles = list(
        Principle.objects.filter(framework_id=round_.framework_id)
        .annotate(statement_count=Count("statements"))
        .order_by("order")
    )
    answered = (
        Answer.objects.filter(respondent__invite__workshop=workshop)
        .values_list("respondent_id", "statement__principle_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    size = {p.pk: p.statement_count for p in principles}
    finished = Counter(
        principle for _, principle, n in answered if principle in size and n >= size[principle]
    )
    progress = [
        PrincipleProgress(principle=p, number=i, finished=Stepped.of(finished[p.pk]))
        for i, p in enumerate(principles, start=1)
    ]
    shown = next((p for p in principles if p.pk == workshop.shown_principle_id), None)
    snapshot = latest_room_snapshot(workshop, shown.pk) if shown else None
    figures = []
    if shown is not None and snapshot is not None:
        statements = {
            s.pk: s
            for s in PracticeStatement.objects.filter(principle=shown)
            .select_related("principle")
            .order_by("order")
        }
        for item in snapshot.figures["statements"]:
            statement = statements.get(item["statement"])
            if statement is None:
                continue
            cells = [
                Cell(key, GROUP_LABELS[key], [*cell["levels"], cell["not_sure"]])
                for key, cell in item["cells"].items()
            ]
            everyone = next((c for c in cells if c.key == EVERYONE), None)
            figures.append(
                StatementFigure(
                    statement=statement,
                    cells=cells,
                    bars=_bars(everyone.counts) if everyone else [],
                    shown=everyone is not None,
                )
            )
    return Room(
        workshop=workshop,
        joined=Stepped.of(sum(counts.values())),
        by_perspective=by_perspective,
        principles=progress,
        shown=shown,
        snapshot=snapshot,
        figures=figures,
    )


# The lead's list of seats ----------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    """One join, as the lead's list shows it: its number in the order people joined (kept
    when an earlier one is removed) and the minute it joined. Nothing of its answers, not
    even whether it has answered or finished: the list shows who is in the room, and
    nothing of when anyone finished."""

    number: int
    invite_id: int
    joined_at: datetime  # to the minute: the list shows no finer time

    @property
    def label(self) -> str:
        return f"Seat {self.number}"


def seats(workshop: Workshop) -> list[Seat]:
    """The seats taken in the room, in the order people joined (one query)."""
    rows = workshop.invites.order_by("created_at", "pk").values_list(
        "pk", "created_at", "revoked_at"
    )
    return [
        Seat(number=number, invite_id=pk, joined_at=created.replace(second=0, microsecond=0))
        for number, (pk, created, revoked) in enumerate(rows, start=1)
        if revoked is None
    ]


def seat(workshop: Workshop, invite_id: int) -> Seat | None:
    return next((s for s in seats(workshop) if s.invite_id == invite_id), None)
