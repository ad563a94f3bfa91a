"""Disclosure control: nothing published lets anyone work out what one or two people said.

The unit tests check the ledger's arithmetic on small cases worked by hand; the property
test lets Hypothesis choose group sizes and sequences of events (people finishing, the
round closing and reopening) and checks every publication the round made, together, with
an independent method (the rank of the equations, in floating point with numpy) that no
person's answer, and no two people's answers, can be worked out. The attacks found on the
old design are replayed over HTTP at the end.
"""

import csv
import io
import itertools

import numpy as np
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.figures.disclosure import Ledger, discloses
from assessments.figures.models import Publication
from assessments.figures.publishing import partition, publication_update
from assessments.rounds import services
from assessments.rounds.models import PERSPECTIVE_LABELS, RoundStatus
from tests import factories
from tests.support import sign_in

f = frozenset


# The ledger, by hand --------------------------------------------------------------------


@pytest.mark.parametrize(
    "sets, disclosed",
    [
        ([f("abc")], False),
        ([f("ab")], True),  # two people's total
        ([f("abcd"), f("abc")], True),  # d = everyone minus the group
        ([f("abcde"), f("abc")], True),  # d + e = everyone minus the group
        ([f("abcdef"), f("abc")], False),
        ([f("abcdef"), f("abc"), f("def")], False),
        ([f("abc"), f("abcd")], True),  # one more person between two looks
        ([f("abc"), f("abcdef")], False),  # three more
        ([f("acde"), f("bcde")], True),  # a minus b is known
    ],
)
def test_what_the_ledger_calls_a_disclosure(sets, disclosed):
    assert discloses(sets) is disclosed


def test_a_ledger_refuses_what_would_disclose_and_keeps_what_is_safe():
    ledger = Ledger([f("abcdefg")])
    assert ledger.add_if_safe(f("abc"))
    assert not ledger.add_if_safe(f("def"))  # g would be everyone minus the two groups
    assert ledger.add_if_safe(f("defg"))
    assert not ledger.safe_with(f("xy"))  # under three people, whatever else is known


@pytest.mark.parametrize(
    "sets, known, disclosed",
    [
        ([f("abc")], f(), False),
        ([f("abc")], f("a"), True),  # a reader who is a learns b + c
        ([f("abcd")], f("a"), False),  # three people the reader is not
        ([f("abcde")], f("ab"), False),
        ([f("abcde"), f("abcdefgh")], f("a"), False),
        ([f("abcd"), f("abcdefg")], f("ae"), True),  # f + g, by difference
    ],
)
def test_a_reader_who_knows_some_answers_makes_the_same_check_on_the_rest(sets, known, disclosed):
    assert discloses(sets, known=known) is disclosed


def test_a_ledger_checks_again_for_each_reader_who_knows_some_answers():
    assert Ledger().safe_with(f("abc"))
    assert not Ledger().safe_with(f("abc"), readers=[f("c")])
    assert Ledger().safe_with(f("abcd"), readers=[f("a"), f("d")])
    assert not Ledger([f("abcdef")]).safe_with(f("abcd"), readers=[f("f")])  # e by difference


def test_partition_folds_small_groups_and_then_the_smallest_group():
    people = {1: "staff", 2: "staff", 3: "staff", 4: "lived_experience", 5: "lived_experience"}
    people |= {6: "lived_experience", 7: "carer"}
    parts = partition(people)
    # The lone carer cannot stand alone, nor be left out of every group (everyone minus the
    # groups would be the carer): staff, the smaller of the two, is folded in with them.
    assert parts == {"lived_experience": f({4, 5, 6}), "others": f({1, 2, 3, 7})}
    # Small groups that make three together are "others"; one group alone is no breakdown.
    people = {1: "staff", 2: "staff", 3: "staff", 4: "carer", 5: "carer", 6: "partner"}
    assert partition(people) == {"staff": f({1, 2, 3}), "others": f({4, 5, 6})}
    assert partition({1: "staff", 2: "staff", 3: "staff", 4: "carer"}) == {}
    assert partition({}) == {}


# Every publication of a round, checked independently ---------------------------------------


def determined(sets: list[frozenset], people: list) -> bool:
    """Whether the sums over ``sets`` pin down one person or two people's total or
    difference: the independent check, by rank in floating point."""
    if not sets:
        return False
    index = {p: i for i, p in enumerate(people)}
    matrix = np.zeros((len(sets), len(people)))
    for row, members in enumerate(sets):
        for person in members:
            matrix[row, index[person]] = 1
    rank = np.linalg.matrix_rank(matrix)

    def known(vector) -> bool:
        return np.linalg.matrix_rank(np.vstack([matrix, vector])) == rank

    for i in range(len(people)):
        if known(np.eye(len(people))[i]):
            return True
    for i, j in itertools.combinations(range(len(people)), 2):
        for sign in (1, -1):
            vector = np.zeros(len(people))
            vector[i], vector[j] = 1, sign
            if known(vector):
                return True
    return False


