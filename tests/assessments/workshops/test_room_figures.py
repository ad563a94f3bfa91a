"""The room's figures on the projector keep the same promise as a round's published
figures: nothing for fewer than three people, and they move only in steps that cannot
isolate one person, checked in one ledger with the round's publications."""

import itertools

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.figures.models import Publication, RoomSnapshot
from assessments.rounds import services as round_services
from assessments.rounds.models import Respondent
from assessments.workshops import selectors, services
from tests import factories
from tests.assessments.reporting.test_disclosure import determined
from tests.support import sign_in

pytestmark = pytest.mark.django_db


class Room:
    def __init__(self, round_, lead):
        self.round = round_
        self.lead = lead
        self.workshop = services.workshop_start(round=round_, by=lead, capacity=100)
        self.principle = round_.framework.principles.order_by("order")[0]
        self.statements = list(self.principle.statements.order_by("order"))
        self.people: list[Respondent] = []

    def join(self, perspective="staff") -> Respondent:
        joined = services.workshop_join(
            workshop=self.workshop,
            perspective=perspective,
            address=f"10.0.{len(self.people)}.1",
        )
        respondent = joined.respondent
        respondent.round = self.round
        self.people.append(respondent)
        return respondent

    def answer(self, respondent, level=3, statements=None):
        round_services.answers_save(
            respondent=respondent,
            answers=[
                round_services.AnswerInput(
                    statement_id=s.pk, level=level(s) if callable(level) else level
                )
                for s in (statements or self.statements)
            ],
        )

    def show(self):
        self.workshop = services.workshop_show(
            workshop=self.workshop, by=self.lead, principle=self.principle
        )

    def snapshots(self):
        return list(
            RoomSnapshot.objects.filter(workshop=self.workshop, principle=self.principle).order_by(
                "number"
            )
        )


@pytest.fixture
def room(world):
    return Room(world.round, world.lead)


def test_nothing_is_shown_for_fewer_than_three_people(client, world, room):
    room.show()
    for _ in range(2):
        room.answer(room.join())
    assert room.snapshots() == []
    sign_in(client, world.lead)
    page = client.get(reverse("assessments:workshop", kwargs={"pk": world.round.pk}))
    assert b"appear when at least three people" in page.content
    assert b"spread-table" not in page.content
    state = client.get(reverse("assessments:workshop-state", kwargs={"pk": world.round.pk}))
    assert "spread-table" not in state.json()["figures_html"]
    # Someone who answered only part of the principle does not count.
    room.answer(room.join(), statements=room.statements[:1])
    assert room.snapshots() == []


def test_figures_appear_at_three_and_move_only_after_three_more(client, world, room):
    room.show()
    for _ in range(3):
        room.answer(room.join(), level=2)
    [first] = room.snapshots()
    assert first.people == 3
    for n in (4, 5):
        room.answer(room.join(), level=4)
        assert len(room.snapshots()) == 1, f"moved with {n} people"
    room.answer(room.join(), level=4)
    first_again, second = room.snapshots()
    assert first_again.figures == first.figures
    assert second.people == 6
    sign_in(client, world.lead)
    page = client.get(reverse("assessments:workshop", kwargs={"pk": world.round.pk}))
    assert b"From 6 or more people" in page.content


def test_showing_a_principle_makes_its_figures_if_they_are_due(world, room):
    for _ in range(3):
        room.answer(room.join())
    assert room.snapshots() == []  # nothing is made for a principle nobody is shown
    room.show()
    assert len(room.snapshots()) == 1


def _cells(snapshot):
    return {
        (item["statement"], key): [*cell["levels"], cell["not_sure"]]
        for item in snapshot.figures["statements"]
        for key, cell in item["cells"].items()
    }


def test_two_consecutive_snapshots_cannot_isolate_one_person(world, room):
    """The attack: watch the projector, note the figures, let one person (whose answer
    stands out) finish, and subtract. The figures do not move for one person; when they
    move, the difference is at least three people's answers together, and even knowing
    exactly who each snapshot covers, nothing about one or two people can be solved."""
    room.show()
    for _ in range(3):
        room.answer(room.join("staff"), level=3)
    before = room.snapshots()[-1]
    target = room.join("lived_experience")
    room.answer(target, level=1)  # the one the attacker wants to isolate
    assert room.snapshots()[-1].pk == before.pk  # nothing to subtract
    room.answer(room.join("staff"), level=3)
    room.answer(room.join("carer"), level=4)
    after = room.snapshots()[-1]
    assert after.pk != before.pk
    covered_before = set(before.ledger["people"])
    covered_after = set(after.ledger["people"])
    assert len(covered_after - covered_before) >= 3
    # The subtraction: per statement, what the new people chose, together.
    first, second = _cells(before), _cells(after)
    for key, counts in second.items():
        if key in first:
            difference = [b - a for a, b in zip(first[key], counts, strict=True)]
            assert sum(difference) >= 3 or sum(difference) == 0
    # The strongest attacker knows who every figure covers: nothing can be solved.
    people = sorted(covered_after)
    for statement in room.statements:
        sets = [
            frozenset(shown)
            for snapshot in (before, after)
            for shown in snapshot.ledger["cells"].get(str(statement.pk), {}).values()
        ]
        assert not determined(sets, people)


