"""Error pages in the site's look, each with a sentence that helps and a way home."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests import factories

pytestmark = pytest.mark.django_db


def test_page_not_found_is_in_the_site_look(client, settings):
    assert settings.DEBUG is False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert 'class="site-header"' in text
    assert "<h1>Page not found</h1>" in text
    assert "check it is correct" in text
    assert f'href="{reverse("home")}">Go to the home page</a>' in text


def test_permission_denied_renders_the_403_page_with_the_reason(client):
    lead = factories.user("lead@team.example")
    organisation = factories.organisation("Riverside adult care", lead=lead)
    member = factories.member(organisation, email="member@team.example")
    client.force_login(member)
    lead_membership = organisation.memberships.get(user=lead)
    response = client.post(
        reverse(
            "assessments:membership-edit",
            kwargs={"org": organisation.slug, "membership": lead_membership.pk},
        ),
        {"action": "remove"},
    )
    assert response.status_code == 403
    text = response.content.decode()
    assert 'class="site-header"' in text
    assert "<h1>You cannot do that</h1>" in text
    assert "Only a lead of this organisation can do that." in text
    assert "Go to the home page" in text


def test_bad_request_is_in_the_site_look(client):
    response = client.get(reverse("home"), HTTP_HOST="not-our-site.example")
    assert response.status_code == 400
    text = response.content.decode()
    assert "<h1>Something was wrong with that request</h1>" in text
    assert "Go to the home page" in text


def test_server_error_page_needs_no_database_or_context(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    text = response.content.decode()
    assert "<h1>Sorry, something went wrong</h1>" in text
    assert "Answers you had already saved are kept." in text
    assert 'class="site-header"' in text
    assert '<a href="/">Go to the home page</a>' in text
