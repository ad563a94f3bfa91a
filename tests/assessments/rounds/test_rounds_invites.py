"""Invite links: making them (one, a batch, e-mailed), seeing them once, listing, sending,
fresh links, revoking, printing."""

import csv
import io
import re
from datetime import timedelta

import pytest
import segno
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.accounts.models import AuditEvent, AuditKind, new_token
from assessments.rounds import new_links, services
from assessments.rounds.models import Invite, Respondent, RoundStatus, token_hash
from tests import factories
from tests.support import count_queries, link_tokens, sign_in

pytestmark = pytest.mark.django_db


def links_url(r):
    return reverse("assessments:invites", kwargs={"pk": r.pk})


def make(client, r, **data):
    return client.post(links_url(r), {"perspective": "lived_experience", "count": 1, **data})


def text(response) -> str:
    return response.content.decode()


def made(client, r, **data) -> tuple[str, str]:
    """Make links as a lead does: the address of the "new links" page, and that page."""
    response = make(client, r, **data)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(links_url(r) + "new/")
    return location, text(client.get(location))


def send_url(r, invite):
    return reverse("assessments:invite-send", kwargs={"pk": r.pk, "invite": invite.pk})


def fresh_url(r, invite):
    return reverse("assessments:invite-fresh", kwargs={"pk": r.pk, "invite": invite.pk})


def test_empty_state(client, world):
    r = factories.round(world.org, status=RoundStatus.DRAFT)
    sign_in(client, world.lead)
    page = text(client.get(links_url(r)))
    assert "No links yet. Make the first one above." in page
    assert "still a draft" in page
    assert "<legend" in page and "Who are these links for?" in page


def test_lead_makes_one_link_and_sees_it_once(client, world):
    sign_in(client, world.lead)
    location, page = made(client, world.round, label="Carers group", perspective="carer")
    invite = Invite.objects.get(label="Carers group")
    assert invite.perspective == "carer" and invite.created_by == world.lead
    assert "1 new link made (Carer or family member)." in page
    [token] = link_tokens(page)
    assert token_hash(token) == invite.token_hash
    assert f'value="http://testserver/r/{token}/"' in page
    assert "readonly" in page and "data-copy-target" in page
    assert "Print sheets for these links" in page
    assert "Carers group" in page and "Carer or family member" in page

    # The list of links shows label, perspective and whether it works: no address, no copy
    # button.
    listing = text(client.get(links_url(world.round)))
    assert "Carers group" in listing and '<span class="link-status">Active</span>' in listing
    assert "/r/" not in listing and token not in listing and "data-copy-target" not in listing
    assert location in listing  # "links you made in the last 30 minutes"


def test_batch_of_30_makes_30_distinct_unguessable_tokens(client, world):
    sign_in(client, world.lead)
    before = set(Invite.objects.values_list("pk", flat=True))
    _, page = made(client, world.round, count=30, label="Workshop")
    made_now = Invite.objects.exclude(pk__in=before)
    assert made_now.count() == 30
    tokens = link_tokens(page)
    assert len(set(tokens)) == 30
    assert all(len(t) >= 43 for t in tokens)
    assert {token_hash(t) for t in tokens} == {i.token_hash for i in made_now}
    assert {i.label for i in made_now} == {f"Workshop {n}" for n in range(1, 31)}
    assert "30 new links made (Person with lived experience)." in page


def test_the_database_keeps_only_a_hash_of_each_token(client, world):
    sign_in(client, world.lead)
    _, page = made(client, world.round, count=3)
    for token in link_tokens(page):
        invite = Invite.objects.get(token_hash=token_hash(token))
        assert invite.raw_token == ""  # loaded from the database: no token on it
        assert token not in str(Invite.objects.filter(pk=invite.pk).values().get())


