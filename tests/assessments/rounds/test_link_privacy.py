"""The promise to people who answer by link: nobody sees who said what, and their answers
are readable only by them. Links are shown once and stored as a hash only."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.rounds.models import token_hash
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
    from assessments.access import invite_for_token

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
