"""Answer links made in a language: the lead chooses it, the link opens in it without the
person choosing, its printed sheet is in it, and nothing records it with the answers."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from assessments.rounds import reminders, services
from assessments.rounds.models import Invite, Respondent
from tests import factories
from tests.support import link_tokens, sign_in, write_catalogue

pytestmark = pytest.mark.django_db

ENGLISH = settings.LANGUAGE_CODE

# A few of the interface's strings in Welsh, as the catalogue has them: enough to see that
# a page is rendered in Welsh whatever the project's own catalogue holds at the time.
WELSH = {
    "Start": "Dechrau",
    "Save and continue": "Cadw a pharhau",
    "You are invited to share your views": "Rydych chi'n cael eich gwahodd i rannu eich barn",
    "Person with lived experience": "Person â phrofiad bywyd",
}


@pytest.fixture(autouse=True)
def languages(tmp_path):
    write_catalogue(tmp_path / "locale", "cy", WELSH)
    with override_settings(
        LANGUAGES=[(ENGLISH, "English"), ("cy", "Cymraeg")],
        LOCALE_PATHS=[tmp_path / "locale", *settings.LOCALE_PATHS],
    ):
        yield


def make_link(client, world, **data) -> str:
    """Make one link as a lead does; its address, from the page that shows it once."""
    sign_in(client, world.lead)
    url = reverse("assessments:invites", kwargs={"pk": world.round.pk})
    response = client.post(url, {"perspective": "lived_experience", "count": 1, **data})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    client.logout()
    client.cookies.clear()
    return f"/r/{link_tokens(page)[-1]}/"


def test_lead_chooses_the_links_language(client, world):
    sign_in(client, world.lead)
    page = client.get(reverse("assessments:invites", kwargs={"pk": world.round.pk}))
    text = page.content.decode()
    assert "Language of the links" in text
    assert 'name="language" value="cy"' in text and "Cymraeg" in text
    assert f'name="language" value="{ENGLISH}"' in text and "English" in text
    assert "British English" not in text
    make_link(client, world, language="cy", label="Welsh")
    assert Invite.objects.get(label="Welsh").language == "cy"


def test_a_links_language_is_by_default_the_leads_own(client, world):
    make_link(client, world, label="Default")
    assert Invite.objects.get(label="Default").language == ENGLISH


def test_an_unknown_language_is_refused(client, world):
    sign_in(client, world.lead)
    url = reverse("assessments:invites", kwargs={"pk": world.round.pk})
    response = client.post(url, {"perspective": "staff", "count": 1, "language": "xx"})
    assert response.status_code == 400
    assert "Choose one of the languages." in response.content.decode()
    assert not Invite.objects.filter(language="xx").exists()


def test_a_welsh_link_opens_in_welsh_without_choosing(client, world):
    link = make_link(client, world, language="cy")
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Language"] == "cy"
    assert ">Dechrau</button>" in response.content.decode()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"

    # The pages after it stay in Welsh.
    page = client.get(client.post(link)["Location"])
    assert page["Content-Language"] == "cy"
    assert "Cadw a pharhau" in page.content.decode()

    # Nothing about the person who answers records the language.
    respondent = Respondent.objects.get(invite__language="cy")
    assert "cy" not in {str(v) for v in vars(respondent).values()}


def test_an_english_link_opens_in_english(client, world):
    link = make_link(client, world, language=ENGLISH)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"  # someone who reads Welsh elsewhere
    response = client.get(link)
    assert response["Content-Language"] == ENGLISH
    assert ">Start</button>" in response.content.decode()


def test_the_person_can_still_change_the_language(client, world):
    link = make_link(client, world, language="cy")
    assert client.get(link)["Content-Language"] == "cy"
    # They switch to English (as the header's switch does: the language cookie)...
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = ENGLISH
    # ...and their link, opened again, keeps their choice.
    response = client.get(link)
    assert response["Content-Language"] == ENGLISH
    assert ">Start</button>" in response.content.decode()


def test_a_link_without_a_language_opens_in_the_visitors_own(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    response = client.get(f"/r/{world.invite.raw_token}/")
    assert world.invite.language == ""
    assert response["Content-Language"] == "cy"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_printed_sheet_is_in_the_links_language(client, world):
    sign_in(client, world.lead)
    url = reverse("assessments:invites", kwargs={"pk": world.round.pk})
    response = client.post(url, {"perspective": "lived_experience", "count": 2, "language": "cy"})
    sheets = client.get(response["Location"] + "print/").content.decode()
    assert sheets.count("Rydych chi'n cael eich gwahodd i rannu eich barn") == 2
    assert sheets.count('lang="cy"') >= 2
    assert "person â phrofiad bywyd" in sheets
    assert "Invitation sheets" in sheets  # the lead's own page around them stays English
    assert "You are invited to share your views" not in sheets


def languages_written(monkeypatch) -> list[tuple[str, str | None]]:
    """Each e-mail put in the outbox, with the language active while it was written."""
    from assessments import mail

    written: list[tuple[str, str | None]] = []
    send = mail.send

    def recording(message, *, to, **kwargs):
        written.append((to, translation.get_language()))
        return send(message, to=to, **kwargs)

    monkeypatch.setattr(mail, "send", recording)
    return written


def test_an_e_mailed_link_and_its_reminder_are_written_in_its_language(world, monkeypatch):
    written = languages_written(monkeypatch)
    welsh = factories.invite(world.round)
    Invite.objects.filter(pk=welsh.pk).update(language="cy")
    welsh.language = "cy"
    english = factories.invite(world.round)
    services.invite_send(invite=welsh, email="cymraeg@example.org")
    with translation.override("cy"):  # the lead reads Welsh; this link has no language
        services.invite_send(invite=english, email="english@example.org")
    with translation.override(ENGLISH):
        reminders.reminder_send(reminders.reminder_schedule(round=world.round, by=world.lead).pk)
    assert ("cymraeg@example.org", "cy") in written
    assert ("english@example.org", "cy") in written
    assert written.count(("cymraeg@example.org", "cy")) == 2  # the link, then the reminder
    assert ("english@example.org", ENGLISH) in written  # its reminder: the language active
