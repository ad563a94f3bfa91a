"""Seats in a workshop, tried as the people in the room would: a shared tablet passed from
one person to the next, a second join from the same browser, a join the lead removes, and
a lead who watches the list of seats for when someone finished. Everything over HTTP, as a
browser does it; each person must see nothing of anyone else's answers, anywhere."""

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


# A second join from the same browser, and the lead's list -------------------------------


def _lead(world) -> Client:
    client = Client()
    sign_in(client, world.lead)
    return client


def _room(world) -> str:
    return reverse("assessments:workshop", kwargs={"pk": world.round.pk})


def _state(world) -> str:
    return reverse("assessments:workshop-state", kwargs={"pk": world.round.pk})


def _seats_html(lead: Client, world) -> str:
    return lead.get(_state(world)).json()["seats_html"]


def test_the_lead_sees_joins_as_they_happen_and_nothing_of_who_finished(world):
    workshop = _start(world)
    lead = _lead(world)
    assert "Nobody has joined yet" in lead.get(_room(world)).content.decode()
    phones = [Client() for _ in range(3)]
    tokens = [_join(phone, workshop.code) for phone in phones]
    seats = _seats_html(lead, world)
    lines = re.findall(r"Seat (\d+), joined (\d\d:\d\d)</span>", seats)
    assert [n for n, _ in lines] == ["1", "2", "3"]
    # Times to the minute, no finer: no seconds anywhere in the list.
    assert not re.search(r"\d\d:\d\d:\d\d", seats)
    # The same list on the page itself, for a lead without JavaScript.
    page = lead.get(_room(world)).content.decode()
    assert "Seat 3, joined" in page and 'id="room-seats"' in page
    # Someone finishing, or answering at all, changes nothing in the list: it says
    # nothing of anyone's answers.
    etag = lead.get(_state(world))["ETag"]
    _answer(phones[1], tokens[1], level="1", note=NOTE_A)
    _finish(phones[1], tokens[1])
    assert _seats_html(lead, world) == seats
    assert lead.get(_state(world), HTTP_IF_NONE_MATCH=etag).status_code == 304
    for word in ("finish", "answered", "started", "done", NOTE_A):
        assert word not in seats.lower()


def test_a_second_join_from_the_same_browser_is_a_second_seat_the_lead_can_remove(world):
    """Someone joins twice from one phone (typing the code again): two seats. The first no
    longer opens on the phone; the lead removes it, and with it its answers."""
    workshop = _start(world)
    phone = Client()
    first = _join(phone, workshop.code)
    _answer(phone, first, level="1", note=NOTE_A)
    second = _join(phone, workshop.code)
    assert first != second
    lead = _lead(world)
    seats = _seats_html(lead, world)
    assert "Seat 1, joined" in seats and "Seat 2, joined" in seats
    invite = Invite.objects.get(workshop=workshop, respondent__answers__note=NOTE_A)
    remove = reverse(
        "assessments:workshop-seat-remove", kwargs={"pk": world.round.pk, "seat": invite.pk}
    )
    assert remove in seats
    confirm = lead.get(remove)
    assert confirm.status_code == 200
    assert "Remove Seat 1?" in confirm.content.decode()
    assert Invite.objects.filter(pk=invite.pk, revoked_at__isnull=True).exists()  # asked only
    done = lead.post(remove)
    assert done.status_code == 302 and done["Location"].endswith("#seats")
    assert "Seat 1 removed" in lead.get(done["Location"]).content.decode()
    assert not Answer.objects.filter(note=NOTE_A).exists()
    seats = _seats_html(lead, world)
    assert "Seat 1," not in seats and "Seat 2, joined" in seats  # numbers are kept