def test_new_links_are_shown_only_to_the_browser_that_made_them(client, world):
    sign_in(client, world.lead)
    location, page = made(client, world.round, count=2)
    assert len(link_tokens(page)) == 2

    # Another lead of the same organisation, signed in elsewhere, does not see them.
    colleague = factories.member(world.org, role="lead")
    other = Client()
    sign_in(other, colleague)
    assert link_tokens(text(other.get(location))) == []
    assert "These links can no longer be shown." in text(other.get(location))
    # Nor with the first lead's cookie copied over: it is signed for that lead's session.
    other.cookies[new_links.COOKIE] = client.cookies[new_links.COOKIE].value
    assert link_tokens(text(other.get(location))) == []
    # The same browser after signing out and in again does not see them either.
    client.logout()
    sign_in(client, world.lead)
    assert link_tokens(text(client.get(location))) == []


def test_new_links_can_be_hidden_and_are_gone_after_30_minutes(client, world, monkeypatch):
    sign_in(client, world.lead)
    first, _ = made(client, world.round, count=2)
    second, _ = made(client, world.round, count=1)
    response = client.post(first + "hide/", follow=True)
    assert "Those links are hidden now." in text(response)
    page = text(client.get(first))
    assert "These links can no longer be shown." in page and not link_tokens(page)
    assert len(link_tokens(text(client.get(second)))) == 1

    later = timezone.now() + timedelta(minutes=31)
    monkeypatch.setattr(new_links, "_now", lambda: later)
    page = text(client.get(second))
    assert "These links can no longer be shown." in page and not link_tokens(page)
    assert not link_tokens(text(client.get(second + "print/")))
    assert second not in text(client.get(links_url(world.round)))


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
    _, page = made(client, world.round, email="sam@example.org")
    invite = Invite.objects.get(email="sam@example.org")
    assert invite.sent_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@example.org"]
    assert "Riverside adult care" in message.subject
    [token] = link_tokens(message.body)
    assert token_hash(token) == invite.token_hash
    assert f"https://coprod.example/r/{token}/" in message.body
    assert f"{closes.day} {closes:%B %Y}" in message.body
    assert "You do not need an account" in message.body
    assert "anonymous" in message.body
    assert "&amp;" not in message.body and "&#x27;" not in message.body
    assert (
        "Link made (Person with lived experience). The e-mail to sam@example.org will be sent "
        "in a moment." in page
    )
    assert link_tokens(page) == [token]  # shown once, as any new link
    assert "E-mailed" in text(client.get(links_url(world.round)))


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
    assert "/r/" not in page


def test_links_say_active_or_revoked_never_used_or_finished(client, world):
    """Whether anyone answered or finished through a link is never shown: it would tell the
    lead when one person finished, and whose answers a publication covers."""
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
    assert "5 links: 4 active, 1 revoked." in page.replace("\n", " ")
    statuses = re.findall(r'<span class="link-status">([^<]*)</span>', page)
    assert statuses == ["Active"] * 4 + ["Revoked"]
    for word in ("Unused", "Started", "Finished"):
        assert word not in page
    assert not re.search(r"\d+ (unused|started|finished)", page)
    # Nor any address of a link, used or not, or anything of the answers.
    assert "/r/" not in page and opened.invite.raw_token not in page
    assert "data-copy-target" not in page


def test_a_link_just_made_is_emailed_as_it_is(client, world):
    sign_in(client, world.lead)
    location, page = made(client, world.round, label="Jo")
    [token] = link_tokens(page)
    invite = Invite.objects.get(label="Jo")
    response = client.post(
        send_url(world.round, invite), {"email": "jo@example.org", "next": location}, follow=True
    )
    assert "Link to jo@example.org queued: it will be sent in a moment." in text(response)
    assert len(mail.outbox) == 1 and f"/r/{token}/" in mail.outbox[0].body
    invite.refresh_from_db()
    assert invite.email == "jo@example.org" and invite.sent_at and not invite.is_revoked


