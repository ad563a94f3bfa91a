"""What a facilitator or a member can download or see of a cohort, taken together and
over time, never tells what one or two people said, nor one organisation's scores.

Two attacks that once worked, replayed over HTTP with ordinary accounts:

- a facilitator downloaded the heat-map CSV for everyone and for each perspective the
  filter offered, and subtracted to find a lone carer's scores; and downloaded it either
  side of one more person answering, to find that person's;
- a member read the cohort mean on their results before and after one more organisation
  closed a round, and worked out that organisation's scores;
- a lead took its own organisation's scores, which it knows, out of the cohort mean
  before and after its own round published again and two more organisations closed
  theirs, and worked out those two organisations' scores.
"""

import csv
import io
import itertools
import re
from fractions import Fraction

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from assessments.cohorts import services as cohorts
from assessments.cohorts.models import CohortBenchmark, CohortMember
from assessments.cohorts.services import cohort_figures_refresh
from assessments.documents import summary
from assessments.figures.disclosure import discloses
from assessments.figures.publishing import EVERYONE, latest
from assessments.rounds import services
from assessments.rounds.models import Perspective, RoundStatus
from tests import factories
from tests.security.test_what_each_role_can_work_out import known_about
from tests.support import answered_round, cohort, ensure_framework, member_org, sign_in

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


# A member and the cohort mean --------------------------------------------------------------


def results(client, world) -> str:
    page = client.get(reverse("assessments:results", kwargs={"pk": world.round.pk}))
    assert page.status_code == 200
    # The only part of the page that changes from one response to the next.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page.content.decode())


def report_text(client, world) -> str:
    response = client.get(reverse("assessments:report-pdf", kwargs={"pk": world.round.pk}))
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def close_a_round(the_cohort, name, level):
    """One more organisation in the cohort, whose lead closes its round."""
    org = member_org(the_cohort, name, with_round=False)
    round_ = factories.round(org, status=RoundStatus.OPEN)
    for perspective in ["staff", "lived_experience"] * 2:
        factories.answer_all(factories.respondent(round_, perspective), level=level)
    services.round_close(round=round_, by=None)
    return org


@pytest.mark.exact_figures
def test_cohort_mean_does_not_move_until_four_organisations_changed(client, world, monkeypatch):
    for i in range(4):
        close_a_round(world.cohort, f"Peer {i}", level=4)
    drawn = []
    radar_svg = summary.radar_svg

    def recording(**kwargs):
        drawn.extend(s for s in kwargs["series"] if s.label == "Cohort mean")
        return radar_svg(**kwargs)

    monkeypatch.setattr(summary, "radar_svg", recording)
    sign_in(client, world.member)
    page, report = results(client, world), report_text(client, world)
    # Riverside at 2.5, four peers at 4.0: 3.7, on the page and in the report.
    assert "the mean of 5 organisations’ figures" in page
    assert '<td class="num">3.7</td>' in page and "3.7" in report
    assert drawn and all(value == 3.7 for value in drawn[-1].values)

    # One organisation closes its round at 1.0 everywhere: a mean of six would be 3.25
    # and give its scores away against the mean of five. Nothing shown moves; nor after a
    # second, nor a third (one of three would learn the other two's total).
    for name in ("Newcomer A", "Newcomer B", "Newcomer C"):
        close_a_round(world.cohort, name, level=1)
        assert results(client, world) == page, f"the cohort mean moved when {name} closed"
        assert report_text(client, world) == report

    # A fourth: four organisations stand behind the change, and the mean moves.
    close_a_round(world.cohort, "Newcomer D", level=2)
    moved = results(client, world)
    assert "the mean of 9 organisations’ figures" in moved
    # (2.5 + 4 × 4.0 + 3 × 1.0 + 2.0) / 9 = 2.6111…: shown, drawn and printed as 2.6.
    assert '<td class="num">2.6</td>' in moved and "2.61" not in moved
    assert all(value == 2.6 for value in drawn[-1].values)
    assert "2.6" in report_text(client, world)


def test_every_cohort_mean_figure_has_one_decimal(client, world):
    for i in range(4):
        close_a_round(world.cohort, f"Peer {i}", level=1 + i % 4)
    sign_in(client, world.member)
    results(client, world)
    shown = summary.round_results(world.round).benchmark
    assert shown is not None
    assert all(round(mean, 1) == mean for mean in shown.means.values())


# An organisation that knows its own figures ------------------------------------------------


