"""The promise to people who answer by link: nobody sees who said what, and their answers
are readable only by them. Links are shown once and stored as a hash only."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.rounds import services
from assessments.rounds.models import Respondent, token_hash
from coprod import codes
from tests.support import link_tokens, sign_in, statements_of

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def make_links(client, round_, count=2, **data) -> list[str]:
    """Make links as the lead does and read their tokens off the "new links" page."""
    response = client.post(
        reverse("assessments:invites", kwargs={"pk": round_.pk}),
        {"perspective": "lived_experience", "count": count, **data},
    )
    assert response.status_code == 302
    tokens = link_tokens(text(client.get(response["Location"])))
    assert len(tokens) == count
    return tokens


def answer_first_page(client, token, level="1", note="My own words") -> None:
    client.post(reverse("assessments:invite-start", kwargs={"token": token}))
    first, *others = statements_of(_round_of(token))
    data = {f"level-{first.pk}": level, f"note-{first.pk}": note, "go": "stay"}
    for statement in others:
        data[f"level-{statement.pk}"] = level
    response = client.post(
        reverse("assessments:invite-page", kwargs={"token": token, "page": 1}), data
    )
    assert response.status_code == 302


def _round_of(token):
    from assessments.web.access import invite_for_token

    return invite_for_token(token).round


def every_stored_text() -> list[tuple[str, str, str]]:
    """(table, column, value) for every text value in every table of the database."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = connection.introspection.get_table_description(cursor, table)
            names = [c.name for c in columns]
            quoted = ", ".join(connection.ops.quote_name(n) for n in names)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for name, value in zip(names, row, strict=True):
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    if isinstance(value, str):
                        found.append((table, name, value))
    return found


def test_no_token_is_stored_anywhere(client, world):
    """Not in the links' table, not in the lead's session, not in the activity log: no
    text column of any table holds a link's token."""
    sign_in(client, world.lead)
    tokens = make_links(client, world.round, count=3, label="Jane")
    client.post(
        reverse("assessments:invites", kwargs={"pk": world.round.pk}),
        {"perspective": "carer", "count": 1, "email": "jane@example.org"},
    )
    [emailed] = link_tokens(mail.outbox[0].body)
    holder = Client()
    answer_first_page(holder, tokens[0])
    tokens += [emailed, world.invite.raw_token]

    stored = every_stored_text()
    # The scan reads what is there: each link's hash, and the note just written.
    assert ("assessments_invite", "token_hash", token_hash(tokens[0])) in stored
    assert ("assessments_answer", "note", "My own words") in stored
    for token in tokens:
        leaks = [(table, column) for table, column, value in stored if token in value]
        assert not leaks, f"a link's token is stored in {leaks}"
    # The sessions' data is encoded: decoded, it holds no token either.
    for session in Session.objects.all():
        decoded = str(SessionStore().decode(session.session_data))
        assert not any(token in decoded for token in tokens)


def answers_of(token) -> list[tuple[int, int, str]]:
    from assessments.rounds.models import Answer

    return sorted(
        Answer.objects.filter(respondent__invite__token_hash=token_hash(token)).values_list(
            "statement_id", "level", "note"
        )
    )


TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')


def same_link_page(client, token, other) -> bool:
    """Two links' pages show the same, but for their own addresses and per-request tokens."""
    one, two = client.get(link_url(token)), client.get(link_url(other))
    assert one.status_code == two.status_code == 200
    return TOKENS.sub("", text(one).replace(token, "…")) == TOKENS.sub(
        "", text(two).replace(other, "…")
    )


def link_url(token, name="start", **kwargs) -> str:
    return reverse(f"assessments:invite-{name}", kwargs={"token": token, **kwargs})


