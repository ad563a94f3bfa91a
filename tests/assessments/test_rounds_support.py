"""Shared set-up for the rounds tests (no tests here): a world of two organisations
running rounds against the shipped Cahn framework."""

from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext

from principles.models import Framework
from tests import factories


def ensure_framework() -> Framework:
    """The shipped Cahn framework, loaded from principles/frameworks/ as `make run` does."""
    return factories.framework("cahn")


def sign_in(client, user):
    # django-axes checks every sign-in against its lock-outs, so it needs the request.
    assert client.login(request=HttpRequest(), username=user.email, password=factories.PASSWORD)


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
