"""The hand-written queries read each model as the ORM reads it, on either database: on
SQLite dates, times and booleans come back from the driver as text and numbers, and a
model missing from a LEFT JOIN must be None, not a row of NULLs."""

import datetime

import pytest
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from assessments.accounts.models import Membership
from assessments.cohorts.models import Cohort
from assessments.rounds import selectors
from assessments.rounds.models import Answer, Respondent, Round
from assessments.web import handwritten
from tests import factories
from tests.support import cohort

pytestmark = pytest.mark.django_db


def field_values(instance: Model) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def assert_read_as_the_orm_reads(read: Model, orm: Model) -> None:
    assert type(read) is type(orm)
    assert field_values(read) == field_values(orm)
    assert not read._state.adding and read._state.db == connection.alias


def test_the_round_check_converts_dates_booleans_and_empty_values(world):
    Round.objects.filter(pk=world.round.pk).update(closes_on=datetime.date(2027, 3, 31))
    world.org.require_two_step = True
    world.org.save()
    round_, membership = handwritten.round_with_membership(world.round.pk, world.lead.pk)
    orm = Round.objects.select_related("organisation", "framework").get(pk=world.round.pk)
    assert_read_as_the_orm_reads(round_, orm)
    assert_read_as_the_orm_reads(round_.organisation, orm.organisation)
    assert_read_as_the_orm_reads(round_.framework, orm.framework)
    own = Membership.objects.get(user=world.lead, organisation=world.org)
    assert_read_as_the_orm_reads(membership, own)
    assert membership.organisation is round_.organisation
    assert round_.closes_on == datetime.date(2027, 3, 31)
    assert round_.figures_while_open is True and round_.organisation.require_two_step is True
    assert round_.opened_at.tzinfo is not None and round_.framework.frozen_at is not None
    assert round_.closed_at is None


def test_no_row_for_an_outsider_or_a_round_that_is_not_there(world):
    assert handwritten.round_with_membership(world.round.pk, world.other_lead.pk) is None
    assert handwritten.round_with_membership(world.round.pk + 1000, world.lead.pk) is None
    assert handwritten.round_with_membership(2**63, world.lead.pk) is None


def test_a_respondent_with_no_answers_comes_alone(world):
    assert handwritten.respondent_with_answers(world.round.pk, world.member.pk) == (None, {})
    mine = factories.respondent(world.round, "staff", user=world.member)
    respondent, answers = handwritten.respondent_with_answers(world.round.pk, world.member.pk)
    assert answers == {}
    assert_read_as_the_orm_reads(respondent, Respondent.objects.get(pk=mine.pk))
    assert respondent.finished_at is None and respondent.created_at.tzinfo is not None


def test_a_respondents_answers_are_read_with_their_times(world):
    mine = factories.respondent(world.round, "staff", user=world.member)
    Respondent.objects.filter(pk=mine.pk).update(finished_at=timezone.now(), last_page=3)
    first, second = world.round.framework.principles.order_by("order")[0].statements.order_by(
        "order"
    )[:2]
    Answer.objects.create(respondent=mine, statement=first, level=0, note="Not sure")
    Answer.objects.create(respondent=mine, statement=second, level=4)
    respondent, answers = handwritten.respondent_with_answers(world.round.pk, world.member.pk)
    assert_read_as_the_orm_reads(respondent, Respondent.objects.get(pk=mine.pk))
    assert respondent.finished_at.tzinfo is not None and respondent.last_page == 3
    assert set(answers) == {first.pk, second.pk}
    for statement in (first, second):
        orm = Answer.objects.get(respondent=mine, statement=statement)
        assert_read_as_the_orm_reads(answers[statement.pk], orm)
        assert answers[statement.pk].updated_at.tzinfo is not None
    assert (answers[first.pk].level, answers[second.pk].note) == (0, "")


def test_member_respondent_with_answers_in_one_query(world, django_assert_num_queries):
    def read():
        with django_assert_num_queries(1):
            return handwritten.respondent_with_answers(world.round.pk, world.member.pk)

    assert read() == (None, {})
    mine = factories.respondent(world.round, "staff", user=world.member)
    Respondent.objects.filter(pk=mine.pk).update(last_page=2)
    theirs = factories.respondent(world.round, "staff", user=world.lead)
    respondent, answers = read()
    assert respondent == mine and answers == {}
    assert (respondent.perspective, respondent.last_page) == ("staff", 2)
    first, second = world.round.framework.principles.order_by("order")[0].statements.order_by(
        "order"
    )[:2]
    Answer.objects.create(respondent=mine, statement=first, level=3, note="Mine")
    Answer.objects.create(respondent=mine, statement=second, level=0)
    Answer.objects.create(respondent=theirs, statement=first, level=1, note="Theirs")
    respondent, answers = read()
    assert respondent == mine and not respondent._state.adding
    assert {pk: (a.level, a.note) for pk, a in answers.items()} == {
        first.pk: (3, "Mine"),
        second.pk: (0, ""),
    }
    assert answers == selectors.respondent_answers(mine)


def test_the_cohort_is_read_as_the_orm_reads_it(world):
    the_cohort = cohort(world.lead)
    read = handwritten.cohort(the_cohort.pk)
    assert_read_as_the_orm_reads(read, Cohort.objects.get(pk=the_cohort.pk))
    assert read.starts_on < read.ends_on and read.created_at.tzinfo is not None
    assert handwritten.cohort(the_cohort.pk + 1000) is None
    assert handwritten.cohort(2**63) is None