def test_emailing_an_older_link_sends_a_fresh_one(client, world):
    """The old link's address is no longer known: a fresh link replaces it and is sent."""
    sign_in(client, world.lead)
    response = client.post(send_url(world.round, world.invite), {"email": "jo@example.org"})
    assert response["Location"] == links_url(world.round)
    page = text(client.get(links_url(world.round)))
    assert (
        "Link to jo@example.org queued, with a fresh link: it will be sent in a moment. The link "
        "made before no longer works." in page
    )
    world.invite.refresh_from_db()
    assert world.invite.is_revoked
    fresh = Invite.objects.get(round=world.round, revoked_at__isnull=True)
    assert (fresh.label, fresh.perspective) == ("Workshop table", "lived_experience")
    assert fresh.email == "jo@example.org" and fresh.sent_at
    assert len(mail.outbox) == 1
    [token] = link_tokens(mail.outbox[0].body)
    assert token_hash(token) == fresh.token_hash and token != world.invite.raw_token
    old = client.get(reverse("assessments:invite-start", kwargs={"token": world.invite.raw_token}))
    assert "This link no longer works" in text(old)


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


def test_the_round_page_never_lists_links_as_used_or_not(client, world):
    """The round page once listed the e-mailed links nobody had used, each with a button to
    remind its person: which told the lead who had started. The reminder goes to everyone
    e-mailed a link instead."""
    services.invite_send(invite=world.invite, email="jo@example.org")
    used = factories.invite(world.round)
    services.invite_send(invite=used, email="used@example.org")
    factories.answer_all(services.respondent_for_invite(invite=used, browser_key=new_token()))
    mail.outbox.clear()
    sign_in(client, world.lead)
    page = text(client.get(world.round.get_absolute_url()))
    assert "jo@example.org" not in page and "used@example.org" not in page
    assert "not used yet" not in page and 'name="reminder"' not in page
    response = client.post(
        reverse("assessments:round-reminders", kwargs={"pk": world.round.pk}),
        {"action": "now"},
        follow=True,
    )
    assert "Reminder queued" in text(response)
    assert sorted(m.to[0] for m in mail.outbox) == ["jo@example.org", "used@example.org"]
    assert not any(link_tokens(m.body) for m in mail.outbox)  # it carries no link


def test_next_must_stay_on_this_site(client, world):
    sign_in(client, world.lead)
    url = reverse(
        "assessments:invite-send", kwargs={"pk": world.round.pk, "invite": world.invite.pk}
    )
    response = client.post(url, {"email": "jo@example.org", "next": "https://evil.example/"})
    assert response["Location"] == links_url(world.round)


def test_print_sheets_for_links_just_made(client, world):
    closes = timezone.localdate() + timedelta(days=7)
    services.round_update(round=world.round, title=world.round.title, closes_on=closes)
    sign_in(client, world.lead)
    location, page = made(client, world.round, count=3, perspective="staff", label="Table")
    tokens = link_tokens(page)
    revoked = Invite.objects.get(label="Table 2")
    services.invite_revoke(invite=revoked)
    assert 'href="' + location + 'print/"' in page
    page = text(client.get(location + "print/"))
    assert page.count("You are invited to share your views") == 2
    assert "There are no right or wrong answers." in page
    assert "You do not need an account." in page
    assert f"http://testserver/r/{tokens[0]}/" in page
    assert f"http://testserver/r/{tokens[2]}/" in page
    assert tokens[1] not in page  # revoked
    assert world.invite.raw_token not in page  # made earlier: never shown again
    assert "staff" in page and "Riverside adult care" in page
    assert f"{closes.day} {closes:%B %Y}" in page
    assert page.count("<h1") == 1


def test_print_sheet_empty_state(client, world):
    sign_in(client, world.lead)
    url = reverse("assessments:invites-print", kwargs={"pk": world.round.pk, "batch": "00000000"})
    page = text(client.get(url))
    assert "These links can no longer be shown" in page and "make them a fresh link" in page
    assert "invite-sheet" not in page


