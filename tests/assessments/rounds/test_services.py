"""The round services called directly: each rule the round pages check holds for any caller
(a command, a task, a test), and each change is written with its activity-log row in one
transaction."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from assessments.accounts.models import AuditKind, new_token
from assessments.errors import ServiceError
from assessments.rounds import services
from assessments.rounds.models import (
    Action,
    ActionStatus,
    AgreedPosition,
    Answer,
    Invite,
    Respondent,
    Round,
    RoundStatus,
)
from assessments.rounds.services import AnswerInput, RoundNotAcceptingAnswers
from principles.models import PracticeStatement
from tests import factories
from tests.support import AuditFailure, break_audit, first_statement, new_log

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("log_baseline")]


# The secret of the one browser that answers through the world's link in these tests.
BROWSER = new_token()


def invite_send(**kwargs) -> Invite:
    return services.invite_send(**kwargs)


def audit_kinds(world) -> list[str]:
    """The activity log of the world's organisation, less what its set-up wrote."""
    return list(new_log().filter(organisation=world.org).values_list("kind", flat=True))


def refreshed(obj):
    obj.refresh_from_db()
    return obj


def foreign_statement():
    return PracticeStatement.objects.filter(principle__framework=factories.framework("nef-nesta"))[
        0
    ]


# Setting a round up -------------------------------------------------------------------


def test_round_create_makes_a_draft(world):
    made = services.round_create(
        organisation=world.org,
        framework=world.round.framework,
        title="  Autumn  ",
        closes_on=None,
        created_by=world.lead,
    )
    assert (made.title, made.status, made.created_by) == ("Autumn", RoundStatus.DRAFT, world.lead)


@pytest.mark.parametrize("who", ["member", "other_lead"])
def test_round_create_is_for_leads(world, who):
    with pytest.raises(ServiceError, match="Only a lead"):
        services.round_create(
            organisation=world.org,
            framework=world.round.framework,
            title="Autumn",
            closes_on=None,
            created_by=getattr(world, who),
        )
    assert Round.objects.filter(organisation=world.org).count() == 1


def test_round_create_needs_a_title(world):
    with pytest.raises(ServiceError, match="Enter a title for the round."):
        services.round_create(
            organisation=world.org,
            framework=world.round.framework,
            title=" ",
            closes_on=None,
            created_by=world.lead,
        )


def newer_version(framework):
    """A new version of the framework, as new wording makes one: the old one is then out of
    date for new rounds and cohorts."""
    return type(framework).objects.create(
        slug=framework.slug,
        version=framework.version + 1,
        name=framework.name,
        source=framework.source,
        summary=framework.summary,
        content_hash="newer",
    )


def test_round_create_takes_the_current_version_of_the_principles(world):
    newer_version(world.round.framework)
    with pytest.raises(ServiceError, match="There is a newer version of"):
        services.round_create(
            organisation=world.org,
            framework=world.round.framework,
            title="Autumn",
            closes_on=None,
            created_by=world.lead,
        )
    assert Round.objects.filter(organisation=world.org).count() == 1


def test_round_create_refuses_a_closing_date_in_the_past(world):
    with pytest.raises(ServiceError, match="The closing date cannot be in the past."):
        services.round_create(
            organisation=world.org,
            framework=world.round.framework,
            title="Autumn",
            closes_on=timezone.localdate() - datetime.timedelta(days=1),
            created_by=world.lead,
        )


def test_round_update_keeps_a_past_closing_date_but_sets_no_new_one(world):
    past = timezone.localdate() - datetime.timedelta(days=2)
    Round.objects.filter(pk=world.round.pk).update(closes_on=past)
    services.round_update(round=world.round, title="Renamed", closes_on=past, by=world.lead)
    with pytest.raises(ServiceError, match="The closing date cannot be in the past."):
        services.round_update(
            round=world.round, title="Renamed", closes_on=past + datetime.timedelta(days=1)
        )
    assert refreshed(world.round).closes_on == past


def test_round_update_saves_the_title_and_closing_date(world):
    closes = timezone.localdate() + datetime.timedelta(days=3)
    services.round_update(round=world.round, title=" Renamed ", closes_on=closes, by=world.lead)
    assert (world.round.title, world.round.closes_on) == ("Renamed", closes)
    assert (refreshed(world.round).title, world.round.closes_on) == ("Renamed", closes)


