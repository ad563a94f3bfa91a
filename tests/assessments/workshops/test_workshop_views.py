"""A workshop from the lead's projector and the phones' side: starting, joining by code,
answering on the usual pages, locking, ending, and who may do what."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.accounts.models import AuditEvent, AuditKind
from assessments.rounds.models import Answer, Invite, Respondent, RoundStatus
from assessments.workshops import services
from assessments.workshops.models import Workshop
from coprod.codes import display
from tests import factories
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def _lead(client, world):
    sign_in(client, world.lead)
    return client


def _start(world, capacity=40) -> Workshop:
    return services.workshop_start(round=world.round, by=world.lead, capacity=capacity)


def _join(code: str, perspective: str = "staff", client: Client | None = None):
    phone = client or Client()
    response = phone.post(reverse("assessments:workshop-join"), {"code": code})
    assert response.status_code == 200, response.content
    response = phone.post(
        reverse("assessments:workshop-join"), {"code": code, "perspective": perspective}
    )
    return phone, response


def test_lead_starts_a_workshop_and_the_projector_shows_code_qr_and_address(client, world):
    _lead(client, world)
    url = reverse("assessments:workshop", kwargs={"pk": world.round.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert b"Start the workshop" in page.content
    response = client.post(
        reverse("assessments:workshop-start", kwargs={"pk": world.round.pk}), {"capacity": "12"}
    )
    assert response.status_code == 302
    workshop = Workshop.objects.get(round=world.round)
    assert workshop.capacity == 12 and len(workshop.code) == 8
    page = client.get(url).content.decode()
    assert display(workshop.code) in page
    assert "<svg" in page and "QR code" in page
    assert "/join/" in page
    assert AuditEvent.objects.filter(kind=AuditKind.WORKSHOP_STARTED).count() == 1


def test_start_needs_an_open_round(client, world):
    draft = factories.round(world.org, status=RoundStatus.DRAFT)
    _lead(client, world)
    client.post(reverse("assessments:workshop-start", kwargs={"pk": draft.pk}), {"capacity": 5})
    assert not Workshop.objects.exists()


def test_one_live_workshop_per_round(world):
    _start(world)
    with pytest.raises(services.ServiceError):
        _start(world)


def test_a_phone_joins_by_code_and_answers_on_the_usual_pages(world):
    workshop = _start(world)
    typed = display(workshop.code).lower().replace("-", " ")  # lenient reading
    phone, response = _join(typed, "lived_experience")
    assert response.status_code == 302
    assert response["Location"].startswith("/r/")
    invite = Invite.objects.get(workshop=workshop)
    respondent = Respondent.objects.get(invite=invite)
    assert respondent.perspective == "lived_experience" and respondent.browser_key_hash
    page = phone.get(response["Location"])
    assert page.status_code == 200
    assert b"Your organisations" not in page.content  # the minimal header of answer links
    statement = world.round.framework.principles.order_by("order")[0].statements.first()
    token = response["Location"].split("/")[2]
    saved = phone.post(
        reverse("assessments:invite-autosave", kwargs={"token": token}),
        {"statement": statement.pk, f"level-{statement.pk}": "3"},
    )
    assert saved.status_code == 200 and saved.json()["saved"]
    assert Answer.objects.filter(respondent=respondent).count() == 1
    # Another browser holding the address sees nothing of the answers.
    other = Client().get(response["Location"])
    assert other.status_code in (302, 403)


def test_the_qr_code_opens_the_join_page_prefilled(world):
    workshop = _start(world)
    page = Client().get(reverse("assessments:workshop-join") + f"?code={workshop.code}")
    assert page.status_code == 200
    assert b"Which group are you in?" in page.content


def test_wrong_code_is_refused_calmly(world):
    _start(world)
    page = Client().post(reverse("assessments:workshop-join"), {"code": "AAAA-AAAA"})
    assert page.status_code == 400
    assert b"does not match a workshop" in page.content
    page = Client().post(reverse("assessments:workshop-join"), {"code": "0O1l"})
    assert page.status_code == 400


def test_locked_room_and_ended_workshop_take_nobody_new(world):
    workshop = _start(world)
    services.workshop_lock(workshop=workshop, by=world.lead)
    phone, response = Client(), None
    page = phone.post(reverse("assessments:workshop-join"), {"code": workshop.code})
    assert b"not taking new people" in page.content
    services.workshop_lock(workshop=workshop, by=world.lead, locked=False)
    _, response = _join(workshop.code)
    assert response.status_code == 302
    services.workshop_end(workshop=workshop, by=world.lead)
    page = Client().post(reverse("assessments:workshop-join"), {"code": workshop.code})
    assert b"does not match a workshop" in page.content
    kinds = list(
        AuditEvent.objects.filter(round=world.round, kind__startswith="workshop").values_list(
            "kind", "summary"
        )
    )
    assert [k for k, _ in kinds] == [
        AuditKind.WORKSHOP_ENDED,
        AuditKind.WORKSHOP_UNLOCKED,
        AuditKind.WORKSHOP_LOCKED,
        AuditKind.WORKSHOP_STARTED,
    ]
    assert "1 joined, 0 finished" in kinds[0][1]


def test_joining_stops_at_the_leads_cap(world):
    workshop = _start(world, capacity=2)
    for _ in range(2):
        assert _join(workshop.code)[1].status_code == 302
    _, response = _join(workshop.code)
    assert response.status_code == 409
    assert b"full" in response.content
    assert Invite.objects.filter(workshop=workshop).count() == 2


def test_joining_is_limited_per_network_address(world, monkeypatch):
    from datetime import timedelta

    from coprod.limits import Limit

    monkeypatch.setattr(services, "JOINS", Limit("workshop-join", 2, timedelta(hours=1)))
    workshop = _start(world)
    for _ in range(2):
        assert _join(workshop.code)[1].status_code == 302
    _, response = _join(workshop.code)
    assert response.status_code == 429
    # Another network address may still join.
    phone = Client(REMOTE_ADDR="10.0.0.9")
    _, response = _join(workshop.code, client=phone)
    assert response.status_code == 302


VENUE = "203.0.113.50"  # the venue's wifi: everyone in the room shares it


def _type(phone: Client, code: str):
    return phone.post(reverse("assessments:workshop-join"), {"code": code})


def _sixty_wrong_codes(phone: Client) -> None:
    for n in range(60):
        wrong = _type(phone, f"AAAA{n:04d}".translate(str.maketrans("0123456789", "ACEFHJKMNP")))
        assert wrong.status_code == 400 and b"does not match a workshop" in wrong.content


def test_wrong_codes_on_a_venues_network_never_keep_the_room_out(world):
    """Sixty wrong codes from the venue's shared network once refused everyone there, the
    right code included, for ten minutes."""
    workshop = _start(world)
    for _ in range(3):  # people in the room join
        assert _join(workshop.code, client=Client(REMOTE_ADDR=VENUE))[1].status_code == 302
    guesser = Client(REMOTE_ADDR=VENUE)
    _sixty_wrong_codes(guesser)
    refused = _type(guesser, "CCCCCCCC")
    assert refused.status_code == 429
    assert b"Check the code with the person running the workshop" in refused.content
    # The next person in the room types the right code, or scans it, and joins.
    late = Client(REMOTE_ADDR=VENUE)
    assert late.get(reverse("assessments:workshop-join") + f"?code={workshop.code}").status_code
    _, joined = _join(display(workshop.code), client=late)
    assert joined.status_code == 302
    # The guesser's network still learns nothing of any other room: another workshop's right
    # code is refused there exactly as a wrong one is, until the ten minutes are up.
    elsewhere = services.workshop_start(round=factories.round(world.other_org), by=world.other_lead)
    other = _type(guesser, elsewhere.code)
    assert other.status_code == 429
    assert b"Check the code with the person running the workshop" in other.content
    assert b"Which group are you in?" not in other.content
    assert _join(elsewhere.code, client=Client(REMOTE_ADDR="198.51.100.20"))[1].status_code == 302


def test_wrong_codes_before_anyone_joined_do_not_keep_the_room_out(client, world):
    """Typed on the venue's network before the workshop starts: the lead starts it from
    the room, and the first person in the room joins."""
    _sixty_wrong_codes(Client(REMOTE_ADDR=VENUE))
    lead = Client(REMOTE_ADDR=VENUE)
    sign_in(lead, world.lead)
    lead.post(
        reverse("assessments:workshop-start", kwargs={"pk": world.round.pk}), {"capacity": 40}
    )
    workshop = Workshop.objects.get(round=world.round)
    assert _join(workshop.code, client=Client(REMOTE_ADDR=VENUE))[1].status_code == 302


def test_right_codes_are_not_counted(world, monkeypatch):
    from datetime import timedelta

    from coprod.limits import Limit

    monkeypatch.setattr(services, "WRONG_CODES", Limit("workshop-code", 3, timedelta(minutes=10)))
    workshop = _start(world)
    # Everyone in a room types one from the same network.
    for _ in range(5):
        assert _join(workshop.code, client=Client())[1].status_code == 302
    assert _type(Client(), "AAAAAAAA").status_code == 400


def test_workshop_links_are_not_listed_with_the_leads_links(client, world):
    workshop = _start(world)
    _lead(client, world)
    url = reverse("assessments:invites", kwargs={"pk": world.round.pk})
    before = _without_tokens(client.get(url).content.decode())
    _join(workshop.code)
    _join(workshop.code)
    assert _without_tokens(client.get(url).content.decode()) == before


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_poll_endpoint_answers_with_etag_and_304(client, world):
    workshop = _start(world)
    _lead(client, world)
    url = reverse("assessments:workshop-state", kwargs={"pk": world.round.pk})
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert "Nobody has joined yet" in json.loads(first.content)["seats_html"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    _join(workshop.code)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "Seat 1, joined" in changed.json()["seats_html"]


def test_lead_controls(client, world):
    workshop = _start(world)
    _lead(client, world)
    control = reverse("assessments:workshop-control", kwargs={"pk": world.round.pk})
    client.post(control, {"action": "lock"})
    workshop.refresh_from_db()
    assert workshop.locked
    client.post(control, {"action": "capacity", "capacity": "7"})
    workshop.refresh_from_db()
    assert workshop.capacity == 7
    # A cap it refuses comes back on the lead's page, the GOV.UK way, and changes nothing.
    refused = client.post(control, {"action": "capacity", "capacity": "0"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "<title>Error: " in page
    assert "There is a problem" in page and 'href="#id_capacity"' in page
    assert 'id="capacity-error"' in page and 'value="0"' in page
    workshop.refresh_from_db()
    assert workshop.capacity == 7
    principle = world.round.framework.principles.order_by("order")[1]
    client.post(control, {"action": "show", "principle": principle.pk})
    workshop.refresh_from_db()
    assert workshop.shown_principle == principle
    page = client.get(reverse("assessments:workshop", kwargs={"pk": world.round.pk}))
    assert b"Agree in the room" in page.content
    client.post(control, {"action": "end"})
    workshop.refresh_from_db()
    assert workshop.ended_at is not None


@pytest.mark.parametrize("who", ["anonymous", "member", "other_lead", "other_member"])
def test_only_the_rounds_leads_run_a_workshop(world, who):
    workshop = _start(world)
    client = Client()
    if who != "anonymous":
        sign_in(
            client,
            {
                "member": world.member,
                "other_lead": world.other_lead,
                "other_member": world.other_member,
            }[who],
        )
    pk = world.round.pk
    urls = [
        ("get", reverse("assessments:workshop", kwargs={"pk": pk})),
        ("get", reverse("assessments:workshop-state", kwargs={"pk": pk})),
        ("post", reverse("assessments:workshop-start", kwargs={"pk": pk})),
        ("post", reverse("assessments:workshop-control", kwargs={"pk": pk})),
    ]
    for method, url in urls:
        response = getattr(client, method)(url, {"action": "end"} if method == "post" else {})
        if who == "anonymous":
            assert response.status_code == 302 and "/login" in response["Location"], url
        elif who == "member":
            assert response.status_code == 403, url
        else:
            assert response.status_code == 404, url
        assert workshop.code not in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.ended_at is None


def test_agreed_position_and_action_from_the_projector_land_in_the_round(client, world):
    _start(world)
    _lead(client, world)
    room = reverse("assessments:workshop", kwargs={"pk": world.round.pk})
    principle = world.round.framework.principles.order_by("order")[0]
    statement = principle.statements.order_by("order").first()
    response = client.post(
        reverse(
            "assessments:agreed-position", kwargs={"pk": world.round.pk, "statement": statement.pk}
        ),
        {"level": "2", "reason": "We agreed in the room", "next": room},
    )
    assert response.status_code == 302 and response["Location"] == room
    assert world.round.agreed_positions.get(statement=statement).level == 2
    response = client.post(
        reverse("assessments:action-create", kwargs={"pk": world.round.pk}) + f"?next={room}",
        {
            "principle": principle.pk,
            "statement": statement.pk,
            "change_from": "We decide alone",
            "change_to": "We decide with people",
            "owner": "Team lead",
            "co_owner": "A resident",
            "step": "map",
            "status": "not_started",
        },
    )
    assert response.status_code == 302 and response["Location"] == room
    assert world.round.actions.get().co_owner == "A resident"
    # They are the round's, as if recorded on the results page.
    plan = client.get(reverse("assessments:actions", kwargs={"pk": world.round.pk}))
    assert b"We decide with people" in plan.content and b"A resident" in plan.content
    services.workshop_show(
        workshop=Workshop.objects.get(round=world.round), by=world.lead, principle=principle
    )
    projector = client.get(room)
    assert b"We agreed in the room" in projector.content


def test_a_closed_round_shows_no_code_to_join(client, world):
    from assessments.rounds import services as round_services

    workshop = _start(world)
    round_services.round_close(round=world.round, by=world.lead)
    _lead(client, world)
    page = client.get(reverse("assessments:workshop", kwargs={"pk": world.round.pk}))
    assert b"The round is not taking answers" in page.content
    assert b'class="join-code"' not in page.content and b"<svg" not in page.content
    refused = Client().post(reverse("assessments:workshop-join"), {"code": workshop.code})
    assert b"not taking answers" in refused.content


def test_the_activity_log_shows_the_workshop_without_answers(client, world):
    workshop = _start(world)
    phone, response = _join(workshop.code)
    services.workshop_end(workshop=workshop, by=world.lead)
    _lead(client, world)
    page = client.get(reverse("assessments:organisation-activity", kwargs={"org": world.org.slug}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Workshop started" in text and "1 joined, 0 finished" in text
    assert workshop.code not in text and response["Location"] not in text


def test_download_everything_lists_the_workshops(world):
    from assessments.datarights.archive import organisation_data

    workshop = _start(world, capacity=9)
    _join(workshop.code)
    services.workshop_end(workshop=workshop, by=world.lead)
    data = organisation_data(world.org)
    [round_] = [r for r in data["rounds"] if r["number"] == world.round.pk]
    [listed] = round_["workshops"]
    assert listed["capacity"] == 9 and listed["people_who_joined"] == 1
    assert listed["ended_at"] is not None
    assert workshop.code not in str(data)
