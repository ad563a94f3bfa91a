"""Easy read is optional in a framework file, given everywhere or nowhere; a framework
without it is answered in standard words, and its links cannot open in easy read."""

import tomllib
from pathlib import Path

import pytest
from django.urls import reverse

from assessments.errors import ServiceError
from assessments.rounds import services as rounds_services
from principles.content_files import (
    ContentError,
    framework_file,
    parse_framework_text,
)
from principles.models import Framework
from principles.services import framework_load
from tests import factories
from tests.framework_texts import PLAIN, SOME_EASY_READ
from tests.support import World, sign_in

pytestmark = pytest.mark.django_db


def _parse(text):
    return parse_framework_text(Path("ours.toml"), text, tomllib.loads(text))


def _plain_framework() -> Framework:
    framework_load(data=_parse(PLAIN))
    return Framework.objects.get(slug="our-charter")


def test_a_file_without_easy_read_loads_and_says_so():
    data = _parse(PLAIN)
    assert data.easy_read is False
    assert data.principles[0].easy_read_name == ""

    framework = _plain_framework()

    assert framework.has_easy_read is False
    assert Framework.objects.get(slug="cahn").has_easy_read is True


def test_a_file_with_some_easy_read_names_each_line_that_misses_it():
    with pytest.raises(ContentError) as caught:
        _parse(SOME_EASY_READ)

    message = str(caught.value)
    assert "line 6, principle 1: missing 'picture'. Add picture" in message
    assert (
        "line 22, principle 2: no easy read here, though the file gives it in principle 1. "
        "Add easy_read_name, easy_read_summary, picture, picture_alt, or take easy read out "
        "of the whole file: a file gives easy read everywhere or nowhere."
    ) in message
    assert "line 27, principle 2 (sharing-power), statement 1: no easy read here" in message


def test_a_framework_without_easy_read_downloads_as_a_file_that_reads_back():
    framework = _plain_framework()
    text = framework_file(framework)

    assert "easy" not in text and "picture" not in text
    assert _parse(text).content_hash == framework.content_hash


@pytest.fixture
def plain_world():
    world = World()
    framework = _plain_framework()
    world.round.framework = framework
    world.round.save(update_fields=["framework"])
    return world


def test_links_cannot_open_in_easy_read_and_the_lead_is_told_why(client, plain_world):
    sign_in(client, plain_world.lead)
    url = reverse("assessments:invites", args=[plain_world.round.pk])
    page = client.get(url).content.decode()
    reason = (
        "Our co-production charter has no easy-read wording, so its links open in standard words."
    )
    assert reason in page

    client.post(url, {"perspective": "staff", "count": 1, "easy_read": "on"})

    assert not plain_world.round.invites.filter(easy_read=True).exists()
    with pytest.raises(ServiceError, match="has no easy-read wording"):
        rounds_services.invites_create(
            round=plain_world.round, perspective="staff", by=plain_world.lead, easy_read=True
        )


def test_the_answering_pages_read_in_standard_words_and_say_why(client, plain_world):
    sign_in(client, plain_world.member)
    client.post(reverse("reading-mode"), {"easy_read": "on", "next": "/"})
    factories.respondent(plain_world.round, "staff", user=plain_world.member)
    page = client.get(reverse("assessments:member-page", args=[plain_world.round.pk, 1]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "has no easy-read wording, so these pages are in standard words." in text
    assert "Switch to easy read" not in text
    assert "We ask people what matters before anything is decided." in text
