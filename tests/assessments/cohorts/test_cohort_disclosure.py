"""What a facilitator can download or see of a cohort, taken together and over time,
never tells what one or two people said.

An attack that once worked, replayed over HTTP with an ordinary account: a facilitator
downloaded the heat-map CSV for everyone and for each perspective the filter offered, and
subtracted to find a lone carer's scores; and downloaded it either side of one more person
answering, to find that person's.
"""

import csv
import io
import re

import pytest
from django.urls import reverse

from assessments.reporting.disclosure import discloses
from assessments.reporting.publishing import EVERYONE, latest
from assessments.rounds import services
from assessments.rounds.models import Perspective, RoundStatus
from tests import factories
from tests.support import member_org, sign_in

pytestmark = pytest.mark.django_db


# A facilitator and the heat map ------------------------------------------------------------


def lone_carer_org(world):
    """Brookfield: three staff, three people with lived experience and one carer, each
    answering differently on every statement, in a round that has closed."""
    org = member_org(world.cohort, "Brookfield", with_round=False)
    round_ = factories.round(org, status=RoundStatus.OPEN)
    for perspective, people, level in [
        ("staff", 3, lambda s: 4),
        ("lived_experience", 3, lambda s: 2),
        ("carer", 1, lambda s: 1 + s.order % 4),
    ]:
        for _ in range(people):
            factories.answer_all(factories.respondent(round_, perspective), level=level)
    services.round_close(round=round_, by=None)
    return org, round_


def offered(client, world) -> list[str]:
    page = client.get(reverse("assessments:cohort", kwargs={"pk": world.cohort.pk})).content
    select = page.decode().split('<select name="perspective"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([a-z_]*)"', select)


def heat_map(client, world, perspective="") -> dict[str, list[str]]:
    """organisation → its row of the heat-map CSV (after the header)."""
    url = reverse("assessments:cohort-csv", kwargs={"pk": world.cohort.pk})
    response = client.get(url + (f"?perspective={perspective}" if perspective else ""))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    return {row[0]: row[1:] for row in rows[1:]}


def downloads(client, world) -> dict[str, dict[str, list[str]]]:
    """Every heat map a facilitator can download: everyone, each perspective offered, and
    each perspective not offered (by editing the address)."""
    keys = ["", *Perspective.values]
    assert set(offered(client, world)) <= set(keys)
    return {key: heat_map(client, world, key) for key in keys}


def with_figures(row: list[str]) -> bool:
    return any(cell for cell in row[4:-1])  # the principle columns


def test_heat_maps_never_give_away_a_lone_carer_or_one_new_person(client, world):
    org, round_ = lone_carer_org(world)
    sign_in(client, world.facilitator)
    publication = latest(round_)
    shown_groups = {key for key, _ in publication.figures["groups"]}
    assert "carer" not in shown_groups  # one carer: never a group of their own

    # The filter offers only groups some organisation's figures show on their own.
    assert set(offered(client, world)) - {""} <= {
        key for r in (round_, world.round) for key, _ in latest(r).figures["groups"]
    }
    before = downloads(client, world)
    # Brookfield has figures for everyone and for the groups its publication shows, and
    # for nothing else: not for carers, and not for staff either, whose figures beside
    # everyone's and the lived-experience group's would leave the carer's.
    filtered = {key for key, rows in before.items() if with_figures(rows[org.name])}
    assert filtered == {""} | (shown_groups & set(Perspective.values))
    assert "carer" not in filtered and "staff" not in filtered
    # However the downloads are set beside one another, the sets of people behind
    # Brookfield's figures tell nothing about one or two people.
    people = publication.ledger["parts"]
    sets = [frozenset(people[key or EVERYONE]) for key in filtered]
    assert not discloses(sets)

    # One more person answers, then a second: every download stays exactly the same.
    for _ in range(2):
        factories.answer_all(factories.respondent(round_, "carer"), level=4)
        assert latest(round_) == publication
        assert downloads(client, world) == before

    # A third: now three new people stand behind the change, and the figures move.
    factories.answer_all(factories.respondent(round_, "carer"), level=4)
    republished = latest(round_)
    assert republished != publication and republished.respondents == 10
    after = downloads(client, world)
    assert after[""][org.name] != before[""][org.name]
    assert after[""][org.name][2] == "10"  # people in the published figures
    groups = {key for key, _ in republished.figures["groups"]}
    for key, rows in after.items():
        if with_figures(rows[org.name]):
            assert key == "" or key in groups
    # Everything published for the round, old and new, still gives nobody away.
    every_set = [
        frozenset(s) for p in (publication, republished) for s in p.ledger["parts"].values()
    ]
    assert not discloses(every_set)
    # Riverside, which did not change, downloads the same throughout.
    assert after[""][world.org.name] == before[""][world.org.name]


def test_figures_published_while_open_move_only_in_steps_of_three(client, world):
    org = member_org(world.cohort, "Eastgate", with_round=False)
    round_ = factories.round(org, status=RoundStatus.OPEN, figures_while_open=True)
    sign_in(client, world.facilitator)
    seen = []
    for person in range(8):
        factories.answer_all(
            factories.respondent(round_, "staff" if person % 2 else "lived_experience"),
            level=1 + person % 4,
        )
        row = heat_map(client, world)[org.name]
        if not seen or row != seen[-1][1]:
            seen.append((person + 1, row))
    # No figures until 3 people finished, then new ones at 6: never one person apart.
    assert [people for people, _ in seen] == [1, 3, 6]
    assert not with_figures(seen[0][1]) and "Not enough people yet" in seen[0][1][-1]
    assert [row[2] for _, row in seen[1:]] == ["3", "6"]
