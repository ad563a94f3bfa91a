"""Comparing organisations in a cohort, from what each organisation's round published
(never from answers): pure functions over plain data, like ``scoring``."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import overload

from assessments.figures.scoring import (
    LEVEL_MAX,
    LEVEL_MIN,
    LIVED_SIDE,
    MIN_GROUP,
    STAFF_SIDE,
    K,
    Summary,
    summarise,
)

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
    sure. Statements whose position is unknown are left out. A round that asks at levels
    has a cell for each statement at each level ("12@service"): each is a stat of its
    statement, so a statement's sums are those of its levels published."""
    stats = []
    for statement, cells in statements.items():
        position = positions.get(int(str(statement).partition("@")[0]))
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
        if stat.perspective in keys:  # summed over a statement's levels, if it has them
            cell = sums[(stat.principle, stat.statement)]
            total, rated = cell.get(stat.perspective, (0, 0))
            cell[stat.perspective] = (total + stat.total, rated + stat.rated)
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