def test_a_lead_cannot_read_or_change_answers_given_through_a_link_they_made(client, world):
    """The attack, over HTTP: the lead makes links (and could copy them then), a person
    answers through one in their own browser, and the lead then opens the links page and
    the link itself. The lead learns nothing of what they said, and the links page does not
    say who has answered or finished."""
    sign_in(client, world.lead)
    jane, other = make_links(client, world.round, count=2, label="Jane")
    client.post(
        reverse("assessments:invites", kwargs={"pk": world.round.pk}),
        {"perspective": "carer", "count": 1, "label": "Sam", "email": "sam@example.org"},
    )
    [sam] = link_tokens(mail.outbox[0].body)

    person = Client()
    answer_first_page(person, jane, level="1", note="Jane private note")
    assert person.post(link_url(jane, "done")).status_code == 200  # finished
    answer_first_page(Client(), sam, level="2", note="Sam private note")  # started
    given = answers_of(jane)
    assert given and ("Jane private note" in {note for _, _, note in given})

    # The links page: label and perspective; no address, no answers, and not who has
    # answered or finished: every link reads the same.
    page = text(client.get(reverse("assessments:invites", kwargs={"pk": world.round.pk})))
    assert "Jane 1" in page and "Jane 2" in page and "Sam" in page
    assert re.findall(r'<span class="link-status">([^<]*)</span>', page) == ["Active"] * 4
    assert "Finished" not in page and "Started" not in page and "Unused" not in page
    for token in (jane, other, sam):
        assert token not in page
    assert "/r/" not in page and "data-copy-target" not in page
    assert "private note" not in page
    # Nor the round page, the activity log or the printed sheets.
    for url in (
        world.round.get_absolute_url(),
        reverse("assessments:organisation-activity", kwargs={"org": world.org.slug}),
    ):
        shown = text(client.get(url))
        assert jane not in shown and "private note" not in shown

    # The lead opens the link copied when it was made: none of the answers, and nothing
    # that tells it from the link nobody has used (Jane 2), whose page it is too.
    assert same_link_page(client, jane, other)
    for url in (link_url(jane, "page", page=1), link_url(jane, "done")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == link_url(jane)
        unused = client.get(url.replace(jane, other))
        assert unused.status_code == 302 and unused["Location"] == link_url(other)
    # ... and cannot change them, by any door; the doors answer as for the unused link.
    first = statements_of(world.round)[0]
    form = {f"level-{first.pk}": "4", f"note-{first.pk}": "Overwritten", "go": "stay"}
    for token in (jane, other):
        response = client.post(link_url(token, "page", page=1), form)
        assert response.status_code == 302 and response["Location"] == link_url(token)
        response = client.post(link_url(token, "autosave"), {"statement": first.pk, **form})
        assert response.status_code == 400
        assert response.json() == {"error": "Start answering from the first page."}
        response = client.post(link_url(token, "done"))
        assert response.status_code == 302 and response["Location"] == link_url(token)
    assert answers_of(jane) == given and answers_of(other) == []
    # Only pressing Start says the link is in use (on the unused link it would take the
    # link over, for its person to find).
    response = client.post(link_url(jane), {})
    assert response.status_code == 403
    shown = text(response)
    assert "This link was already used to start answering in another browser." in shown
    assert "private note" not in shown and "checked" not in shown
    assert answers_of(jane) == given

    # The person who answered still sees and changes their own answers.
    mine = text(person.get(link_url(jane, "page", page=1)))
    assert "Jane private note" in mine and "checked" in mine


def test_a_second_browser_with_the_same_link_is_turned_away(world):
    first, second = Client(), Client()
    token = world.invite.raw_token
    answer_first_page(first, token, note="First browser note")
    assert "Welcome back" in text(first.get(link_url(token)))
    # The second browser is not welcomed back: the page is as for a link nobody has used,
    # and pressing Start says the link is in use in another browser.
    response = second.get(link_url(token))
    assert response.status_code == 200 and "First browser" not in text(response)
    assert "Welcome back" not in text(response) and "Carry on" not in text(response)
    response = second.post(link_url(token))
    assert response.status_code == 403 and "in use in another browser" in text(response)
    assert "First browser note" in text(first.get(link_url(token, "page", page=1)))


def test_the_cookie_is_private_to_the_link_and_the_browser(world):
    person = Client()
    response = person.post(link_url(world.invite.raw_token))
    cookie = response.cookies["answer_key"]
    assert cookie["path"] == link_url(world.invite.raw_token)
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] >= 30 * 24 * 60 * 60  # people come back over weeks
    respondent = Respondent.objects.get(invite=world.invite)
    secret = cookie.value.split(":")[0]
    assert respondent.browser_key_hash == token_hash(secret)
    assert secret not in str(Respondent.objects.filter(pk=respondent.pk).values().get())
    # A forged cookie (the right name, a made-up or unsigned value) is not the browser.
    forger = Client()
    forger.cookies["answer_key"] = secret
    response = forger.get(link_url(world.invite.raw_token, "page", page=1))
    assert response.status_code == 302 and response["Location"] == link_url(world.invite.raw_token)
    assert forger.post(link_url(world.invite.raw_token)).status_code == 403