def test_round_update_refuses_a_closed_round(world):
    Round.objects.filter(pk=world.round.pk).update(status=RoundStatus.CLOSED)
    # The round as the caller read it still says open: the service checks the row itself.
    with pytest.raises(ServiceError, match="This round is closed, so it cannot be changed."):
        services.round_update(round=world.round, title="Sneaky", closes_on=None)
    assert refreshed(world.round).title == "Spring reflection"


def test_round_update_is_for_leads_and_needs_a_title(world):
    with pytest.raises(ServiceError, match="Only a lead"):
        services.round_update(round=world.round, title="Sneaky", closes_on=None, by=world.member)
    with pytest.raises(ServiceError, match="Enter a title"):
        services.round_update(round=world.round, title="", closes_on=None, by=world.lead)
    assert refreshed(world.round).title == "Spring reflection"


# Opening, closing, reopening ----------------------------------------------------------


def test_a_round_opens_closes_and_reopens_with_each_step_in_the_log(world):
    draft = factories.round(world.org, status=RoundStatus.DRAFT, title="Autumn")
    services.round_open(round=draft, by=world.lead)
    assert draft.status == RoundStatus.OPEN and draft.opened_at is not None
    services.round_close(round=draft, by=world.lead)
    assert refreshed(draft).status == RoundStatus.CLOSED and draft.closed_at is not None
    services.round_reopen(round=draft, by=world.lead, reason="Two teams were missed")
    assert refreshed(draft).status == RoundStatus.OPEN and draft.closed_at is None
    assert sorted(audit_kinds(world)) == sorted(
        [AuditKind.ROUND_OPENED, AuditKind.ROUND_CLOSED, AuditKind.ROUND_REOPENED]
    )
    reopened = new_log().get(kind=AuditKind.ROUND_REOPENED)
    assert "Two teams were missed" in reopened.text and reopened.actor == world.lead


def test_each_step_is_refused_from_the_wrong_status(world):
    with pytest.raises(ServiceError, match="This round is open, so it cannot be opened."):
        services.round_open(round=world.round, by=world.lead)
    with pytest.raises(ServiceError, match="cannot be reopened"):
        services.round_reopen(round=world.round, by=world.lead, reason="Why not")
    services.round_close(round=world.round, by=world.lead)
    with pytest.raises(ServiceError, match="This round is closed, so it cannot be closed."):
        services.round_close(round=world.round, by=world.lead)
    assert audit_kinds(world) == [AuditKind.ROUND_CLOSED]


def test_reopening_needs_a_reason(world):
    services.round_close(round=world.round, by=world.lead)
    with pytest.raises(ServiceError, match="Say why the round is being reopened"):
        services.round_reopen(round=world.round, by=world.lead, reason="  ")
    assert refreshed(world.round).status == RoundStatus.CLOSED


@pytest.mark.parametrize("who", ["member", "other_lead"])
def test_opening_and_closing_are_for_leads(world, who):
    person = getattr(world, who)
    draft = factories.round(world.org, status=RoundStatus.DRAFT)
    with pytest.raises(ServiceError, match="Only a lead"):
        services.round_open(round=draft, by=person)
    with pytest.raises(ServiceError, match="Only a lead"):
        services.round_close(round=world.round, by=person)
    Round.objects.filter(pk=world.round.pk).update(status=RoundStatus.CLOSED)
    with pytest.raises(ServiceError, match="Only a lead"):
        services.round_reopen(round=world.round, by=person, reason="Because")
    assert refreshed(draft).status == RoundStatus.DRAFT
    assert refreshed(world.round).status == RoundStatus.CLOSED
    assert audit_kinds(world) == []


def test_closing_and_its_audit_row_are_one_write(world, monkeypatch):
    break_audit(monkeypatch)
    with pytest.raises(AuditFailure):
        services.round_close(round=world.round, by=world.lead)
    assert refreshed(world.round).status == RoundStatus.OPEN
    assert world.round.closed_at is None


# Answer links -------------------------------------------------------------------------


def test_invites_create_makes_numbered_links(world):
    made = services.invites_create(
        round=world.round, perspective="carer", count=3, label="Table", by=world.lead
    )
    assert [i.label for i in made] == ["Table 1", "Table 2", "Table 3"]
    assert all(i.pk and i.created_by == world.lead and i.perspective == "carer" for i in made)
    assert set(Invite.objects.filter(label__startswith="Table")) == set(made)