def test_a_removed_phone_sees_a_kind_page_and_its_answers_leave_the_figures(world):
    workshop = _start(world)
    principle = world.round.framework.principles.order_by("order")[0]
    services.workshop_show(workshop=workshop, by=world.lead, principle=principle)
    phones = [Client() for _ in range(3)]
    tokens = [_join(phone, workshop.code) for phone in phones]
    for phone, token, level in zip(phones, tokens, ("1", "3", "3"), strict=True):
        _answer(phone, token, level=level, note="")
    [first] = RoomSnapshot.objects.filter(workshop=workshop)
    stray = Invite.objects.get(pk=_pk(tokens[0]))
    stray_person = stray.respondent.pk
    assert stray_person in first.ledger["people"]

    lead = _lead(world)
    lead.post(
        reverse("assessments:workshop-seat-remove", kwargs={"pk": world.round.pk, "seat": stray.pk})
    )
    # The removed phone: a kind page, on every page of the seat, and nothing saved.
    page = phones[0].get(_page(tokens[0]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Your place in the workshop was removed" in text
    assert "join again with the code" in text
    statement = statements_of(world.round)[0]
    save = phones[0].post(
        reverse("assessments:invite-autosave", kwargs={"token": tokens[0]}),
        {"statement": statement.pk, f"level-{statement.pk}": "1"},
    )
    assert save.status_code == 409
    assert not Respondent.objects.filter(pk=stray_person).exists()
    # The snapshot on the screen stands; the next one leaves the removed seat out.
    assert RoomSnapshot.objects.filter(workshop=workshop).count() == 1
    more = [Client() for _ in range(4)]
    for phone in more:
        _answer(phone, _join(phone, workshop.code), level="3", note="")
    first_again, second = RoomSnapshot.objects.filter(workshop=workshop).order_by("number")
    assert first_again.figures == first.figures
    assert stray_person not in second.ledger["people"] and second.people == 6
    # The removed phone can join again, as a new seat.
    assert _join(phones[0], workshop.code)


def test_removing_frees_a_place_and_is_for_the_rounds_leads_only(world):
    workshop = _start(world, capacity=1)
    phone = Client()
    _join(phone, workshop.code)
    full = Client()
    full.post(JOIN, {"code": workshop.code})
    assert full.post(JOIN, {"code": workshop.code, "perspective": "staff"}).status_code == 409
    invite = Invite.objects.get(workshop=workshop)
    remove = reverse(
        "assessments:workshop-seat-remove", kwargs={"pk": world.round.pk, "seat": invite.pk}
    )
    for who, status in ((world.member, 403), (world.other_lead, 404)):
        client = Client()
        sign_in(client, who)
        assert client.post(remove).status_code == status
        assert client.get(remove).status_code == status
    assert Client().post(remove).status_code == 302  # to sign in
    assert Invite.objects.get(pk=invite.pk).revoked_at is None
    _lead(world).post(remove)
    assert full.post(JOIN, {"code": workshop.code, "perspective": "staff"}).status_code == 302
    # Removed already: the address finds nothing.
    assert _lead(world).get(remove).status_code == 404


def test_a_closed_rounds_answers_are_frozen_so_no_seat_is_removed(world):
    workshop = _start(world)
    phone = Client()
    token = _join(phone, workshop.code)
    _answer(phone, token, level="2", note=NOTE_A)
    round_services.round_close(round=world.round, by=world.lead)
    lead = _lead(world)
    invite = Invite.objects.get(workshop=workshop)
    response = lead.post(
        reverse(
            "assessments:workshop-seat-remove", kwargs={"pk": world.round.pk, "seat": invite.pk}
        ),
        follow=True,
    )
    assert "its answers are frozen" in response.content.decode()
    assert Answer.objects.filter(note=NOTE_A).exists()


def test_the_end_of_the_workshop_records_removed_joins(world):
    from assessments.accounts.models import AuditEvent, AuditKind

    workshop = _start(world)
    for _ in range(2):
        _join(Client(), workshop.code)
    invite = Invite.objects.filter(workshop=workshop).first()
    services.workshop_seat_remove(workshop=workshop, invite_id=invite.pk, by=world.lead)
    services.workshop_end(workshop=workshop, by=world.lead)
    summary = AuditEvent.objects.get(kind=AuditKind.WORKSHOP_ENDED).summary
    assert "1 joined, 0 finished (1 removed by a lead, with their answers)" in summary


# Counts in steps --------------------------------------------------------------------------


def test_the_projector_never_says_when_one_person_finished(world):
    """The attack of the live count: watch the projector's poll while one person finishes.
    Between steps of three nothing moves, not even the poll's ETag."""
    workshop = _start(world)
    principle = world.round.framework.principles.order_by("order")[0]
    services.workshop_show(workshop=workshop, by=world.lead, principle=principle)
    screen = Client()
    poll = reverse(
        "assessments:workshop-projector-state",
        kwargs={"workshop": workshop.pk, "key": workshop.projector_key},
    )
    phones = [Client() for _ in range(5)]
    tokens = [_join(phone, workshop.code) for phone in phones]
    etag = screen.get(poll)["ETag"]
    seen = []
    for phone, token in zip(phones, tokens, strict=True):
        _answer(phone, token, level="3", note="")
        response = screen.get(poll, HTTP_IF_NONE_MATCH=etag)
        seen.append(response.status_code)
        if response.status_code == 200:
            etag = response["ETag"]
            counts = response.json()["counts_html"]
            assert re.search(r'<td class="text-end">(fewer than 3|\d+ or more)</td>', counts)
    # Only the third finishing person moves it (the count and the first snapshot).
    assert seen == [304, 304, 200, 304, 304]
