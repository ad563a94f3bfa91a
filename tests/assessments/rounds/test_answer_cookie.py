"""The cookie that binds a browser to a link's answers ends when the round closes, not a
year later: it lasts until the closing date, a closed round's pages do not read it, and
once the round has closed it grants nothing, even if the round opens again. Tried as
whoever uses a shared computer after the person who answered would."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.rounds import services
from assessments.rounds.models import Respondent
from assessments.web.rounds.views.answer_cookie import ANSWER_COOKIE_AGE
from tests.support import statements_of

pytestmark = pytest.mark.django_db

NOTE = "Quince note written on the library computer"


def _url(token: str, name: str = "start", **kwargs) -> str:
    return reverse(f"assessments:invite-{name}", kwargs={"token": token, **kwargs})


def _answer(browser: Client, token: str, round_) -> None:
    browser.post(_url(token))
    first, *others = statements_of(round_)
    data = {f"level-{first.pk}": "2", f"note-{first.pk}": NOTE, "go": "stay"}
    data.update({f"level-{s.pk}": "2" for s in others})
    assert browser.post(_url(token, "page", page=1), data).status_code == 302


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_the_cookie_lasts_until_the_closing_date_is_over(world):
    closes = timezone.localdate() + timedelta(days=2)
    services.round_update(
        round=world.round, title=world.round.title, closes_on=closes, by=world.lead
    )
    response = Client().post(_url(world.invite.raw_token))
    age = response.cookies["answer_key"]["max-age"]
    # Until the end of the closing day, in the site's time: more than two days from now,
    # less than three; never a year.
    assert 2 * 24 * 3600 < age <= 3 * 24 * 3600


def test_without_a_closing_date_the_cookie_is_kept_while_people_come_back(world):
    response = Client().post(_url(world.invite.raw_token))
    assert response.cookies["answer_key"]["max-age"] == ANSWER_COOKIE_AGE


def test_a_moved_closing_date_moves_the_cookie_with_it(world):
    """The bound browser's pages give the cookie again, with the closing date as it is
    now: a lead who gives people more time does not lock them out of their answers."""
    browser = Client()
    token = world.invite.raw_token
    _answer(browser, token, world.round)
    closes = timezone.localdate() + timedelta(days=9)
    services.round_update(
        round=world.round, title=world.round.title, closes_on=closes, by=world.lead
    )
    page = browser.get(_url(token, "page", page=1))
    assert NOTE in page.content.decode()
    assert 8 * 24 * 3600 < page.cookies["answer_key"]["max-age"] <= 10 * 24 * 3600
    # Only the browser that holds the link is given it again.
    other = Client().get(_url(token, "page", page=1))
    assert "answer_key" not in other.cookies


def test_a_closed_rounds_pages_do_not_depend_on_the_cookie(world):
    browser = Client()
    token = world.invite.raw_token
    _answer(browser, token, world.round)
    services.round_close(round=world.round, by=world.lead)
    for name, kwargs in (("start", {}), ("page", {"page": 1}), ("done", {}), ("move", {})):
        mine = browser.get(_url(token, name, **kwargs))
        anyone = Client().get(_url(token, name, **kwargs))
        assert mine.status_code == anyone.status_code == 200
        assert _without_csrf(mine.content.decode()) == _without_csrf(anyone.content.decode())
        assert "This round has closed" in mine.content.decode()
        assert NOTE not in mine.content.decode()
        # And the browser is told to forget it.
        assert mine.cookies["answer_key"]["max-age"] == 0


def test_after_the_round_closes_the_cookie_grants_nothing_even_if_it_reopens(world):
    """Someone answers on a shared computer; the round closes; months later it is
    reopened. The next person at that computer, with the link in its history and the
    cookie still kept, sees nothing of the answers."""
    browser = Client()
    token = world.invite.raw_token
    _answer(browser, token, world.round)
    kept = browser.cookies["answer_key"].value
    services.round_close(round=world.round, by=world.lead)
    services.round_reopen(round=world.round, by=world.lead, reason="Two carers asked for time")
    later = Client()
    later.cookies["answer_key"] = kept
    later.cookies["answer_key"]["path"] = _url(token)
    for name, kwargs in (("start", {}), ("page", {"page": 1}), ("done", {}), ("move", {})):
        page = later.get(_url(token, name, **kwargs)).content.decode()
        assert NOTE not in page and "Welcome back" not in page
    # Its pages are as for a link nobody has used; pressing Start says the answers are
    # kept private, and does not take the link over.
    assert later.get(_url(token, "page", page=1))["Location"] == _url(token)
    start = later.post(_url(token))
    assert start.status_code == 403
    assert "These answers are kept private" in start.content.decode()
    assert NOTE not in start.content.decode()
    # The answers stay, and count.
    assert Respondent.objects.get(invite=world.invite).answers.filter(note=NOTE).exists()


def test_a_round_closed_by_its_date_and_given_more_time_grants_the_old_cookie_nothing(world):
    browser = Client()
    token = world.invite.raw_token
    services.round_update(
        round=world.round,
        title=world.round.title,
        closes_on=timezone.localdate(),
        by=world.lead,
    )
    _answer(browser, token, world.round)
    kept = browser.cookies["answer_key"].value
    # The closing day passes (the round closes by itself), then the lead gives more time.
    world.round.__class__.objects.filter(pk=world.round.pk).update(
        closes_on=timezone.localdate() - timedelta(days=1)
    )
    world.round.refresh_from_db()
    assert "This round has closed" in browser.get(_url(token, "page", page=1)).content.decode()
    services.round_update(
        round=world.round,
        title=world.round.title,
        closes_on=timezone.localdate() + timedelta(days=7),
        by=world.lead,
    )
    later = Client()
    later.cookies["answer_key"] = kept
    later.cookies["answer_key"]["path"] = _url(token)
    page = later.get(_url(token, "page", page=1), follow=True)
    assert NOTE not in page.content.decode() and "Welcome back" not in page.content.decode()
    assert later.post(_url(token)).status_code == 403


def test_moving_a_closing_date_while_open_keeps_the_binding(world):
    browser = Client()
    token = world.invite.raw_token
    _answer(browser, token, world.round)
    services.round_update(
        round=world.round,
        title=world.round.title,
        closes_on=timezone.localdate() + timedelta(days=3),
        by=world.lead,
    )
    assert NOTE in browser.get(_url(token, "page", page=1)).content.decode()