PERSPECTIVES = ["staff", "manager", "lived_experience", "carer", "partner"]
events = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.sampled_from(PERSPECTIVES), st.integers(0, 3)),
        st.tuples(st.just("close"), st.none(), st.none()),
        st.tuples(st.just("reopen"), st.none(), st.none()),
    ),
    min_size=3,
    max_size=16,
)


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=events, while_open=st.booleans(), at_levels=st.booleans())
def test_no_sequence_of_publications_reveals_one_or_two_people(plan, while_open, at_levels):
    """Also for a round asked at levels, where each statement at each level is a cell."""
    lead = factories.user()
    org = factories.organisation(lead=lead)
    round_ = factories.round(
        org,
        figures_while_open=while_open,
        by=lead,
        slug="nef-nesta" if at_levels else "cahn",
        at_levels=at_levels,
    )
    for what, perspective, skip in plan:
        round_.refresh_from_db()
        if what == "answer" and round_.is_open:
            respondent = factories.respondent(round_, perspective)
            # Some people leave some statements unrated ("not sure"), so groups differ
            # from statement to statement.
            unrated = lambda s, k=skip: 0 if s.order <= k else 2  # noqa: E731
            # At levels, some leave statements unrated at one level only.
            levels = {"individual": 3, "service": unrated, "organisation": 2}
            factories.answer_all(respondent, level=levels if at_levels else unrated)
        elif what == "close" and round_.is_open:
            services.round_close(round=round_, by=lead)
        elif what == "reopen" and round_.is_closed:
            services.round_reopen(round=round_, by=lead, reason="More people to hear from")
    publications = list(Publication.objects.filter(round=round_))
    everyone = sorted({p for pub in publications for p in pub.ledger["people"]})
    assert not determined(
        [f(ids) for pub in publications for ids in pub.ledger["parts"].values()], everyone
    )
    statements = {s for pub in publications for s in pub.ledger["cells"]}
    for statement in statements:
        cells = [
            f(ids)
            for pub in publications
            for ids in pub.ledger["cells"].get(statement, {}).values()
        ]
        assert not determined(cells, everyone)
    for pub in publications:
        # The counts shown are those of the people the check covered (noise moves answers
        # between levels, never adds or takes any away: everyone here answered everything).
        for statement, shown in pub.ledger["cells"].items():
            for key, ids in shown.items():
                cell = pub.figures["statements"][statement][key]
                assert sum(cell["levels"]) + cell["not_sure"] == len(pub.ledger["parts"][key])
                assert len(ids) >= 3
        for key, n in pub.figures["groups"]:
            assert n >= 3 and n == len(pub.ledger["parts"][key])


# The attacks, replayed over HTTP ---------------------------------------------------------