def scores(client, round_) -> tuple[list[Fraction], list[Fraction], int]:
    """What a lead reads on its round's results page: its own score for everyone on each
    principle, the cohort mean beside it (empty when none is shown), and how many
    organisations the mean says it covers."""
    page = client.get(reverse("assessments:results", kwargs={"pk": round_.pk})).content.decode()
    table = page.split('class="table table-sm scores-table"', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tbody>", 1)[1].split("<tr>")[1:]
    own = [Fraction(re.findall(r"<strong>([\d.]+)</strong>", row)[0]) for row in rows]
    mean = []
    if "Cohort mean</th>" in table:
        mean = [Fraction(re.findall(r'<td class="num[^"]*">(.*?)</td>', row)[-1]) for row in rows]
    covers = re.search(r"the mean of (\d+) organisations’ figures", page)
    return own, mean, int(covers[1]) if covers else 0


def what_one_organisation_learns(means: list[frozenset], reader: int) -> list:
    """What follows from every mean made for ``reader``, which knows its own figures in
    each: each publication is an unknown (an organisation has one for each round it closed
    in the cohort), each mean an equation over those it covers, and the reader's own are
    known. Returned: the other organisations about which something follows (any
    combination of their own publications), and the twos of other organisations'
    publications about which something follows that neither alone gives. Worked in exact
    fractions by the independent method of ``tests/security``, never by the product's
    ledger."""
    pairs = sorted({pair for mean in means for pair in mean})
    sets = [*means, *(frozenset([pair]) for pair in pairs if pair[0] == reader)]
    theirs = [pair for pair in pairs if pair[0] != reader]
    organisations = sorted({organisation for organisation, _ in theirs})
    alone = {pair: known_about(sets, pairs, [pair]) for pair in theirs}
    return [
        organisation
        for organisation in organisations
        if known_about(sets, pairs, [pair for pair in theirs if pair[0] == organisation])
    ] + [
        (a, b)
        for a, b in itertools.combinations(theirs, 2)
        if known_about(sets, pairs, [a, b]) > alone[a] + alone[b]
    ]


def test_the_independent_method_finds_what_a_lead_takes_out():
    f = frozenset
    # The lead (1) published twice; the mean of five, then of seven with two newcomers.
    before = f([(1, 10), (2, 20), (3, 30), (4, 40), (5, 50)])
    after = f([(1, 11), (2, 20), (3, 30), (4, 40), (5, 50), (6, 60), (7, 70)])
    assert what_one_organisation_learns([before, after], reader=1) == [((6, 60), (7, 70))]
    assert what_one_organisation_learns([before, after], reader=2) == []
    # One organisation alone left: its figures. Alone published again: how they moved.
    assert what_one_organisation_learns([before, before - {(1, 10)}], reader=2) == [1]
    after = before - {(1, 10)} | {(1, 11)}
    assert what_one_organisation_learns([before, after], reader=2) == [1, ((1, 10), (1, 11))]


@pytest.mark.exact_figures
def test_a_lead_cannot_take_its_own_figures_out_of_the_cohort_mean(client, world):
    """Riverside's lead reads the cohort mean of five, has its round published again with
    three answers it chose, and waits for two more organisations to close. Were the mean
    of seven shown, it less the mean of five and less the lead's own two sets of scores
    would be what the two newcomers scored between them: 2.0 on every principle, so 1.0
    each, since no score is below 1. The mean does not move; when it does, after one more,
    the same arithmetic gives three newcomers' total, and nothing about one or two."""
    for i in range(4):
        close_a_round(world.cohort, f"Peer {i}", level=4)
    sign_in(client, world.lead)
    own_before, mean_before, covers_before = scores(client, world.round)
    assert covers_before == 5 and set(mean_before) == {Fraction("3.7")}

    # The lead reopens its round, answers three links it made itself, and closes it again.
    status = reverse("assessments:round-status", kwargs={"pk": world.round.pk})
    client.post(status, {"action": "reopen", "reason": "Three more teams"})
    for _ in range(3):
        factories.answer_all(factories.respondent(world.round, "staff"), level=4)
    client.post(status, {"action": "close"})
    for name in ("Newcomer A", "Newcomer B"):
        close_a_round(world.cohort, name, level=1)
    own_after, mean_after, covers_after = scores(client, world.round)
    assert own_after != own_before  # its figures were published again
    # Nothing to subtract: the mean of five stands, as the lead saw it.
    assert (mean_after, covers_after) == (mean_before, covers_before)

    # One more organisation closes: four have changed, and the mean moves.
    close_a_round(world.cohort, "Newcomer C", level=1)
    own_after, mean_after, covers_after = scores(client, world.round)
    assert covers_after == 8 and mean_after != mean_before
    # The lead's arithmetic now gives the three newcomers' total (3.0, give or take what
    # rounding the two means to one decimal place can hide), never one or two of them.
    slack = (covers_before + covers_after) * Fraction(1, 20)
    worked_out = [
        after * covers_after - before * covers_before - mine_after + mine_before
        for before, after, mine_before, mine_after in zip(
            mean_before, mean_after, own_before, own_after, strict=True
        )
    ]
    assert all(abs(total - 3 * 1) <= slack for total in worked_out)
    # Every mean made, with Riverside's own figures known: nothing about one or two others.
    means = [
        frozenset(tuple(pair) for pair in b.organisations) for b in world.cohort.benchmarks.all()
    ]
    assert len(means) == 2
    assert what_one_organisation_learns(means, world.org.pk) == []


# Any organisation, any history -------------------------------------------------------------


class CohortPlay:
    """A cohort of organisations that close rounds, leave and come back, as Hypothesis
    plays it: five with figures to start, so that a mean is shown."""

    def __init__(self):
        ensure_framework()
        self.cohort = cohort(factories.user())
        self.organisations: list = []
        self.gone: list = []
        for level in (1, 2, 3, 4, 2):
            self.joins(level)

    def joins(self, level):
        name = f"Organisation {len(self.organisations)}"
        org = member_org(self.cohort, name, lived=0, staff=3, staff_level=level)
        self.organisations.append(org)

    def play(self, event):
        match event:
            case ("joins and closes a round", level):
                self.joins(level)
            case ("closes a later round", n, level):
                org = self.organisations[n % len(self.organisations)]
                if org not in self.gone:
                    answered_round(org, lived=0, staff=3, staff_level=level, opened_days_ago=1)
            case ("leaves", n):
                org = self.organisations[n % len(self.organisations)]
                if org not in self.gone:
                    cohorts.cohort_member_leave(member=org.cohort_memberships.get(), by=None)
                    self.gone.append(org)
            case ("comes back", n):
                if self.gone:
                    org = self.gone.pop(n % len(self.gone))
                    CohortMember.objects.create(cohort=self.cohort, organisation=org)
                    cohort_figures_refresh(cohort=self.cohort)  # as accepting again does

    def means(self) -> list[frozenset]:
        return [
            frozenset(tuple(pair) for pair in pairs)
            for pairs in CohortBenchmark.objects.filter(cohort=self.cohort)
            .order_by("made_at", "pk")
            .values_list("organisations", flat=True)
        ]


EVENTS = st.one_of(
    st.tuples(st.just("joins and closes a round"), st.integers(1, 4)),
    st.tuples(st.just("closes a later round"), st.integers(0, 20), st.integers(1, 4)),
    st.tuples(st.just("leaves"), st.integers(0, 20)),
    st.tuples(st.just("comes back"), st.integers(0, 20)),
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(  # the lead's attack: its own figures anew, and two newcomers
    events=[
        ("closes a later round", 0, 4),
        ("joins and closes a round", 1),
        ("joins and closes a round", 1),
    ],
    reader=0,
)
@example(  # four join, two leave: one who left, knowing its own, compares the other two
    events=[("joins and closes a round", 1)] * 4 + [("leaves", 0), ("leaves", 1)],
    reader=0,
)
@given(events=st.lists(EVENTS, min_size=1, max_size=10), reader=st.integers(0, 30))
def test_no_organisation_learns_about_one_or_two_others_from_the_cohort_mean(events, reader):
    """Hypothesis plays organisations joining, closing later rounds, leaving and coming
    back, and picks the organisation that reads: it has seen every mean made and knows its
    own figures in each. Nothing may follow about one other organisation, nor about two
    other organisations' figures together."""
    cache.clear()
    with transaction.atomic():
        play = CohortPlay()
        for event in events:
            play.play(event)
        means = play.means()
        assert means, "five organisations with figures: a mean is shown"
        seen = sorted({organisation for mean in means for organisation, _ in mean})
        reading = seen[reader % len(seen)]  # an organisation whose figures some mean has
        learnt = what_one_organisation_learns(means, reading)
        assert not learnt, f"organisation {reading} learns about {learnt}"
        transaction.set_rollback(True)
