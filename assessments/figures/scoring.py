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
import statistics
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar, overload

LEVEL_MIN = 1
LEVEL_MAX = 4
MIN_GROUP = 3
GAP_FLAG = 0.75
# The perception gap in words: the one definition that every page, PDF, CSV and the
# glossary give (through `{% gap_meaning %}` in templates).
GAP_MEANING = (
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

    def __post_init__(self):
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
    scorer,
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


# Cohorts -------------------------------------------------------------------------------
#
# A cohort compares organisations, from what each organisation's round published: for each
# statement and group shown, the count of each level and of "not sure". ``published_stats``
# turns those counts into sums (``StatementStat``), and everything below works on the sums,
# never on answers, so a cohort of a thousand organisations costs a few thousand rows.
# Principles and statements are matched by position (principle order, statement order), so
# rounds on different versions of the same framework can be compared.

# A benchmark shown to an organisation needs at least this many organisations' figures.
COHORT_MIN_ORGANISATIONS = 5

# Score bands for the heat map and the distribution: a score falls in the band of the
# nearest step on the scale.
BANDS = {
    1: "1 to 1.4 (still mostly the from)",
    2: "1.5 to 2.4 (starting to move)",
    3: "2.5 to 3.4 (mostly the to)",
    4: "3.5 to 4 (firmly the to)",
}


@dataclass(frozen=True)
class StatementStat:
    """Sums of one group's published answers to one statement in one round."""

    round_id: int
    perspective: str  # the group: a perspective, "others", or "all" for everyone
    principle: int  # the principle's order in its framework
    statement: int  # the statement's order in its principle
    total: int  # sum of the levels 1–4 given
    rated: int
    not_sure: int


def published_stats(
    round_id: int, statements: dict[str, dict[str, dict]], positions: dict[int, tuple[int, int]]
) -> list[StatementStat]:
    """A publication's cells as sums: for each statement (by its position) and group shown,
    the sum of the levels (level × how many gave it), how many rated, how many were not
    sure. Statements whose position is unknown are left out."""
    stats = []
    for statement, cells in statements.items():
        position = positions.get(int(statement))
        if position is None:
            continue
        for key, cell in cells.items():
            levels = cell["levels"]
            stats.append(
                StatementStat(
                    round_id=round_id,
                    perspective=key,
                    principle=position[0],
                    statement=position[1],
                    total=sum(level * count for level, count in enumerate(levels, start=1)),
                    rated=sum(levels),
                    not_sure=cell["not_sure"],
                )
            )
    return stats


@overload
def band(score: float) -> int: ...
@overload
def band(score: None) -> None: ...
@overload
def band(score: float | None) -> int | None: ...
def band(score: float | None) -> int | None:
    """The step of the scale nearest to a score: 1.49 is band 1, 1.5 is band 2."""
    if score is None:
        return None
    return max(LEVEL_MIN, min(LEVEL_MAX, int(score + 0.5)))


def organisation_statement_means(
    stats: Iterable[StatementStat], perspectives: Iterable[str] | None = None
) -> dict[int, dict[tuple[int, int], float]]:
    """round id → (principle, statement) → mean level, from the answers of the given
    perspectives (all when None). The same mean as the round's own results: a statement's
    mean over the levels given, "not sure" left out."""
    wanted = None if perspectives is None else set(perspectives)
    sums: dict[int, dict[tuple[int, int], list[int]]] = defaultdict(dict)
    for stat in stats:
        if wanted is not None and stat.perspective not in wanted:
            continue
        cell = sums[stat.round_id].setdefault((stat.principle, stat.statement), [0, 0])
        cell[0] += stat.total
        cell[1] += stat.rated
    return {
        round_id: {key: total / rated for key, (total, rated) in cells.items() if rated}
        for round_id, cells in sums.items()
    }


def principle_means(statement_means: dict[tuple[int, int], float]) -> dict[int, float]:
    """principle → the mean of its statements' means (each statement weighs the same)."""
    grouped: dict[int, list[float]] = defaultdict(list)
    for (principle, _), mean in statement_means.items():
        grouped[principle].append(mean)
    return {principle: statistics.fmean(means) for principle, means in grouped.items()}


def across_organisations(per_organisation: Iterable[dict[K, float]]) -> dict[K, Summary]:
    """key → Summary over organisations: the cohort mean of the organisations' scores, with
    the lowest, highest and standard deviation between organisations."""
    grouped: dict[K, list[float]] = defaultdict(list)
    for scores in per_organisation:
        for key, value in scores.items():
            grouped[key].append(value)
    return {key: summarise(values) for key, values in grouped.items()}


def band_counts(scores: Iterable[float | None]) -> dict[int, int]:
    """How many scores fall in each band (every band present, zeros included)."""
    counts = dict.fromkeys(BANDS, 0)
    for score in scores:
        if score is not None:
            counts[band(score)] += 1
    return counts


def _side_means(stats: Sequence[StatementStat], keys: set[str]) -> dict[int, float]:
    """principle → the side's mean, over the statements for which every group of the side
    has a figure (as on the round's own results: a statement one group lacks would tilt the
    side towards the others)."""
    sums: dict[tuple[int, int], dict[str, tuple[int, int]]] = defaultdict(dict)
    for stat in stats:
        if stat.perspective in keys:
            sums[(stat.principle, stat.statement)][stat.perspective] = (stat.total, stat.rated)
    means = {}
    for position, cells in sums.items():
        rated = sum(r for _, r in cells.values())
        if cells.keys() == keys and rated:
            means[position] = sum(t for t, _ in cells.values()) / rated
    return principle_means(means)


def organisation_gaps(stats: Sequence[StatementStat], groups: dict[str, int]) -> dict[int, float]:
    """principle → lived-experience side minus staff side, for one round, from the groups
    its publication shows on their own (``groups``: key → people), when each side has at
    least ``MIN_GROUP`` people in them (as on the round's own results)."""
    lived_keys = {key for key in groups if key in LIVED_SIDE}
    staff_keys = {key for key in groups if key in STAFF_SIDE}
    lived_n = sum(groups[key] for key in lived_keys)
    staff_n = sum(groups[key] for key in staff_keys)
    if lived_n < MIN_GROUP or staff_n < MIN_GROUP:
        return {}
    lived = _side_means(stats, lived_keys)
    staff = _side_means(stats, staff_keys)
    return {
        principle: lived[principle] - staff[principle] for principle in lived.keys() & staff.keys()
    }


def publication_scores(
    figures: dict, positions: dict[int, tuple[int, int]], everyone: str = "all"
) -> dict:
    """What cohort pages need of one publication, worked out once from its figures: the
    people in each group shown (``everyone`` included), each group's statement scores (by
    position, ``"principle.statement"``) and principle scores, and the perception gap per
    principle. Keys are strings, as stored in JSON; a group without any statement score is
    left out of ``"groups"``."""
    people = dict(figures["groups"])
    stats = published_stats(0, figures["statements"], positions)
    groups = {}
    for key in [everyone, *people]:
        means = organisation_statement_means(stats, [key]).get(0, {})
        if means:
            groups[key] = {
                "principles": {str(p): s for p, s in sorted(principle_means(means).items())},
                "statements": {f"{p}.{s}": mean for (p, s), mean in sorted(means.items())},
            }
    gaps = organisation_gaps(stats, people)
    return {
        "people": {everyone: figures["respondents"], **people},
        "groups": groups,
        "gaps": {str(p): gap for p, gap in sorted(gaps.items())},
    }
