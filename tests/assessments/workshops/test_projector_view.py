"""The projector view: the room's view alone, for the big screen. The key in its address
opens it, with no account; only the round's leads are shown that address, and it stops
working when the workshop ends or the lead gives the projector a new address. Its poll
answers an unchanged room with a 304 from one query, and a changed one from a view made
once per change, whatever the number of people in the room."""

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.rounds import services as round_services
from assessments.rounds.models import RoundStatus
from assessments.workshops import services
from assessments.workshops.models import Workshop
from coprod.codes import display
from tests import factories
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def _start(world, round_=None, lead=None) -> Workshop:
    return services.workshop_start(round=round_ or world.round, by=lead or world.lead, capacity=100)


def _page(workshop: Workshop, key: str | None = None) -> str:
    return reverse(
        "assessments:workshop-projector",
        kwargs={"workshop": workshop.pk, "key": workshop.projector_key if key is None else key},
    )


def _poll(workshop: Workshop, key: str | None = None) -> str:
    return reverse(
        "assessments:workshop-projector-state",
        kwargs={"workshop": workshop.pk, "key": workshop.projector_key if key is None else key},
    )


class Room:
    """People joining a workshop and answering its first principle."""

    def __init__(self, world, workshop):
        self.world, self.workshop = world, workshop
        self.principle = world.round.framework.principles.order_by("order")[0]
        self.statements = list(self.principle.statements.order_by("order"))
        self.people = []

    def join(self, perspective="staff"):
        joined = services.workshop_join(
            workshop=self.workshop, perspective=perspective, address=f"10.1.{len(self.people)}.1"
        )
        joined.respondent.round = self.world.round
        self.people.append(joined.respondent)
        return joined.respondent

    def answer(self, respondent, level=3, statements=None, note=""):
        round_services.answers_save(
            respondent=respondent,
            answers=[
                round_services.AnswerInput(statement_id=s.pk, level=level, note=note)
                for s in (statements or self.statements)
            ],
        )

    def show(self):
        self.workshop = services.workshop_show(
            workshop=self.workshop, by=self.world.lead, principle=self.principle
        )


def _reload(workshop: Workshop) -> Workshop:
    return Workshop.objects.get(pk=workshop.pk)


# Opening it ------------------------------------------------------------------------------


def test_the_leads_page_opens_the_projector_view_in_a_new_tab(client, world):
    workshop = _start(world)
    sign_in(client, world.lead)
    page = client.get(reverse("assessments:workshop", kwargs={"pk": world.round.pk}))
    text = page.content.decode()
    address = settings.SITE_URL + _page(workshop)
    link = f'<a class="btn btn-primary" href="{_page(workshop)}" target="_blank" rel="noopener">'
    assert link in text
    assert "Open the projector view (new tab)" in text
    assert f'value="{address}" readonly' in text  # to copy to another computer
    # The lead's page keeps the controls.
    assert "Lock the room" in text and "End the workshop" in text


def test_the_projector_view_shows_the_room_and_nothing_else(world):
    workshop = _start(world)
    room = Room(world, workshop)
    for perspective in ("staff", "carer"):
        room.join(perspective)
    response = Client().get(_page(workshop))  # nobody signed in: the key opens it
    assert response.status_code == 200
    text = response.content.decode()
    assert f"<title>Workshop {display(workshop.code)} – Spring reflection – coprod</title>" in text
    assert "Join on your phone" in text and display(workshop.code) in text
    assert "/join/" in text and 'aria-label="QR code of this link"' in text
    # Counts in steps of three; no group is listed before it has three people.
    assert '<p class="count-number"><span class="count-step">Fewer than </span>3</p>' in text
    assert "by-perspective" not in text and "Carer or family member" not in text
    assert '<a href="./">Refresh</a>' in text  # without JavaScript: a link, not a button
    assert "<button" not in text and 'class="btn' not in text
    assert 'data-poll="room.json"' in text
    # No site header, menus, footer, account, or any control of the lead's.
    for absent in (
        "site-header",
        "<nav",
        "site-footer",
        "Sign in",
        "Sign out",
        "<form",
        "csrfmiddlewaretoken",
        "Lock the room",
        "End the workshop",
        "Show 1.",
        "Agree in the room",
    ):
        assert absent not in text, absent
    # Like every page, nothing of it is kept by the projector's browser.
    assert response["Cache-Control"] == "no-store"