def rows_of(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8")[1:])))


def csv_of(client, round_, kind):
    return client.get(reverse("assessments:export-csv", kwargs={"pk": round_.pk, "kind": kind}))


@pytest.mark.django_db
def test_a_lone_carer_cannot_be_subtracted_from_everyone(client, world):
    """Attack 2: 'Everyone' × n minus the CSV's totals gave a single carer's answers, and
    the notes on the results page but not in the CSV were exactly that carer's notes."""
    round_ = factories.round(world.org, title="Autumn")
    for _ in range(3):
        factories.answer_all(factories.respondent(round_, "staff"), level=4)
        factories.answer_all(factories.respondent(round_, "lived_experience"), level=2)
    factories.answer_all(factories.respondent(round_, "carer"), level=1, note="Only me")
    services.round_close(round=round_, by=world.lead)
    sign_in(client, world.member)
    answers = rows_of(csv_of(client, round_, "answers"))
    statements = {r["statement"] for r in answers}
    # Every answer published is in the CSV, in groups of three or more: nothing is left to
    # subtract from "everyone".
    for code in statements:
        assert len([r for r in answers if r["statement"] == code]) == 7
    groups = {r["perspective"] for r in answers}
    assert "Carer or family member" not in groups
    scores = rows_of(csv_of(client, round_, "scores"))
    for row in scores:
        assert int(row["respondents"]) >= 3
    page = client.get(reverse("assessments:results", kwargs={"pk": round_.pk})).content.decode()
    assert "Only me" in page  # notes are shown ...
    notes = [r for r in rows_of(csv_of(client, round_, "notes")) if r["note"] == "Only me"]
    assert notes and all("perspective" not in r for r in notes)  # ... and tied to no group


@pytest.mark.django_db
def test_one_more_person_does_not_change_what_colleagues_see(client, world):
    """Attack 2, over time: two looks, before and after one person answers, isolated that
    person. Figures now move only in steps of three people."""
    assert world.round.figures_while_open
    sign_in(client, world.member)
    for _ in range(3):
        factories.answer_all(factories.respondent(world.round, "staff"), level=3)
    first = csv_of(client, world.round, "scores").content
    for n in range(2):
        factories.answer_all(factories.respondent(world.round, "lived_experience"), level=1)
        assert csv_of(client, world.round, "scores").content == first, f"changed after {n + 1}"
    factories.answer_all(factories.respondent(world.round, "lived_experience"), level=1)
    assert csv_of(client, world.round, "scores").content != first  # three more: a new step
    page = client.get(reverse("assessments:results", kwargs={"pk": world.round.pk}))
    assert "These figures include the first 6 people who finished" in page.content.decode()


@pytest.mark.django_db
def test_closing_with_one_more_person_keeps_the_published_figures(client, world):
    for _ in range(3):
        factories.answer_all(factories.respondent(world.round, "staff"), level=3)
    published = Publication.objects.get(round=world.round)
    factories.answer_all(factories.respondent(world.round, "staff"), level=1)
    services.round_close(round=world.round, by=world.lead)
    assert world.round.status == RoundStatus.CLOSED
    assert list(Publication.objects.filter(round=world.round)) == [published]
    assert publication_update(round=world.round) is None
    sign_in(client, world.member)
    page = client.get(reverse("assessments:results", kwargs={"pk": world.round.pk}))
    text = page.content.decode()
    assert "These figures include the first 3 people who finished" in text
    assert "The round closed with fewer than 3 more people, so these figures stand" in text


@pytest.mark.django_db
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    sizes=st.lists(st.integers(0, 5), min_size=5, max_size=5),
    unsure=st.integers(0, 3),
)
def test_what_a_colleague_downloads_is_the_publication_and_nothing_more(client, sizes, unsure):
    """The checks above are made on the publication; this one holds the downloads to it:
    each group's answers in the CSV are exactly the publication's counts for that group,
    and each mean in the scores CSV is worked out from those counts alone."""
    lead = factories.user()
    org = factories.organisation(lead=lead)
    colleague = factories.member(org)
    round_ = factories.round(org, by=lead)
    for perspective, size in zip(PERSPECTIVES, sizes, strict=True):
        for n in range(size):
            respondent = factories.respondent(round_, perspective)
            level = lambda s, n=n: 0 if s.order <= unsure and n % 2 else 1 + (s.pk + n) % 4  # noqa: E731
            factories.answer_all(respondent, level=level)
    services.round_close(round=round_, by=lead)
    client.force_login(colleague)
    publication = Publication.objects.filter(round=round_).first()
    response = csv_of(client, round_, "answers")
    if publication is None:
        assert response.status_code == 302  # nothing published: nothing to download
        return
    figures = publication.figures
    labels = {"all": "Everyone", **{k: v for k, v in PERSPECTIVE_LABELS.items()}}
    keys = [key for key, _ in figures["groups"]] or ["all"]
    codes = {
        str(s.pk): s.code for p in round_.framework.principles.all() for s in p.statements.all()
    }
    downloaded: dict[tuple[str, str], list[int]] = {}
    for row in rows_of(response):
        counts = downloaded.setdefault((row["perspective"], row["statement"]), [0] * 5)
        counts[int(row["level"] or 0)] += 1
    published = {
        (labels[key], codes[statement]): [cells[key]["not_sure"], *cells[key]["levels"]]
        for statement, cells in figures["statements"].items()
        for key in keys
        if key in cells
    }
    assert downloaded == published
    for row in rows_of(csv_of(client, round_, "scores")):
        assert int(row["respondents"]) >= 3
        if row["group"] == "Everyone" or not row["mean"]:
            continue
        key = next(k for k in keys if labels[k] == row["group"])
        principle = round_.framework.principles.get(name=row["principle"])
        if row["statement"]:  # a statement's row: that statement's published counts
            order = int(row["statement"].split(".")[1])
            statement = principle.statements.get(order=order)
            levels = figures["statements"][str(statement.pk)][key]["levels"]
            mean = sum(n * c for n, c in enumerate(levels, start=1)) / sum(levels)
            assert row["mean"] == f"{mean:.2f}"
            continue
        means = [
            sum(n * c for n, c in enumerate(cells[key]["levels"], start=1))
            / sum(cells[key]["levels"])
            for s in principle.statements.all()
            if (cells := figures["statements"].get(str(s.pk), {})).get(key)
            and sum(cells[key]["levels"])
        ]
        # To two places as the CSV rounds it (a mean of means may sum its floats in another
        # order, so a value on the half can round either way).
        assert abs(float(row["mean"]) - sum(means) / len(means)) <= 0.005 + 1e-9
