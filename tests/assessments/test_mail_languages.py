"""E-mails in the recipient's language: the link's or the account's where known, the
site's otherwise; and, for an organisation that writes in both, one message in Welsh then
English, each HTML part with its lang.

The Welsh words come from the Welsh catalogue (locale/cy/LC_MESSAGES)."""

from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core import mail as outbox

from assessments import mail
from assessments.accounts import services as accounts
from tests.support import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def welsh_catalogue(settings):
    settings.LOCALE_PATHS = [django_settings.BASE_DIR / "locale"]


@pytest.fixture
def world(db):
    return World()


def invite_colleague(world):
    accounts.colleague_invite(
        organisation=world.org, email="new@riverside.example", role="member", invited_by=world.lead
    )
    (email,) = outbox.outbox
    return email


def test_an_organisation_writing_in_both_sends_one_email_welsh_first(world):
    world.org.bilingual_emails = True
    world.org.save(update_fields=["bilingual_emails"])
    email = invite_colleague(world)
    assert email.subject == (
        "Ymunwch â Riverside adult care ar coprod / Join Riverside adult care on coprod"
    )
    body = email.body
    welsh, english = body.index("wedi eich gwahodd"), body.index("has invited you to join")
    assert welsh < english
    assert body.count("https://coprod.example/join/") == 2  # the link in each language
    (html, mimetype), *_ = email.alternatives
    assert html.startswith("<!DOCTYPE html>") and '<html lang="cy">' in html
    assert f"<title>{email.subject}</title>" in html
    assert html.index('<div lang="cy">') < html.index('<div lang="en-GB">')
    assert html.index("wedi eich gwahodd") < html.index('<div lang="en-GB">')
    assert html.index("has invited you to join") > html.index('<div lang="en-GB">')


def test_an_organisation_writing_in_english_only_sends_english(world):
    email = invite_colleague(world)
    assert email.subject == "Join Riverside adult care on coprod"
    assert "wedi eich gwahodd" not in email.body
    assert '<html lang="en-GB">' in email.alternatives[0][0]


def test_an_email_to_someone_known_to_read_welsh_is_in_welsh(world):
    context = {
        "invite": SimpleNamespace(organisation=world.org, role="member"),
        "url": "u",
        "by": None,
    }
    mail.send(
        mail.Message.COLLEAGUE_INVITATION,
        to="new@riverside.example",
        context=context,
        language="cy",
    )
    (email,) = outbox.outbox
    assert email.subject == "Ymunwch â Riverside adult care ar coprod"
    assert "Mae cydweithiwr wedi eich gwahodd" in email.body
    assert '<html lang="cy">' in email.alternatives[0][0]


def test_the_recipients_language_is_their_links_then_the_sites():
    assert mail.recipient_language("sam@example.org", SimpleNamespace(language="cy")) == "cy"
    assert mail.recipient_language("sam@example.org", SimpleNamespace(language="")) == "en-gb"
    assert mail.recipient_language("sam@example.org") == "en-gb"


def test_a_lead_turns_bilingual_emails_on_and_off_from_the_people_page(client, world):
    from django.urls import reverse

    from assessments.accounts.models import AuditEvent, AuditKind

    people = reverse("assessments:people", kwargs={"org": world.org.slug})
    url = reverse("assessments:organisation-email-languages", kwargs={"org": world.org.slug})
    client.force_login(world.member)
    assert "Send every e-mail in Welsh and English" not in client.get(people).text
    assert client.post(url, {"bilingual": "on"}).status_code == 403
    client.force_login(world.lead)
    assert "Send every e-mail in Welsh and English, Welsh first" in client.get(people).text

    response = client.post(url, {"bilingual": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == people + "#emails"
    assert "now sent in Welsh and English, Welsh first" in response.text
    assert "Send e-mails in their reader's language only" in response.text
    world.org.refresh_from_db()
    assert invite_colleague(world).subject.startswith("Ymunwch â Riverside adult care")

    client.post(url, {"bilingual": "off"})
    world.org.refresh_from_db()
    assert not world.org.bilingual_emails
    logged = AuditEvent.objects.filter(organisation=world.org, kind=AuditKind.EMAIL_LANGUAGES)
    assert [event.text for event in logged] == [
        "E-mails are now sent in their reader's language only.",
        "E-mails are now sent in Welsh and English, Welsh first.",
    ]
