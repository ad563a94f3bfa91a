"""Easy read the whole way: the group page, the navigation under the questions, the page a
link in use elsewhere shows, /go and the printed sheet say it in easy read when the reader
reads easy read, and never "lived experience"."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.rounds.models import Respondent
from assessments.workshops import services as workshop_services
from tests.support import link_tokens, sign_in

pytestmark = pytest.mark.django_db

GO = reverse("assessments:go")
EASY_GROUPS = [
    "I work for the service",
    "I manage or lead the service",
    "I use the service",
    "I care for someone who uses the service",
    "I work for a group that works with the service",
    "I live nearby, or I help as a volunteer",
]


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "er"},
    }
    from django.core.cache import cache

    cache.clear()


def text(response) -> str:
    return response.content.decode()


def words(response) -> str:
    """What a person reads on the page: its text without the markup."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text(response))))


def easy_reader() -> Client:
    person = Client()
    person.post(reverse("reading-mode"), {"easy_read": "on", "next": "/"})
    return person


def link(world, name, **kwargs):
    return reverse(f"assessments:invite-{name}", kwargs={"token": world.invite.raw_token, **kwargs})


def started(world) -> Client:
    """Someone reading easy read who has opened their link and pressed Start."""
    person = easy_reader()
    assert person.post(link(world, "start")).status_code == 302
    return person


def test_the_group_page_in_easy_read(world):
    person = started(world)
    page = person.get(link(world, "group"))
    said = words(page)
    assert "Which group are you in?" in said
    assert "Nobody sees your answers. You can change it later." in said
    for group in EASY_GROUPS:
        assert re.search(rf"<label[^>]*>\s*{group}\s*</label>", text(page)), group
    assert "Which of these best describes you" not in said
    assert "Partner organisation" not in said
    assert "lived experience" not in said.lower()
    assert "Go back. Do not change my group." in said

    refused = person.post(link(world, "group"), {})
    assert refused.status_code == 400 and "Choose your group." in words(refused)

    saved = person.post(link(world, "group"), {"perspective": "carer"}, follow=True)
    assert "Your group is saved: I care for someone who uses the service." in words(saved)
    assert Respondent.objects.get(invite=world.invite).perspective == "carer"


def test_the_group_page_in_standard_wording_is_as_it_was(world):
    person = Client()
    person.post(link(world, "start"))
    said = words(person.get(link(world, "group")))
    assert "Which of these best describes you in this round?" in said
    assert "Person with lived experience" in said and "Partner organisation" in said


def test_the_navigation_under_the_questions_in_easy_read(world):
    person = started(world)
    said = words(person.get(link(world, "page", page=1)))
    assert "You can stop at any time." in said
    assert "Carry on with a different phone, tablet or computer" in said
    assert "Your group: I use the service . Change your group" in said
    assert "Go to another part" in said and "Go to a principle" not in said
    assert "We save your answers on this page first." in said
    assert "0 of 4 done" in said
    assert "lived experience" not in said.lower()
    check = words(person.get(link(world, "done")))
    assert "Your group: I use the service" in check


def test_the_welcome_page_says_the_group_in_easy_read(world):
    said = words(easy_reader().get(link(world, "start")))
    assert "Your group I use the service" in said
    assert "How long it takes" in said
    assert "lived experience" not in said.lower()


def test_a_link_in_use_elsewhere_says_so_in_easy_read(world):
    person = started(world)
    other = easy_reader()
    response = other.post(link(world, "start"))
    said = words(response)
    assert response.status_code == 403
    assert "Someone is using this link somewhere else" in said
    assert "Only that one can show the answers. This keeps the answers private." in said
    assert "The code from your other phone, tablet or computer" in said
    assert "in use in another browser" not in said
    moving = words(person.get(link(world, "move")))
    assert "Carry on with a different phone, tablet or computer" in moving


def test_go_has_an_easy_read_version_that_carries_on(world):
    person = Client()
    standard = text(person.get(GO))
    assert f'href="{reverse("assessments:go-easy")}"' in standard
    response = person.get(reverse("assessments:go-easy"))
    assert response.status_code == 302 and response["Location"] == GO
    page = person.get(GO)
    said = words(page)
    assert "Easy read is on." in said
    assert "The sheet has a code on it." in said
    assert "The code on your sheet" in said
    assert "img/easy-read/sheet-code.svg" in text(page)
    assert 'alt="A sheet of paper with a code on it"' in text(page)
    assert "No sheet? Ask the council team for one." in said
    # Nothing on the page leads away from typing the code.
    assert reverse("account_signup") not in text(page)

    wrong = person.post(GO, {"code": "ACEF3479AC"})
    assert wrong.status_code == 404
    assert "We cannot find this code." in words(wrong)
    short = person.post(GO, {"code": "ACEF"})
    assert "The code has 10 letters and numbers. You typed 4." in words(short)
    empty = person.post(GO, {"code": ""})
    assert "Type the code from your sheet." in words(empty)


