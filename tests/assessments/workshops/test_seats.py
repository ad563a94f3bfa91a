"""Seats in a workshop, tried as the people in the room would: a shared tablet passed from
one person to the next. Everything over HTTP, as a browser does it; each person must see
nothing of anyone else's answers, anywhere."""

import re
from http.cookies import SimpleCookie

import pytest
from django.test import Client
from django.urls import reverse

from assessments.figures.models import RoomSnapshot
from assessments.rounds import services as round_services
from assessments.rounds.models import Answer, Invite, Respondent
from assessments.workshops import services
from assessments.workshops.models import Workshop
from tests.support import sign_in, statements_of

pytestmark = pytest.mark.django_db

NOTE_A = "Aubergine note that only person A wrote"
NOTE_B = "Bergamot note that only person B wrote"
JOIN = reverse("assessments:workshop-join")


def _start(world, capacity=40) -> Workshop:
    return services.workshop_start(round=world.round, by=world.lead, capacity=capacity)


def _join(device: Client, code: str, perspective: str = "staff") -> str:
    """Type the code and choose a group on this device, as its holder does: the new seat's
    token."""
    step = device.post(JOIN, {"code": code})
    assert step.status_code == 200 and "Which group are you in?" in step.content.decode()
    joined = device.post(JOIN, {"code": code, "perspective": perspective})
    assert joined.status_code == 302, joined.content
    return joined["Location"].split("/")[2]


def _page(token: str, page: int = 1) -> str:
    return reverse("assessments:invite-page", kwargs={"token": token, "page": page})


def _answer(device: Client, token: str, *, level: str, note: str) -> None:
    """Answer every statement of the first page, with a note on the first, and go on."""
    first, *others = statements_of(_invite(token).round)
    data = {f"level-{first.pk}": level, f"note-{first.pk}": note, "go": "stay"}
    for statement in others:
        data[f"level-{statement.pk}"] = level
    assert device.post(_page(token), data).status_code == 302


def _invite(token: str) -> Invite:
    from assessments.web.access import invite_for_token

    return invite_for_token(token)


def _pk(token: str) -> int:
    return _invite(token).pk


def _finish(device: Client, token: str) -> str:
    done = reverse("assessments:invite-done", kwargs={"token": token})
    return device.post(done).content.decode()


def _every_page(device: Client, token: str) -> list[str]:
    """Everything this device can reach of a seat by address: its welcome page, its pages
    of answers, check answers, change group, move, and a save."""
    urls = [
        reverse("assessments:invite-start", kwargs={"token": token}),
        _page(token, 1),
        _page(token, 2),
        reverse("assessments:invite-done", kwargs={"token": token}),
        reverse("assessments:invite-group", kwargs={"token": token}),
        reverse("assessments:invite-move", kwargs={"token": token}),
        reverse("assessments:invite-hand-over", kwargs={"token": token}),
    ]
    seen = [device.get(url).content.decode() for url in urls]
    seen.append(device.post(urls[0]).content.decode())
    seen.append(
        device.post(reverse("assessments:invite-move", kwargs={"token": token})).content.decode()
    )
    statement = statements_of(_invite(token).round)[0]
    save = device.post(
        reverse("assessments:invite-autosave", kwargs={"token": token}),
        {"statement": statement.pk, f"level-{statement.pk}": "4"},
    )
    assert save.status_code in (400, 403) and "saved" not in save.json()
    seen.append(save.content.decode())
    return seen


def _shows_nothing_of(pages: list[str], note: str) -> None:
    for page in pages:
        assert note not in page
        assert "Welcome back" not in page
        assert "checked" not in page  # no choice of anyone's is shown


def _cookies(device: Client) -> SimpleCookie:
    kept = SimpleCookie()
    for name, morsel in device.cookies.items():
        kept[name] = morsel.value
        kept[name].update({"path": morsel["path"]})
    return kept


# Seats last the browser's session ----------------------------------------------------------


def test_a_seat_lasts_only_the_browsers_session(world):
    workshop = _start(world)
    phone = Client()
    phone.post(JOIN, {"code": workshop.code})
    joined = phone.post(JOIN, {"code": workshop.code, "perspective": "carer"})
    seat, answer_key = joined.cookies["workshop_seat"], joined.cookies["answer_key"]
    for cookie in (seat, answer_key):
        assert cookie["max-age"] == "" and cookie["expires"] == ""  # gone with the session
        assert cookie["httponly"] and cookie["samesite"] == "Lax"
    token = joined["Location"].split("/")[2]
    assert answer_key["path"] == reverse("assessments:invite-start", kwargs={"token": token})
    assert seat["path"] == JOIN


# The shared tablet ------------------------------------------------------------------------


