"""Disclosure control: the one place that decides whether a set of figures may be seen.

The promise: no figure anyone can see or download, alone or combined with any other figure
they can see now or later, lets them work out what fewer than three people said.

Every figure coprod publishes about a round is a function of sums over a set of people:
a mean is a sum divided by a count that is shown beside it, a standard deviation adds the
sum of squares, a count of "not sure" is a sum of yes/no answers. So what a reader can
know is a set of linear equations over each person's answer, one per figure, from every
publication of the round they can see. A person's answer, or the sum of two people's
answers, is *determined* exactly when its vector lies in the space those equations span;
more generally two people's answers are tied together when some combination of just those
two is known (their difference, say).

``Ledger`` keeps those equations for one quantity (a statement's levels, or who belongs to
which group) and answers one question before anything new is published: would adding this
set of people's sum let anyone work out something about one or two people? It works in
exact integer arithmetic, so rounding never hides a disclosure from the check, and rounding
on the page can only make a reader know less.

The null space of the equations tells it: a person's answer is determined when every
solution of the equations leaves it alone (its coordinate is zero in every null-space
vector), and two people are tied when their coordinates are proportional in every one.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable
from fractions import Fraction

MIN_PEOPLE = 3


class Ledger:
    """The sums a reader already knows, over sets of people, for one quantity."""

    def __init__(self, sets: Iterable[Collection[Hashable]] = ()) -> None:
        self._sets: list[frozenset[Hashable]] = []
        for members in sets:
            self._sets.append(frozenset(members))

    @property
    def sets(self) -> list[frozenset[Hashable]]:
        return list(self._sets)

    def add(self, members: Collection[Hashable]) -> None:
        self._sets.append(frozenset(members))

    def safe_with(
        self,
        members: Collection[Hashable],
        readers: Iterable[Collection[Hashable]] = (),
    ) -> bool:
        """Whether the sum over ``members`` may be published beside what is known: it
        covers at least three people, and with it nobody's answer, nor anything about any
        two people's answers alone, can be worked out. ``readers``: what each reader who
        could see it knows already (their own answers, an organisation its own figures);
        the check is then made again for each of them, as they would make it."""
        members = frozenset(members)
        if len(members) < MIN_PEOPLE:
            return False
        sets = [*self._sets, members]
        return not discloses(sets) and not any(
            discloses(sets, known=frozenset(known)) for known in readers
        )

    def add_if_safe(
        self, members: Collection[Hashable], readers: Iterable[Collection[Hashable]] = ()
    ) -> bool:
        if self.safe_with(members, readers):
            self.add(members)
            return True
        return False


def discloses(sets: list[frozenset[Hashable]], known: frozenset[Hashable] = frozenset()) -> bool:
    """Whether knowing the sum over each of ``sets`` determines anything about one person,
    or about two people alone, for a reader who knows the answers of the people in
    ``known`` already: each sum, less what they know, is a sum over the others. Empty sets
    say nothing and are ignored."""
    sets = [s - known for s in sets]
    sets = [s for s in sets if s]
    if not sets:
        return False
    # People who are in exactly the same sets can only ever be seen together: the equations
    # know their total, never how it splits. So the check runs over these classes, a few
    # columns however many people answered.
    classes: dict[tuple[int, ...], int] = {}
    for person in {p for s in sets for p in s}:
        pattern = tuple(i for i, s in enumerate(sets) if person in s)
        classes[pattern] = classes.get(pattern, 0) + 1
    patterns = list(classes)
    rows = [[1 if i in pattern else 0 for pattern in patterns] for i in range(len(sets))]
    signatures = _null_space_signatures(rows, len(patterns))
    single: set[tuple[Fraction, ...]] = set()
    for pattern, signature in zip(patterns, signatures, strict=True):
        size = classes[pattern]
        if not any(signature):
            if size < MIN_PEOPLE:
                return True  # one person's answer, or two people's total, is known
            continue
        if size == 1:
            first = next(value for value in signature if value)
            normalised = tuple(value / first for value in signature)
            if normalised in single:
                return True  # two people's answers are tied: some mix of just the two
            single.add(normalised)
    return False


def _null_space_signatures(rows: list[list[int]], width: int) -> list[tuple[Fraction, ...]]:
    """For each column (person), its coordinates in a basis of the null space of ``rows``."""
    matrix = [[Fraction(value) for value in row] for row in rows]
    pivots: list[int] = []
    rank = 0
    for column in range(width):
        pivot_row = next((r for r in range(rank, len(matrix)) if matrix[r][column]), None)
        if pivot_row is None:
            continue
        matrix[rank], matrix[pivot_row] = matrix[pivot_row], matrix[rank]
        lead = matrix[rank][column]
        matrix[rank] = [value / lead for value in matrix[rank]]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column]:
                factor = matrix[r][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        pivots.append(column)
        rank += 1
        if rank == len(matrix):
            break
    free = [column for column in range(width) if column not in set(pivots)]
    # One null-space vector per free column: 1 there, minus that column's entries at the
    # pivot columns, 0 at the other free columns.
    signatures: list[list[Fraction]] = [[Fraction(0)] * len(free) for _ in range(width)]
    for k, column in enumerate(free):
        signatures[column][k] = Fraction(1)
        for r, pivot in enumerate(pivots):
            signatures[pivot][k] = -matrix[r][column]
    return [tuple(signature) for signature in signatures]
