"""Scoring: pure functions, tested without a database."""

import random
import statistics

import pytest

from assessments.figures import scoring
from assessments.figures.scoring import AnswerRow


def rows_for(perspective, respondents, levels, *, principle=1, statement=10, start=0):
    """One answer per respondent on one statement; respondent ids start at ``start``."""
    return [
        AnswerRow(start + i, perspective, principle, statement, level)
        for i, level in zip(range(respondents), levels, strict=True)
    ]


def test_summarise_leaves_not_sure_out_of_the_mean_but_counts_it():
    summary = scoring.summarise([1, 2, 4, None, None])
    assert summary.mean == pytest.approx(7 / 3)
    assert (summary.rated, summary.not_sure, summary.answered) == (3, 2, 5)
    assert (summary.minimum, summary.maximum, summary.spread) == (1, 4, 3)
    assert summary.stdev == pytest.approx(1.2472, abs=1e-4)


def test_summarise_of_only_not_sure_has_no_mean():
    summary = scoring.summarise([None, None])
    assert summary.mean is None and summary.spread is None
    assert summary.not_sure == 2


def test_a_single_rating_has_no_spread():
    summary = scoring.summarise([3])
    assert (summary.mean, summary.spread, summary.stdev) == (3, 0, 0.0)


@pytest.mark.parametrize("level", [0, 5, -1, 2.5, "3", True])
def test_levels_outside_the_scale_are_refused(level):
    with pytest.raises(ValueError, match="level must be"):
        AnswerRow(1, "staff", 1, 1, level)


def test_principle_score_weighs_each_statement_the_same():
    rows = [
        # Statement 10: four people say 4.
        *rows_for("staff", 4, [4, 4, 4, 4], statement=10),
        # Statement 11: one person says 1.
        AnswerRow(0, "staff", 1, 11, 1),
    ]
    principle = scoring.principle_scores(rows)[1]
    assert principle.mean == pytest.approx(2.5)  # (4 + 1) / 2, not 17 / 5
    assert (principle.minimum, principle.maximum) == (1, 4)
    assert principle.rated == 5


def test_principles_are_scored_separately():
    rows = rows_for("staff", 3, [1, 1, 1], principle=1, statement=10) + rows_for(
        "staff", 3, [4, 4, 4], principle=2, statement=20
    )
    scores = scoring.principle_scores(rows)
    assert scores[1].mean == 1 and scores[2].mean == 4


def gaps(rows, scorer=scoring.principle_scores):
    """The perception gaps of plain rows, each perspective on its side."""
    lived = [row for row in rows if row.perspective in scoring.LIVED_SIDE]
    staff = [row for row in rows if row.perspective in scoring.STAFF_SIDE]
    return scoring.gaps_between(
        lived,
        staff,
        lived_respondents=len({row.respondent_id for row in lived}),
        staff_respondents=len({row.respondent_id for row in staff}),
        scorer=scorer,
    )


def test_perception_gap_is_lived_minus_staff_and_flagged_when_large():
    rows = (
        rows_for("lived_experience", 2, [1, 2])
        + rows_for("carer", 1, [1], start=10)
        + rows_for("staff", 2, [3, 4], start=20)
        + rows_for("manager", 1, [4], start=30)
    )
    gap = gaps(rows)[1]
    assert gap.shown
    assert gap.lived_mean == pytest.approx(4 / 3)
    assert gap.staff_mean == pytest.approx(11 / 3)
    assert gap.gap == pytest.approx(-7 / 3)
    assert gap.flagged


def test_small_gap_is_shown_but_not_flagged():
    rows = rows_for("lived_experience", 3, [3, 3, 3]) + rows_for("staff", 3, [3, 3, 4], start=10)
    gap = gaps(rows, scoring.statement_scores)[10]
    assert gap.gap == pytest.approx(-1 / 3)
    assert not gap.flagged


def test_gap_is_hidden_when_a_side_has_too_few_people():
    rows = rows_for("lived_experience", 2, [1, 1]) + rows_for("staff", 5, [4] * 5, start=10)
    gap = gaps(rows)[1]
    assert not gap.shown
    assert gap.gap is None and not gap.flagged


def test_partners_and_community_are_on_neither_side_of_the_gap():
    rows = (
        rows_for("lived_experience", 3, [2, 2, 2])
        + rows_for("staff", 3, [2, 2, 2], start=10)
        + rows_for("partner", 3, [4, 4, 4], start=20)
    )
    assert gaps(rows)[1].gap == 0


def test_most_divergent_orders_by_disagreement():
    rows = (
        rows_for("staff", 4, [1, 4, 1, 4], statement=10)  # wide split
        + rows_for("staff", 4, [2, 3, 2, 3], statement=11)  # narrow
        + rows_for("staff", 4, [3, 3, 3, 3], statement=12)  # agreement: left out
        + [AnswerRow(0, "staff", 1, 13, 1)]  # one rating: left out
    )
    divergent = scoring.most_divergent(rows)
    assert [statement_id for statement_id, _ in divergent] == [10, 11]
    assert scoring.most_divergent(rows, limit=1)[0][0] == 10


def test_nothing_in_nothing_out():
    assert scoring.principle_scores([]) == {}
    assert gaps([]) == {}
    assert scoring.most_divergent([]) == []


def test_moves_report_the_change_with_small_changes_as_the_same():
    before = {1: scoring.summarise([2, 2]), 2: scoring.summarise([3, 3]), 3: scoring.summarise([1])}
    after = {
        1: scoring.summarise([3, 3]),
        2: scoring.summarise([3, 3.2]),
        4: scoring.summarise([4]),
    }
    moved = scoring.moves(before, after)
    assert moved[1].change == pytest.approx(1.0) and moved[1].direction == "up"
    assert moved[2].direction == "same"  # 0.1 is within the noise
    assert moved[3].after is None and moved[3].direction == ""  # no longer scored
    assert moved[4].before is None and moved[4].change is None
    assert scoring.moves({1: before[1]}, {1: scoring.summarise([1])})[1].direction == "down"


@pytest.mark.parametrize("seed", range(20))
def test_summary_matches_the_exact_statistics(seed):
    rng = random.Random(seed)
    values = [rng.choice([1, 2, 3, 4]) for _ in range(rng.randint(2, 60))]
    summary = scoring.summarise(values + [None])
    assert summary.mean == pytest.approx(statistics.fmean(values), abs=1e-12)
    assert summary.stdev == pytest.approx(statistics.pstdev(values), abs=1e-12)
    assert summary.not_sure == 1 and summary.rated == len(values)
