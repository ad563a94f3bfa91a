"""What each role can work out, over HTTP, from everything it can fetch, over time.

Hypothesis plays sequences of events on an organisation's round in a cohort: people
finishing, people answering without finishing, the round closing and reopening, a person
deleting their account, another organisation closing a round, an organisation joining.
After every event, three roles fetch what they can:

- a **colleague** of the organisation (and its **lead**): the results page, with every
  group drawn on the radar; the two CSV files; the PDF report; the links page, the
  activity log and the zip of everything;
- the cohort's **facilitator**: the dashboard and the heat-map CSV for everyone and each
  perspective, and the cohort PDF;
- a **member of another organisation** in the cohort: their results page and PDF, which
  carry the cohort mean.

What they can work out is tested in three steps.

1. **Everything shown comes from published figures.** At each moment every answer and
   note in the database is changed, and everyone's perspective too, and everything above
   is fetched again (PDF pages' text and drawing, radar coordinates included): it must be
   byte for byte what it was. So what any role sees is a function of the publications
   only, and of nothing a publication leaves out.
2. **The publications are exactly what the colleague downloads.** Each publication's
   figures are the counts of each level per statement and group in the answers CSV,
   nothing more; the test holds each count to the true answers of the people the
   attacker is taken to know it covers (the strongest attacker: one who knows who each
   figure covers, everyone's perspective and who answered what), so a count that secretly
   covered someone else would fail here. Every figure any role sees is therefore a
   function of these counts, and what they let anyone work out is what the counts do.
3. **The counts determine nothing about one or two people.** Each count is a linear
   equation over the individual answers (one 0/1 unknown per person, statement and level).
   Changing, for each person, from the five level unknowns to their total (known: they
   answered) and four of the levels splits the equations into the same system of group
   sums for each level, so the question is whether some combination of the group sums
   every publication of the round has shown is a non-zero sum over one or two people. The
   test answers it with exact fractions: the null space of all the equations, every
   moment's at once, has a non-zero row for each person (their answer is not determined)
   and no two rows proportional (no combination of two people is known). Rounded figures
   are taken as exact, so rounding can only leave a reader knowing less.

The cohort mean is checked the same way one level up: each organisation's figures are an
unknown, the member of another organisation knows their own, and every mean they have
seen is an equation: no other organisation's figures may be determined. Its value is held
to the organisations' published figures, one decimal place.
"""

import csv
import io
import itertools
import json
import re
import zipfile
from dataclasses import dataclass, field
from fractions import Fraction

import pytest
from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Concat
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from assessments.accounts.models import Organisation, User
from assessments.cohorts.models import Cohort, CohortBenchmark, CohortMember
from assessments.datarights import services as datarights
from assessments.figures import noise
from assessments.figures.models import Publication
from assessments.rounds import services
from assessments.rounds.models import PERSPECTIVE_LABELS, Answer, Respondent, Round
from tests import factories
from tests.support import answered_round, cohort, ensure_framework, member_org, prepared

pytestmark = pytest.mark.django_db

LABELS = {"all": "Everyone", **PERSPECTIVE_LABELS}
SIGNED_IN = {"staff", "manager"}  # these answer signed in, so they can delete their account


# Exact linear algebra ----------------------------------------------------------------------


