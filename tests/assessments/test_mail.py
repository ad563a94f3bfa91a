"""assessments.mail: every e-mail has a subject, a text and an HTML part, its links start
with SITE_URL whatever host the request came to, and a failing mail server raises
MailNotSent and is logged without the address, the link or its token."""

import logging
import re
import smtplib

import pytest
from django.core import mail as outbox
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.locmem import EmailBackend as LOCMEM_CLASS

from assessments import mail
from assessments.accounts import services as accounts
from assessments.accounts.models import ColleagueInvite
from assessments.cohorts import services as cohorts
from assessments.cohorts.models import CohortInvitation, CohortMember
from assessments.errors import MailNotSent, ServiceError
from assessments.mail.models import OutgoingEmail
from assessments.rounds import services as rounds
from tests import factories
from tests.support import World, cohort

pytestmark = pytest.mark.django_db

FAILING = "tests.mail_backends.FailingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def world(db):
    world = World()
    world.facilitator = factories.user("fran@network.example", full_name="Fran Okafor")
    world.cohort = cohort(world.facilitator)
    return world


# Each sends its message the way the site does, and returns the path its link leads to.


def colleague_invitation(world, client=None) -> str:
    invite = accounts.colleague_invite(
        organisation=world.org, email="new@riverside.example", role="member", invited_by=world.lead
    )
    return f"/join/{invite.raw_token}/"


def cohort_invitation(world, client=None, email="lead@council.example") -> str:
    invitation = cohorts.cohort_invite(
        cohort=world.cohort, email=email, invited_by=world.facilitator
    )
    return f"/cohort-invitations/{invitation.pk}/"


def answer_link(world, client=None) -> str:
    rounds.invite_send(invite=world.invite, email="sam@example.org")
    return f"/r/{world.invite.raw_token}/"


def cohort_reminder(world, client=None) -> str:
    idle = factories.organisation("Lakeside", lead=factories.user("lead@lakeside.example"))
    CohortMember.objects.create(cohort=world.cohort, organisation=idle)
    cohorts.cohort_remind_not_started(cohort=world.cohort, by=world.facilitator)
    return f"/orgs/{idle.slug}/rounds/new/"


def reminder(world, client=None) -> str:
    from assessments.rounds.reminders import reminder_schedule

    invite = factories.invite(world.round)
    rounds.invite_send(invite=invite, email="sam@example.org")
    outbox.outbox.clear()
    reminder_schedule(round=world.round, by=world.lead)
    return "/what-is-co-production/"


def action_reminder(world, client=None) -> str:
    import datetime

    from django.utils import timezone

    from assessments.rounds.models import Action

    # Due in three days, a week's notice asked for: the reminder goes at once.
    rounds.action_save(
        action=Action(
            round=world.round,
            principle=world.round.framework.principles.first(),
            change_from="We write the plan, then ask.",
            change_to="We write the plan together.",
            owner="Member",
            owner_user=world.member,
            due_on=timezone.localdate() + datetime.timedelta(days=3),
        ),
        by=world.lead,
    )
    return f"/rounds/{world.round.pk}/actions/"


SENDERS = {
    mail.Message.COLLEAGUE_INVITATION: colleague_invitation,
    mail.Message.COHORT_INVITATION: cohort_invitation,
    mail.Message.ANSWER_LINK: answer_link,
    mail.Message.REMINDER: reminder,
    mail.Message.COHORT_REMINDER: cohort_reminder,
    mail.Message.ACTION_REMINDER: action_reminder,
}


@pytest.mark.parametrize("message", list(mail.Message))
def test_every_message_has_a_subject_a_text_and_an_html_part(message, world, client):
    path = SENDERS[message](world, client)
    assert len(outbox.outbox) == 1
    email = outbox.outbox[0]
    assert email.subject.strip() and "\n" not in email.subject
    assert email.body.strip() and "<" not in email.body  # plain text, not HTML
    (html, mimetype), *others = email.alternatives
    assert mimetype == "text/html" and not others
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in html
    assert f"<title>{email.subject}</title>" in html
    # Nothing fetched from elsewhere, nothing run, nothing styled inline.
    for forbidden in (
        r"<script",
        r"<img",
        r"<link",
        r"<style",
        r"\sstyle=",
        r"\ssrc=",
        r"\son\w+=",
    ):
        assert not re.search(forbidden, html), forbidden
    # The link, absolute, from SITE_URL, in both parts.
    link = re.search(rf"https://coprod\.example{re.escape(path)}\S*", email.body).group(0)
    assert f'<a href="{link}">{link}</a>' in html


