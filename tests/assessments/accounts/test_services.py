"""The accounts services called directly: each rule the pages check holds for any caller,
and each change is written with its activity-log row in one transaction."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from assessments.accounts import services
from assessments.accounts.models import (
    AuditEvent,
    AuditKind,
    ColleagueInvite,
    Membership,
    Organisation,
    Role,
    User,
)
from assessments.datarights import services as datarights
from assessments.errors import ServiceError
from tests import factories
from tests.support import AuditFailure, break_audit, new_log

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("log_baseline")]


def colleague_invite(**kwargs) -> ColleagueInvite:
    return services.colleague_invite(**kwargs)


def audit_kinds(org) -> list[str]:
    """The activity log of ``org``, less what the world's set-up wrote."""
    return list(new_log().filter(organisation=org).values_list("kind", flat=True))


def membership(user, org) -> Membership:
    return Membership.objects.select_related("user").get(user=user, organisation=org)


# require_lead ---------------------------------------------------------------------------


def test_require_lead_lets_a_lead_and_the_system_through(world):
    services.require_lead(user=world.lead, organisation=world.org)
    services.require_lead(user=world.lead, organisation=world.org.pk)
    services.require_lead(user=None, organisation=world.org)


@pytest.mark.parametrize("who", ["member", "other_lead", "anonymous"])
def test_require_lead_refuses_anyone_else(world, who):
    user = AnonymousUser() if who == "anonymous" else getattr(world, who)
    with pytest.raises(ServiceError, match="Only a lead of this organisation can do that."):
        services.require_lead(user=user, organisation=world.org)


# audit_record ---------------------------------------------------------------------------


def test_audit_record_keeps_the_actor_and_a_short_summary(world):
    event = services.audit_record(
        organisation=world.org.pk, kind=AuditKind.EXPORTED, summary="x" * 400, actor=world.lead
    )
    assert event.organisation == world.org and event.actor == world.lead
    assert len(event.summary) == 300
    anonymous = services.audit_record(
        organisation=world.org, kind=AuditKind.EXPORTED, summary="Hi", actor=AnonymousUser()
    )
    assert anonymous.actor is None


# organisation_create --------------------------------------------------------------------


def test_organisation_create_makes_its_creator_the_lead(db):
    person = factories.user()
    first = services.organisation_create(name="  Care team ", lead=person)
    second = services.organisation_create(name="Care team", lead=person)
    assert (first.name, first.slug, second.slug) == ("Care team", "care-team", "care-team-2")
    assert membership(person, first).role == Role.LEAD


def test_organisation_create_needs_a_name(db):
    with pytest.raises(ServiceError, match="Enter a name."):
        services.organisation_create(name="   ", lead=factories.user())
    assert not Organisation.objects.exists()