def null_space(rows: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    """A basis of {x : row · x = 0 for every row}, as one list per column (unknown): the
    unknown's coordinate in each basis vector."""
    matrix = [list(row) for row in rows]
    pivots: dict[int, int] = {}  # column -> row
    r = 0
    for c in range(width):
        found = next((i for i in range(r, len(matrix)) if matrix[i][c] != 0), None)
        if found is None:
            continue
        matrix[r], matrix[found] = matrix[found], matrix[r]
        head = matrix[r][c]
        matrix[r] = [v / head for v in matrix[r]]
        for i, row in enumerate(matrix):
            if i != r and row[c] != 0:
                k = row[c]
                matrix[i] = [a - k * b for a, b in zip(row, matrix[r], strict=True)]
        pivots[c] = r
        r += 1
    free = [c for c in range(width) if c not in pivots]
    basis = [[Fraction(0)] * len(free) for _ in range(width)]
    for j, f in enumerate(free):
        basis[f][j] = Fraction(1)
        for c, i in pivots.items():
            basis[c][j] = -matrix[i][f]
    return basis


def rank(rows: list[list[Fraction]]) -> int:
    width = len(rows[0]) if rows else 0
    return width - len(null_space(rows, width)[0]) if width else 0


def known_about(sets: list[frozenset], unknowns: list, support) -> int:
    """How many independent combinations of the unknowns in ``support`` alone follow from
    the sums over ``sets``: |support| minus the rank of the null space on those columns."""
    column = {u: i for i, u in enumerate(unknowns)}
    rows = [[Fraction(int(u in s)) for u in unknowns] for s in sets]
    basis = null_space(rows, len(unknowns))
    if not basis or not basis[0]:
        return len(support)
    return len(support) - rank([basis[column[u]] for u in support])


def what_is_revealed(sets: list[frozenset]) -> list[tuple]:
    """The people, alone or in twos, about whom the sums over ``sets`` say something (a
    pair only when it tells more than its two people alone do)."""
    people = sorted({p for s in sets for p in s})
    alone = {p: known_about(sets, people, (p,)) for p in people}
    found: list[tuple] = [(p,) for p in people if alone[p]]
    for a, b in itertools.combinations(people, 2):
        if known_about(sets, people, (a, b)) > alone[a] + alone[b]:
            found.append((a, b))
    return found


def test_the_exact_check_finds_what_subtraction_finds():
    """The check, on cases worked by hand (it is independent of the product's ledger)."""
    f = frozenset
    assert what_is_revealed([f("abc")]) == []
    assert what_is_revealed([f("abcd"), f("abc")]) == [("d",)]
    assert what_is_revealed([f("abcde"), f("abc")]) == [("d", "e")]
    assert what_is_revealed([f("acde"), f("bcde")]) == [("a", "b")]  # a minus b
    assert what_is_revealed([f("abcdef"), f("abc"), f("def")]) == []
    assert what_is_revealed([f("abc"), f("abcdef"), f("abcdefg")]) == [("g",)]
    assert known_about([f("ab"), f("cd")], list("abcd"), ("a", "b", "c")) == 1


# The world and what the test knows ---------------------------------------------------------


@dataclass
class Person:
    perspective: str
    levels: dict[int, int]  # statement id -> level (0 is "not sure")
    note: str
    user: User | None = None
    finished: bool = False


@dataclass
class Play:
    """The organisation, its cohort, and the truth the attacker does not have."""

    org: Organisation
    lead: User
    colleague: User
    round: Round
    cohort: Cohort
    facilitator: User
    other: User  # a member of another organisation in the cohort
    other_round: Round
    statements: list
    people: dict[int, Person] = field(default_factory=dict)
    seen_publications: set[int] = field(default_factory=set)
    sets: dict[int, set[frozenset]] = field(default_factory=dict)  # statement -> group sums
    cohort_sets: set[frozenset] = field(default_factory=set)
    counter: itertools.count = field(default_factory=itertools.count)

    @classmethod
    def start(cls, figures_while_open: bool) -> "Play":
        ensure_framework()
        lead = factories.user()
        org = factories.organisation("Riverside adult care", lead=lead)
        colleague = factories.member(org)
        facilitator = factories.user()
        the_cohort = cohort(facilitator)
        CohortMember.objects.create(cohort=the_cohort, organisation=org)
        # What moved: an earlier closed round of the same organisation.
        answered_round(org, lived=3, staff=3, opened_days_ago=40)
        round_ = factories.round(org, by=lead, figures_while_open=figures_while_open)
        # Five organisations with figures: the cohort mean is shown.
        others = [
            member_org(the_cohort, f"Organisation {n}", staff=3, lived=3, staff_level=1 + n % 4)
            for n in range(5)
        ]
        other = factories.member(others[0])
        statements = [s for p in round_.framework.principles.all() for s in p.statements.all()]
        return cls(
            org=org,
            lead=lead,
            colleague=colleague,
            round=round_,
            cohort=the_cohort,
            facilitator=facilitator,
            other=other,
            other_round=others[0].rounds.get(),
            statements=statements,
        )

    # Events ------------------------------------------------------------------------------

    def answer(self, perspective: str, seed: int, finished: bool) -> None:
        if not self.round.is_open:
            return
        n = next(self.counter)
        user = factories.user() if perspective in SIGNED_IN else None
        respondent = factories.respondent(self.round, perspective, user=user)
        levels = {s.pk: (seed * 7 + s.pk * (n + 3)) % 5 for s in self.statements}
        note = f"Note {seed % 3}" if seed % 2 else ""
        factories.answer_all(respondent, level=lambda s: levels[s.pk], note=note, finished=finished)
        self.people[respondent.pk] = Person(perspective, levels, note, user, finished)

    def close(self) -> None:
        if self.round.is_open:
            services.round_close(round=self.round, by=self.lead)

    def reopen(self) -> None:
        if self.round.is_closed:
            services.round_reopen(round=self.round, by=self.lead, reason="More people to hear")

    def delete_account(self) -> None:
        person = next((p for p in self.people.values() if p.user is not None), None)
        if person is not None and person.user is not None:
            datarights.account_delete(user=person.user)
            person.user = None

    def other_organisation_closes(self, level: int) -> None:
        members = CohortMember.objects.filter(cohort=self.cohort).exclude(organisation=self.org)
        chosen = members.order_by("pk")[level % members.count()].organisation
        answered_round(chosen, staff=3, lived=0, staff_level=level, opened_days_ago=1)

    def organisation_joins(self, level: int) -> None:
        member_org(self.cohort, f"Newcomer {next(self.counter)}", staff=3, staff_level=level)

    # What the roles fetch ------------------------------------------------------------------

    def client(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def fetches(self, pdfs: bool, everything: bool = True) -> dict[str, tuple[HttpResponse, str]]:
        """Every page and download the three roles (and the lead) can fetch with figures."""
        r, c = self.round.pk, self.cohort.pk
        keys = ["all", *PERSPECTIVE_LABELS]
        show = "&".join(f"show={k}" for k in keys)
        urls = {
            "colleague results": (self.colleague, reverse("assessments:results", args=[r])),
            "colleague radar, every group": (
                self.colleague,
                reverse("assessments:results", args=[r]) + f"?overlays=1&{show}",
            ),
            "colleague answers.csv": (
                self.colleague,
                reverse("assessments:export-csv", args=[r, "answers"]),
            ),
            "colleague notes.csv": (
                self.colleague,
                reverse("assessments:export-csv", args=[r, "notes"]),
            ),
            "colleague scores.csv": (
                self.colleague,
                reverse("assessments:export-csv", args=[r, "scores"]),
            ),
            "lead links": (self.lead, reverse("assessments:invites", args=[r])),
            "facilitator dashboard": (self.facilitator, reverse("assessments:cohort", args=[c])),
            "member of another organisation, results": (
                self.other,
                reverse("assessments:results", args=[self.other_round.pk]),
            ),
        }
        if not everything:  # what the figures are learnt from
            names = ["colleague answers.csv", "colleague notes.csv", "colleague results"]
            names.append("member of another organisation, results")
            urls = {name: urls[name] for name in names}
        for perspective in PERSPECTIVE_LABELS if everything else ():
            base = reverse("assessments:cohort", args=[c])
            urls[f"facilitator dashboard, {perspective}"] = (
                self.facilitator,
                f"{base}?perspective={perspective}",
            )
            base = reverse("assessments:cohort-csv", args=[c])
            urls[f"facilitator heat-map.csv, {perspective}"] = (
                self.facilitator,
                f"{base}?perspective={perspective}",
            )
        if everything:
            urls["facilitator heat-map.csv"] = (
                self.facilitator,
                reverse("assessments:cohort-csv", args=[c]),
            )
        if pdfs:
            urls |= {
                "colleague report.pdf": (
                    self.colleague,
                    reverse("assessments:report-pdf", args=[r]),
                ),
                "facilitator cohort.pdf": (
                    self.facilitator,
                    reverse("assessments:cohort-pdf", args=[c]),
                ),
                "member of another organisation, report.pdf": (
                    self.other,
                    reverse("assessments:report-pdf", args=[self.other_round.pk]),
                ),
                "lead zip of everything": (
                    self.lead,
                    reverse("assessments:organisation-export", args=[self.org.slug]),
                ),
            }
        clients: dict[int, Client] = {}
        fetched: dict[str, tuple[HttpResponse, str]] = {}
        for name, (user, url) in urls.items():
            client = clients.setdefault(user.pk, self.client(user))
            # The zip and the cohort PDF are asked for with a POST; a worker makes them
            # (at once in tests) and their page offers the file.
            if name in {"lead zip of everything", "facilitator cohort.pdf"}:
                response = prepared(client, client.post(url))
            else:
                response = client.get(url)
            fetched[name] = (response, content(response))
        return fetched


TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')


def without_log(text: str, name: str) -> str:
    """A zip's file, less the activity log and the time of the download."""
    if name == "README.txt":
        return ""
    if not name.endswith(".json"):
        return text
    data = json.loads(text)
    data.pop("activity", None)
    data.pop("exported_at", None)
    return json.dumps(data, sort_keys=True)


def content(response) -> str:
    """What a response shows, as text: a PDF's text and the drawing on each page (so the
    radar's coordinates count), each file of a zip; without per-request tokens."""
    kind = response.get("Content-Type", "")
    if response.status_code != 200:
        return f"{response.status_code} {response.get('Location', '')}"
    body = b"".join(response) if response.streaming else response.content
    if kind.startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() + drawing(page) for page in reader.pages)
    if kind.startswith("application/zip"):
        archive = zipfile.ZipFile(io.BytesIO(body))
        return "\n".join(
            f"{name}\n{without_log(archive.read(name).decode(), name)}"
            for name in sorted(archive.namelist())
        )
    return TOKENS.sub("", body.decode())


def drawing(page) -> str:
    contents = page.get_contents()
    return contents.get_data().decode("latin-1") if contents is not None else ""


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


# The checks --------------------------------------------------------------------------------


class Changed(Exception):
    pass


def assert_shown_from_publications_only(play: Play, before: dict) -> None:
    """Step 1: change every answer, note and perspective; everything fetched is the same."""
    rotate = [key for key in PERSPECTIVE_LABELS if key != "others"]
    try:
        with transaction.atomic():
            Answer.objects.update(level=(F("level") + 2) % 5, note=Concat(Value("x"), "note"))
            Respondent.objects.update(
                perspective=Case(
                    *(When(perspective=a, then=Value(b)) for a, b in itertools.pairwise(rotate)),
                    default=Value(rotate[0]),
                )
            )
            after = play.fetches(pdfs=any(name.endswith(".pdf") for name in before))
            assert after.keys() == before.keys()
            for name, (_, text) in before.items():
                assert after[name][1] == text, f"{name} changed with the raw answers"
            raise Changed
    except Changed:
        pass


def people_covered(publication: Publication) -> set[int]:
    """Who the attacker is taken to know a publication covers (the strongest attacker)."""
    return set(publication.ledger["people"])


def learn_from_the_publication(play: Play, fetched: dict) -> None:
    """Step 2: every count in the round's latest publication is the true count of the
    people the attacker knows it covers, and is one equation (its group, per statement);
    the answers CSV shows the publication's counts and nothing else."""
    response, text = fetched["colleague answers.csv"]
    publication = Publication.objects.filter(round=play.round).order_by("number").last()
    if publication is None:
        assert response.status_code == 302  # nothing published: nothing to download
        return
    play.seen_publications.add(publication.pk)
    covered = people_covered(publication)
    figures = publication.figures
    groups = dict(figures["groups"])
    members = {
        key: {p for p in covered if play.people[p].perspective == key}
        for key in groups
        if key != "others"
    }
    if "others" in groups:
        members["others"] = covered - set().union(*members.values())
    members["all"] = covered
    assert figures["respondents"] == len(covered)
    for key, n in groups.items():
        assert len(members[key]) == n >= 3, f"{key}: {n} people"
    parts = {key: people for key, people in members.items() if key != "all"} or {"all": covered}
    for statement, cells in figures["statements"].items():
        # Each count is its people's true count with the published noise, no more: the
        # groups' counts moved by noise.cells, everyone's their sum.
        expected = noise.cells(
            int(statement),
            {
                key: [(p, play.people[p].levels[int(statement)]) for p in people]
                for key, people in parts.items()
            },
            "all",
        )
        for key, cell in cells.items():
            who = frozenset(members[key])
            assert cell == expected[key], (
                f"statement {statement}, {key}: not the count of its people"
            )
            play.sets.setdefault(int(statement), set()).add(who)
    # The answers CSV: the publication's counts, by its groups (or everyone).
    code_of = {s.code: s for s in play.statements}
    key_of = {label: key for key, label in LABELS.items()}
    downloaded: dict[tuple[str, str], list[int]] = {}
    for row in rows_of(text):
        cell = downloaded.setdefault((key_of[row["perspective"]], row["statement"]), [0] * 5)
        cell[int(row["level"] or 0)] += 1
    shown_keys = set(groups) or {"all"}
    assert downloaded == {
        (key, code): [cell["not_sure"], *cell["levels"]]
        for code, statement in code_of.items()
        for key, cell in figures["statements"].get(str(statement.pk), {}).items()
        if key in shown_keys
    }
    # The notes, in a file of their own: those of the people covered, in alphabetical
    # order, tied to no group.
    notes = rows_of(fetched["colleague notes.csv"][1])
    assert all(set(r) == {"principle", "statement", "from", "to", "note"} for r in notes)
    truth_notes = sorted(play.people[p].note for p in covered if play.people[p].note)
    for code in code_of:
        listed = [r["note"] for r in notes if r["statement"] == code]
        assert listed == truth_notes
    page = fetched["colleague results"][1]
    for key, n in groups.items():
        assert f'<th scope="row">{LABELS[key]}</th><td class="num">{n}</td>' in page


def cohort_mean_shown(text: str) -> list[str]:
    if "Cohort mean</th>" not in text:
        return []
    table = text.split('class="table table-sm scores-table"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    rows = body.split("<tr>")[1:]
    return [re.findall(r'<td class="num[^"]*">(.*?)</td>', row)[-1] for row in rows]


def principle_score(publication: Publication, statements_of: dict[int, list[int]], order: int):
    means = []
    for statement in statements_of[order]:
        cell = publication.figures["statements"].get(str(statement), {}).get("all")
        if cell and sum(cell["levels"]):
            means.append(
                Fraction(sum(n * c for n, c in enumerate(cell["levels"], 1)), sum(cell["levels"]))
            )
    return sum(means) / len(means) if means else None


def learn_from_the_cohort_mean(play: Play, fetched: dict) -> None:
    """The mean the member of another organisation sees: its value is the mean of the
    organisations' published scores it says it covers; the organisations are an equation."""
    shown = cohort_mean_shown(fetched["member of another organisation, results"][1])
    if not shown:
        return
    benchmark = CohortBenchmark.objects.filter(cohort=play.cohort).order_by("made_at", "pk").last()
    assert benchmark is not None
    principles = list(play.round.framework.principles.all())
    statements_of = {
        n: [s.pk for s in p.statements.all()] for n, p in enumerate(principles, start=1)
    }
    publications = Publication.objects.in_bulk([pub for _, pub in benchmark.organisations])
    assert all(p.closing for p in publications.values())
    for order, text in enumerate(shown, start=1):
        scores = [principle_score(p, statements_of, order) for p in publications.values()]
        expected = sum(scores) / len(scores)
        assert abs(Fraction(text) - expected) <= Fraction(1, 20), f"principle {order}: {text}"
    play.cohort_sets.add(frozenset(tuple(pair) for pair in benchmark.organisations))


def assert_nothing_about_one_or_two_people(play: Play) -> None:
    """Step 3, over every moment's equations at once."""
    assert play.seen_publications == set(
        Publication.objects.filter(round=play.round).values_list("pk", flat=True)
    ), "a publication was made that no look saw"
    for statement, sets in play.sets.items():
        revealed = what_is_revealed(sorted(sets, key=sorted))
        assert not revealed, f"statement {statement}: the figures reveal {revealed}"


def assert_no_other_organisation_isolated(play: Play) -> None:
    if not play.cohort_sets:
        return
    own = play.other_round.organisation_id
    pairs = sorted({pair for s in play.cohort_sets for pair in s})
    known = [frozenset([pair]) for pair in pairs if pair[0] == own]
    sets = [*sorted(play.cohort_sets, key=sorted), *known]
    for organisation in {o for o, _ in pairs} - {own}:
        theirs = [pair for pair in pairs if pair[0] == organisation]
        assert not known_about(sets, pairs, theirs), f"organisation {organisation} isolated"


# The property ------------------------------------------------------------------------------

PERSPECTIVES = ["staff", "lived_experience", "carer", "manager", "partner"]
EVENTS = st.one_of(
    st.tuples(st.just("finish"), st.sampled_from(PERSPECTIVES), st.integers(0, 50)),
    st.tuples(st.just("start"), st.sampled_from(PERSPECTIVES), st.integers(0, 50)),
    st.tuples(st.just("close")),
    st.tuples(st.just("reopen")),
    st.tuples(st.just("delete account")),
    st.tuples(st.just("another organisation closes a round"), st.integers(1, 4)),
    st.tuples(st.just("an organisation joins"), st.integers(1, 4)),
)


def play_event(play: Play, event: tuple) -> None:
    match event:
        case ("finish", perspective, seed):
            play.answer(perspective, seed, finished=True)
        case ("start", perspective, seed):
            play.answer(perspective, seed, finished=False)
        case ("close",):
            play.close()
        case ("reopen",):
            play.reopen()
        case ("delete account",):
            play.delete_account()
        case ("another organisation closes a round", level):
            play.other_organisation_closes(level)
        case ("an organisation joins", level):
            play.organisation_joins(level)


# A minute or more each (every page, CSV and PDF fetched after every event): three tests,
# so that parallel workers share them.
@pytest.mark.slow
def test_the_attacks_setting_gives_nothing_away():
    """A lone carer, one more person, reopen, an account deleted, the cohort moving."""
    play_out(
        figures_while_open=True,
        opening=["staff", "staff", "staff", "lived_experience", "lived_experience", "carer"],
        events=[
            ("finish", "lived_experience", 4),
            ("finish", "carer", 5),
            ("close",),
            ("reopen",),
            ("delete account",),
            ("an organisation joins", 2),
            ("another organisation closes a round", 1),
            ("another organisation closes a round", 4),
        ],
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "figures_while_open", [True, False], ids=["figures while open", "figures at close"]
)
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    opening=st.lists(st.sampled_from(PERSPECTIVES), min_size=3, max_size=8),
    events=st.lists(EVENTS, min_size=3, max_size=9),
)
def test_no_role_can_work_out_what_one_or_two_people_said(figures_while_open, opening, events):
    play_out(figures_while_open, opening, events)


def play_out(figures_while_open: bool, opening: list[str], events: list[tuple]) -> None:
    cache.clear()
    with transaction.atomic():
        play = Play.start(figures_while_open)
        # A look after each person of the opening finishes, each event, and the close.
        opened = [("finish", perspective, n) for n, perspective in enumerate(opening)]
        moments = [*opened, *events, ("close",)]
        for number, event in enumerate(moments):
            play_event(play, event)
            last = number == len(moments) - 1
            # Everything is fetched and changed-answers checked at the first look, at each
            # close and at the end (PDFs and the zip then too); the figures at every look.
            everything = number == 0 or event == ("close",)
            fetched = play.fetches(pdfs=last, everything=everything)
            for name, (response, _) in fetched.items():
                assert response.status_code in (200, 302), f"{name}: {response.status_code}"
            learn_from_the_publication(play, fetched)
            learn_from_the_cohort_mean(play, fetched)
            if everything:
                assert_shown_from_publications_only(play, fetched)
        assert_nothing_about_one_or_two_people(play)
        assert_no_other_organisation_isolated(play)
        transaction.set_rollback(True)
