"""The round selectors called directly: what the round pages get, in a number of queries
that stays the same however many people answer."""

import datetime

import pytest
from django.utils import timezone

from assessments.figures import selectors as figures_selectors
from assessments.rounds import selectors
from assessments.rounds.models import (
    Action,
    ActionStatus,
    AgreedPosition,
    Answer,
    Invite,
    Round,
    RoundStatus,
)
from tests import factories
from tests.support import earlier_round, first_statement, with_answers

pytestmark = pytest.mark.django_db


def statement_total(round_) -> int:
    return sum(p.statements.count() for p in round_.framework.principles.all())


def answer_one(respondent, statement, level=2, note=""):
    return Answer.objects.create(respondent=respondent, statement=statement, level=level, note=note)


def test_organisation_rounds_newest_first_with_people_who_answered_in_steps(
    world, django_assert_num_queries
):
    with_answers(world, lived=1, staff=2)
    factories.respondent(world.round, "carer")  # opened a link, gave no answer
    later = factories.round(world.org, status=RoundStatus.DRAFT, title="Later")
    Round.objects.filter(pk=later.pk).update(
        created_at=timezone.now() + datetime.timedelta(seconds=1)
    )
    factories.round(world.other_org)
    with django_assert_num_queries(1):
        found = [
            (r.title, r.framework.slug, r.respondent_count)
            for r in selectors.organisation_rounds(world.org)
        ]
    assert found == [("Later", "cahn", 0), ("Spring reflection", "cahn", 3)]
    # Eleven people have answered: shown as a whole step, nine.
    with_answers(world, lived=4, staff=4)
    with django_assert_num_queries(1):
        assert [r.respondent_count for r in selectors.organisation_rounds(world.org)] == [0, 9]
    with_answers(world, lived=1, staff=0)  # twelve
    assert [r.respondent_count for r in selectors.organisation_rounds(world.org)] == [0, 12]


def test_round_progress_counts_in_steps_never_by_perspective(world, django_assert_num_queries):
    staff = factories.respondent(world.round, "staff")
    answer_one(staff, first_statement(world))
    staff.finished_at = timezone.now()
    staff.save()
    factories.respondent(world.round, "staff")  # started, no answers
    answer_one(factories.respondent(world.round, "carer"), first_statement(world))
    Invite.objects.filter(pk=world.invite.pk).update(revoked_at=timezone.now())
    with django_assert_num_queries(2):
        progress = selectors.round_progress(world.round)
    # Two answered and one finished: under one step, so none shown.
    assert progress == {"answered": 0, "finished": 0, "invites": {"total": 4, "revoked": 1}}
    answer_one(factories.respondent(world.round, "manager"), first_statement(world))
    assert selectors.round_progress(world.round)["answered"] == 3
    with_answers(world)  # six more, who finish
    with django_assert_num_queries(2):
        progress = selectors.round_progress(world.round)
    assert (progress["answered"], progress["finished"]) == (9, 6)  # 9 and 7 in truth


def test_round_invites_say_nothing_of_answers(world, django_assert_num_queries):
    used = factories.respondent(world.round, "staff")
    factories.answer_all(used)
    revoked = factories.invite(world.round)
    Invite.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    with django_assert_num_queries(1):
        rows = [(i.pk, i.revoked_at is not None) for i in selectors.round_invites(world.round)]
    # Compared without the order (NULLs sort differently by database).
    assert sorted(rows) == sorted(
        [(world.invite.pk, False), (used.invite_id, False), (revoked.pk, True)]
    )
    # Nothing on a link says whether anyone answered or finished through it.
    first = selectors.round_invites(world.round).get(pk=used.invite_id)
    for name in ("started", "finished", "answers", "respondent_id"):
        assert not hasattr(first, name)
    assert "respondent" not in first._state.fields_cache


