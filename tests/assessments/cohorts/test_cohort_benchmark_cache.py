"""The cohort mean on an organisation's results is summed once and then served from the
cache, and worked out afresh whenever what it is made of changes."""

import pytest
from django.core.cache import cache

from assessments.reporting.cohort import round_benchmark
from assessments.rounds.models import Respondent, Round, RoundStatus
from tests.support import CohortWorld, member_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = CohortWorld()
    # Riverside at 2.5 on every principle; four peers at 4.0.
    world.peers = [
        member_org(world.cohort, f"Peer {i}", lived_level=4, staff_level=4) for i in range(4)
    ]
    return world


def peer_round(org) -> Round:
    return Round.objects.get(organisation=org)


def test_second_look_takes_three_queries_whatever_the_cohort_size(world, django_assert_num_queries):
    first = round_benchmark(world.round)
    # The round's cohort, what its mean is made of, and the cache (a database table).
    with django_assert_num_queries(3):
        again = round_benchmark(world.round)
    assert again.means == first.means and again.organisations == 5
    for i in range(3):
        member_org(world.cohort, f"More {i}", lived_level=4, staff_level=4)
    round_benchmark(world.round)
    with django_assert_num_queries(3):
        assert round_benchmark(world.round).organisations == 8


def test_a_round_that_closes_or_reopens_changes_the_mean(world):
    assert round_benchmark(world.round).organisations == 5
    late = member_org(world.cohort, "Late", status=RoundStatus.OPEN, lived_level=1, staff_level=1)
    assert round_benchmark(world.round).organisations == 5
    Round.objects.filter(organisation=late).update(status=RoundStatus.CLOSED)
    assert round_benchmark(world.round).organisations == 6
    Round.objects.filter(organisation=late).update(status=RoundStatus.OPEN)
    assert round_benchmark(world.round).organisations == 5


def test_deleted_answers_leave_the_mean(world):
    mixed = member_org(world.cohort, "Mixed", lived_level=1, staff_level=4)
    before = round_benchmark(world.round).means
    # Someone at 4 in that round has their answers deleted (their account went): the peer
    # now stands at (3 x 1 + 2 x 4) / 5 = 2.2 instead of 2.5, and the mean follows.
    Respondent.objects.filter(round=peer_round(mixed), perspective="staff").first().delete()
    after = round_benchmark(world.round).means
    assert after != before
    cache.clear()
    assert round_benchmark(world.round).means == after


def test_leaving_the_cohort_is_seen_at_once(world):
    assert round_benchmark(world.round).organisations == 5
    world.peers[0].cohort_memberships.all().delete()
    assert round_benchmark(world.round) is None  # 4 organisations: too few to show
