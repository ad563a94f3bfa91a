"""The room's projector a statement at a time, in the room's wording, and the phones in the
room following it: the lead steps through a principle's statements and chooses easy read
from their own page; a phone in the room is offered the part the projector is on, and
nothing else."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from assessments.errors import ServiceError
from assessments.rounds.models import Invite
from assessments.web.rounds.views.choices import EASY_LEVELS as ANSWERING_EASY_LEVELS
from assessments.workshops import selectors, services
from assessments.workshops.models import Workshop
from tests.assessments.workshops.test_projector_view import Room, _page
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def _start(world) -> Workshop:
    return services.workshop_start(round=world.round, by=world.lead, capacity=40)


def _control(client, world, **data):
    return client.post(reverse("assessments:workshop-control", kwargs={"pk": world.round.pk}), data)


def _answered_room(world) -> Room:
    room = Room(world, _start(world))
    room.show()
    for level in (1, 2, 3):
        room.answer(room.join(), level=level)
    return room


# A statement at a time ---------------------------------------------------------------------


def test_the_lead_steps_through_the_statements_and_the_projector_follows(client, world):
    room = _answered_room(world)
    sign_in(client, world.lead)
    lead_page = reverse("assessments:workshop", kwargs={"pk": world.round.pk})
    count = len(room.statements)
    seen = []
    for position in range(1, count + 1):
        text = Client().get(_page(room.workshop)).content.decode()
        assert f"Statement {position} of {count}." in text
        assert text.count('<li class="statement-figure">') == 1
        shown = selectors.room(Workshop.objects.get(pk=room.workshop.pk)).figure
        assert shown is not None
        seen.append(shown.statement.code)
        page = client.get(lead_page).content.decode()
        assert f"The projector shows statement {position} of {count}" in page
        if position < count:
            assert "Show the next statement" in page
            after = selectors.room(Workshop.objects.get(pk=room.workshop.pk)).after
            assert after is not None
            response = _control(client, world, action="statement", statement=after.statement.pk)
            assert response.status_code == 302
    assert sorted(seen) == sorted(s.code for s in room.statements)  # each one, once
    page = client.get(lead_page).content.decode()
    assert "Show the next statement" not in page and "Show the statement before" in page
    # Showing the principle again starts from its first statement.
    services.workshop_show(workshop=room.workshop, by=world.lead, principle=room.principle)
    assert "Statement 1 of" in Client().get(_page(room.workshop)).content.decode()


def test_only_a_statement_of_the_principle_shown_can_be_shown(client, world):
    room = _answered_room(world)
    other = world.round.framework.principles.order_by("order")[1].statements.first()
    with pytest.raises(ServiceError):
        services.workshop_show_statement(workshop=room.workshop, by=world.lead, statement=other)
    with pytest.raises(ServiceError):  # only the round's leads
        services.workshop_show_statement(
            workshop=room.workshop, by=world.member, statement=room.statements[1]
        )
    sign_in(client, world.lead)
    _control(client, world, action="statement", statement=other.pk)
    assert Workshop.objects.get(pk=room.workshop.pk).shown_statement is None
    services.workshop_show(workshop=room.workshop, by=world.lead, principle=None)
    with pytest.raises(ServiceError):
        services.workshop_show_statement(
            workshop=room.workshop, by=world.lead, statement=room.statements[1]
        )


def test_stepping_moves_the_rooms_version_so_every_screen_updates(world):
    room = _answered_room(world)
    before = Workshop.objects.get(pk=room.workshop.pk).version
    services.workshop_show_statement(
        workshop=room.workshop, by=world.lead, statement=room.statements[1]
    )
    assert Workshop.objects.get(pk=room.workshop.pk).version == before + 1


# The room's wording ------------------------------------------------------------------------


def test_a_room_in_easy_read_shows_the_easy_read_words(client, world):
    room = _answered_room(world)
    text = Client().get(_page(room.workshop)).content.decode()
    assert '<th scope="col">Still the from</th>' in text and "Not yet" not in text
    sign_in(client, world.lead)
    _control(client, world, action="wording", easy_read="on")
    text = html.unescape(Client().get(_page(room.workshop)).content.decode())
    assert f"{room.principle.easy_read_name}: how the room sees it" in text
    for word in ("Not yet", "A little", "Mostly", "Really well", "I don't know"):
        assert f'<th scope="col">{word}</th>' in text
    assert "Still the from" not in text and "Firmly the to" not in text
    assert "lived experience" not in text.lower()
    shown = selectors.room(Workshop.objects.get(pk=room.workshop.pk)).figure
    assert shown is not None and shown.statement.to_easy in text
    _control(client, world, action="wording", easy_read="off")
    assert "Still the from" in Client().get(_page(room.workshop)).content.decode()


def test_the_projectors_easy_read_words_are_those_people_answered_with():
    for level, (label, _, _) in ANSWERING_EASY_LEVELS.items():
        # The chart breaks a label into lines where it has a line break.
        assert " ".join(str(selectors.EASY_LEVELS[level]).split("\n")) == label


def test_phones_joining_a_room_in_easy_read_open_in_easy_read(world):
    workshop = services.workshop_wording(workshop=_start(world), by=world.lead, easy_read=True)
    phone = Client()
    phone.post(reverse("assessments:workshop-join"), {"code": workshop.code})
    joined = phone.post(
        reverse("assessments:workshop-join"), {"code": workshop.code, "perspective": "carer"}
    )
    assert Invite.objects.get(workshop=workshop).easy_read
    page = phone.get(joined["Location"]).content.decode()
    assert "Part 1 of" in page


# Phones following the room -----------------------------------------------------------------


def _phone(workshop, perspective="staff"):
    phone = Client()
    phone.post(reverse("assessments:workshop-join"), {"code": workshop.code})
    joined = phone.post(
        reverse("assessments:workshop-join"), {"code": workshop.code, "perspective": perspective}
    )
    token = joined["Location"].split("/")[2]
    return phone, token


def test_a_phone_is_offered_the_part_the_room_is_on(world):
    workshop = _start(world)
    phone, token = _phone(workshop)
    first = reverse("assessments:invite-page", kwargs={"token": token, "page": 1})
    poll = reverse("assessments:invite-room", kwargs={"token": token})
    assert "The room is on" not in phone.get(first).content.decode()
    answer = phone.get(poll).json()
    assert answer["live"] and answer["part"] is None and "The room is on" not in answer["html"]

    third = world.round.framework.principles.order_by("order")[2]
    services.workshop_show(workshop=workshop, by=world.lead, principle=third)
    page = phone.get(first).content.decode()
    part_three = reverse("assessments:invite-page", kwargs={"token": token, "page": 3})
    assert f'<a href="{part_three}">The room is on principle 3 — go there</a>' in page
    # On that part already: nothing to offer.
    assert "The room is on" not in phone.get(part_three).content.decode()
    answer = phone.get(poll + "?on=1").json()
    assert answer["part"] == 3 and "The room is on principle 3 — go there" in answer["html"]
    assert phone.get(poll + "?on=3").json()["part"] is None
    # It says which part, and nothing of the room's figures or counts.
    assert "or more" not in answer["html"] and "<table" not in answer["html"]


def test_only_the_seats_own_browser_is_told_where_the_room_is(world):
    workshop = _start(world)
    services.workshop_show(
        workshop=workshop, by=world.lead, principle=world.round.framework.principles.first()
    )
    _, token = _phone(workshop)
    poll = reverse("assessments:invite-room", kwargs={"token": token})
    assert Client().get(poll).status_code == 404  # another browser, without the seat's key
    wrong = reverse("assessments:invite-room", kwargs={"token": "x" * 40})
    assert Client().get(wrong).status_code == 404
    # A link of one's own, outside any workshop, has no room to follow.
    own = reverse("assessments:invite-room", kwargs={"token": world.invite.raw_token})
    assert Client().get(own).status_code == 404