def test_the_cookie_is_secure_over_https(world, settings):
    settings.SESSION_COOKIE_SECURE = False
    response = Client().post(link_url(world.invite.raw_token), secure=True)
    assert response.cookies["answer_key"]["secure"]


def test_a_link_started_before_browsers_were_bound_goes_to_the_first_to_carry_on(world):
    """Links started before this existed have no browser: the first one to carry on (a
    deliberate button press, not just opening the link) becomes the bound one."""
    from tests import factories

    started = Respondent.objects.create(
        round=world.round, perspective="lived_experience", invite=world.invite
    )
    factories.answer_all(started, level=3, note="Written before the upgrade")
    token = world.invite.raw_token
    first, second = Client(), Client()
    welcome = first.get(link_url(token))
    assert welcome.status_code == 200 and "Start" in text(welcome)
    assert "Written before" not in text(welcome) and "Welcome back" not in text(welcome)
    page = first.get(link_url(token, "page", page=1))
    assert page.status_code == 302 and page["Location"] == link_url(token)  # not bound yet
    assert first.post(link_url(token)).status_code == 302  # "Start" binds this browser
    assert "Written before the upgrade" in text(first.get(link_url(token, "page", page=1)))
    assert "Welcome back" in text(first.get(link_url(token)))
    assert second.post(link_url(token)).status_code == 403
    assert "Written before" not in text(second.get(link_url(token, "page", page=1)))


def test_binding_a_respondent_the_first_browser_wins():
    from assessments.accounts.models import new_token
    from assessments.rounds import services
    from tests import factories
    from tests.support import ensure_framework

    ensure_framework()
    round_ = factories.round(factories.organisation())
    invite = factories.invite(round_)
    first, second = new_token(), new_token()
    respondent = services.respondent_for_invite(invite=invite, browser_key=first)
    again = services.respondent_for_invite(invite=invite, browser_key=second)
    assert again.pk == respondent.pk
    assert again.is_held_by(first) and not again.is_held_by(second)
    assert not again.is_held_by("") and not again.is_held_by(None)
    Respondent.objects.filter(pk=respondent.pk).update(browser_key_hash="")  # before binding
    assert services.respondent_for_invite(invite=invite, browser_key=second).is_held_by(second)
    with pytest.raises(services.ServiceError):
        services.respondent_for_invite(invite=invite, browser_key="short")


# Moving to another device -------------------------------------------------------------

CODE = re.compile(r'id="move-code"><span class="visually-hidden">Your code is </span>([A-Z0-9-]+)<')


def show_code(client, token) -> str:
    response = client.post(link_url(token, "move"))
    assert response.status_code == 200
    [code] = CODE.findall(text(response))
    return code


def test_moving_answers_to_another_device(world):
    token = world.invite.raw_token
    phone, laptop = Client(), Client()
    answer_first_page(phone, token, note="Started on my phone")
    page = text(phone.get(link_url(token, "page", page=1)))
    assert link_url(token, "move") in page  # "Continue on another device"
    assert "Show a code" in text(phone.get(link_url(token, "move")))
    code = show_code(phone, token)
    assert len(code) == 9 and code[4] == "-"
    assert set(code.replace("-", "")) <= set(codes.ALPHABET)

    # On the laptop the link opens on its welcome page; Start says it is in use
    # elsewhere, with a place for the code.
    assert laptop.get(link_url(token, "page", page=1))["Location"] == link_url(token)
    elsewhere = text(laptop.post(link_url(token)))
    assert "Code from your other device" in elsewhere and "Started on my phone" not in elsewhere
    wrong = laptop.post(link_url(token, "move-here"), {"code": "AAAA-AAAA"})
    assert wrong.status_code == 403 and "That code is not right" in text(wrong)
    assert 'aria-invalid="true"' in text(wrong)
    # Typed as people type: small letters, a space instead of the dash.
    moved = laptop.post(link_url(token, "move-here"), {"code": code.lower().replace("-", " ")})
    assert moved.status_code == 302 and moved["Location"] == link_url(token, "page", page=1)
    assert "Started on my phone" in text(laptop.get(link_url(token, "page", page=1)))

    # The phone has lost the answers, and the code does not work twice.
    lost = phone.get(link_url(token, "page", page=1))
    assert lost.status_code == 302 and "Started on my phone" not in text(phone.get(link_url(token)))
    assert phone.post(link_url(token)).status_code == 403  # in use in another browser
    first = statements_of(world.round)[0]
    saved = phone.post(link_url(token, "autosave"), {"statement": first.pk, f"level-{first.pk}": 4})
    assert saved.status_code == 400
    assert answers_of(token) and 4 not in {level for _, level, _ in answers_of(token)}
    again = Client().post(link_url(token, "move-here"), {"code": code})
    assert again.status_code == 403 and "That code is not right" in text(again)
    # Moving back needs a new code from the laptop.
    assert phone.post(link_url(token, "move-here"), {"code": code}).status_code == 403
    back = phone.post(link_url(token, "move-here"), {"code": show_code(laptop, token)})
    assert back.status_code == 302
    assert laptop.get(link_url(token, "page", page=1)).status_code == 302
    assert laptop.post(link_url(token)).status_code == 403