def test_easy_read_chosen_at_go_stays_on_for_a_standard_link(world):
    sign_in(client := Client(), world.lead)
    response = client.post(
        reverse("assessments:invites", kwargs={"pk": world.round.pk}),
        {"perspective": "lived_experience", "count": 1},
    )
    page = text(client.get(response["Location"]))
    token = link_tokens(page)[0]
    code = re.search(r'class="link-code"[^>]*>([A-Z0-9-]+)<', page).group(1)
    person = Client()
    person.get(reverse("assessments:go-easy"))
    opened = person.post(GO, {"code": code}, follow=True)
    assert opened.redirect_chain[-1][0] == reverse(
        "assessments:invite-start", kwargs={"token": token}
    )
    said = words(opened)
    assert "Easy read is on." in said and "Your group I use the service" in said


def test_the_printed_sheet_in_easy_read(client, world):
    world.round.contact = "Sam Patel, 01632 960123"
    world.round.save()
    sign_in(client, world.lead)
    made = client.post(
        reverse("assessments:invites", kwargs={"pk": world.round.pk}),
        {"perspective": "lived_experience", "count": 2, "easy_read": "on"},
    )
    sheets = text(client.get(made["Location"] + "print/"))
    said = words(client.get(made["Location"] + "print/"))
    assert sheets.count('class="invite-sheet sheet-easy-read"') == 2
    assert said.count("Tell us what you think") == 2
    assert "You choose one answer for each question:" in said
    for answer, meaning in (
        ("Not yet", "We do not do this yet."),
        ("A little", "We have started to do this."),
        ("Mostly", "We do this most of the time."),
        ("Really well", "We do this really well."),
        ("I don't know", "I am not sure."),
    ):
        assert f"{answer} {meaning}" in said
    # Each answer beside its picture, as on the answering pages.
    assert sheets.count('class="level-symbol"') == 10
    assert "http://testserver/go/easy/" in said
    assert "Your group: I use the service ." in said
    assert "Questions? Ask Sam Patel, 01632 960123 ." in said
    assert "lived experience" not in said.lower()


def test_a_standard_sheet_keeps_its_words(client, world):
    sign_in(client, world.lead)
    made = client.post(
        reverse("assessments:invites", kwargs={"pk": world.round.pk}),
        {"perspective": "lived_experience", "count": 1},
    )
    said = words(client.get(made["Location"] + "print/"))
    assert "You are invited to share your views" in said
    assert "You are answering as: person with lived experience" in said
    assert "http://testserver/go/ " in said and "level-symbol" not in said


def test_a_member_chooses_their_group_in_easy_read(world):
    person = easy_reader()
    sign_in(person, world.member)
    url = reverse("assessments:member-start", kwargs={"pk": world.round.pk})
    said = words(person.get(url))
    assert "Which group are you in?" in said and "I work for the service" in said
    assert "lived experience" not in said.lower()


def test_a_workshop_phone_chooses_its_group_in_easy_read(world):
    workshop = workshop_services.workshop_start(round=world.round, by=world.lead, capacity=10)
    phone = easy_reader()
    page = phone.post(reverse("assessments:workshop-join"), {"code": workshop.code})
    said = words(page)
    assert "I use the service" in said and "Partner organisation" not in said
    assert "lived experience" not in said.lower()
    assert "Only this phone can show your answers." in said
    # The heading asks the question; the group's legend says it again only to screen
    # readers, so the page does not show it twice.
    assert re.search(
        r'<legend class="visually-hidden">\s*Which group are you in\?', page.content.decode()
    )


def test_no_lived_experience_anywhere_on_the_way_in_easy_read(world):
    person = easy_reader()
    pages = [person.get(GO), person.get(link(world, "start"))]
    person.post(link(world, "start"))
    principles = world.round.framework.principles.count()
    pages += [person.get(link(world, "page", page=n)) for n in range(1, principles + 1)]
    pages += [
        person.get(link(world, "done")),
        person.get(link(world, "group")),
        person.get(link(world, "move")),
    ]
    for page in pages:
        assert page.status_code == 200
        assert "lived experience" not in words(page).lower(), page.request["PATH_INFO"]