def test_hand_to_the_next_person_leaves_nothing_of_the_last_one(world):
    """Person A answers on a tablet, with a note, finishes and hands it on; person B, on
    the same tablet, sees none of A's answers or note anywhere: not on the join page, not
    in B's own seat, and not at A's addresses from the tablet's history, even with the
    cookies A's seat had (as if the browser had kept them)."""
    workshop = _start(world)
    tablet = Client()
    a = _join(tablet, workshop.code, "lived_experience")
    _answer(tablet, a, level="1", note=NOTE_A)
    thanks = _finish(tablet, a)
    assert "Thank you" in thanks and "Hand to the next person" in thanks
    a_cookies = _cookies(tablet)

    handed = tablet.post(reverse("assessments:invite-hand-over", kwargs={"token": a}))
    assert handed.status_code == 302 and handed["Location"] == JOIN
    # The seat's cookies are dropped from the tablet.
    assert handed.cookies["workshop_seat"]["max-age"] == 0
    assert handed.cookies["answer_key"]["max-age"] == 0
    landing = tablet.get(JOIN).content.decode()
    assert "ready for the next person" in landing and "Join a workshop" in landing
    assert NOTE_A not in landing

    b = _join(tablet, workshop.code, "staff")
    assert b != a
    b_page = tablet.get(_page(b)).content.decode()
    assert "Principle 1 of" in b_page
    _shows_nothing_of([b_page], NOTE_A)
    b_check = tablet.get(reverse("assessments:invite-done", kwargs={"token": b})).content
    assert b"Your note" not in b_check and NOTE_A.encode() not in b_check

    # A's addresses, from the tablet's history.
    pages = _every_page(tablet, a)
    _shows_nothing_of(pages, NOTE_A)
    # They look as for a seat nobody has used; pressing Start says it was handed on.
    assert "This place was handed on" in pages[7]
    # The same with A's own cookies put back, as a browser that kept them would.
    replay = Client()
    replay.cookies = a_cookies
    _shows_nothing_of(_every_page(replay, a), NOTE_A)
    # A's answers are kept, and count; B's seat is B's own.
    assert Answer.objects.filter(note=NOTE_A).count() == 1
    assert Respondent.objects.filter(invite__workshop=workshop).count() == 2


def test_hand_over_from_a_page_of_answers_saves_them_and_asks_first(world):
    workshop = _start(world)
    tablet = Client()
    a = _join(tablet, workshop.code)
    first = statements_of(world.round)[0]
    page = tablet.get(_page(a)).content.decode()
    assert 'name="go" value="hand-over"' in page and "Hand to the next person" in page
    # The button saves the page's answers (without JavaScript too), then asks.
    asked = tablet.post(
        _page(a), {f"level-{first.pk}": "2", f"note-{first.pk}": NOTE_A, "go": "hand-over"}
    )
    hand_over = reverse("assessments:invite-hand-over", kwargs={"token": a})
    assert asked.status_code == 302 and asked["Location"] == hand_over
    assert Answer.objects.get(note=NOTE_A).level == 2
    confirm = tablet.get(hand_over).content.decode()
    assert "Hand this phone to the next person?" in confirm
    assert NOTE_A not in confirm
    # Not yet: going back keeps the seat.
    assert NOTE_A in tablet.get(_page(a)).content.decode()
    tablet.post(hand_over)
    assert NOTE_A not in tablet.get(_page(a)).content.decode()


def test_typing_the_code_again_starts_a_new_seat_and_never_welcomes_back(world):
    """Person A answers with a note and leaves the tablet as it is; person B types the code
    on it. B gets a new seat, with a sentence saying so, and nothing of A's; A's pages on
    the tablet show nothing of A's answers any more, whatever cookies it kept."""
    workshop = _start(world)
    tablet = Client()
    a = _join(tablet, workshop.code, "carer")
    _answer(tablet, a, level="4", note=NOTE_A)
    a_cookies = _cookies(tablet)

    again = tablet.post(JOIN, {"code": workshop.code})
    assert again.status_code == 200
    text = again.content.decode()
    assert "Which group are you in?" in text
    assert "Someone joined on this phone before you" in text
    assert NOTE_A not in text and "Welcome back" not in text
    assert "checked" not in text  # not even A's group is chosen for B
    b = tablet.post(JOIN, {"code": workshop.code, "perspective": "staff"})
    assert b.status_code == 302
    b_token = b["Location"].split("/")[2]
    assert b_token != a
    _shows_nothing_of([tablet.get(_page(b_token)).content.decode()], NOTE_A)
    _answer(tablet, b_token, level="2", note=NOTE_B)

    _shows_nothing_of(_every_page(tablet, a), NOTE_A)
    replay = Client()
    replay.cookies = a_cookies
    _shows_nothing_of(_every_page(replay, a), NOTE_A)
    assert Invite.objects.filter(workshop=workshop).count() == 2
    assert Answer.objects.filter(note=NOTE_A).count() == 1  # kept, and counted


def test_the_qr_code_on_a_device_with_a_seat_starts_a_new_seat_too(world):
    workshop = _start(world)
    tablet = Client()
    a = _join(tablet, workshop.code)
    _answer(tablet, a, level="3", note=NOTE_A)
    scanned = tablet.get(JOIN + f"?code={workshop.code}")
    assert scanned.status_code == 200
    assert "Someone joined on this phone before you" in scanned.content.decode()
    assert NOTE_A not in tablet.get(_page(a)).content.decode()


def test_the_person_can_still_answer_until_they_hand_on(world):
    """A seat is the person's own until then: their answers are shown to them, on the
    device they joined on."""
    workshop = _start(world)
    phone = Client()
    a = _join(phone, workshop.code)
    _answer(phone, a, level="2", note=NOTE_A)
    assert NOTE_A in phone.get(_page(a)).content.decode()
    other = Client()
    assert NOTE_A not in other.get(_page(a)).content.decode()