def test_invites_create_returns_exactly_its_own_links(world, monkeypatch):
    """Another lead making a link at the same moment: its link is not among ours."""
    other_lead = factories.member(world.org, role="lead")
    original = Invite.objects.bulk_create

    def bulk_create_then_another(objs, *args, **kwargs):
        result = original(objs, *args, **kwargs)
        Invite.objects.create(
            round=world.round, perspective="staff", label="Theirs", created_by=other_lead
        )
        return result

    monkeypatch.setattr(Invite.objects, "bulk_create", bulk_create_then_another)
    made = services.invites_create(
        round=world.round, perspective="carer", count=2, label="Ours", by=world.lead
    )
    assert [i.label for i in made] == ["Ours 1", "Ours 2"]
    assert Invite.objects.filter(label="Theirs").exists()


def test_invites_create_without_returned_rows_saves_each_link(world, monkeypatch):
    """Databases whose bulk insert gives no primary keys back get each link saved in turn."""
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    made = services.invites_create(
        round=world.round, perspective="staff", count=4, label="Row", by=world.lead
    )
    assert [i.label for i in made] == ["Row 1", "Row 2", "Row 3", "Row 4"]
    assert [i.pk for i in made] == list(
        Invite.objects.filter(label__startswith="Row").order_by("pk").values_list("pk", flat=True)
    )


def test_invites_create_refuses_a_closed_round(world):
    Round.objects.filter(pk=world.round.pk).update(status=RoundStatus.CLOSED)
    with pytest.raises(ServiceError, match="This round is closed. Reopen it before making"):
        services.invites_create(round=world.round, perspective="staff", by=world.lead)
    assert Invite.objects.filter(round=world.round).count() == 1


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"perspective": "boss"}, "Choose the perspective"),
        ({"count": 0}, "Make between 1 and 200 links at a time."),
        ({"count": 201}, "Make between 1 and 200 links at a time."),
        ({"count": 2, "email": "a@example.org"}, "An e-mail address can only be given"),
        ({"by": "member"}, "Only a lead"),
        ({"by": "other_lead"}, "Only a lead"),
    ],
)
def test_invites_create_checks_what_it_is_given(world, kwargs, message):
    kwargs = {"perspective": "staff", "by": "lead", **kwargs}
    kwargs["by"] = getattr(world, kwargs["by"])
    with pytest.raises(ServiceError, match=message):
        services.invites_create(round=world.round, **kwargs)
    assert Invite.objects.filter(round=world.round).count() == 1


def test_invite_send_emails_the_link_and_notes_it(world):
    invite_send(invite=world.invite, email="jo@example.org")
    assert refreshed(world.invite).email == "jo@example.org" and world.invite.sent_at
    assert mail.outbox[0].to == ["jo@example.org"]
    assert f"https://coprod.example/r/{world.invite.raw_token}/" in mail.outbox[0].body


def test_invite_send_refuses_a_revoked_link(world):
    Invite.objects.filter(pk=world.invite.pk).update(revoked_at=timezone.now())
    with pytest.raises(ServiceError, match="This link was revoked, so it cannot be sent."):
        invite_send(invite=world.invite, email="jo@example.org")
    assert not mail.outbox and refreshed(world.invite).sent_at is None


def test_invite_send_refuses_a_link_of_a_closed_round(world):
    services.round_close(round=world.round, by=world.lead)
    with pytest.raises(ServiceError, match="This round is closed, so its links no longer work."):
        invite_send(invite=world.invite, email="jo@example.org")
    assert not mail.outbox and refreshed(world.invite).sent_at is None


def test_invite_revoke_stops_the_link_once(world):
    services.invite_revoke(invite=world.invite, by=world.lead)
    revoked_at = world.invite.revoked_at
    assert revoked_at is not None and refreshed(world.invite).revoked_at == revoked_at
    services.invite_revoke(invite=world.invite, by=world.lead)
    assert refreshed(world.invite).revoked_at == revoked_at
    event = new_log().get(kind=AuditKind.LINK_REVOKED)
    assert event.text == (
        "Answer link “Workshop table” (person with lived experience) revoked in round "
        "“Spring reflection”."
    )
    assert event.actor == world.lead and event.round == world.round


