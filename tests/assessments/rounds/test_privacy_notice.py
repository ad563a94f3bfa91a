"""The privacy notice a person answering by link can open: this organisation's keeping
period, in plain words and in easy read, without an account."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.accounts.organisation_settings import organisation_keeping_period
from assessments.rounds.models import Round
from assessments.rounds.services import round_close
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def notice(world):
    return reverse("assessments:invite-privacy", kwargs={"token": world.invite.raw_token})


def start(world):
    return reverse("assessments:invite-start", kwargs={"token": world.invite.raw_token})


@pytest.mark.parametrize("months", [1, 12, 30])
def test_the_notice_gives_the_organisations_keeping_period(client, world, months):
    organisation_keeping_period(organisation=world.org, months=months, by=world.lead)
    page = client.get(notice(world)).content.decode()
    unit = "month" if months == 1 else "months"
    assert (
        f"Riverside adult care keeps each person’s answers and notes for {months} {unit} after "
        "the round closes." in page
    )
    client.post(reverse("reading-mode"), {"easy_read": "on", "next": notice(world)})
    easy = client.get(notice(world)).content.decode()
    assert f"We keep your answers and notes for {months} {unit} after the questions close." in easy
    assert "Nobody sees which answers are yours." in easy


def test_the_notice_says_when_a_closed_rounds_answers_go(client, world):
    round_close(round=world.round, by=world.lead)
    closed = timezone.make_aware(datetime.datetime(2026, 1, 31, 12))
    Round.objects.filter(pk=world.round.pk).update(closed_at=closed)
    page = client.get(notice(world)).content.decode()
    assert "This round closed, so the answers will be deleted on 31 January 2027." in page


def test_the_notice_names_whom_to_ask(client, world):
    Round.objects.filter(pk=world.round.pk).update(contact="Sam Patel, 01632 960123")
    page = client.get(notice(world)).content.decode()
    assert "contact Sam Patel, 01632 960123." in page
    assert "Information Commissioner’s Office" in page


def test_every_answering_page_leads_to_it_and_it_sets_no_answer_cookie(client, world):
    page = client.get(start(world)).content.decode()
    assert page.count(f'href="{notice(world)}"') == 2  # the welcome's line and the footer
    response = client.get(notice(world))
    assert response.status_code == 200
    assert not any(name.startswith("answer") for name in response.cookies)
    assert f'href="{start(world)}"' in response.content.decode()  # back to the questions


def test_the_sites_own_notice_gives_the_default_and_the_range(client, world):
    page = client.get(reverse("privacy")).content.decode()
    assert "from 1 month to 10 years, 12 months unless it chose otherwise" in page
    assert "Riverside" not in page
    sign_in(client, world.lead)
    home = client.get(reverse("assessments:organisations") + "?all=1").content.decode()
    assert f'href="{reverse("privacy")}"' in home