def test_organisation_create_leaves_nothing_if_the_lead_cannot_be_added(db, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise RuntimeError("no memberships today")

    monkeypatch.setattr(Membership, "save", refuse)
    with pytest.raises(RuntimeError):
        services.organisation_create(name="Care team", lead=factories.user())
    assert not Organisation.objects.exists()


# colleague_invite -----------------------------------------------------------------------


def test_colleague_invite_records_it_and_sends_the_link(world):
    invite = colleague_invite(
        organisation=world.org, email=" Sam@Example.org ", role=Role.LEAD, invited_by=world.lead
    )
    assert (invite.email, invite.role, invite.is_pending) == ("sam@example.org", "lead", True)
    event = new_log().get(organisation=world.org, kind=AuditKind.COLLEAGUE_INVITED)
    assert event.text == "Invited sam@example.org as lead." and event.actor == world.lead
    assert mail.outbox[0].to == ["sam@example.org"]
    assert f"https://coprod.example/join/{invite.raw_token}/" in mail.outbox[0].body


@pytest.mark.parametrize("who", ["member", "other_lead"])
def test_colleague_invite_is_for_leads_only(world, who):
    with pytest.raises(ServiceError, match="Only a lead"):
        colleague_invite(
            organisation=world.org,
            email="sam@example.org",
            role="member",
            invited_by=getattr(world, who),
        )
    assert not ColleagueInvite.objects.exists() and not mail.outbox


def test_colleague_invite_refuses_an_unknown_role(world):
    with pytest.raises(ServiceError, match="Choose lead or member."):
        colleague_invite(
            organisation=world.org, email="sam@example.org", role="owner", invited_by=world.lead
        )


def test_colleague_invite_refuses_members_and_people_already_invited(world):
    with pytest.raises(ServiceError, match="is already a member of Riverside adult care"):
        colleague_invite(
            organisation=world.org,
            email=world.member.email.upper(),
            role="member",
            invited_by=world.lead,
        )
    colleague_invite(
        organisation=world.org, email="sam@example.org", role="member", invited_by=world.lead
    )
    with pytest.raises(ServiceError, match="has already been invited and has not answered yet"):
        colleague_invite(
            organisation=world.org, email="SAM@example.org", role="lead", invited_by=world.lead
        )
    assert ColleagueInvite.objects.count() == 1 and len(mail.outbox) == 1


def test_colleague_invite_and_its_audit_row_are_one_write(world, monkeypatch):
    break_audit(monkeypatch)
    with pytest.raises(AuditFailure):
        colleague_invite(
            organisation=world.org, email="sam@example.org", role="member", invited_by=world.lead
        )
    assert not ColleagueInvite.objects.exists() and not mail.outbox


# colleague_invite_accept ----------------------------------------------------------------


@pytest.fixture
def pending(world):
    return factories.colleague_invite(
        organisation=world.org, email="sam@example.org", role=Role.LEAD, invited_by=world.lead
    )


def test_colleague_invite_accept_joins_with_the_role_invited(world, pending):
    sam = factories.user("Sam@example.org")
    joined = services.colleague_invite_accept(invite=pending, user=sam, token=pending.raw_token)
    assert joined.role == Role.LEAD and joined.organisation == world.org
    pending.refresh_from_db()
    assert pending.accepted_at is not None
    assert audit_kinds(world.org) == [AuditKind.MEMBER_JOINED]


def test_colleague_invite_accept_is_for_the_person_invited(world, pending):
    with pytest.raises(ServiceError, match="This invitation is for sam@example.org"):
        services.colleague_invite_accept(
            invite=pending, user=world.other_lead, token=pending.raw_token
        )
    assert not Membership.objects.filter(user=world.other_lead, organisation=world.org).exists()


def test_colleague_invite_accept_refuses_a_used_or_cancelled_invitation(world, pending):
    sam = factories.user("sam@example.org")
    services.colleague_invite_cancel(invite=pending, by=world.lead)
    with pytest.raises(ServiceError, match="already been used or was cancelled"):
        services.colleague_invite_accept(invite=pending, user=sam, token=pending.raw_token)
    assert not Membership.objects.filter(user=sam).exists()


def test_colleague_invite_accept_and_its_audit_row_are_one_write(world, pending, monkeypatch):
    sam = factories.user("sam@example.org")
    break_audit(monkeypatch)
    with pytest.raises(AuditFailure):
        services.colleague_invite_accept(invite=pending, user=sam, token=pending.raw_token)
    pending.refresh_from_db()
    assert pending.accepted_at is None
    assert not Membership.objects.filter(user=sam).exists()


# colleague_invite_cancel ----------------------------------------------------------------


def test_colleague_invite_cancel_withdraws_it_once(world, pending):
    services.colleague_invite_cancel(invite=pending, by=world.lead)
    first = ColleagueInvite.objects.get().cancelled_at
    assert first is not None and pending.cancelled_at == first
    services.colleague_invite_cancel(invite=pending, by=world.lead)
    assert ColleagueInvite.objects.get().cancelled_at == first


def test_colleague_invite_cancel_is_for_leads_of_the_organisation(world, pending):
    for who in (world.member, world.other_lead):
        with pytest.raises(ServiceError, match="Only a lead"):
            services.colleague_invite_cancel(invite=pending, by=who)
    assert ColleagueInvite.objects.get().is_pending


def test_colleague_invite_cancel_refuses_an_accepted_invitation(world, pending):
    services.colleague_invite_accept(
        invite=pending, user=factories.user("sam@example.org"), token=pending.raw_token
    )
    with pytest.raises(ServiceError, match="sam@example.org has already accepted"):
        services.colleague_invite_cancel(invite=pending, by=world.lead)
    assert ColleagueInvite.objects.get().cancelled_at is None


# membership_change_role -----------------------------------------------------------------


def test_membership_change_role_records_the_change(world):
    target = membership(world.member, world.org)
    services.membership_change_role(membership=target, role=Role.LEAD, by=world.lead)
    assert membership(world.member, world.org).role == Role.LEAD
    event = new_log().get(kind=AuditKind.ROLE_CHANGED)
    assert event.text == "member@riverside.example is now a lead." and event.actor == world.lead
    # The same role again changes nothing and records nothing.
    services.membership_change_role(membership=target, role=Role.LEAD, by=world.lead)
    assert AuditEvent.objects.filter(kind=AuditKind.ROLE_CHANGED).count() == 1


def test_membership_change_role_refuses_an_unknown_role(world):
    with pytest.raises(ServiceError, match="Choose lead or member."):
        services.membership_change_role(
            membership=membership(world.member, world.org), role="owner", by=world.lead
        )


@pytest.mark.parametrize("who", ["member", "other_lead"])
def test_membership_change_role_is_for_leads_only(world, who):
    with pytest.raises(ServiceError, match="Only a lead"):
        services.membership_change_role(
            membership=membership(world.member, world.org), role=Role.LEAD, by=getattr(world, who)
        )
    assert membership(world.member, world.org).role == Role.MEMBER


def test_membership_change_role_keeps_the_last_lead(world):
    with pytest.raises(ServiceError, match="needs at least one lead"):
        services.membership_change_role(
            membership=membership(world.lead, world.org), role=Role.MEMBER, by=world.lead
        )
    assert membership(world.lead, world.org).role == Role.LEAD


def test_membership_change_role_and_its_audit_row_are_one_write(world, monkeypatch):
    break_audit(monkeypatch)
    with pytest.raises(AuditFailure):
        services.membership_change_role(
            membership=membership(world.member, world.org), role=Role.LEAD, by=world.lead
        )
    assert membership(world.member, world.org).role == Role.MEMBER


# membership_remove ----------------------------------------------------------------------


def test_membership_remove_by_a_lead_and_by_the_person_leaving(world):
    services.membership_remove(membership=membership(world.member, world.org), by=world.lead)
    other = factories.member(world.org)
    services.membership_remove(membership=membership(other, world.org), by=other)
    assert list(Membership.objects.filter(organisation=world.org)) == [
        membership(world.lead, world.org)
    ]
    summaries = set(
        new_log().filter(kind=AuditKind.MEMBER_REMOVED).values_list("summary", flat=True)
    )
    assert summaries == {
        f"{other.email} left the organisation.",
        "member@riverside.example was removed from the organisation.",
    }


def test_membership_remove_of_someone_else_is_for_leads_only(world):
    other = factories.member(world.org)
    for who in (other, world.other_lead):
        with pytest.raises(ServiceError, match="Only a lead"):
            services.membership_remove(membership=membership(world.member, world.org), by=who)
    assert Membership.objects.filter(user=world.member).exists()


def test_membership_remove_keeps_the_last_lead(world):
    with pytest.raises(ServiceError, match="needs at least one lead"):
        services.membership_remove(membership=membership(world.lead, world.org), by=world.lead)
    assert Membership.objects.filter(user=world.lead, organisation=world.org).exists()


def test_membership_remove_and_its_audit_row_are_one_write(world, monkeypatch):
    break_audit(monkeypatch)
    with pytest.raises(AuditFailure):
        services.membership_remove(membership=membership(world.member, world.org), by=world.lead)
    assert Membership.objects.filter(user=world.member, organisation=world.org).exists()


# organisation_delete --------------------------------------------------------------------


def test_organisation_delete_takes_everything_with_it(world):
    datarights.organisation_delete(organisation=world.org, by=world.lead)
    assert not Organisation.objects.filter(pk=world.org.pk).exists()
    assert not Membership.objects.filter(organisation_id=world.org.pk).exists()
    assert Organisation.objects.filter(pk=world.other_org.pk).exists()


@pytest.mark.parametrize("who", ["member", "other_lead"])
def test_organisation_delete_is_for_its_leads(world, who):
    with pytest.raises(ServiceError, match="Only a lead"):
        datarights.organisation_delete(organisation=world.org, by=getattr(world, who))
    assert Organisation.objects.filter(pk=world.org.pk).exists()


# Deleting an account --------------------------------------------------------------------


def test_account_blockers_and_sole_organisations(world):
    alone = factories.organisation("Just me", lead=world.lead)
    assert datarights.account_blockers(world.lead) == [world.org]
    assert datarights.account_sole_organisations(world.lead) == [alone]
    factories.member(world.org, role=Role.LEAD)
    assert datarights.account_blockers(world.lead) == []


def test_account_delete_is_refused_while_the_only_lead(world):
    with pytest.raises(ServiceError, match="You are the only lead of Riverside adult care"):
        datarights.account_delete(user=world.lead)
    assert User.objects.filter(pk=world.lead.pk).exists()


def test_account_delete_leaves_a_note_in_each_organisation(world):
    alone = factories.organisation("Just me", lead=world.member)
    datarights.account_delete(user=world.member)
    assert not User.objects.filter(pk=world.member.pk).exists()
    assert not Organisation.objects.filter(pk=alone.pk).exists()
    assert audit_kinds(world.org) == [AuditKind.MEMBER_LEFT]


def test_account_delete_and_its_audit_rows_are_one_write(world, monkeypatch):
    alone = factories.organisation("Just me", lead=world.member)
    break_audit(monkeypatch)
    with pytest.raises(AuditFailure):
        datarights.account_delete(user=world.member)
    assert User.objects.filter(pk=world.member.pk).exists()
    assert Organisation.objects.filter(pk=alone.pk).exists()