def test_a_fresh_link_for_someone_who_lost_theirs(client, world):
    """The old link stops working; the new one is shown once, with the same perspective and
    label, and starts empty: it never opens the old link's answers."""
    old = services.respondent_for_invite(invite=world.invite, browser_key=new_token())
    factories.answer_all(old, level=2, note="Only mine")
    unused = factories.invite(world.round, label="Not used")
    sign_in(client, world.lead)
    listing = text(client.get(links_url(world.round)))
    assert "Make a fresh link for link 1 (Workshop table)" in listing
    # The same words for a used link and an unused one: they do not tell which is which.
    starts_empty = "If anyone has answered through this one, the new link starts empty"
    assert listing.count(starts_empty) == 2
    assert f"Make a fresh link for link 2 ({unused.label})" in listing
    response = client.post(fresh_url(world.round, world.invite))
    assert response["Location"].startswith(links_url(world.round) + "new/")
    page = text(client.get(response["Location"]))
    assert "Fresh link made. The old link no longer works." in page
    [token] = link_tokens(page)
    fresh = Invite.objects.get(token_hash=token_hash(token))
    assert (fresh.label, fresh.perspective) == ("Workshop table", "lived_experience")
    world.invite.refresh_from_db()
    assert world.invite.is_revoked
    assert "revoked and replaced by a fresh link" in text(
        client.get(reverse("assessments:organisation-activity", kwargs={"org": world.org.slug}))
    )

    holder = Client()
    old_start = reverse("assessments:invite-start", kwargs={"token": world.invite.raw_token})
    assert "This link no longer works" in text(holder.get(old_start))
    new_start = reverse("assessments:invite-start", kwargs={"token": token})
    holder.post(new_start)
    respondent = Respondent.objects.get(invite=fresh)
    assert respondent != old and not respondent.answers.exists()
    page = text(holder.get(reverse("assessments:invite-page", kwargs={"token": token, "page": 1})))
    assert "Only mine" not in page and "checked" not in page
    assert old.answers.count() > 0  # the old answers stay in the results


def test_a_revoked_link_or_closed_round_gets_no_fresh_link(client, world):
    sign_in(client, world.lead)
    services.invite_revoke(invite=world.invite)
    response = client.post(fresh_url(world.round, world.invite), follow=True)
    assert "This link was revoked already" in text(response)
    other = factories.invite(world.round)
    services.round_close(round=world.round, by=world.lead)
    response = client.post(fresh_url(world.round, other), follow=True)
    assert "This round is closed" in text(response)
    assert Invite.objects.filter(round=world.round).count() == 2


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
    small, _ = made(client, world.round, count=3)
    with_3 = count_queries(client, links_url(world.round))
    print_3 = count_queries(client, small + "print/")
    new_3 = count_queries(client, small)
    add(9)
    large, _ = made(client, world.round, count=12)
    assert count_queries(client, links_url(world.round)) == with_3
    assert count_queries(client, large + "print/") == print_3
    assert count_queries(client, large) == new_3
    with django_assert_max_num_queries(9):
        client.get(links_url(world.round))


def test_a_failing_mail_server_is_explained(client, world, settings):
    settings.EMAIL_DELIVERY_BACKEND = "tests.mail_backends.FailingBackend"
    sign_in(client, world.lead)
    url = reverse(
        "assessments:invite-send", kwargs={"pk": world.round.pk, "invite": world.invite.pk}
    )
    page = text(client.post(url, {"email": "jo@example.org"}, follow=True))
    assert "The e-mail to jo@example.org could not be sent" in page
    world.invite.refresh_from_db()
    assert world.invite.sent_at is None

    _, page = made(client, world.round, email="sam@example.org", label="Sam")
    assert "The e-mail to sam@example.org could not be sent" in page
    assert "Link made (Person with lived experience)." in page
    assert Invite.objects.filter(label="Sam").exists()
    assert len(link_tokens(page)) == 1  # there to copy and send by hand


