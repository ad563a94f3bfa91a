"""Short codes: a printed sheet's 10-character code, typed at /go, opens that sheet's link;
wrong codes are limited per network address; the sheet says who to ask."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.rounds import new_links, services
from assessments.rounds.models import Invite, Round, token_hash
from coprod import codes
from tests import factories
from tests.support import link_tokens, sign_in

pytestmark = pytest.mark.django_db

GO = reverse("assessments:go")
CODE = re.compile(r'class="(?:link|sheet)-code"[^>]*>([A-Z0-9-]+)<')


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "go"},
    }
    from django.core.cache import cache

    cache.clear()


def text(response) -> str:
    return response.content.decode()


def make_links(client, round_, count=2, **data):
    """Make links as a lead does; the new links page, and its (token, code) pairs."""
    response = client.post(
        reverse("assessments:invites", kwargs={"pk": round_.pk}),
        {"perspective": "lived_experience", "count": count, **data},
    )
    assert response.status_code == 302
    location = response["Location"]
    page = text(client.get(location))
    pairs = list(zip(link_tokens(page), CODE.findall(page), strict=True))
    assert len(pairs) == count
    return location, pairs


def test_each_new_link_has_a_short_code_without_look_alikes(client, world):
    sign_in(client, world.lead)
    _, pairs = make_links(client, world.round, count=5)
    for _, shown in pairs:
        assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", shown)
        assert set(shown.replace("-", "")) <= set(codes.ALPHABET)
    assert len({code for _, code in pairs}) == 5


def test_typing_a_code_at_go_opens_that_link(client, world):
    sign_in(client, world.lead)
    _, pairs = make_links(client, world.round, count=3)
    person = Client()
    form = text(person.get(GO))
    assert "Type the code from your sheet" in form and 'name="code"' in form
    for token, shown in pairs:
        typed = " " + shown.lower().replace("-", " ") + " "  # as someone might type it
        response = person.post(GO, {"code": typed})
        assert response.status_code == 302
        assert response["Location"] == reverse("assessments:invite-start", kwargs={"token": token})
    welcome = person.get(response["Location"])
    assert welcome.status_code == 200 and "Help us see how well we work with you" in text(welcome)


def test_the_home_page_leads_to_go(client):
    assert f'href="{GO}"' in text(client.get("/"))


@pytest.mark.parametrize(
    ("typed", "status", "message"),
    [
        ("", 400, "Enter the code from your sheet."),
        ("KX0M9-HPAQR", 400, "Codes use only these letters and numbers"),
        ("KX7M9-HPAC", 400, "A code has 10 letters and numbers; you typed 9."),
        ("KX7M9-HPAFR", 404, "No link has this code."),
    ],
)
def test_a_code_that_cannot_work_is_explained(client, typed, status, message):
    response = client.post(GO, {"code": typed})
    assert response.status_code == status
    page = text(response)
    assert message in page and "<title>Error:" in page
    assert 'aria-invalid="true"' in page or "is-invalid" in page


def test_a_revoked_links_code_leads_to_its_calm_page(client, world):
    sign_in(client, world.lead)
    _, [(token, shown)] = make_links(client, world.round, count=1)
    invite = Invite.objects.get(token_hash=token_hash(token))
    services.invite_revoke(invite=invite, by=world.lead)
    response = Client().post(GO, {"code": shown}, follow=True)
    assert "<title>This link no longer works" in text(response)


def test_wrong_codes_are_limited_per_network_address(client, world, settings):
    settings.GO_WRONG_CODES_PER_ADDRESS = 4
    sign_in(client, world.lead)
    _, [(token, shown)] = make_links(client, world.round, count=1)
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(4):
        assert guesser.post(GO, {"code": f"AAAAA-AAAA{codes.ALPHABET[n]}"}).status_code == 404
    # From then on a code from that address is refused, a right one too unless sheets of
    # its round have been opened from there: guessing cannot go on in secret.
    refused = guesser.post(GO, {"code": shown})
    assert refused.status_code == 429
    assert "Too many codes that did not work" in text(refused)
    assert "scan the square" in text(refused)
    # Right codes do not count, and another address has its own count.
    neighbour = Client(REMOTE_ADDR="198.51.100.8")
    for _ in range(6):
        assert neighbour.post(GO, {"code": shown}).status_code == 302


def test_wrong_codes_typed_in_a_room_never_keep_out_the_sheets_handed_out_there(client, world):
    """Thirty wrong codes from a room's shared network once refused every code from it, the
    right ones too, for an hour."""
    sign_in(client, world.lead)
    _, sheets = make_links(client, world.round, count=3)
    venue = "203.0.113.50"
    first, *others = sheets
    assert Client(REMOTE_ADDR=venue).post(GO, {"code": first[1]}).status_code == 302
    guesser = Client(REMOTE_ADDR=venue)
    for n in range(30):
        wrong = f"AAAAA-AA{codes.ALPHABET[n // 20]}{codes.ALPHABET[n % 20]}A"
        assert guesser.post(GO, {"code": wrong}).status_code == 404
    assert guesser.post(GO, {"code": "AAAAA-AAAAA"}).status_code == 429
    # The others in the room type their own sheets' codes, and their questions open.
    for token, shown in others:
        response = Client(REMOTE_ADDR=venue).post(GO, {"code": shown})
        assert response.status_code == 302
        assert response["Location"] == reverse("assessments:invite-start", kwargs={"token": token})
    # A sheet of a round nobody has opened there is refused like a wrong code until the hour
    # is up, so the room's network cannot go on guessing other rounds' links.
    other_lead = Client()
    sign_in(other_lead, world.other_lead)
    _, [(token, shown)] = make_links(other_lead, factories.round(world.other_org), count=1)
    assert guesser.post(GO, {"code": shown}).status_code == 429
    assert Client(REMOTE_ADDR="198.51.100.20").post(GO, {"code": shown}).status_code == 302


def test_a_code_is_stored_nowhere_and_needs_the_servers_secret(client, world, settings):
    """Only the hash of the link's token is kept, as before; the code leads to the token only
    through a keyed hash, so a changed secret leaves codes leading nowhere."""
    from tests.assessments.rounds.test_link_privacy import every_stored_text

    sign_in(client, world.lead)
    _, pairs = make_links(client, world.round, count=2)
    stored = every_stored_text()
    for token, shown in pairs:
        code = shown.replace("-", "")
        assert new_links.code_token(code) == token
        assert not [(t, c) for t, c, value in stored if code in value or shown in value]
    settings.SECRET_KEY = "another-" + settings.SECRET_KEY
    assert Client().post(GO, {"code": pairs[0][1]}).status_code == 404


def test_the_sheet_shows_the_code_where_to_type_it_and_who_to_ask(client, world):
    sign_in(client, world.lead)
    location, pairs = make_links(client, world.round, count=2)
    sheets = text(client.get(location + "print/"))
    assert "http://testserver/go/" in sheets
    for _, shown in pairs:
        assert f'class="sheet-code" aria-label="Code: {" ".join(shown.replace("-", ""))}"' in sheets
        assert f">{shown}<" in sheets
    # No contact yet: the lead is told how to add one, and the sheets name nobody.
    assert "do not say who people can ask" in sheets and "Questions? Ask" not in sheets
    client.post(
        reverse("assessments:round-edit", kwargs={"pk": world.round.pk}),
        {"title": world.round.title, "contact": "Sam Patel, 01632 960123"},
    )
    sheets = text(client.get(location + "print/"))
    assert sheets.count("Questions? Ask <strong>Sam Patel, 01632 960123</strong>.") == 2
    welcome = text(Client().get(reverse("assessments:invite-start", kwargs={"token": pairs[0][0]})))
    assert "Sam Patel, 01632 960123" in welcome


def test_a_round_can_name_who_to_ask_when_made(client, world):
    sign_in(client, world.lead)
    framework = world.round.framework
    response = client.post(
        reverse("assessments:round-create", kwargs={"org": world.org.slug}),
        {"title": "Autumn", "framework": framework.pk, "contact": "  Jo at the day centre "},
    )
    assert response.status_code == 302
    made = Round.objects.get(title="Autumn")
    assert made.contact == "Jo at the day centre"
    assert "Jo at the day centre" in text(client.get(made.get_absolute_url()))


def test_a_workshop_code_typed_here_leads_to_the_workshop_join_page(client):
    response = client.post(GO, {"code": "kx7m-9hpa"})
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:workshop-join") + "?code=KX7M9HPA"
