"""The activity log, downloading everything, deleting an organisation, deleting an account."""

import datetime
import io
import json
import zipfile

import pytest
from django.urls import reverse

from assessments.accounts.models import AuditEvent, Membership, Organisation, Role, User
from assessments.cohorts.models import Cohort, CohortMember
from assessments.rounds.models import (
    Action,
    AgreedPosition,
    Answer,
    Invite,
    Respondent,
    Round,
)
from assessments.rounds.services import invite_revoke, round_close
from tests import factories
from tests.support import World, first_statement, prepared, sign_in, with_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = World()
    with_answers(world)  # notes "Nobody asked us first"
    statement = first_statement(world)
    AgreedPosition.objects.create(
        round=world.round, statement=statement, level=2, reason="Early days", recorded_by=world.lead
    )
    Action.objects.create(
        round=world.round,
        principle=statement.principle,
        change_from="We plan first.",
        change_to="We plan together.",
        owner="Team manager",
    )
    return world


def url(name, world, **kwargs):
    return reverse(f"assessments:{name}", kwargs={"org": world.org.slug, **kwargs})


# The activity log --------------------------------------------------------------------------


def test_activity_log_records_what_matters_and_who_did_it(client, world):
    round_close(round=world.round, by=world.lead)
    invite_revoke(invite=world.invite, by=world.lead)
    sign_in(client, world.lead)
    membership = Membership.objects.get(user=world.member)
    client.post(url("membership-edit", world, membership=membership.pk), {"role": "lead"})
    client.get(reverse("assessments:export-csv", kwargs={"pk": world.round.pk, "kind": "scores"}))
    client.get(reverse("assessments:report-pdf", kwargs={"pk": world.round.pk}))

    page = client.get(url("organisation-activity", world)).content.decode()
    assert "Round closed" in page and "Round “Spring reflection” closed." in page
    assert "Answer link “Workshop table” (person with lived experience) revoked" in page
    assert "member@riverside.example is now a lead." in page
    assert "Downloaded the scores CSV of round “Spring reflection”." in page
    assert "Downloaded the PDF report of round “Spring reflection”." in page
    assert "lead@riverside.example" in page  # who did it
    # Never an answer's note or a link's secret.
    assert "Nobody asked us first" not in page
    assert world.invite.raw_token not in page


@pytest.mark.parametrize(
    "who,status", [("anonymous", 302), ("member", 403), ("other_lead", 404), ("other_member", 404)]
)
@pytest.mark.parametrize(
    "name", ["organisation-activity", "organisation-data", "organisation-delete"]
)
def test_activity_and_data_pages_are_for_the_organisations_leads(client, world, who, status, name):
    if who != "anonymous":
        sign_in(client, getattr(world, who))
    response = client.get(url(name, world))
    assert response.status_code == status
    if status == 302:
        assert "/accounts/login/" in response["Location"]
    assert "Riverside adult care" not in response.content.decode()


# Downloading everything ----------------------------------------------------------------------


def test_lead_downloads_everything_the_organisation_holds(client, world):
    round_close(round=world.round, by=world.lead)
    sign_in(client, world.lead)
    assert client.get(url("organisation-export", world)).status_code == 405  # a button, not a link
    response = prepared(client, client.post(url("organisation-export", world)))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="' + world.org.slug + "-everything-" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    folder = f"rounds/{world.round.pk}-spring-reflection"
    assert {"README.txt", "organisation.json", f"{folder}/answers.csv", f"{folder}/scores.csv"} <= (
        names
    )
    data = json.loads(archive.read("organisation.json"))
    assert data["organisation"]["name"] == "Riverside adult care"
    assert {p["email"] for p in data["people"]} == {
        "lead@riverside.example",
        "member@riverside.example",
    }
    (round_data,) = data["rounds"]
    assert round_data["title"] == "Spring reflection"
    # How many answered in steps of three, as every page says it; exactly, the figures.
    assert round_data["people_who_answered"] == "6 or more"
    assert round_data["people_in_published_figures"] == 6
    # The round was made open, then closed: its record says both.
    assert [e["what"] for e in round_data["record"]] == ["opened", "closed"]
    assert round_data["agreed_positions"][0]["reason"] == "Early days"
    assert round_data["actions"][0]["to"] == "We plan together."
    assert round_data["answer_links"][0]["label"] == "Workshop table"
    # Never whether anyone answered through a link.
    assert set(round_data["answer_links"][0]) == {
        "label",
        "perspective",
        "created_at",
        "sent_at",
        "revoked_at",
    }
    assert data["cohorts"] == []  # in none yet
    # The download itself is in the log it carries.
    assert "Downloaded everything the organisation holds (zip)." in {
        e["summary"] for e in data["activity"]
    }
    # Answers: one row per published answer (the notes on rows of their own), and no
    # secret in the whole archive.
    answers = archive.read(f"{folder}/answers.csv").decode("utf-8-sig").splitlines()
    answer_lines = [line for line in answers[1:] if ",Note," not in line]
    assert len(answer_lines) == Answer.objects.filter(respondent__round=world.round).count()
    everything = b"".join(archive.read(name) for name in names).decode("utf-8", "replace")
    assert world.invite.raw_token not in everything
    for invite in Invite.objects.all():
        assert invite.token_hash not in everything
    assert "Hillside" not in everything