def test_a_link_made_while_the_mail_server_fails_can_be_resent(client, world, settings):
    settings.EMAIL_DELIVERY_BACKEND = "tests.mail_backends.FailingBackend"
    sign_in(client, world.lead)
    _, page = made(client, world.round, email="sam@example.org")
    assert "Link made (Person with lived experience)." in page
    assert "The e-mail to sam@example.org could not be sent just now." in page
    [token] = link_tokens(page)
    page = text(client.get(links_url(world.round)))
    invite = Invite.objects.get(email="sam@example.org")
    assert invite.sent_at is None and not mail.outbox
    assert "<strong>Not e-mailed yet</strong>: the e-mail to sam@example.org" in page
    send_url = reverse(
        "assessments:invite-send", kwargs={"pk": world.round.pk, "invite": invite.pk}
    )
    assert f'action="{send_url}"' in page and ">Resend<" in page

    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = text(client.post(send_url, {"email": "sam@example.org"}, follow=True))
    assert "Link to sam@example.org queued: it will be sent in a moment." in page
    assert "Not e-mailed yet" not in page
    assert len(mail.outbox) == 1
    link = f"https://coprod.example/r/{token}/"
    assert link in mail.outbox[0].body and f'href="{link}"' in mail.outbox[0].alternatives[0][0]
    assert Invite.objects.filter(email="sam@example.org").count() == 1


# The services and the new-links key, directly -----------------------------------------


def test_invites_create_keeps_only_hashes_and_hands_back_the_tokens(world):
    made = services.invites_create(
        round=world.round, perspective="staff", count=2, label="Desk", by=world.lead
    )
    assert [i.label for i in made] == ["Desk 1", "Desk 2"]
    for invite in made:
        assert len(invite.raw_token) == 43 and invite.token_hash == token_hash(invite.raw_token)
        assert invite.path == f"/r/{invite.raw_token}/"
    stored = Invite.objects.get(pk=made[0].pk)
    assert stored.raw_token == ""
    with pytest.raises(ValueError):
        stored.path  # noqa: B018 (the address is gone: reading it fails loudly)


def test_invites_create_checks_the_tokens_it_is_given(world):
    token = new_token()
    for count, tokens in ((1, ["too-short"]), (2, [token, token]), (2, [token])):
        with pytest.raises(services.ServiceError):
            services.invites_create(
                round=world.round, perspective="staff", count=count, by=world.lead, tokens=tokens
            )
    assert Invite.objects.filter(round=world.round).count() == 1


def test_invite_send_needs_the_token_of_a_link_just_made(world):
    stored = Invite.objects.get(pk=world.invite.pk)  # as read back: no token
    with pytest.raises(services.ServiceError, match="no longer known"):
        services.invite_send(invite=stored, email="jo@example.org")
    stored.raw_token = new_token()  # not this link's
    with pytest.raises(services.ServiceError, match="no longer known"):
        services.invite_send(invite=stored, email="jo@example.org")
    assert not mail.outbox
    services.invite_send(invite=world.invite, email="jo@example.org")
    assert f"/r/{world.invite.raw_token}/" in mail.outbox[0].body


def test_invite_replace_revokes_and_makes_a_fresh_link(world):
    fresh = services.invite_replace(invite=world.invite, by=world.lead, email="jo@example.org")
    world.invite.refresh_from_db()
    assert world.invite.is_revoked and not fresh.is_revoked
    assert (fresh.label, fresh.perspective, fresh.email) == (
        "Workshop table",
        "lived_experience",
        "jo@example.org",
    )
    assert fresh.token_hash == token_hash(fresh.raw_token) != world.invite.token_hash
    with pytest.raises(services.ServiceError, match="revoked already"):
        services.invite_replace(invite=world.invite, by=world.lead)


def test_a_batch_derives_distinct_full_length_tokens_from_its_key():
    batch = new_links.batch_new(5)
    tokens = batch.tokens()
    assert len(set(tokens)) == 5 and all(len(t) == 43 for t in tokens)
    assert batch.tokens() == tokens  # the key is all it takes to show them again
    assert not set(tokens) & set(new_links.batch_new(5).tokens())


