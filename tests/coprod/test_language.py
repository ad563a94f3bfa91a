"""The language switch in every page's header: it works without JavaScript, goes back to
the page it was used on (only if that page is on this site), is remembered by the browser
for everyone and on the account for a signed-in person; and nothing kept in a cache in one
language is shown in another."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from coprod.cache import kept
from tests import factories
from tests.support import sign_in, with_answers

pytestmark = pytest.mark.django_db


def switch(client, language, next_="/principles/"):
    return client.post(reverse("set-language"), {"language": language, "next": next_})


def html_lang(page: str) -> str:
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


def test_every_page_offers_the_other_language_by_its_own_name(client):
    page = client.get("/").content.decode()
    assert html_lang(page) == "en-gb"
    assert 'name="language" value="cy" lang="cy"' in page
    assert ">Cymraeg</button>" in page

    switch(client, "cy")
    page = client.get("/").content.decode()
    assert html_lang(page) == "cy"
    assert 'name="language" value="en-gb" lang="en"' in page
    assert ">English</button>" in page


def test_the_switch_is_a_form_that_goes_back_to_the_page_it_was_used_on(client):
    page = client.get("/principles/?x=1").content.decode()
    form = page.split(f'action="{reverse("set-language")}"', 1)[1].split("</form>", 1)[0]
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<input type="hidden" name="next" value="/principles/?x=1">' in form

    response = switch(client, "cy", next_="/principles/?x=1")
    assert response.status_code == 302
    assert response["Location"] == "/principles/?x=1"
    assert response.cookies["django_language"].value == "cy"


def test_an_address_elsewhere_is_not_followed(client):
    response = switch(client, "cy", next_="https://elsewhere.example/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    response = switch(client, "cy", next_="//elsewhere.example/")
    assert response["Location"] == "/"


def test_a_language_the_site_does_not_offer_is_ignored(client, world):
    sign_in(client, world.member)
    switch(client, "fr")
    world.member.refresh_from_db()
    assert world.member.language == ""
    assert html_lang(client.get("/").content.decode()) == "en-gb"


def test_the_switch_needs_a_post(client):
    assert client.get(reverse("set-language") + "?language=cy").status_code == 405


def test_a_visitor_choice_is_not_kept_on_any_account(client, world):
    switch(client, "cy")
    world.member.refresh_from_db()
    assert world.member.language == ""


def sign_in_with_the_form(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    return response


def test_a_signed_in_choice_follows_the_person_to_another_browser(client, world):
    sign_in(client, world.member)
    switch(client, "cy")
    world.member.refresh_from_db()
    assert world.member.language == "cy"

    elsewhere = Client()
    assert html_lang(elsewhere.get("/").content.decode()) == "en-gb"
    response = sign_in_with_the_form(elsewhere, world.member)
    # The browser remembers it from then on, after signing out too.
    assert response.cookies["django_language"].value == "cy"
    assert html_lang(elsewhere.get("/").content.decode()) == "cy"
    elsewhere.post(reverse("account_logout"))
    assert html_lang(elsewhere.get("/").content.decode()) == "cy"

    # Chosen while signed out: this browser's choice only; the account keeps its own.
    switch(elsewhere, "en-gb")
    assert html_lang(elsewhere.get("/").content.decode()) == "en-gb"
    world.member.refresh_from_db()
    assert world.member.language == "cy"
    # Chosen while signed in: the account's too.
    switch(client, "en-gb")
    world.member.refresh_from_db()
    assert world.member.language == "en-gb"


# Caches ------------------------------------------------------------------------------------


def test_a_kept_value_is_made_again_in_another_language():
    made = []

    def make():
        made.append(translation.get_language())
        return translation.get_language()

    with translation.override("en-gb"):
        assert kept(("language-test", 1), make) == "en-gb"
    with translation.override("cy"):
        assert kept(("language-test", 1), make) == "cy"
        assert kept(("language-test", 1), make) == "cy"
    assert made == ["en-gb", "cy"]


def test_results_kept_in_english_are_not_shown_in_welsh(client, world):
    """The results' figures are kept once drawn; a reader in Welsh gets them drawn in Welsh,
    not the English kept a moment before."""
    with_answers(world)
    sign_in(client, world.member)
    url = reverse("assessments:results", kwargs={"pk": world.round.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as english_again:
        client.get(url)
    switch(client, "cy")
    with CaptureQueriesContext(connection) as welsh:
        page = client.get(url).content.decode()
    assert html_lang(page) == "cy"
    read_again = " ".join(q["sql"] for q in english_again.captured_queries)
    read_in_welsh = " ".join(q["sql"] for q in welsh.captured_queries)
    assert 'FROM "principles_' not in read_again
    assert 'FROM "principles_' in read_in_welsh
