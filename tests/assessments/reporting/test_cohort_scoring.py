"""The cohort figures from summed answers: pure functions, no database."""

from pathlib import Path

import pytest

from assessments.figures import cohort_scoring
from assessments.figures.cohort_scoring import StatementStat
from assessments.templatetags.results import shade


def stat(round_id, perspective, principle, statement, levels, not_sure=0):
    return StatementStat(
        round_id=round_id,
        perspective=perspective,
        principle=principle,
        statement=statement,
        total=sum(levels),
        rated=len(levels),
        not_sure=not_sure,
    )


@pytest.mark.parametrize(
    "score, band",
    [
        (1.0, 1),
        (1.49, 1),
        (1.5, 2),
        (2.49, 2),
        (2.5, 3),
        (3.49, 3),
        (3.5, 4),
        (4.0, 4),
        (None, None),
    ],
)
def test_a_score_falls_in_the_band_of_the_nearest_step(score, band):
    assert cohort_scoring.band(score) == band


def test_statement_means_add_perspectives_up_and_leave_not_sure_out():
    stats = [
        stat(1, "staff", 1, 1, [4, 4], not_sure=3),
        stat(1, "lived_experience", 1, 1, [1]),
        stat(1, "staff", 1, 2, [], not_sure=2),  # only "not sure": no mean
    ]
    means = cohort_scoring.organisation_statement_means(stats)
    assert means == {1: {(1, 1): 3.0}}
    assert cohort_scoring.organisation_statement_means(stats, ["lived_experience"]) == {
        1: {(1, 1): 1.0}
    }


def test_principle_mean_weighs_each_statement_the_same():
    # One statement rated by many at 4, another by one person at 1: the principle is 2.5,
    # exactly as on the round's own results page.
    stats = [stat(1, "staff", 1, 1, [4] * 10), stat(1, "staff", 1, 2, [1])]
    means = cohort_scoring.organisation_statement_means(stats)[1]
    assert cohort_scoring.principle_means(means) == {1: 2.5}


def test_cohort_mean_counts_each_organisation_once():
    summary = cohort_scoring.across_organisations([{1: 2.0}, {1: 3.0}, {1: 4.0, 2: 1.0}])
    assert summary[1].mean == 3.0 and summary[1].minimum == 2.0 and summary[1].maximum == 4.0
    assert summary[2].rated == 1


def test_band_counts_have_every_band():
    assert cohort_scoring.band_counts([1.2, 2.6, 2.9, None]) == {1: 1, 2: 0, 3: 2, 4: 0}


def test_an_organisations_gap_needs_three_people_on_each_side():
    stats = [stat(1, "lived_experience", 1, 1, [1, 1, 1]), stat(1, "staff", 1, 1, [4, 4, 4])]
    enough = {"lived_experience": 3, "staff": 3}
    assert cohort_scoring.organisation_gaps(stats, enough) == {1: -3.0}
    assert cohort_scoring.organisation_gaps(stats, {"lived_experience": 2, "staff": 3}) == {}


def test_published_cells_become_sums_by_position():
    statements = {
        "11": {"all": {"levels": [1, 0, 2, 3], "not_sure": 1}},
        "99": {"all": {"levels": [3, 0, 0, 0], "not_sure": 0}},  # not in this framework
    }
    assert cohort_scoring.published_stats(7, statements, {11: (2, 3)}) == [
        StatementStat(7, "all", 2, 3, total=1 + 2 * 3 + 3 * 4, rated=6, not_sure=1)
    ]


def test_a_gap_side_counts_only_statements_every_group_of_it_shows():
    stats = [
        stat(1, "lived_experience", 1, 1, [1, 1, 1]),
        stat(1, "carer", 1, 1, [2, 2, 2]),
        stat(1, "lived_experience", 1, 2, [4, 4, 4]),  # the carers' figure is held back
        stat(1, "staff", 1, 1, [3, 3, 3]),
        stat(1, "staff", 1, 2, [3, 3, 3]),
    ]
    groups = {"lived_experience": 3, "carer": 3, "staff": 3}
    # Lived side: statement 1 only, (3 + 6) / 6 = 1.5; staff 3.0.
    assert cohort_scoring.organisation_gaps(stats, groups) == {1: -1.5}


def test_the_heat_map_shade_follows_the_score_in_tenths():
    """2.4 and 2.5 are a tenth apart: a shade apart, not a band (the issue was that they
    looked far apart); the shade is that of the figure printed in the cell."""
    assert (shade(2.4), shade(2.5), shade(2.449), shade(2.451)) == ("s24", "s25", "s24", "s25")
    assert (shade(1.0), shade(4.0), shade(None)) == ("s10", "s40", "none")
    css = (Path(__file__).resolve().parents[3] / "static/css/cohorts.css").read_text()
    assert all(f".heat-s{n} " in css for n in range(10, 41))