def test_an_easy_read_link_opens_in_easy_read_until_the_person_switches_back(client, world):
    """Links given on easy-read sheets opened in standard wording."""
    sign_in(client, world.lead)
    location, page = made(client, world.round, easy_read="on", count=2, label="Day centre")
    token = link_tokens(page)[0]
    invite = Invite.objects.get(token_hash=token_hash(token))
    assert invite.easy_read
    assert "opens in easy read" in text(client.get(links_url(world.round)))
    assert "The pages open in easy read." in text(client.get(location + "print/"))
    person = Client()
    start = reverse("assessments:invite-start", kwargs={"token": token})
    assert "Switch to standard wording" in text(person.get(start))
    person.post(start)
    statement = world.round.framework.principles.order_by("order")[0].statements.first()
    page = text(person.get(reverse("assessments:invite-page", kwargs={"token": token, "page": 1})))
    assert statement.from_easy in page and "<strong>Not yet</strong>" in page
    # Their own choice of wording wins from then on.
    person.post(reverse("reading-mode"), {"easy_read": "off", "next": start})
    assert "Switch to easy read" in text(person.get(start))
    # A fresh link for someone who lost theirs keeps the setting.
    fresh = services.invite_replace(invite=invite, by=world.lead)
    assert fresh.easy_read
    # Links made without it open as the reader last chose, standard by default.
    _, page = made(client, world.round)
    plain = link_tokens(page)[0]
    assert not Invite.objects.get(token_hash=token_hash(plain)).easy_read
    fresh_person = Client()
    page = text(fresh_person.get(reverse("assessments:invite-start", kwargs={"token": plain})))
    assert "Switch to easy read" in page


def test_each_printed_sheet_has_a_qr_code_of_its_own_link(client, world):
    """Typing a 43-character address is close to impossible for some people: each sheet
    has a QR code to scan, drawn on the server, beside the address."""
    sign_in(client, world.lead)
    location, page = made(client, world.round, count=3, label="Table")
    sheets = text(client.get(location + "print/"))
    tokens = link_tokens(page)
    assert sheets.count('<svg role="img" aria-label="QR code of this link"') == 3
    for token in tokens:
        url = "http://testserver" + reverse("assessments:invite-start", kwargs={"token": token})
        drawn = segno.make(url, error="m").svg_inline(omitsize=True, dark="#000", light="#fff")
        path = re.findall(r' d="([^"]+)"', drawn)[-1]  # the code's modules, as drawn
        assert path in sheets, f"no QR code of {url}"
    assert "style=" not in sheets.split('class="invite-sheet"', 1)[1]  # the policy allows it


def test_a_batch_just_made_downloads_as_a_csv_for_a_mail_merge(client, world, monkeypatch):
    sign_in(client, world.lead)
    location, page = made(client, world.round, count=3, label="Table", easy_read="on")
    tokens = link_tokens(page)
    assert location + "links.csv" in page
    response = client.get(location + "links.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["label"] for row in rows] == ["Table 1", "Table 2", "Table 3"]
    assert [row["link"].rsplit("/r/", 1)[1].strip("/") for row in rows] == tokens
    assert {row["who it is for"] for row in rows} == {"Person with lived experience"}
    assert {row["opens in easy read"] for row in rows} == {"yes"}
    assert all(re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", row["short code"]) for row in rows)
    # An easy-read link's code is typed at /go in easy read, as its sheet says.
    assert {row["where to type the code"] for row in rows} == {"http://testserver/go/easy/"}
    # The download is in the activity log, without the links.
    event = AuditEvent.objects.get(kind=AuditKind.EXPORTED)
    assert "3 new answer links as CSV" in event.text
    assert not any(token in event.text or token in str(event.details) for token in tokens)

    # Only from the browser that made them, and only for 30 minutes.
    other = Client()
    sign_in(other, factories.member(world.org, role="lead"))
    refused = other.get(location + "links.csv")
    assert refused.status_code == 302 and refused["Location"] == links_url(world.round)
    later = timezone.now() + timedelta(minutes=31)
    monkeypatch.setattr(new_links, "_now", lambda: later)
    assert client.get(location + "links.csv").status_code == 302


def test_members_cannot_download_new_links(client, world):
    sign_in(client, world.lead)
    location, _ = made(client, world.round, count=1)
    client.logout()
    sign_in(client, world.member)
    assert client.get(location + "links.csv").status_code == 403
