"""Invite links: making them (one, a batch, e-mailed), listing, sending, revoking, printing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.rounds import services
from assessments.rounds.models import Invite, RoundStatus
from tests import factories
from tests.support import count_queries, sign_in

pytestmark = pytest.mark.django_db


def links_url(r):
    return reverse("assessments:invites", kwargs={"pk": r.pk})


def make(client, r, **data):
    return client.post(links_url(r), {"perspective": "lived_experience", "count": 1, **data})


def text(response) -> str:
    return response.content.decode()


def test_empty_state(client, world):
    r = factories.round(world.org, status=RoundStatus.DRAFT)
    sign_in(client, world.lead)
    page = text(client.get(links_url(r)))
    assert "No links yet. Make the first one above." in page
    assert "still a draft" in page
    assert "<legend" in page and "Who are these links for?" in page


def test_lead_makes_one_link_and_sees_its_full_address(client, world):
    sign_in(client, world.lead)
    response = make(client, world.round, label="Carers group", perspective="carer")
    assert response["Location"] == links_url(world.round)
    invite = Invite.objects.get(label="Carers group")
    assert invite.perspective == "carer" and invite.created_by == world.lead
    page = text(client.get(links_url(world.round)))
    assert "1 new link made (Carer or family member)." in page
    assert f'value="http://testserver/r/{invite.token}/"' in page
    assert "readonly" in page and "data-copy-target" in page
    assert "Carers group" in page and "Unused" in page


def test_batch_of_30_makes_30_distinct_unguessable_tokens(client, world):
    sign_in(client, world.lead)
    before = set(Invite.objects.values_list("pk", flat=True))
    response = make(client, world.round, count=30, label="Workshop")
    assert response.status_code == 302
    made = Invite.objects.exclude(pk__in=before)
    assert made.count() == 30
    tokens = {i.token for i in made}
    assert len(tokens) == 30
    assert all(len(t) >= 43 for t in tokens)
    assert {i.label for i in made} == {f"Workshop {n}" for n in range(1, 31)}
    assert "30 new links made (Person with lived experience)." in text(
        client.get(links_url(world.round))
    )


@pytest.mark.parametrize(
    "count,message",
    [(0, "Make at least 1 link."), (201, "Make at most 200 links at a time."), ("x", "whole")],
)
def test_batch_size_is_checked(client, world, count, message):
    sign_in(client, world.lead)
    before = Invite.objects.count()
    response = make(client, world.round, count=count)
    assert response.status_code == 400
    assert message in text(response)
    assert Invite.objects.count() == before


def test_perspective_is_required(client, world):
    sign_in(client, world.lead)
    response = client.post(links_url(world.round), {"count": 1})
    assert response.status_code == 400
    assert "Choose who the links are for." in text(response)


def test_one_link_can_be_emailed_when_made(client, world):
    closes = timezone.localdate() + timedelta(days=7)
    services.round_update(round=world.round, title=world.round.title, closes_on=closes)
    sign_in(client, world.lead)
    make(client, world.round, email="sam@example.org")
    invite = Invite.objects.get(email="sam@example.org")
    assert invite.sent_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@example.org"]
    assert "Riverside adult care" in message.subject
    assert f"https://coprod.example/r/{invite.token}/" in message.body
    assert f"{closes.day} {closes:%B %Y}" in message.body
    assert "You do not need an account" in message.body
    assert "anonymous" in message.body
    assert "&amp;" not in message.body and "&#x27;" not in message.body
    page = text(client.get(links_url(world.round)))
    assert "Link made (Person with lived experience) and sent to sam@example.org." in page
    assert "E-mailed" in page


def test_email_only_with_a_single_link(client, world):
    sign_in(client, world.lead)
    before = Invite.objects.count()
    response = make(client, world.round, count=3, email="sam@example.org")
    assert response.status_code == 400
    assert "An e-mail address can only be given when making 1 link" in text(response)
    assert Invite.objects.count() == before and not mail.outbox


def test_closed_round_refuses_new_links(client, world):
    services.round_close(round=world.round, by=world.lead)
    sign_in(client, world.lead)
    page = text(client.get(links_url(world.round)))
    assert "these links no longer work" in page
    assert "Make links</button>" not in page
    before = Invite.objects.count()
    response = make(client, world.round)
    assert response.status_code == 400
    assert "This round is closed. Reopen it before making new links." in text(response)
    assert Invite.objects.count() == before


def test_revoke(client, world):
    sign_in(client, world.lead)
    url = reverse(
        "assessments:invite-revoke", kwargs={"pk": world.round.pk, "invite": world.invite.pk}
    )
    response = client.post(url, follow=True)
    world.invite.refresh_from_db()
    assert world.invite.revoked_at is not None
    page = text(response)
    assert "Link revoked. It no longer works." in page
    assert "Revoked" in page and "No longer works" in page
    assert f"/r/{world.invite.token}/" not in page


def test_statuses_unused_started_finished_revoked(client, world):
    started = factories.respondent(world.round, "carer")
    factories.answer_all(started, finished=False)
    finished = factories.respondent(world.round, "staff")
    factories.answer_all(finished, finished=False)
    services.respondent_progress(respondent=finished, page=3, finished=True)
    opened = factories.respondent(world.round, "partner")  # opened, no answers yet
    revoked = factories.invite(world.round)
    services.invite_revoke(invite=revoked)
    sign_in(client, world.lead)
    page = text(client.get(links_url(world.round)))
    assert "5 links: 2 unused, 1 started, 1 finished, 1 revoked." in page.replace("\n", " ")
    assert opened.invite.token in page


def test_send_a_link_by_email(client, world):
    sign_in(client, world.lead)
    url = reverse(
        "assessments:invite-send", kwargs={"pk": world.round.pk, "invite": world.invite.pk}
    )
    response = client.post(url, {"email": "jo@example.org"}, follow=True)
    assert "Link sent to jo@example.org." in text(response)
    assert len(mail.outbox) == 1 and world.invite.token in mail.outbox[0].body
    world.invite.refresh_from_db()
    assert world.invite.email == "jo@example.org" and world.invite.sent_at


def test_a_bad_email_address_is_explained_next_to_the_field(client, world):
    sign_in(client, world.lead)
    url = reverse(
        "assessments:invite-send", kwargs={"pk": world.round.pk, "invite": world.invite.pk}
    )
    response = client.post(url, {"email": "not an address"})
    assert response.status_code == 400
    page = text(response)
    assert "Enter an e-mail address like name@example.org." in page
    assert f'aria-describedby="email-{world.invite.pk}-error"' in page
    assert 'value="not an address"' in page
    assert not mail.outbox


def test_revoked_link_or_closed_round_is_not_sent(client, world):
    sign_in(client, world.lead)
    url = reverse(
        "assessments:invite-send", kwargs={"pk": world.round.pk, "invite": world.invite.pk}
    )
    services.invite_revoke(invite=world.invite)
    assert "This link was revoked" in text(client.post(url, {"email": "a@b.org"}, follow=True))
    fresh = factories.invite(world.round)
    services.round_close(round=world.round, by=world.lead)
    url = reverse("assessments:invite-send", kwargs={"pk": world.round.pk, "invite": fresh.pk})
    assert "links no longer work" in text(client.post(url, {"email": "a@b.org"}, follow=True))
    assert not mail.outbox


def test_reminder_from_the_round_page(client, world):
    services.invite_send(invite=world.invite, email="jo@example.org")
    used = factories.invite(world.round)
    services.invite_send(invite=used, email="used@example.org")
    factories.answer_all(services.respondent_for_invite(invite=used))
    mail.outbox.clear()
    sign_in(client, world.lead)
    page = text(client.get(world.round.get_absolute_url()))
    assert 'Send reminder<span class="visually-hidden"> to jo@example.org' in page
    assert "used@example.org" not in page
    url = reverse(
        "assessments:invite-send", kwargs={"pk": world.round.pk, "invite": world.invite.pk}
    )
    response = client.post(
        url,
        {"email": "jo@example.org", "reminder": "1", "next": world.round.get_absolute_url()},
    )
    assert response["Location"] == world.round.get_absolute_url()
    assert len(mail.outbox) == 1 and world.invite.token in mail.outbox[0].body
    assert "Reminder sent to jo@example.org." in text(client.get(world.round.get_absolute_url()))


def test_next_must_stay_on_this_site(client, world):
    sign_in(client, world.lead)
    url = reverse(
        "assessments:invite-send", kwargs={"pk": world.round.pk, "invite": world.invite.pk}
    )
    response = client.post(url, {"email": "jo@example.org", "next": "https://evil.example/"})
    assert response["Location"] == links_url(world.round)


def test_print_sheet(client, world):
    closes = timezone.localdate() + timedelta(days=7)
    services.round_update(round=world.round, title=world.round.title, closes_on=closes)
    staff = factories.invite(world.round, perspective="staff")
    revoked = factories.invite(world.round)
    services.invite_revoke(invite=revoked)
    sign_in(client, world.lead)
    url = reverse("assessments:invites-print", kwargs={"pk": world.round.pk})
    page = text(client.get(url))
    assert page.count("You are invited to share your views") == 2
    assert "There are no right or wrong answers." in page
    assert "You do not need an account." in page
    assert f"http://testserver/r/{world.invite.token}/" in page
    assert f"http://testserver/r/{staff.token}/" in page
    assert revoked.token not in page
    assert "person with lived experience" in page and "Riverside adult care" in page
    assert f"{closes.day} {closes:%B %Y}" in page
    assert page.count("<h1") == 1

    page = text(client.get(url + "?perspective=staff"))
    assert page.count("You are invited to share your views") == 1
    assert staff.token in page and world.invite.token not in page

    page = text(client.get(url + "?perspective=nonsense"))
    assert page.count("You are invited to share your views") == 2


def test_print_sheet_empty_state(client, world):
    services.invite_revoke(invite=world.invite)
    sign_in(client, world.lead)
    page = text(client.get(reverse("assessments:invites-print", kwargs={"pk": world.round.pk})))
    assert "No working links" in page and "Make links first" in page


def test_links_page_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            resp = factories.respondent(world.round, ["staff", "carer", "lived_experience"][i % 3])
            if i % 2:
                factories.answer_all(resp)
            if i % 3 == 0:
                services.invite_revoke(invite=resp.invite)

    sign_in(client, world.lead)
    add(3)
    with_3 = count_queries(client, links_url(world.round))
    print_3 = count_queries(
        client, reverse("assessments:invites-print", kwargs={"pk": world.round.pk})
    )
    add(9)
    assert count_queries(client, links_url(world.round)) == with_3
    assert (
        count_queries(client, reverse("assessments:invites-print", kwargs={"pk": world.round.pk}))
        == print_3
    )
    with django_assert_max_num_queries(8):
        client.get(links_url(world.round))


def test_a_failing_mail_server_is_explained(client, world, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.FailingBackend"
    sign_in(client, world.lead)
    url = reverse(
        "assessments:invite-send", kwargs={"pk": world.round.pk, "invite": world.invite.pk}
    )
    page = text(client.post(url, {"email": "jo@example.org"}, follow=True))
    assert "The e-mail to jo@example.org could not be sent" in page
    world.invite.refresh_from_db()
    assert world.invite.sent_at is None

    make(client, world.round, email="sam@example.org", label="Sam")
    page = text(client.get(links_url(world.round)))
    assert "The e-mail to sam@example.org could not be sent" in page
    assert "Link made (Person with lived experience)." in page
    assert Invite.objects.filter(label="Sam").exists()


def test_a_link_made_while_the_mail_server_fails_can_be_resent(client, world, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.FailingBackend"
    sign_in(client, world.lead)
    response = make(client, world.round, email="sam@example.org")
    assert response.status_code == 302
    page = text(client.get(links_url(world.round)))
    assert "Link made (Person with lived experience)." in page
    assert "The e-mail to sam@example.org could not be sent just now." in page
    invite = Invite.objects.get(email="sam@example.org")
    assert invite.sent_at is None and not mail.outbox
    assert "<strong>Not e-mailed yet</strong>: the e-mail to sam@example.org" in page
    send_url = reverse(
        "assessments:invite-send", kwargs={"pk": world.round.pk, "invite": invite.pk}
    )
    assert f'action="{send_url}"' in page and ">Resend<" in page

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = text(client.post(send_url, {"email": "sam@example.org"}, follow=True))
    assert "Link sent to sam@example.org." in page and "Not e-mailed yet" not in page
    assert len(mail.outbox) == 1
    link = f"https://coprod.example/r/{invite.token}/"
    assert link in mail.outbox[0].body and f'href="{link}"' in mail.outbox[0].alternatives[0][0]
    assert Invite.objects.filter(email="sam@example.org").count() == 1
