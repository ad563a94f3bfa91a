"""The cohort mean members see is made of figures published at close, stored as shown, and
made again only when at least four organisations' figures have changed (and, beside every
mean shown before, the new one gives no one or two organisations away, not even to one of
them that takes its own figures out)."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from assessments.cohorts import benchmark
from assessments.cohorts import services as cohorts
from assessments.cohorts.benchmark import cohort_benchmark, round_benchmark
from assessments.cohorts.models import CohortBenchmark, CohortMember
from assessments.figures.disclosure import Ledger
from assessments.rounds import services
from assessments.rounds.models import Round
from tests.support import CohortWorld, member_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = CohortWorld()
    # Riverside at 2.5 on every principle; four peers at 4.0: the mean is 3.7.
    world.peers = [
        member_org(world.cohort, f"Peer {i}", lived_level=4, staff_level=4) for i in range(4)
    ]
    return world


def leave(organisation):
    cohorts.cohort_member_leave(member=organisation.cohort_memberships.get(), by=None)


def more(world, n, level=1):
    return [
        member_org(world.cohort, f"Late {i}", lived_level=level, staff_level=level)
        for i in range(n)
    ]


@pytest.mark.exact_figures
def test_a_look_takes_three_queries_whatever_the_cohort_size(world, django_assert_num_queries):
    first = round_benchmark(world.round)
    assert first.organisations == 5 and set(first.means.values()) == {3.7}
    # The round's cohort, the stored mean, and which publications it would be made of now.
    with django_assert_num_queries(3):
        again = round_benchmark(world.round)
    assert again.means == first.means and again.organisations == 5
    more(world, 4)
    assert round_benchmark(world.round).organisations == 9
    with django_assert_num_queries(3):
        assert round_benchmark(world.round).organisations == 9


@pytest.mark.exact_figures
def test_the_mean_stands_until_four_organisations_have_changed(world):
    shown = round_benchmark(world.round)
    for late in range(3):
        more(world, 1)
        now = round_benchmark(world.round)
        assert (now.organisations, now.means, now.made_at) == (
            shown.organisations,
            shown.means,
            shown.made_at,
        ), f"moved after {late + 1} more organisation(s)"
    more(world, 1)
    moved = round_benchmark(world.round)
    # (2.5 + 4 × 4.0 + 4 × 1.0) / 9 = 2.5.
    assert moved.organisations == 9 and set(moved.means.values()) == {2.5}
    assert CohortBenchmark.objects.filter(cohort=world.cohort).count() == 2


def test_a_round_published_again_at_close_counts_as_a_change(world):
    shown = round_benchmark(world.round)
    reopened = Round.objects.get(organisation=world.peers[0])
    services.round_reopen(round=reopened, by=None, reason="Two more teams wanted a say")
    assert round_benchmark(world.round).means == shown.means  # its figures at close stand
    services.round_close(round=reopened, by=None)  # nobody new: nothing new published
    assert round_benchmark(world.round).made_at == shown.made_at


def test_leaving_stands_until_the_mean_moves_and_too_few_hide_it(world):
    shown = round_benchmark(world.round)
    more(world, 1)
    assert round_benchmark(world.round).organisations == 5  # the sixth came alone
    leave(world.peers[0])
    still = round_benchmark(world.round)
    assert still.organisations == 5 and still.means == shown.means
    leave(world.peers[1])
    assert round_benchmark(world.round) is None  # 4 organisations left: too few to show


def test_the_stored_mean_is_rounded_to_one_decimal(world):
    member_org(world.cohort, "Mixed", lived_level=1, staff_level=2)
    more(world, 3, level=3)
    shown = round_benchmark(world.round)
    stored = CohortBenchmark.objects.filter(cohort=world.cohort).order_by("-pk").first()
    assert stored.means == {str(order): mean for order, mean in shown.means.items()}
    assert all(round(mean, 1) == mean for mean in shown.means.values())
    assert {org for org, _ in stored.organisations} == shown.organisation_ids


def test_no_mean_may_give_an_organisation_away_beside_earlier_ones(world):
    """Five, then nine, then the four peers gone: each step changes four organisations,
    but the first mean plus the third minus the second would be Riverside's scores, the
    one organisation that stayed throughout. That third mean is never made; the second
    stands."""
    assert cohort_benchmark(world.cohort).organisations == 5
    more(world, 4)
    assert cohort_benchmark(world.cohort).organisations == 9
    for peer in world.peers:
        leave(peer)  # the fourth leaving makes a new mean due; the ledger refuses it
    assert cohort_benchmark(world.cohort).organisations == 9
    assert CohortBenchmark.objects.filter(cohort=world.cohort).count() == 2


def test_what_counts_as_a_change():
    assert benchmark.changed({1: 10, 2: 20, 3: 30}, {1: 10, 2: 21, 4: 40}) == 3
    stored = CohortBenchmark(organisations=[[n, n] for n in range(5)], means={})
    assert not benchmark.due(stored, {n: n for n in range(8)})  # three new
    assert benchmark.due(stored, {n: n for n in range(9)})  # four new
    assert not benchmark.due(stored, {0: 0, 1: 1, 2: 9, 3: 9, 4: 9})  # three published again
    assert benchmark.due(stored, {0: 0, 1: 9, 2: 9, 3: 9, 4: 9})  # four published again
    assert not benchmark.due(None, {n: n for n in range(4)})  # too few
    assert benchmark.due(None, {n: n for n in range(5)})


def test_a_principle_shows_only_when_every_organisation_has_a_score_for_it():
    positions = {11: (1, 1), 12: (1, 2), 21: (2, 1)}

    def cells(*levels):
        return {"levels": list(levels), "not_sure": 0}

    statements = {
        100: {"11": {"all": cells(0, 0, 3, 0)}, "12": {"all": cells(3, 0, 0, 0)}, "21": {}},
        101: {"11": {"all": cells(0, 0, 0, 3)}, "21": {"all": cells(0, 3, 0, 0)}},
    }
    # Principle 1: (3 + 1) / 2 = 2.0 and 4.0, so 3.0. Principle 2: the first has no score.
    assert benchmark.cohort_means(statements, positions) == {1: 3.0}


def test_a_look_never_makes_a_mean_nor_checks_a_refused_one_again(world, django_assert_num_queries):
    """The mean is made when figures change, not when someone looks: changes the services
    never saw (rows deleted by hand) move nothing however often the results are read, and
    a look costs the same three queries whether a new mean would be due or not."""
    more(world, 4)
    assert cohort_benchmark(world.cohort).organisations == 9
    CohortMember.objects.filter(organisation__in=world.peers).delete()
    for _ in range(3):
        with django_assert_num_queries(3):
            assert round_benchmark(world.round).organisations == 9
    assert CohortBenchmark.objects.filter(cohort=world.cohort).count() == 2


def test_the_readers_the_check_is_made_for():
    five = [(n, n * 10) for n in range(1, 6)]
    # One mean: every organisation sees the other four's total.
    assert benchmark.readers([five]) == []
    # Organisation 1 published again, 6 to 8 joined: 1 alone stands where it stood.
    later = [(1, 11), *five[1:], (6, 60), (7, 70), (8, 80)]
    assert benchmark.readers([five, later]) == [frozenset([(1, 10), (1, 11)])]
    # 6 and 7 joined: either of them learns the same (about the other), so one is given.
    later = [*five, (6, 60), (7, 70)]
    assert benchmark.readers([five, later]) in ([{(6, 60)}], [{(7, 70)}])


MEANS = st.lists(
    st.dictionaries(st.integers(1, 9), st.integers(0, 1), min_size=5, max_size=9),
    min_size=1,
    max_size=5,
)


@settings(max_examples=300, deadline=None)
@example(means=[dict.fromkeys(range(1, 6), 0), dict.fromkeys(range(1, 9), 0)])  # 3 join
@given(means=MEANS)
def test_checking_the_readers_given_is_checking_every_organisation(means):
    """The check for the readers ``readers`` gives says the same as the check for every
    organisation: those left out learn nothing more than those given."""
    *history, now = [sorted(mean.items()) for mean in means]
    every = {organisation for mean in means for organisation in mean}
    own = [frozenset(p for mean in [*history, now] for p in mean if p[0] == o) for o in every]
    ledger = Ledger(history)
    assert ledger.safe_with(now, readers=benchmark.readers([*history, now])) == ledger.safe_with(
        now, readers=own
    )
