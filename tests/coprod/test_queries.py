"""Hand-written queries read models as the ORM reads them."""

import pytest
from django.db import connection
from django.db.models import Model
from django.http import Http404
from django.utils import timezone

from assessments.accounts.models import Membership, Organisation, Role
from assessments.rounds.models import Answer, Respondent, Round
from coprod.queries import JoinedModels, column, table
from principles.models import Framework
from tests import factories
from tests.support import first_statement

pytestmark = pytest.mark.django_db


def field_values(instance: Model) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_joined_models_read_every_field_as_the_orm_does(world):
    """Dates, booleans and keys arrive converted (SQLite hands back text and numbers), and
    each model comes back as a saved row of its own kind."""
    world.org.require_two_step = True
    world.org.save()
    world.round.framework.frozen_at = timezone.now()
    world.round.framework.save()
    joined = JoinedModels(
        Round,
        Organisation,
        Framework,
        source=lambda: (
            f"{table(Round)} INNER JOIN {table(Organisation)}"
            f" ON {column(Organisation, 'id')} = {column(Round, 'organisation')}"
            f" INNER JOIN {table(Framework)}"
            f" ON {column(Framework, 'id')} = {column(Round, 'framework')}"
            f" WHERE {column(Round, 'id')} = %s"
        ),
    )
    [(round_, organisation, framework)] = joined.rows([world.round.pk])
    for read, orm in [
        (round_, Round.objects.get(pk=world.round.pk)),
        (organisation, Organisation.objects.get(pk=world.org.pk)),
        (framework, Framework.objects.get(pk=world.round.framework_id)),
    ]:
        assert type(read) is type(orm)
        assert field_values(read) == field_values(orm)
        assert not read._state.adding and read._state.db == connection.alias
    assert organisation.require_two_step is True
    assert framework.frozen_at == world.round.framework.frozen_at
    assert round_.figures_while_open is True and round_.created_at.tzinfo is not None


def test_a_model_missing_from_a_left_join_is_none(world):
    joined = JoinedModels(
        Respondent,
        Answer,
        source=lambda: (
            f"{table(Respondent)} LEFT OUTER JOIN {table(Answer)}"
            f" ON {column(Answer, 'respondent')} = {column(Respondent, 'id')}"
            f" WHERE {column(Respondent, 'round')} = %s"
        ),
    )
    alone = factories.respondent(world.round, "staff", user=world.member)
    assert joined.rows([world.round.pk]) == [[alone, None]]
    answer = Answer.objects.create(
        respondent=alone, statement=first_statement(world), level=2, note="Sometimes"
    )
    [(respondent, read)] = joined.rows([world.round.pk])
    assert respondent == alone and read == answer
    assert (read.level, read.note, read.updated_at) == (2, "Sometimes", answer.updated_at)


def test_a_column_that_is_not_one_is_refused():
    with pytest.raises(AssertionError):
        column(Organisation, "memberships")


def test_the_round_access_check_reads_what_the_orm_reads(world):
    """The hand-written access check gives the same round, organisation, framework version
    and membership as the ORM, for a reader who belongs to more than one organisation."""
    from assessments.web.access import round_for_user

    Membership.objects.create(user=world.lead, organisation=world.other_org, role=Role.MEMBER)
    round_, access = round_for_user(world.lead, world.round.pk)
    orm = Round.objects.select_related("organisation", "framework").get(pk=world.round.pk)
    assert field_values(round_) == field_values(orm)
    assert field_values(round_.organisation) == field_values(orm.organisation)
    assert field_values(round_.framework) == field_values(orm.framework)
    membership = Membership.objects.get(user=world.lead, organisation=world.org)
    assert field_values(access.membership) == field_values(membership)
    assert access.membership.organisation is round_.organisation


def test_the_cohort_access_check_reads_what_the_orm_reads(world):
    """The cohort with its framework version and facilitator (or its own row alone), for
    its facilitator; anyone else is refused as before."""
    from assessments.cohorts.models import Cohort
    from assessments.web.access import cohort_for_user
    from tests.support import cohort as make_cohort

    facilitator = factories.user("facilitator@example.org")
    made = make_cohort(facilitator)
    cohort = cohort_for_user(facilitator, made.pk)
    orm = Cohort.objects.select_related("framework", "facilitator").get(pk=made.pk)
    assert field_values(cohort) == field_values(orm)
    assert field_values(cohort.framework) == field_values(orm.framework)
    assert field_values(cohort.facilitator) == field_values(orm.facilitator)
    alone = cohort_for_user(facilitator, made.pk, own_row=True)
    assert field_values(alone) == field_values(orm)
    assert not alone._state.fields_cache  # neither framework nor facilitator loaded
    for own_row in (False, True):
        with pytest.raises(Http404):
            cohort_for_user(world.lead, made.pk, own_row=own_row)
        with pytest.raises(Http404):
            cohort_for_user(facilitator, made.pk + 1000, own_row=own_row)


def test_a_key_no_column_can_hold_finds_nothing(world):
    """An address with a number past 64 bits is a page that does not exist (404), as the
    ORM treats it, not an error in the database's driver."""
    from assessments.web.access import cohort_for_user, round_for_user

    for huge in (2**63, 10**30, -(2**63) - 1):
        with pytest.raises(Http404):
            round_for_user(world.lead, huge)
        with pytest.raises(Http404):
            cohort_for_user(world.lead, huge)
    assert (
        JoinedModels(Round, source=lambda: f"{table(Round)} WHERE {column(Round, 'id')} = %s").rows(
            [2**63 - 1]
        )
        == []
    )
