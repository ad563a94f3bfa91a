"""Keeping less: a round's answers and notes are deleted at the end of its organisation's
keeping period, and only what it published is kept."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.accounts.models import AuditEvent, AuditKind
from assessments.datarights import retention
from assessments.errors import ServiceError
from assessments.figures.models import Publication, PublicationScore
from assessments.mail.models import OutgoingEmail
from assessments.rounds.models import Action, AgreedPosition, Answer, Invite, Respondent, Round
from assessments.rounds.services import round_reopen
from tests import factories
from tests.support import World, first_statement, with_answers

pytestmark = pytest.mark.django_db


def closed_world(months_ago: int = 13) -> World:
    world = World()
    with_answers(world)
    statement = first_statement(world)
    AgreedPosition.objects.create(
        round=world.round, statement=statement, level=2, reason="We agreed.", recorded_by=world.lead
    )
    Action.objects.create(
        round=world.round,
        principle=statement.principle,
        change_from="Panels are unpaid.",
        change_to="Anyone who gives time is paid.",
        owner="Lead",
    )
    from assessments.rounds.services import round_close

    round_close(round=world.round, by=world.lead)
    closed = timezone.now() - datetime.timedelta(days=31 * months_ago)
    opened = closed - datetime.timedelta(days=30)
    Round.objects.filter(pk=world.round.pk).update(opened_at=opened, closed_at=closed)
    world.round.refresh_from_db()
    return world


def test_months_after_keeps_the_day_or_takes_the_months_last():
    moment = datetime.datetime(2026, 1, 31, 9, 30, tzinfo=datetime.UTC)
    assert retention.months_after(moment, 1) == moment.replace(month=2, day=28)
    assert retention.months_after(moment, 12) == moment.replace(year=2027)
    assert retention.months_after(moment, 25) == moment.replace(year=2028, month=2, day=29)


def test_rounds_past_their_period_lose_answers_notes_links_and_progress_only():
    world = closed_world(months_ago=13)
    OutgoingEmail.objects.create(about=f"assessments.invite:{world.invite.pk}", to=["a@b.example"])
    Invite.objects.filter(pk=world.invite.pk).update(email="a@b.example")
    reminded = OutgoingEmail.objects.create(
        message="reminder",
        to=["a@b.example"],
        created_at=world.round.opened_at + datetime.timedelta(days=1),
    )
    kept_email = OutgoingEmail.objects.create(
        about="assessments.colleagueinvite:1", to=["c@d.example"]
    )
    publications = list(Publication.objects.filter(round=world.round).values_list("pk", "figures"))
    scores = list(PublicationScore.objects.order_by("pk").values_list("pk", "score"))
    assert any(figures["notes"] for _, figures in publications)
    answers = Answer.objects.filter(respondent__round=world.round).count()
    people = Respondent.objects.filter(round=world.round).count()
    links = Invite.objects.filter(round=world.round).count()

    assert retention.expired_answers_delete() == 1

    world.round.refresh_from_db()
    assert not Answer.objects.filter(respondent__round=world.round).exists()
    assert not Respondent.objects.filter(round=world.round).exists()
    assert not Invite.objects.filter(round=world.round).exists()
    assert not OutgoingEmail.objects.filter(about=f"assessments.invite:{world.invite.pk}").exists()
    assert not OutgoingEmail.objects.filter(pk=reminded.pk).exists()
    assert OutgoingEmail.objects.filter(pk=kept_email.pk).exists()
    assert world.round.answers_deleted_rows == answers + people + links + 2
    assert world.round.answers_deleted_at is not None
    assert (world.round.people_answered, world.round.people_finished) == (6, 6)
    # The published figures stay as published, but for the notes written in them.
    after = dict(Publication.objects.filter(round=world.round).values_list("pk", "figures"))
    for pk, figures in publications:
        assert after[pk]["notes"] == {}
        assert {**after[pk], "notes": None} == {**figures, "notes": None}
    assert list(PublicationScore.objects.order_by("pk").values_list("pk", "score")) == scores
    assert AgreedPosition.objects.filter(round=world.round).count() == 1
    assert Action.objects.filter(round=world.round).count() == 1
    line = AuditEvent.objects.get(kind=AuditKind.ANSWERS_DELETED)
    assert line.round_id == world.round.pk and line.actor is None
    assert line.summary == (
        f"The keeping period of round “Spring reflection” ended: {world.round.answers_deleted_rows}"
        " rows of answers, notes, links and progress were deleted; its published figures are kept."
    )
    # Once only.
    assert retention.expired_answers_delete() == 0
    assert AuditEvent.objects.filter(kind=AuditKind.ANSWERS_DELETED).count() == 1


def test_rounds_within_their_period_and_open_rounds_keep_their_answers():
    world = closed_world(months_ago=11)
    open_round = factories.round(world.org)
    factories.answer_all(factories.respondent(open_round))
    assert retention.expired_answers_delete() == 0
    assert Answer.objects.filter(respondent__round=world.round).exists()
    world.org.keep_answers_months = 6
    world.org.save()
    assert retention.expired_answers_delete() == 1
    assert not Answer.objects.filter(respondent__round=world.round).exists()
    assert Answer.objects.filter(respondent__round=open_round).exists()


def test_the_period_ends_to_the_day():
    world = closed_world()
    closed = world.round.closed_at
    due = retention.months_after(closed, 12)
    assert retention.expired_answers_delete(now=due - datetime.timedelta(seconds=1)) == 0
    assert retention.expired_answers_delete(now=due) == 1


def test_a_round_whose_answers_went_cannot_be_reopened():
    world = closed_world()
    retention.expired_answers_delete()
    with pytest.raises(ServiceError, match="cannot be reopened"):
        round_reopen(round=world.round, by=world.lead, reason="More people want to answer")


def test_the_command_for_cron(capsys):
    closed_world()
    call_command("delete_expired_answers")
    assert "answers deleted in 1 rounds" in capsys.readouterr().out
    assert not Answer.objects.exists()