@pytest.mark.parametrize("who", ["member", "other_lead"])
def test_invite_revoke_is_for_leads(world, who):
    with pytest.raises(ServiceError, match="Only a lead"):
        services.invite_revoke(invite=world.invite, by=getattr(world, who))
    assert refreshed(world.invite).revoked_at is None


def test_invite_revoke_and_its_audit_row_are_one_write(world, monkeypatch):
    break_audit(monkeypatch)
    with pytest.raises(AuditFailure):
        services.invite_revoke(invite=world.invite, by=world.lead)
    assert refreshed(world.invite).revoked_at is None


# Answering ----------------------------------------------------------------------------


def test_respondent_for_member_is_made_once_with_the_first_perspective(world):
    first = services.respondent_for_member(
        round=world.round, user=world.member, perspective="staff"
    )
    again = services.respondent_for_member(
        round=world.round, user=world.member, perspective="manager"
    )
    assert first == again and refreshed(again).perspective == "staff"


def test_respondent_for_member_is_for_members_of_the_organisation(world):
    with pytest.raises(ServiceError, match="Only the organisation's members"):
        services.respondent_for_member(
            round=world.round, user=world.other_member, perspective="staff"
        )
    with pytest.raises(ServiceError, match="Choose the perspective"):
        services.respondent_for_member(round=world.round, user=world.member, perspective="boss")
    assert not Respondent.objects.filter(user__isnull=False).exists()


@pytest.mark.parametrize("status,reason", [("draft", "draft"), ("closed", "closed")])
def test_respondent_for_member_only_while_the_round_takes_answers(world, status, reason):
    world.round.status = status
    with pytest.raises(RoundNotAcceptingAnswers) as refused:
        services.respondent_for_member(round=world.round, user=world.member, perspective="staff")
    assert refused.value.reason == reason
    assert not Respondent.objects.exists()


def test_respondent_for_invite_is_made_once(world):
    first = services.respondent_for_invite(invite=world.invite, browser_key=BROWSER)
    assert first == services.respondent_for_invite(invite=world.invite, browser_key=BROWSER)
    assert first.perspective == "lived_experience" and first.round == world.round


def test_respondent_for_invite_refuses_a_revoked_link_or_a_round_not_taking_answers(world):
    world.invite.revoked_at = timezone.now()
    with pytest.raises(RoundNotAcceptingAnswers) as refused:
        services.respondent_for_invite(invite=world.invite, browser_key=BROWSER)
    assert refused.value.reason == "revoked"
    world.invite.revoked_at = None
    world.round.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(RoundNotAcceptingAnswers) as refused:
        services.respondent_for_invite(invite=world.invite, browser_key=BROWSER)
    assert refused.value.reason == "closed"
    assert not Respondent.objects.exists()


@pytest.fixture
def respondent(world):
    return services.respondent_for_invite(invite=world.invite, browser_key=BROWSER)


def test_answers_save_keeps_one_answer_per_statement(world, respondent):
    statement = first_statement(world)
    assert services.answers_save(
        respondent=respondent, answers=[AnswerInput(statement.pk, 2, " First ")]
    )
    services.answers_save(respondent=respondent, answers=[AnswerInput(statement.pk, 4, "Then")])
    answer = Answer.objects.get(respondent=respondent)
    assert (answer.statement, answer.level, answer.note) == (statement, 4, "Then")
    assert services.answers_save(respondent=respondent, answers=[]) == 0


@pytest.mark.parametrize(
    "make,message",
    [
        (lambda s: AnswerInput(s.pk, 7), "7 is not one of the levels"),
        (lambda s: AnswerInput(foreign_statement().pk, 2), "not in this round"),
        (lambda s: AnswerInput(s.pk, 2, "x" * 2001), "Keep your note to 2000 characters"),
    ],
)
def test_answers_save_checks_each_answer(world, respondent, make, message):
    with pytest.raises(ServiceError, match=message):
        services.answers_save(respondent=respondent, answers=[make(first_statement(world))])
    assert not Answer.objects.exists()


def test_answers_save_after_the_round_closed_is_refused(world, respondent):
    Round.objects.filter(pk=world.round.pk).update(status=RoundStatus.CLOSED)
    with pytest.raises(RoundNotAcceptingAnswers, match="This round has closed"):
        services.answers_save(
            respondent=respondent, answers=[AnswerInput(first_statement(world).pk, 2)]
        )
    assert not Answer.objects.exists()