def test_members_cannot_download_everything(client, world):
    sign_in(client, world.member)
    assert client.post(url("organisation-export", world)).status_code == 403
    sign_in(client, world.other_lead)
    assert client.post(url("organisation-export", world)).status_code == 404


# Deleting an organisation --------------------------------------------------------------------


def held_by(org) -> dict:
    rounds = Round.objects.filter(organisation=org)
    return {
        "rounds": rounds.count(),
        "respondents": Respondent.objects.filter(round__in=rounds).count(),
        "answers": Answer.objects.filter(respondent__round__in=rounds).count(),
        "links": Invite.objects.filter(round__in=rounds).count(),
        "actions": Action.objects.filter(round__in=rounds).count(),
        "positions": AgreedPosition.objects.filter(round__in=rounds).count(),
        "memberships": Membership.objects.filter(organisation=org).count(),
        "activity": AuditEvent.objects.filter(organisation=org).count(),
    }


def test_deleting_an_organisation_needs_its_name_and_removes_everything(client, world):
    other_round = factories.round(world.other_org)
    factories.answer_all(factories.respondent(other_round, "staff"))
    round_close(round=world.round, by=world.lead)
    other_before = held_by(world.other_org)
    sign_in(client, world.lead)

    page = client.get(url("organisation-delete", world)).content.decode()
    assert "This cannot be undone." in page and "1 round with" in page

    wrong = client.post(url("organisation-delete", world), {"name": "Riverside"})
    assert wrong.status_code == 400
    assert "That is not the organisation’s name." in wrong.content.decode()
    assert Organisation.objects.filter(pk=world.org.pk).exists()

    response = client.post(url("organisation-delete", world), {"name": "riverside adult care "})
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "Riverside adult care and everything it held have been deleted." in follow
    assert not Organisation.objects.filter(pk=world.org.pk).exists()
    gone = held_by(world.org)
    assert not any(gone.values()), gone
    assert held_by(world.other_org) == other_before  # nobody else's data is touched
    assert User.objects.filter(email="member@riverside.example").exists()  # accounts stay


# Deleting an account -------------------------------------------------------------------------


def test_member_deletes_their_account_after_giving_their_password(client, world):
    respondent = factories.respondent(world.round, "staff", user=world.member)
    factories.answer_all(respondent, level=2)
    sign_in(client, world.member)
    page = client.get(reverse("assessments:account-delete")).content.decode()
    assert "the answers you gave signed in, in 1 round" in page

    wrong = client.post(reverse("assessments:account-delete"), {"password": "nope"})
    assert wrong.status_code == 400 and "That is not your password." in wrong.content.decode()

    response = client.post(reverse("assessments:account-delete"), {"password": factories.PASSWORD})
    assert response.status_code == 302
    assert "Your account has been deleted." in client.get(response["Location"]).content.decode()
    assert not User.objects.filter(email="member@riverside.example").exists()
    assert not Respondent.objects.filter(pk=respondent.pk).exists()
    assert AuditEvent.objects.filter(organisation=world.org, kind="member_left").exists()
    assert Organisation.objects.filter(pk=world.org.pk).exists()
    # Signed out, and the old password no longer works.
    assert client.get(reverse("assessments:account")).status_code == 302
    response = client.post(
        reverse("account_login"),
        {"login": "member@riverside.example", "password": factories.PASSWORD},
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_the_only_lead_must_hand_over_before_deleting_their_account(client, world):
    sign_in(client, world.lead)
    page = client.get(reverse("assessments:account-delete")).content.decode()
    assert "you are the only lead of" in page and "Riverside adult care" in page
    response = client.post(reverse("assessments:account-delete"), {"password": factories.PASSWORD})
    assert response.status_code == 400
    assert User.objects.filter(pk=world.lead.pk).exists()

    Membership.objects.filter(user=world.member).update(role=Role.LEAD)
    response = client.post(reverse("assessments:account-delete"), {"password": factories.PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=world.lead.pk).exists()


def test_an_organisation_only_you_belong_to_goes_with_your_account(client):
    person = factories.user("solo@example.org")
    organisation = factories.organisation("Solo team", lead=person)
    sign_in(client, person)
    page = client.get(reverse("assessments:account-delete")).content.decode()
    assert "Solo team, which only you belong to" in page
    client.post(reverse("assessments:account-delete"), {"password": factories.PASSWORD})
    assert not Organisation.objects.filter(pk=organisation.pk).exists()


def test_account_page_links_to_deletion(client, world):
    sign_in(client, world.member)
    page = client.get(reverse("assessments:account")).content.decode()
    assert "member@riverside.example" in page and "Riverside adult care" in page
    assert reverse("assessments:account-delete") in page


def test_download_lists_the_cohorts_and_a_facilitator_is_warned_about_theirs(client, world):
    facilitator = factories.user("fran@example.org")
    cohort = Cohort.objects.create(
        name="North Vale network",
        framework=world.round.framework,
        facilitator=facilitator,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    CohortMember.objects.create(cohort=cohort, organisation=world.org)
    sign_in(client, world.lead)
    response = prepared(client, client.post(url("organisation-export", world)))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    (listed,) = json.loads(archive.read("organisation.json"))["cohorts"]
    assert listed["name"] == "North Vale network" and listed["name_shown_to_other_members"] is False

    sign_in(client, facilitator)
    page = client.get(reverse("assessments:account-delete")).content.decode()
    assert "the cohort North Vale network, which you run" in page
    assert "the organisations in it keep all their own data" in page
