"""A workshop's room has a language: the projector shows it, and the phones that join open
in it, unless a phone has chosen its own. It starts as the lead's language and the lead
can change it from the room page."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from assessments.errors import ServiceError
from assessments.workshops import services
from assessments.workshops.models import Workshop
from tests.support import sign_in, write_catalogue

pytestmark = pytest.mark.django_db

LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
# A few of the room's words in Welsh, compiled into a catalogue of the test's own, so the
# test shows the pages are made in the room's language whatever the project's catalogue
# holds today.
WELSH = {
    "Join on your phone": "Ymunwch ar eich ffôn",
    "Updates by itself every few seconds.": "Yn diweddaru ei hun bob ychydig eiliadau.",
    "Which group are you in?": "Ym mha grŵp ydych chi?",
    "Answered every statement of": "Wedi ateb pob datganiad yn",
}


@pytest.fixture
def welsh(tmp_path):
    write_catalogue(tmp_path, "cy", WELSH)
    with override_settings(LOCALE_PATHS=[tmp_path], LANGUAGES=LANGUAGES):
        yield


def _projector(workshop: Workshop) -> str:
    return reverse(
        "assessments:workshop-projector",
        kwargs={"workshop": workshop.pk, "key": workshop.projector_key},
    )


def _start(client, world, language: str | None = None) -> Workshop:
    sign_in(client, world.lead)
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    client.post(
        reverse("assessments:workshop-start", kwargs={"pk": world.round.pk}),
        {"capacity": 40},
        **headers,
    )
    return Workshop.objects.live().get(round=world.round)


def test_a_workshop_starts_in_the_leads_language(client, world, welsh):
    assert _start(client, world, language="cy").language == "cy"


def test_a_workshop_started_in_english_stays_english(client, world, welsh):
    workshop = _start(client, world)
    assert workshop.language == settings.LANGUAGE_CODE
    response = Client().get(_projector(workshop))
    assert response["Content-Language"] == "en-gb"
    assert "Join on your phone" in response.content.decode()


def test_a_welsh_rooms_projector_is_in_welsh(client, world, welsh):
    workshop = _start(client, world, language="cy")
    # The projector is often opened in the lead's own English browser: the room decides.
    response = Client().get(_projector(workshop), HTTP_ACCEPT_LANGUAGE="en-gb")
    text = response.content.decode()
    assert response["Content-Language"] == "cy"
    assert '<html lang="cy"' in text
    assert "Ymunwch ar eich ffôn" in text and "Join on your phone" not in text
    assert "Yn diweddaru ei hun bob ychydig eiliadau." in text
    # Its poll sends the room's view in Welsh too.
    poll = Client().get(_projector(workshop) + "room.json")
    assert poll["Content-Language"] == "cy"
    assert "Wedi ateb pob datganiad yn" in poll.json()["counts_html"]


def test_the_leads_page_stays_in_the_leads_language(client, world, welsh):
    workshop = _start(client, world, language="cy")
    page = client.get(
        reverse("assessments:workshop", kwargs={"pk": world.round.pk}),
        HTTP_ACCEPT_LANGUAGE="en-gb",
    )
    assert "Answered every statement of" in page.content.decode()
    # The projector, made in Welsh, did not leave its Welsh view for the lead's page.
    Client().get(_projector(workshop))
    again = client.get(
        reverse("assessments:workshop-state", kwargs={"pk": world.round.pk}),
        HTTP_ACCEPT_LANGUAGE="en-gb",
    )
    assert "Answered every statement of" in again.json()["counts_html"]


def test_a_phone_joining_a_welsh_room_is_in_welsh(client, world, welsh):
    workshop = _start(client, world, language="cy")
    phone = Client()
    # The QR code opens the join page with the code: the group step, in Welsh.
    page = phone.get(reverse("assessments:workshop-join") + f"?code={workshop.code}")
    assert page["Content-Language"] == "cy"
    assert "Ym mha grŵp ydych chi?" in page.content.decode()
    joined = phone.post(
        reverse("assessments:workshop-join"), {"code": workshop.code, "perspective": "carer"}
    )
    assert joined.status_code == 302
    # The phone keeps the room's language for the answering pages that follow.
    assert phone.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    assert not phone.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"]  # for the session
    assert phone.get(joined["Location"])["Content-Language"] == "cy"


def test_a_phone_that_chose_its_own_language_keeps_it(client, world, welsh):
    workshop = _start(client, world, language="cy")
    phone = Client()
    phone.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    page = phone.get(reverse("assessments:workshop-join") + f"?code={workshop.code}")
    assert page["Content-Language"] == "en-gb"
    assert "Which group are you in?" in page.content.decode()


def test_the_lead_changes_the_rooms_language(client, world, welsh):
    workshop = _start(client, world)
    page = client.get(reverse("assessments:workshop", kwargs={"pk": world.round.pk}))
    assert 'name="language"' in page.content.decode()
    response = client.post(
        reverse("assessments:workshop-control", kwargs={"pk": world.round.pk}),
        {"action": "language", "language": "cy"},
        follow=True,
    )
    assert "The projector is in Cymraeg." in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.language == "cy"
    assert "Ymunwch ar eich ffôn" in Client().get(_projector(workshop)).content.decode()


def test_only_a_language_the_site_offers(world, welsh):
    workshop = services.workshop_start(round=world.round, by=world.lead, language="cy")
    with pytest.raises(ServiceError):
        services.workshop_language(workshop=workshop, by=world.lead, language="xx")
    with pytest.raises(ServiceError):
        services.workshop_language(workshop=workshop, by=world.member, language="cy")
    assert Workshop.objects.get(pk=workshop.pk).language == "cy"