def test_answers_save_after_the_closing_date_is_refused(world, respondent):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Round.objects.filter(pk=world.round.pk).update(closes_on=yesterday)
    with pytest.raises(RoundNotAcceptingAnswers):
        services.answers_save(
            respondent=respondent, answers=[AnswerInput(first_statement(world).pk, 2)]
        )
    assert not Answer.objects.exists()


def test_answers_save_through_a_link_revoked_meanwhile_is_refused(world, respondent):
    services.invite_revoke(invite=world.invite, by=world.lead)
    with pytest.raises(RoundNotAcceptingAnswers) as refused:
        services.answers_save(
            respondent=respondent, answers=[AnswerInput(first_statement(world).pk, 2)]
        )
    assert refused.value.reason == "revoked"
    assert not Answer.objects.exists()


def test_respondent_progress_notes_the_page_and_the_finish(world, respondent):
    services.respondent_progress(respondent=respondent, page=3)
    assert refreshed(respondent).last_page == 3 and respondent.finished_at is None
    services.respondent_progress(respondent=respondent, page=4, finished=True)
    assert refreshed(respondent).last_page == 4 and respondent.finished_at is not None


def test_finishing_after_the_round_closed_is_refused(world, respondent):
    services.round_close(round=world.round, by=world.lead)
    with pytest.raises(RoundNotAcceptingAnswers):
        services.respondent_progress(respondent=respondent, page=2, finished=True)
    assert refreshed(respondent).finished_at is None


# Agreed positions ---------------------------------------------------------------------


def test_agreed_position_record_and_change_it(world):
    statement = first_statement(world)
    services.agreed_position_record(
        round=world.round, statement=statement, level=2, reason=" Early days ", by=world.lead
    )
    services.agreed_position_record(
        round=world.round, statement=statement, level=3, reason="Moved on", by=world.lead
    )
    position = AgreedPosition.objects.get(round=world.round)
    assert (position.level, position.reason, position.recorded_by) == (3, "Moved on", world.lead)


def test_agreed_position_record_refuses_a_draft_round(world):
    Round.objects.filter(pk=world.round.pk).update(status=RoundStatus.DRAFT)
    with pytest.raises(ServiceError, match="Open the round and gather answers before agreeing"):
        services.agreed_position_record(
            round=world.round, statement=first_statement(world), level=2, reason="R", by=None
        )
    assert not AgreedPosition.objects.exists()


@pytest.mark.parametrize(
    "change,message",
    [
        ({"statement": "foreign"}, "That statement is not part of this round."),
        ({"level": 0}, "Choose the level the group agreed on."),
        ({"level": 5}, "Choose the level the group agreed on."),
        ({"reason": "  "}, "Say briefly why the group agreed this level."),
        ({"reason": "x" * 2001}, "Keep the reason to 2000 characters"),
        ({"by": "member"}, "Only a lead"),
        ({"by": "other_lead"}, "Only a lead"),
    ],
)
def test_agreed_position_record_checks_what_it_is_given(world, change, message):
    kwargs = {"statement": first_statement(world), "level": 2, "reason": "R", "by": world.lead}
    kwargs.update(change)
    if kwargs["statement"] == "foreign":
        kwargs["statement"] = foreign_statement()
    if isinstance(kwargs["by"], str):
        kwargs["by"] = getattr(world, kwargs["by"])
    with pytest.raises(ServiceError, match=message):
        services.agreed_position_record(round=world.round, **kwargs)
    assert not AgreedPosition.objects.exists()


def test_agreed_position_clear(world):
    statement = first_statement(world)
    AgreedPosition.objects.create(round=world.round, statement=statement, level=2, reason="R")
    with pytest.raises(ServiceError, match="Only a lead"):
        services.agreed_position_clear(round=world.round, statement=statement, by=world.member)
    with pytest.raises(ServiceError, match="not part of this round"):
        services.agreed_position_clear(round=world.round, statement=foreign_statement())
    assert AgreedPosition.objects.exists()
    services.agreed_position_clear(round=world.round, statement=statement, by=world.lead)
    assert not AgreedPosition.objects.exists()


