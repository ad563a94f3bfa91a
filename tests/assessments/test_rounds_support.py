"""Shared set-up for the rounds tests (no tests here).

The rounds pages need a framework to run a round against. The real content files in
principles/frameworks/ are loaded when they exist; if none is there yet, a small stand-in
framework with the same slug is loaded through the same loader, so these tests do not
depend on the content being written.
"""

import tempfile
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from principles.models import Framework
from principles.services import frameworks_load
from tests import factories

STAND_IN = """
slug = "cahn"
name = "Edgar Cahn's four principles (stand-in for tests)"
source = "Test content"
summary = "Four principles of co-production."

[[principles]]
slug = "assets"
name = "Recognising people as assets"
summary = "People are not problems to be fixed."
easy_read_summary = "You are good at things."
  [[principles.statements]]
  from_text = "We see people as needs."
  to_text = "We see what people bring."
  from_easy = "We look at what you need."
  to_easy = "We look at what you are good at."
  source_note = "Test"

[[principles]]
slug = "reciprocity"
name = "Promoting reciprocity"
summary = "Giving and taking both ways."
easy_read_summary = "We help each other."
  [[principles.statements]]
  from_text = "We give, you take."
  to_text = "We give and take both ways."
  from_easy = "We help you."
  to_easy = "We help each other."
  source_note = "Test"
"""


def ensure_framework() -> Framework:
    fw = factories.framework("cahn")
    if fw is None:
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "cahn.toml").write_text(STAND_IN, encoding="utf-8")
            frameworks_load(directory=Path(tmp))
        fw = factories.framework("cahn")
    return fw


def sign_in(client, user):
    assert client.login(username=user.email, password=factories.PASSWORD)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


class World:
    """One organisation with a lead, a member and an open round with a link; and another
    organisation with its own lead and member, who must see none of it."""

    def __init__(self):
        ensure_framework()
        self.lead = factories.user("lead@riverside.example", full_name="Rita Patel")
        self.org = factories.organisation("Riverside adult care", lead=self.lead)
        self.member = factories.member(self.org, email="member@riverside.example")
        self.round = factories.round(self.org, title="Spring reflection")
        self.invite = factories.invite(self.round, label="Workshop table")
        self.other_lead = factories.user("lead@hillside.example")
        self.other_org = factories.organisation("Hillside", lead=self.other_lead)
        self.other_member = factories.member(self.other_org, email="member@hillside.example")