@pytest.mark.parametrize("message", list(mail.Message))
def test_links_start_with_site_url_not_the_requests_host(message, world, client, settings):
    settings.SITE_URL = "https://coprod.example.gov.uk"
    SENDERS[message](world, client)
    body = outbox.outbox[0].body
    assert "https://coprod.example.gov.uk/" in body
    assert "testserver" not in body and "coprod.example/" not in body


def test_text_is_not_html_escaped_and_html_is(world):
    world.org.name = "Riverside & Co's care"
    world.org.save(update_fields=["name"])
    colleague_invitation(world)
    email = outbox.outbox[0]
    assert email.subject == "Join Riverside & Co's care on coprod"
    assert "join Riverside & Co's care on coprod" in email.body
    assert "Riverside &amp; Co&#x27;s care" in email.alternatives[0][0]


def test_the_signup_link_keeps_the_address_whole(world):
    cohort_invitation(world, email="jo+coprod@council.example")
    assert "https://coprod.example/accounts/signup/?email=jo%2Bcoprod@council.example" in (
        outbox.outbox[0].body
    )


def test_a_failing_mail_server_raises_mail_not_sent_and_logs_no_secret(world, settings, caplog):
    settings.EMAIL_DELIVERY_BACKEND = FAILING
    with caplog.at_level(logging.INFO, logger="assessments.mail"):
        with pytest.raises(MailNotSent) as raised:
            rounds.invite_send(invite=world.invite, email="sam@example.org")
    assert isinstance(raised.value, ServiceError)
    assert "The e-mail to sam@example.org could not be sent just now" in str(raised.value)
    records = [r for r in caplog.records if r.name == "assessments.mail"]
    assert {r.levelname for r in records} == {"WARNING"}
    logged = [r.getMessage() for r in records]
    # Every try is logged (the queue runs them at once in tests), then the giving up.
    assert logged == [
        f"e-mail not sent: message=answer_link attempt={n} error=SMTPServerDisconnected"
        for n in range(1, settings.MAIL_ATTEMPTS + 1)
    ] + [f"e-mail given up: message=answer_link attempts={settings.MAIL_ATTEMPTS}"]
    for line in logged:
        assert world.invite.raw_token not in line and "sam@example.org" not in line
    world.invite.refresh_from_db()
    assert world.invite.sent_at is None and not outbox.outbox
    # The outbox shows it failed, and no longer holds the link.
    email = OutgoingEmail.objects.get()
    assert email.status == "failed" and email.error == "SMTPServerDisconnected"
    assert email.about == f"assessments.invite:{world.invite.pk}"
    assert email.body == "" and email.html == ""


def test_sending_is_logged_by_message_name_only(world, caplog):
    with caplog.at_level(logging.INFO, logger="assessments.mail"):
        rounds.invite_send(invite=world.invite, email="sam@example.org")
    assert [r.getMessage() for r in caplog.records if r.name == "assessments.mail"] == [
        "e-mail sent: message=answer_link"
    ]
    # Sent: the outbox keeps that it went, not what it said (the link).
    email = OutgoingEmail.objects.get()
    assert email.status == "done" and email.attempts == 1 and email.to == ["sam@example.org"]
    assert email.body == "" and email.html == "" and world.invite.raw_token not in email.subject
    world.invite.refresh_from_db()
    assert world.invite.sent_at is not None


class FlakyBackend(LOCMEM_CLASS):
    """A mail server that fails the first ``failures`` messages, then takes them."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def test_a_mail_server_that_fails_twice_is_tried_again_and_the_email_goes(world, settings):
    settings.EMAIL_DELIVERY_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.failures = 2
    rounds.invite_send(invite=world.invite, email="sam@example.org")
    email = OutgoingEmail.objects.get()
    assert email.status == "done" and email.attempts == 3
    assert len(outbox.outbox) == 1 and outbox.outbox[0].to == ["sam@example.org"]


def test_tries_wait_longer_each_time():
    assert [mail.backoff(n).total_seconds() / 60 for n in range(1, 9)] == [
        1,
        2,
        4,
        8,
        16,
        32,
        60,
        60,
    ]


def test_with_a_queue_that_waits_a_failure_is_tried_again_later(world, settings):
    """With the database queue, a failed try puts the e-mail back in the queue for a later
    time, and the page is answered at once: nothing is sent inside the request."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_DELIVERY_BACKEND = FAILING
    email = mail.send(mail.Message.ANSWER_LINK, to="sam@example.org", context={"url": "x"})
    assert email.status == "queued" and not outbox.outbox
    [queued] = DBTaskResult.objects.all()
    mail.deliver(email.pk)  # as a worker would
    email.refresh_from_db()
    assert email.status == "queued" and email.attempts == 1
    later = DBTaskResult.objects.exclude(pk=queued.pk).get()
    assert later.run_after >= email.created_at + mail.backoff(1)