def test_a_principle_shown_fills_the_screen_with_its_figures(world):
    workshop = _start(world)
    room = Room(world, workshop)
    room.show()
    for level in (1, 2, 3):
        room.answer(room.join(), level=level)
    text = Client().get(_page(workshop)).content.decode()
    assert '<main id="room" class="screen is-showing"' in text
    assert f"{room.principle.name}: how the room sees it" in text
    assert "From 3 or more people who had answered every statement" in text
    # One statement at a time, read from the back of the room; the lead steps on.
    assert f"Statement 1 of {len(room.statements)}." in text
    assert text.count('<table class="table table-sm spread-table">') == 1
    shown = text.split('<li class="statement-figure">')[1]
    first = next(s for s in room.statements if f"{s.code}</span>" in shown)
    later = next(s for s in room.statements if s != first)
    services.workshop_show_statement(workshop=room.workshop, by=world.lead, statement=later)
    text = Client().get(_page(workshop)).content.decode()
    assert f"{later.code}</span>" in text.split('<li class="statement-figure">')[1]
    assert text.count('<table class="table table-sm spread-table">') == 1


def test_a_closed_round_and_a_locked_room_show_no_code(world):
    workshop = _start(world)
    services.workshop_lock(workshop=workshop, by=world.lead)
    text = Client().get(_page(workshop)).content.decode()
    assert "The room is locked" in text and 'class="join-code"' not in text
    round_services.round_close(round=world.round, by=world.lead)
    text = Client().get(_page(workshop)).content.decode()
    assert "The round is not taking answers" in text and "<svg" not in text


# Who can open it -------------------------------------------------------------------------


def _other_workshop(world) -> Workshop:
    other_round = factories.round(world.other_org, title="Hillside round")
    return _start(world, other_round, world.other_lead)


@pytest.mark.parametrize(
    "case",
    [
        "wrong key",
        "no key",
        "another workshop's key",
        "another organisation's lead, signed in, with their own key",
        "the round's lead, signed in, with a wrong key",
        "ended",
        "new address",
    ],
)
def test_only_the_live_key_opens_the_projector_view(world, case):
    workshop = _start(world)
    client = Client()
    key = workshop.projector_key
    if case == "wrong key":
        key = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    elif case == "no key":
        key = "-"
    elif case == "another workshop's key":
        key = _other_workshop(world).projector_key
    elif case.startswith("another organisation's lead"):
        sign_in(client, world.other_lead)
        key = _other_workshop(world).projector_key
    elif case.startswith("the round's lead"):
        sign_in(client, world.lead)
        key = "x" * 43
    elif case == "ended":
        services.workshop_end(workshop=workshop, by=world.lead)
    elif case == "new address":
        services.workshop_projector_renew(workshop=workshop, by=world.lead)
    page = client.get(_page(workshop, key))
    assert page.status_code == 404
    text = page.content.decode()
    assert "This projector view has stopped" in text
    assert display(workshop.code) not in text and "Spring reflection" not in text
    poll = client.get(_poll(workshop, key))
    assert poll.status_code == 404 and poll.json() == {"live": False}


def test_a_new_address_for_the_projector(client, world):
    workshop = _start(world)
    old = _page(workshop)
    sign_in(client, world.lead)
    response = client.post(
        reverse("assessments:workshop-control", kwargs={"pk": world.round.pk}),
        {"action": "projector"},
        follow=True,
    )
    assert "The projector view has a new address" in response.content.decode()
    workshop = _reload(workshop)
    assert _page(workshop) != old
    assert Client().get(old).status_code == 404
    assert Client().get(_page(workshop)).status_code == 200
    assert settings.SITE_URL + _page(workshop) in response.content.decode()


def test_ending_the_workshop_closes_the_projector_view_for_good(world):
    workshop = _start(world)
    page = _page(workshop)
    services.workshop_end(workshop=workshop, by=world.lead)
    assert Client().get(page).status_code == 404
    # A new workshop in the round has its own address; the old one stays closed.
    again = _start(world)
    assert _page(again) != page
    assert Client().get(page).status_code == 404
    assert Client().get(_page(again)).status_code == 200


@pytest.mark.parametrize("who", ["member", "other_lead", "other_member"])
def test_only_the_rounds_leads_are_shown_the_address(world, who):
    workshop = _start(world)
    client = Client()
    sign_in(client, getattr(world, who))
    for name in ("assessments:workshop", "assessments:workshop-state"):
        response = client.get(reverse(name, kwargs={"pk": world.round.pk}))
        assert response.status_code in (403, 404)
        assert workshop.projector_key not in response.content.decode()


def test_the_key_is_kept_nowhere_and_reads_no_answer(world):
    workshop = _start(world)
    room = Room(world, workshop)
    room.show()
    # Two people: nothing of their answers shows, and their notes never do.
    for level in (1, 4):
        room.answer(room.join("lived_experience"), level=level, note="Xylophone private note")
    page = Client().get(_page(workshop)).content.decode()
    poll = Client().get(_poll(workshop)).content.decode()
    for text in (page, poll):
        assert "Xylophone" not in text
        assert "spread-table" not in text
        assert "at least three people have answered every statement" in text
    # The database holds no key: only the random value it is made from with SECRET_KEY.
    row = Workshop.objects.filter(pk=workshop.pk).values()[0]
    assert workshop.projector_key not in json.dumps(row, default=str)


# The poll ----------------------------------------------------------------------------


