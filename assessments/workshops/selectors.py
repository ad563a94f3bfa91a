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
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

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
# Under the bars, in lines of the chart ("\n" breaks a line); the table beside the chart
# has the full words.
SHORT_LEVELS = {
    Level.FROM: _("From"),
    Level.STARTING: _("Starting"),
    Level.MOSTLY_TO: pgettext_lazy("the scale, short", "Mostly"),
    Level.FIRMLY_TO: _("Firmly"),
    Level.NOT_SURE: _("Not sure"),
}
TABLE_LEVELS = [
    _("Still the from"),
    _("Starting"),
    _("Mostly the to"),
    _("Firmly the to"),
    _("Not sure"),
]
# The easy-read scale, in the words people chose from on the answering pages in easy read.
EASY_LEVELS = {
    Level.FROM: _("Not yet"),
    Level.STARTING: _("A little"),
    Level.MOSTLY_TO: pgettext_lazy("the scale, easy read", "Mostly"),
    Level.FIRMLY_TO: _("Really\nwell"),
    Level.NOT_SURE: _("I don't\nknow"),
}
GROUP_LABELS = {
    EVERYONE: _("Everyone"),
    STAFF_SIDE: _("Staff and managers"),
    LIVED_SIDE: _("Lived experience and carers"),
}
EASY_GROUP_LABELS = {
    EVERYONE: _("Everyone"),
    STAFF_SIDE: _("Staff and managers"),
    LIVED_SIDE: _("People who get support, and carers"),
}


@dataclass
class Bar:
    lines: list[str]
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
    position: int = 1  # which of the figures the projector shows (from 1), one at a time
    easy_read: bool = False

    @property
    def figure(self) -> StatementFigure | None:
        """The statement the projector shows: one at a time, so that its figures fill the
        screen at a size read from the back of the room."""
        return self.figures[self.position - 1] if self.figures else None

    @property
    def before(self) -> StatementFigure | None:
        return self.figures[self.position - 2] if self.position > 1 else None

    @property
    def after(self) -> StatementFigure | None:
        return self.figures[self.position] if self.position < len(self.figures) else None

    @property
    def level_words(self) -> list[str]:
        """The scale's words over the table's columns, in the room's wording."""
        if self.easy_read:
            return [
                " ".join(str(EASY_LEVELS[level]).split()) for level in [*LEVELS, Level.NOT_SURE]
            ]
        return [str(word) for word in TABLE_LEVELS]

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
        return f"{shown}-{number}-{self.position}-{int(self.easy_read)}"


# The chart's geometry, in its own units (its viewBox is 520 across): the template draws
# the baseline at CHART_TOP + CHART_HEIGHT, and the scale's words below it.
CHART_HEIGHT = 100
CHART_TOP = 36  # room for the count above the tallest bar
BAR_WIDTH = 72
BAR_GAP = 28
CHART_LEFT = 14


def _bars(counts: list[int], easy_read: bool = False) -> list[Bar]:
    top = max(counts) or 1
    words = EASY_LEVELS if easy_read else SHORT_LEVELS
    bars = []
    for i, (level, count) in enumerate(zip([*LEVELS, Level.NOT_SURE], counts, strict=True)):
        height = round(CHART_HEIGHT * count / top)
        bars.append(
            Bar(
                lines=str(words[level]).split("\n"),
                count=count,
                x=CHART_LEFT + i * (BAR_WIDTH + BAR_GAP),
                y=CHART_TOP + CHART_HEIGHT - height,
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
            labels = EASY_GROUP_LABELS if workshop.easy_read else GROUP_LABELS
            cells = [
                Cell(key, str(labels[key]), [*cell["levels"], cell["not_sure"]])
                for key, cell in item["cells"].items()
            ]
            everyone = next((c for c in cells if c.key == EVERYONE), None)
            figures.append(
                StatementFigure(
                    statement=statement,
                    cells=cells,
                    bars=_bars(everyone.counts, workshop.easy_read) if everyone else [],
                    shown=everyone is not None,
                )
            )
    found = Room(
        workshop=workshop,
        joined=Stepped.of(sum(counts.values())),
        by_perspective=by_perspective,
        principles=progress,
        shown=shown,
        snapshot=snapshot,
        figures=figures,
        easy_read=workshop.easy_read,
    )
    # The statement the lead chose, where it is in the room's order now (a new snapshot
    # may move it); the first, until the lead steps on.
    found.position = next(
        (
            i
            for i, item in enumerate(figures, start=1)
            if item.statement.pk == workshop.shown_statement_id
        ),
        1,
    )
    return found


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
        return gettext("Seat %(number)s") % {"number": self.number}


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


# Phones following the room -----------------------------------------------------------------


def room_part(workshop_id: int) -> int | None:
    """Which part of the answering pages (a principle's number in its framework) the
    room's projector is on, while the workshop is live and shows a principle: what every
    phone in the room may see on the big screen anyway, and nothing else."""
    row = (
        Workshop.objects.live()
        .filter(pk=workshop_id, shown_principle__isnull=False)
        .values_list("shown_principle__framework_id", "shown_principle__order")
        .first()
    )
    if row is None:
        return None
    framework_id, order = row
    return Principle.objects.filter(framework_id=framework_id, order__lt=order).count() + 1