def test_a_code_works_for_15_minutes(world):
    token = world.invite.raw_token
    phone = Client()
    answer_first_page(phone, token)
    code = show_code(phone, token)
    Respondent.objects.filter(invite=world.invite).update(
        move_code_expires_at=timezone.now() - timedelta(seconds=1)
    )
    late = Client().post(link_url(token, "move-here"), {"code": code})
    assert late.status_code == 403 and "run out" in text(late)
    assert phone.get(link_url(token, "page", page=1)).status_code == 200


def test_wrong_codes_typed_by_anyone_holding_the_link_never_spend_its_code(client, world):
    """Five wrong codes, typed by anyone holding the link (here the lead who made it), once
    spent the live code, so its owner could not move their answers."""
    token = world.invite.raw_token
    phone = Client(REMOTE_ADDR="198.51.100.10")
    answer_first_page(phone, token, note="Started on my phone")
    code = show_code(phone, token)
    sign_in(client, world.lead)  # the lead's office network: the test client's own address
    for n in range(services.MOVE_WRONG_CODES.count):
        wrong = client.post(link_url(token, "move-here"), {"code": f"AAAA-AAA{codes.ALPHABET[n]}"})
        assert wrong.status_code == 403 and "That code is not right" in text(wrong)
    # From then on nothing typed there for this link is checked, the right code neither.
    for typed in ("AAAA-AAAA", code):
        paused = client.post(link_url(token, "move-here"), {"code": typed})
        assert paused.status_code == 403
        assert "Too many codes that did not work" in text(paused)
        assert "Try again in 5 minutes" in text(paused)
    assert Respondent.objects.get(invite=world.invite).browser_key_hash
    # The owner's code still works, on their own laptop.
    laptop = Client(REMOTE_ADDR="192.0.2.5")
    moved = laptop.post(link_url(token, "move-here"), {"code": code})
    assert moved.status_code == 302
    assert "Started on my phone" in text(laptop.get(link_url(token, "page", page=1)))
    assert "Started on my phone" not in text(client.get(link_url(token, "page", page=1)))


def test_an_owners_typing_mistakes_do_not_spend_the_code(world):
    token = world.invite.raw_token
    phone, laptop = Client(), Client()
    answer_first_page(phone, token)
    code = show_code(phone, token)
    for wrong in ("AAAA-AAAA", code[:-1] + "A" if code[-1] != "A" else code[:-1] + "C"):
        assert laptop.post(link_url(token, "move-here"), {"code": wrong}).status_code == 403
    assert laptop.post(link_url(token, "move-here"), {"code": code}).status_code == 302


def test_only_the_bound_browser_can_make_a_code(client, world):
    token = world.invite.raw_token
    answer_first_page(Client(), token)
    sign_in(client, world.lead)
    for response in (client.get(link_url(token, "move")), client.post(link_url(token, "move"))):
        assert response.status_code == 302 and response["Location"] == link_url(token)
    assert not Respondent.objects.get(invite=world.invite).move_code_hash


def test_a_move_code_is_kept_only_as_a_keyed_hash(world):
    token = world.invite.raw_token
    phone = Client()
    answer_first_page(phone, token)
    code = show_code(phone, token).replace("-", "")
    stored = every_stored_text()
    assert not [(table, column) for table, column, value in stored if code in value]
    respondent = Respondent.objects.get(invite=world.invite)
    assert respondent.move_code_hash and respondent.move_code_hash != token_hash(code)