def test_the_poll_answers_304_until_what_the_room_sees_changes(world):
    workshop = _start(world)
    room = Room(world, workshop)
    client = Client()
    url = _poll(workshop)
    first = client.get(url)
    assert first.status_code == 200 and "joined" not in first.json()  # never an exact count
    assert first["Cache-Control"] == "private, no-cache"
    etag = first["ETag"]

    def unchanged():
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert response["Cache-Control"] == "private, no-cache"
        if response.status_code == 304:
            assert response["ETag"] == etag and not response.content
            return True
        assert response["ETag"] != etag and response.json()["live"]
        return False

    assert unchanged()
    # Weak and listed forms of the same tag are understood too.
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"x", W/{etag}').status_code == 304

    people = [room.join("staff") for _ in range(3)]
    assert not unchanged()
    etag = client.get(url)["ETag"]
    person = people[0]
    # Answers that do not finish a principle change nothing the room sees.
    room.answer(person, statements=room.statements[:-1])
    room.answer(person, level=1, statements=room.statements[:1])
    assert unchanged()
    # The first and second to finish the principle move nothing either: its count is in
    # steps of three, and the poll does not say when one person finished.
    room.answer(person, statements=room.statements[-1:])
    assert unchanged()
    room.answer(people[1])
    assert unchanged()
    assert '<td class="text-end">fewer than 3</td>' in client.get(url).json()["counts_html"]
    # The third: the count reaches its next step, and the poll moves.
    room.answer(people[2])
    assert not unchanged()
    data = client.get(url).json()
    assert '<td class="text-end">3 or more</td>' in data["counts_html"]
    etag = client.get(url)["ETag"]
    # Changing an answer afterwards moves nothing either.
    room.answer(person, level=4, statements=room.statements[:2])
    assert unchanged()
    # The lead's choices do.
    services.workshop_lock(workshop=workshop, by=world.lead)
    assert not unchanged()
    data = client.get(url).json()
    assert "The room is locked" in data["join_html"]
    etag = client.get(url)["ETag"]
    room.show()
    assert not unchanged()
    assert client.get(url).json()["showing"] is True


def test_the_lead_page_poll_says_the_same(client, world):
    workshop = _start(world)
    Room(world, workshop).join()
    sign_in(client, world.lead)
    lead = client.get(reverse("assessments:workshop-state", kwargs={"pk": world.round.pk}))
    projector = Client().get(_poll(workshop))
    # The lead's page also has the seats taken, which the projector view never shows.
    seats = {"seats_html", "seats_key"}
    assert {k: v for k, v in lead.json().items() if k not in seats} == projector.json()
    assert "Seat 1, joined" in lead.json()["seats_html"]
    assert "Seat 1" not in projector.content.decode()


def test_closing_the_round_changes_the_poll(world):
    workshop = _start(world)
    client = Client()
    etag = client.get(_poll(workshop))["ETag"]
    round_services.round_close(round=world.round, by=world.lead)
    response = client.get(_poll(workshop), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "The round is not taking answers" in response.json()["join_html"]
    assert world.round.__class__.objects.get(pk=world.round.pk).status == RoundStatus.CLOSED


# What it costs ---------------------------------------------------------------------------


def test_an_unchanged_poll_is_one_query(world, django_assert_num_queries):
    workshop = _start(world)
    room = Room(world, workshop)
    room.show()
    for _ in range(3):
        room.answer(room.join())
    client = Client()
    etag = client.get(_poll(workshop))["ETag"]
    with django_assert_num_queries(1):  # the workshop, with its round: nothing else
        assert client.get(_poll(workshop), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_projector_reads_no_session(world, django_assert_num_queries):
    """The projector may be opened in the lead's own browser: its session is not read."""
    workshop = _start(world)
    client = Client()
    sign_in(client, world.lead)
    client.get(_page(workshop))
    with django_assert_num_queries(1):
        assert client.get(_page(workshop)).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(_poll(workshop)).status_code == 200


def test_the_projector_costs_the_same_for_three_people_or_twelve(
    world, django_assert_max_num_queries, django_assert_num_queries
):
    workshop = _start(world)
    room = Room(world, workshop)
    room.show()
    client = Client()
    for _ in range(3):
        room.answer(room.join("staff"))
    # The first look after a change makes the room's view; every later one reads it.
    with django_assert_max_num_queries(12) as small:
        assert client.get(_page(workshop)).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(_page(workshop)).status_code == 200
    with django_assert_num_queries(1):
        assert "3<span" in client.get(_poll(workshop)).json()["counts_html"]
    for perspective in ["staff", "carer", "lived_experience"] * 3:
        room.answer(room.join(perspective))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(_poll(workshop)).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(_page(workshop)).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(_poll(workshop)).status_code == 200
    twelve = '<p class="count-number">12<span class="count-step"> or more</span></p>'
    assert twelve in client.get(_page(workshop)).content.decode()
