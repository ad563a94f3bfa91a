"""How a round's answers become scores. Pure functions over plain rows: no database here.

The rules, in words, are in ``docs/SCORING.md``. In short:

- A level is 1–4 (from "still mostly the *from*" to "firmly the *to*"); ``None`` is "not sure"
  and is counted, never averaged.
- A statement's score is the mean of its levels; a principle's score is the mean of its
  statements' scores, so each statement weighs the same however many people rated it.
- Every mean comes with its spread (lowest, highest, range, standard deviation) and the
  number of "not sure" answers, because disagreement is a finding.
- The perception gap is the lived-experience side's mean minus the staff side's mean.

Which groups and figures may be shown at all is decided when a round's figures are
published (``publishing.py`` and ``disclosure.py``); these functions only do the sums.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.utils.translation import gettext_lazy

LEVEL_MIN = 1
LEVEL_MAX = 4
MIN_GROUP = 3
GAP_FLAG = 0.75
# The perception gap in words: the one definition that every page, PDF, CSV and the
# glossary give (through `{% gap_meaning %}` in templates).
GAP_MEANING = gettext_lazy(
    "the mean score of people with lived experience and carers minus the mean score of "
    "staff and managers"
)
OTHERS = "others"

LIVED_SIDE = frozenset({"lived_experience", "carer"})
STAFF_SIDE = frozenset({"staff", "manager"})

# What scores are keyed by: a principle or statement id, or its position in the framework.
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class AnswerRow:
    respondent_id: int
    perspective: str
    principle_id: int
    statement_id: int
    level: int | None  # None means "not sure"

    def __post_init__(self) -> None:
        if self.level is not None and not (
            isinstance(self.level, int)
            and not isinstance(self.level, bool)
            and LEVEL_MIN <= self.level <= LEVEL_MAX
        ):
            raise ValueError(f"level must be {LEVEL_MIN}–{LEVEL_MAX} or None, not {self.level!r}")


@dataclass(frozen=True)
class Summary:
    """The levels given for one thing (a statement, a principle, a group)."""

    mean: float | None
    rated: int
    not_sure: int
    minimum: int | float | None
    maximum: int | float | None
    stdev: float | None

    @property
    def answered(self) -> int:
        return self.rated + self.not_sure

    @property
    def spread(self) -> float | None:
        if self.minimum is None or self.maximum is None:
            return None
        return self.maximum - self.minimum


EMPTY = Summary(mean=None, rated=0, not_sure=0, minimum=None, maximum=None, stdev=None)


def summarise(levels: Iterable[int | float | None]) -> Summary:
    """Mean, range, population standard deviation and "not sure" count of some levels."""
    values = []
    not_sure = 0
    for level in levels:
        if level is None:
            not_sure += 1
        else:
            values.append(level)
    if not values:
        return Summary(None, 0, not_sure, None, None, None)
    count = len(values)
    mean = math.fsum(values) / count
    # Plain floating point, not statistics.pstdev: that one works in exact fractions and
    # was most of the results page's time; to two decimals the figures are the same.
    variance = math.fsum((value - mean) ** 2 for value in values) / count
    return Summary(
        mean=mean,
        rated=count,
        not_sure=not_sure,
        minimum=min(values),
        maximum=max(values),
        stdev=math.sqrt(variance) if count > 1 else 0.0,
    )


def statement_scores(rows: Iterable[AnswerRow]) -> dict[int, Summary]:
    levels: dict[int, list[int | None]] = defaultdict(list)
    for row in rows:
        levels[row.statement_id].append(row.level)
    return {statement_id: summarise(values) for statement_id, values in levels.items()}


def principle_scores(rows: Iterable[AnswerRow]) -> dict[int, Summary]:
    """Per principle: the mean of its statement means. The spread is over the statement
    means; ``rated`` and ``not_sure`` count the answers behind them."""
    rows = list(rows)
    by_statement = statement_scores(rows)
    principle_of = {row.statement_id: row.principle_id for row in rows}
    grouped: dict[int, list[Summary]] = defaultdict(list)
    for statement_id, summary in by_statement.items():
        grouped[principle_of[statement_id]].append(summary)
    result = {}
    for principle_id, summaries in grouped.items():
        means = [s.mean for s in summaries if s.mean is not None]
        combined = summarise(means)
        result[principle_id] = Summary(
            mean=combined.mean,
            rated=sum(s.rated for s in summaries),
            not_sure=sum(s.not_sure for s in summaries),
            minimum=combined.minimum,
            maximum=combined.maximum,
            stdev=combined.stdev,
        )
    return result


@dataclass(frozen=True)
class Gap:
    """Lived-experience mean minus staff mean for one principle or statement."""

    key: Hashable
    lived_mean: float | None
    staff_mean: float | None
    lived_respondents: int
    staff_respondents: int

    @property
    def shown(self) -> bool:
        """Both sides are large enough to show, and both gave a rating."""
        return (
            self.lived_respondents >= MIN_GROUP
            and self.staff_respondents >= MIN_GROUP
            and self.lived_mean is not None
            and self.staff_mean is not None
        )

    @property
    def gap(self) -> float | None:
        lived, staff = self.lived_mean, self.staff_mean
        if not self.shown or lived is None or staff is None:
            return None
        return lived - staff

    @property
    def flagged(self) -> bool:
        return self.gap is not None and abs(self.gap) >= GAP_FLAG


def gaps_between(
    lived: Sequence[AnswerRow],
    staff: Sequence[AnswerRow],
    *,
    lived_respondents: int,
    staff_respondents: int,
    scorer: Callable[[Sequence[AnswerRow]], dict],
) -> dict[Hashable, Gap]:
    """Per key of ``scorer`` (principle_scores or statement_scores): the lived-experience
    side's rows against the staff side's. A gap is shown only when each side has at least
    ``MIN_GROUP`` respondents."""
    lived_scores = scorer(lived)
    staff_scores = scorer(staff)
    return {
        key: Gap(
            key=key,
            lived_mean=lived_scores.get(key, EMPTY).mean,
            staff_mean=staff_scores.get(key, EMPTY).mean,
            lived_respondents=lived_respondents,
            staff_respondents=staff_respondents,
        )
        for key in set(lived_scores) | set(staff_scores)
    }


def most_divergent(rows: Iterable[AnswerRow], limit: int = 5) -> list[tuple[int, Summary]]:
    """The statements on which views differ most: by standard deviation, then range.
    Statements with fewer than two ratings cannot disagree and are left out."""
    candidates = [
        (statement_id, summary)
        for statement_id, summary in statement_scores(rows).items()
        if summary.rated >= 2 and summary.stdev
    ]
    # Two or more ratings: the standard deviation and the range are both there.
    candidates.sort(key=lambda item: (-(item[1].stdev or 0.0), -(item[1].spread or 0.0), item[0]))
    return candidates[:limit]


# A change between rounds smaller than this is within the noise of a few people's answers.
MOVE_THRESHOLD = 0.25


@dataclass(frozen=True)
class Move:
    """How one principle's or statement's score changed since the previous round."""

    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def direction(self) -> str:
        """ "up", "down" or "same"; "" when one of the rounds has no score."""
        if self.change is None:
            return ""
        if abs(self.change) < MOVE_THRESHOLD:
            return "same"
        return "up" if self.change > 0 else "down"


def moves(before: dict[K, Summary], after: dict[K, Summary]) -> dict[K, Move]:
    """Score changes between two rounds, for every key scored in either (keys already
    matched between the rounds, e.g. by principle and statement order)."""
    return {
        key: Move(
            before=before[key].mean if key in before else None,
            after=after[key].mean if key in after else None,
        )
        for key in before.keys() | after.keys()
    }