def test_answer_rows_notes_and_counts(world, django_assert_num_queries):
    statement = first_statement(world)
    lived = factories.respondent(world.round, "lived_experience")
    answer_one(lived, statement, level=0, note="Not sure we do")
    staff = factories.respondent(world.round, "staff")
    answer_one(staff, statement, level=3, note="Always")
    factories.respondent(world.round, "carer")  # no answers
    with django_assert_num_queries(1):
        rows = figures_selectors.answer_rows(world.round)
    assert {(r.respondent_id, r.perspective, r.statement_id, r.level) for r in rows} == {
        (lived.pk, "lived_experience", statement.pk, None),  # "not sure" is no level
        (staff.pk, "staff", statement.pk, 3),
    }
    assert selectors.answer_notes(world.round) == {
        (lived.pk, statement.pk): "Not sure we do",
        (staff.pk, statement.pk): "Always",
    }
    assert selectors.round_notes(world.round) == {statement.pk: ["Always", "Not sure we do"]}
    assert selectors.respondent_count(world.round) == 2
    assert selectors.respondent_answer_count(staff) == 1
    assert set(selectors.respondent_answers(staff)) == {statement.pk}
    assert selectors.respondent_counts_by_round([world.round.pk]) == {world.round.pk: 2}


def test_member_respondent(world):
    assert selectors.member_respondent(world.round, world.member) is None
    mine = factories.respondent(world.round, "staff", user=world.member)
    factories.respondent(world.round, "staff", user=world.lead)
    assert selectors.member_respondent(world.round, world.member) == mine


def test_agreed_positions_by_statement_with_who_recorded_them(world, django_assert_num_queries):
    statement = first_statement(world)
    AgreedPosition.objects.create(
        round=world.round, statement=statement, level=2, reason="R", recorded_by=world.lead
    )
    with django_assert_num_queries(1):
        positions = selectors.agreed_positions(world.round)
        assert positions[statement.pk].recorded_by.email == "lead@riverside.example"
    assert list(positions) == [statement.pk]


def add_action(round_, principle, **fields) -> Action:
    return Action.objects.create(
        round=round_, principle=principle, change_from="a", change_to="b", owner="c", **fields
    )


def test_round_actions_and_the_plan_by_principle(world, django_assert_num_queries):
    principles = list(world.round.framework.principles.order_by("order"))
    statement = principles[2].statements.first()
    third = add_action(world.round, principles[2], statement=statement)
    first = add_action(world.round, principles[0])
    with django_assert_num_queries(1):
        loaded = list(selectors.round_actions(world.round))
        [(a.principle.name, a.statement and a.statement.principle.name) for a in loaded]
    # The actions, their progress notes, and the framework's principles and statements.
    with django_assert_num_queries(5):
        plan = selectors.action_plan(world.round)
        [list(a.updates.all()) for _, items in plan for a in items]
    assert plan == [(principles[0], [first]), (principles[2], [third])]
    for _ in range(5):
        add_action(world.round, principles[1])
    with django_assert_num_queries(5):
        assert [len(items) for _, items in selectors.action_plan(world.round)] == [1, 5, 1]


def test_previous_round_skips_drafts_and_may_keep_to_the_framework(world):
    assert selectors.previous_round(world.round) is None
    other_framework = earlier_round(world, slug="nef-nesta", people=0)
    assert selectors.previous_round(world.round) == other_framework
    assert selectors.previous_round(world.round, same_framework=True) is None
    same = earlier_round(world, people=0)
    Round.objects.filter(pk=same.pk).update(
        created_at=world.round.created_at - datetime.timedelta(days=40)
    )
    assert selectors.previous_round(world.round, same_framework=True) == same
    draft = factories.round(world.org, status=RoundStatus.DRAFT)
    Round.objects.filter(pk=draft.pk).update(
        created_at=world.round.created_at - datetime.timedelta(days=1)
    )
    assert selectors.previous_round(world.round) == other_framework


def test_statement_positions(world):
    statement = first_statement(world)
    positions = selectors.statement_positions(world.round.framework_id)
    assert positions[statement.pk] == (1, 1)
    assert len(positions) == statement_total(world.round)


def test_actions_to_review_are_the_open_ones_of_the_round_before(world):
    principle = world.round.framework.principles.first()
    open_action = add_action(world.round, principle)
    add_action(world.round, principle, status=ActionStatus.DONE)
    carried = add_action(world.round, principle)
    later = factories.round(world.org, status=RoundStatus.DRAFT)
    Round.objects.filter(pk=later.pk).update(
        created_at=timezone.now() + datetime.timedelta(seconds=1)
    )
    later.refresh_from_db()
    add_action(later, principle, carried_from=carried)
    previous, actions = selectors.actions_to_review(later)
    assert previous == world.round and list(actions) == [open_action]
    assert selectors.actions_to_review(world.round)[0] is None
    assert not selectors.actions_to_review(world.round)[1].exists()