def test_agreed_position_clear_refuses_a_draft_round(world):
    Round.objects.filter(pk=world.round.pk).update(status=RoundStatus.DRAFT)
    with pytest.raises(ServiceError, match="Open the round"):
        services.agreed_position_clear(round=world.round, statement=first_statement(world))


# Actions ------------------------------------------------------------------------------


def new_action(round_, **fields) -> Action:
    principle = round_.framework.principles.order_by("order").first()
    return Action(
        round=round_,
        principle=principle,
        change_from="We decide, then tell people.",
        change_to="People who use the service sit on the panel.",
        owner="Rita",
        **fields,
    )


def test_action_save_adds_and_changes_an_action(world):
    action = services.action_save(action=new_action(world.round), by=world.lead)
    assert action.pk and Action.objects.get().owner == "Rita"
    action.owner = "Sam"
    services.action_save(action=action, by=world.lead)
    assert Action.objects.get().owner == "Sam"


def test_action_save_checks_principle_statement_and_lead(world):
    action = new_action(world.round)
    action.statement = world.round.framework.principles.order_by("order")[1].statements.first()
    with pytest.raises(ServiceError, match="not part of the principle chosen"):
        services.action_save(action=action, by=world.lead)
    action = new_action(world.round)
    action.principle = foreign_statement().principle
    with pytest.raises(ServiceError, match="That principle is not part of this round."):
        services.action_save(action=action, by=world.lead)
    with pytest.raises(ServiceError, match="Only a lead"):
        services.action_save(action=new_action(world.round), by=world.member)
    assert not Action.objects.exists()


@pytest.fixture
def review(world):
    """An open action and a done one in the world's round, and the next round to review them
    from."""
    open_action = services.action_save(action=new_action(world.round))
    done = services.action_save(action=new_action(world.round, status=ActionStatus.DONE))
    services.round_close(round=world.round, by=world.lead)
    later = factories.round(world.org, status=RoundStatus.DRAFT, title="Autumn")
    Round.objects.filter(pk=later.pk).update(
        created_at=timezone.now() + datetime.timedelta(seconds=1)
    )
    return open_action, done, refreshed(later)


def test_action_carry_forward_copies_it_once(world, review):
    open_action, _, later = review
    carried = services.action_carry_forward(action=open_action, into=later, by=world.lead)
    assert (carried.round, carried.carried_from) == (later, open_action)
    assert carried.change_to == open_action.change_to and carried.status == open_action.status
    assert services.action_carry_forward(action=open_action, into=later, by=world.lead) == carried
    assert Action.objects.filter(round=later).count() == 1


def test_action_carry_forward_takes_only_open_actions_of_the_round_before(world, review):
    open_action, done, later = review
    with pytest.raises(ServiceError, match="already marked done"):
        services.action_carry_forward(action=done, into=later, by=world.lead)
    other_round = factories.round(world.other_org)
    with pytest.raises(ServiceError, match="same organisation"):
        services.action_carry_forward(action=open_action, into=other_round)
    with pytest.raises(ServiceError, match="Only the open actions of the round before"):
        services.action_carry_forward(action=open_action, into=world.round)
    with pytest.raises(ServiceError, match="Only a lead"):
        services.action_carry_forward(action=open_action, into=later, by=world.member)
    assert not Action.objects.filter(carried_from__isnull=False).exists()


def test_action_close_from_review(world, review):
    open_action, _, later = review
    closed = services.action_close_from_review(
        action=open_action, status=ActionStatus.DROPPED, round=later, by=world.lead
    )
    assert closed.status == refreshed(open_action).status == ActionStatus.DROPPED


def test_action_close_from_review_checks_the_action_and_the_decision(world, review):
    open_action, done, later = review
    with pytest.raises(ServiceError, match="Mark the action as done or dropped."):
        services.action_close_from_review(action=open_action, status="in_progress", round=later)
    with pytest.raises(ServiceError, match="already marked done"):
        services.action_close_from_review(action=done, status=ActionStatus.DROPPED, round=later)
    with pytest.raises(ServiceError, match="Only a lead"):
        services.action_close_from_review(
            action=open_action, status=ActionStatus.DONE, round=later, by=world.member
        )
    services.action_carry_forward(action=open_action, into=later)
    with pytest.raises(ServiceError, match="carried into a later round"):
        services.action_close_from_review(action=open_action, status=ActionStatus.DONE, round=later)
    assert refreshed(open_action).status == ActionStatus.NOT_STARTED