def test_the_sides_appear_only_when_each_has_three_people(world, room):
    room.show()
    for perspective in ["staff", "manager", "staff", "lived_experience", "carer", "partner"]:
        room.answer(room.join(perspective))
    snapshot = room.snapshots()[-1]
    assert snapshot.figures["sides"] == {}  # two on the lived-experience side
    assert all(set(s["cells"]) <= {"all"} for s in snapshot.figures["statements"])

    services.workshop_end(workshop=room.workshop, by=world.lead)
    other = Room(factories.round(world.org), world.lead)
    other.show()
    for perspective in ["staff", "staff", "manager", "lived_experience", "carer", "carer"]:
        other.answer(other.join(perspective))
    snapshot = other.snapshots()[-1]
    assert snapshot.figures["sides"] == {"staff": 3, "lived": 3}
    for item in snapshot.figures["statements"]:
        assert set(item["cells"]) == {"all", "staff", "lived"}
    # With a partner, everyone minus the two sides would be that one person: the ledger
    # never shows both sides beside everyone.
    for perspective in ["partner", "staff", "lived_experience"]:
        other.answer(other.join(perspective))
    snapshot = other.snapshots()[-1]
    assert snapshot.people == 9
    for item in snapshot.figures["statements"]:
        assert not {"all", "staff", "lived"} <= set(item["cells"])


def test_the_room_and_the_rounds_publication_are_checked_together(world, room):
    """The room saw three people's figures; the round then closes with one more person
    (a member who answered at their desk). The publication must not let anyone subtract
    the room's figures from it and learn that person's answers."""
    room.show()
    for _ in range(3):
        room.answer(room.join("staff"), level=3)
    desk = factories.respondent(world.round, "staff", user=world.member)
    factories.answer_all(desk, level=1, finished=False)
    round_services.round_close(round=world.round, by=world.lead)
    publication = Publication.objects.filter(round=world.round).order_by("-number").first()
    people = sorted({*room.snapshots()[-1].ledger["people"], desk.pk})
    for statement in room.statements:
        sets = [
            frozenset(s) for s in room.snapshots()[-1].ledger["cells"][str(statement.pk)].values()
        ]
        if publication is not None:
            sets += [
                frozenset(s)
                for s in publication.ledger["cells"].get(str(statement.pk), {}).values()
            ]
        assert not determined(sets, people)


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plan=st.lists(
        st.tuples(
            st.sampled_from(["staff", "manager", "lived_experience", "carer", "partner"]),
            st.integers(0, 4),
            st.booleans(),
        ),
        min_size=3,
        max_size=14,
    )
)
def test_no_sequence_of_people_finishing_isolates_anyone(plan):
    """People join in any mix of groups, answer all or part of the principle; after each,
    everything the room was ever shown is solved exactly for one or two people."""
    lead = factories.user()
    org = factories.organisation(lead=lead)
    round_ = factories.round(org)
    room = Room(round_, lead)
    room.show()
    for perspective, level, whole in plan:
        person = room.join(perspective)
        room.answer(person, level=level, statements=None if whole else room.statements[:1])
        snapshots = room.snapshots()
        people = sorted({p for s in snapshots for p in s.ledger["people"]})
        for statement in room.statements:
            sets = [
                frozenset(shown)
                for snapshot in snapshots
                for shown in snapshot.ledger["cells"].get(str(statement.pk), {}).values()
            ]
            assert all(len(s) >= 3 for s in sets)
            assert not determined(sets, people)
        for a, b in itertools.combinations(snapshots, 2):
            assert len(set(a.ledger["people"]) ^ set(b.ledger["people"])) >= 3


def test_the_poll_costs_the_same_for_three_people_or_twelve(
    client, world, room, django_assert_max_num_queries
):
    room.show()
    sign_in(client, world.lead)
    url = reverse("assessments:workshop-state", kwargs={"pk": world.round.pk})
    # The room's view, and one more for the lead's list of seats.
    costs_the_same_for_three_or_twelve(client, url, room, django_assert_max_num_queries, 10)
    etag = client.get(url)["ETag"]
    with django_assert_max_num_queries(4):  # session, user, round, workshop
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_projector_page_costs_the_same_for_three_people_or_twelve(
    world, room, django_assert_max_num_queries
):
    room.show()
    client = Client()
    sign_in(client, world.lead)
    url = reverse("assessments:workshop", kwargs={"pk": world.round.pk})
    costs_the_same_for_three_or_twelve(client, url, room, django_assert_max_num_queries, 12)


def costs_the_same_for_three_or_twelve(client, url, room, max_queries, limit: int) -> None:
    """``url`` answers with at most ``limit`` queries once three people have answered, and
    with no more once twelve have."""
    for _ in range(3):
        room.answer(room.join("staff"))
    with max_queries(limit) as small:
        assert client.get(url).status_code == 200
    for perspective in ["staff", "carer", "lived_experience"] * 3:
        room.answer(room.join(perspective))
    with max_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.exact_figures
def test_room_selector_reads_the_snapshot_only(world, room):
    room.show()
    for _ in range(3):
        room.answer(room.join("staff"), level=2)
    view = selectors.room(room.workshop)
    assert str(view.joined) == "3 or more"
    assert str(view.principles[0].finished) == "3 or more"
    assert [bar.count for bar in view.figures[0].bars] == [0, 3, 0, 0, 0]
    # Answers changing afterwards do not move what is shown until a new snapshot.
    room.answer(room.people[0], level=4)
    view = selectors.room(room.workshop)
    assert [bar.count for bar in view.figures[0].bars] == [0, 3, 0, 0, 0]