def test_anything_sent_through_djangos_mail_api_goes_through_the_queue(db, settings):
    settings.EMAIL_BACKEND = "assessments.mail.QueuedEmailBackend"
    message = EmailMultiAlternatives("Hello", "Plain", to=["a@example.org"])
    message.attach_alternative("<p>HTML</p>", "text/html")
    message.send()
    email = OutgoingEmail.objects.get()
    assert email.status == "done" and email.message == ""
    [sent] = outbox.outbox
    assert sent.subject == "Hello" and sent.body == "Plain"
    assert sent.alternatives[0][0] == "<p>HTML</p>" and sent.to == ["a@example.org"]


def test_reachable_asks_the_mail_server(db, settings):
    assert mail.reachable()
    settings.EMAIL_DELIVERY_BACKEND = FAILING
    assert not mail.reachable()


# The services that send: the invitation is saved once, whatever the mail server does -----


def test_colleague_invitation_is_kept_when_its_email_fails_and_can_be_sent_again(world, settings):
    settings.EMAIL_DELIVERY_BACKEND = FAILING
    for _ in range(2):  # the lead tries again: still one invitation, one line in the log
        with pytest.raises(MailNotSent, match="We saved the invitation to new@riverside"):
            colleague_invitation(world)
    invite = ColleagueInvite.objects.get()
    assert invite.is_pending and invite.sent_at is None
    assert world.org.audit_events.filter(kind="colleague_invited").count() == 1

    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    accounts.colleague_invite_resend(invite=invite)
    invite.refresh_from_db()
    assert invite.sent_at is not None
    assert len(outbox.outbox) == 1
    assert f"https://coprod.example/join/{invite.raw_token}/" in outbox.outbox[0].body
    # Sent, so inviting the address again is refused, and says how to send it again.
    with pytest.raises(ServiceError, match="already been invited.*use Resend"):
        colleague_invitation(world)


def test_inviting_again_after_a_failure_may_change_the_role(world, settings):
    settings.EMAIL_DELIVERY_BACKEND = FAILING
    with pytest.raises(MailNotSent):
        colleague_invitation(world)
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    accounts.colleague_invite(
        organisation=world.org, email="New@riverside.example", role="lead", invited_by=world.lead
    )
    assert ColleagueInvite.objects.get().role == "lead"
    assert list(
        world.org.audit_events.filter(kind="colleague_invited")
        .order_by("pk")
        .values_list("summary", flat=True)
    ) == ["Invited new@riverside.example as member.", "Invited new@riverside.example as lead."]
    assert len(outbox.outbox) == 1


def test_only_a_pending_colleague_invitation_is_sent_again(world):
    colleague_invitation(world)
    invite = ColleagueInvite.objects.get()
    accounts.colleague_invite_cancel(invite=invite)
    invite.refresh_from_db()
    with pytest.raises(ServiceError, match="already been used or was cancelled"):
        accounts.colleague_invite_resend(invite=invite)
    assert len(outbox.outbox) == 1


def test_cohort_invitation_is_kept_when_its_email_fails_and_can_be_sent_again(world, settings):
    settings.EMAIL_DELIVERY_BACKEND = FAILING
    for _ in range(2):  # the facilitator tries again: still one invitation
        with pytest.raises(MailNotSent, match="We saved the invitation to lead@council"):
            cohort_invitation(world)
    invitation = CohortInvitation.objects.get()
    assert invitation.is_pending and invitation.sent_at is None

    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    cohorts.cohort_invitation_resend(invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and len(outbox.outbox) == 1
    assert f"https://coprod.example/cohort-invitations/{invitation.pk}/" in (outbox.outbox[0].body)
    with pytest.raises(ServiceError, match="already been invited.*use Resend"):
        cohort_invitation(world)
    cohorts.cohort_invitation_cancel(invitation=invitation)
    invitation.refresh_from_db()
    with pytest.raises(ServiceError, match="already answered or withdrawn"):
        cohorts.cohort_invitation_resend(invitation=invitation)
    assert len(outbox.outbox) == 1


def test_answer_links_are_checked_before_sending(world):
    rounds.invite_revoke(invite=world.invite)
    with pytest.raises(ServiceError, match="revoked"):
        rounds.invite_send(invite=world.invite, email="sam@example.org")
    fresh = factories.invite(world.round)
    rounds.round_close(round=world.round, by=world.lead)
    fresh.round.refresh_from_db()
    with pytest.raises(ServiceError, match="closed"):
        rounds.invite_send(invite=fresh, email="sam@example.org")
    assert not outbox.outbox
