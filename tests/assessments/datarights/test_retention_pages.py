"""Every page and download of a round shows the same figures after its answers and notes
are deleted at the end of the keeping period, and says when they were deleted."""

import csv
import datetime
import io
import json
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.datarights import retention
from assessments.documents.stamp import stamp_renew
from assessments.rounds.models import Action, AgreedPosition, Round
from assessments.rounds.services import round_close
from tests.support import World, earlier_round, first_statement, prepared, sign_in, with_answers

pytestmark = pytest.mark.django_db

NOTE = "Nobody asked us first"
GONE = re.compile(
    r"(Each person’s answers and notes in this round were deleted on [^.]+\."
    r"|Answers and notes deleted at the end of the keeping period on [^.]+\.)"
)
# The notes' own lines, which go: a count of notes, and the notes themselves.
NOTE_WORDS = re.compile(r"(and \d+ notes?|Notes \(\d+\), without names|“?" + NOTE + r"”?)")
# The links' own line on the round's page, which goes with the links.
LINKS = re.compile(r"\d+ links? made, \d+ revoked\.")
# A PDF's running heads (the section, with its number) and page numbers: without the notes
# it has fewer pages, so they fall elsewhere.
PAGES = re.compile(r"(Riverside adult care · .{0,120}?)?Page \d+ of \d+")


@pytest.fixture
def world():
    world = World()
    earlier = earlier_round(world, level=2, people=4)
    with_answers(world)
    statement = first_statement(world)
    AgreedPosition.objects.create(
        round=world.round, statement=statement, level=2, reason="Agreed.", recorded_by=world.lead
    )
    Action.objects.create(
        round=world.round,
        principle=statement.principle,
        change_from="Panels are unpaid.",
        change_to="Anyone who gives time is paid.",
        owner="Lead",
    )
    round_close(round=world.round, by=world.lead)
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Round.objects.filter(pk__in=[world.round.pk, earlier.pk]).update(closed_at=long_ago)
    stamp_renew()
    world.earlier = earlier
    return world


def text_of_html(html: str) -> str:
    html = re.sub(r"(?s)<(script|style|svg)\b.*?</\1>", " ", html)
    html = re.sub(r"<[^>]+>", " ", html)
    return " ".join(html.replace("&nbsp;", " ").split())


def text_of_pdf(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def figures(text: str) -> list[str]:
    """The numbers a page or file shows, once the deletion's sentence and the notes' own
    lines are taken out."""
    for words in (GONE, NOTE_WORDS, LINKS, PAGES):
        text = words.sub(" ", text)
    return re.findall(r"\d+(?:\.\d+)?", text)


def everything(client, world) -> dict[str, str]:
    """The text of every page and download of the round, as its lead sees them."""
    pk = world.round.pk
    r = lambda name, **kw: reverse(f"assessments:{name}", kwargs={"pk": pk, **kw})  # noqa: E731
    pages = {
        "round": r("round"),
        "results": r("results"),
        "positions": r("agreed-positions", number=1),
        "position": r("agreed-position", statement=first_statement(world).pk),
        "actions": r("actions"),
        "links": r("invites"),
        "organisation": reverse("assessments:organisation", kwargs={"org": world.org.slug}),
    }
    shown = {}
    for name, address in pages.items():
        response = client.get(address)
        assert response.status_code == 200, name
        shown[name] = text_of_html(response.content.decode())
    for kind in ("answers", "scores", "notes"):
        response = client.get(r("export-csv", kind=kind))
        assert response.status_code == 200, kind
        shown[f"{kind}.csv"] = response.content.decode()
    for name in ("report-pdf", "action-plan-pdf"):
        response = client.get(r(name))
        assert response.status_code == 200, name
        shown[name] = text_of_pdf(response.content)
    response = prepared(
        client,
        client.post(reverse("assessments:organisation-export", kwargs={"org": world.org.slug})),
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    for name in archive.namelist():
        if name.endswith(".csv"):
            shown[f"zip:{name}"] = archive.read(name).decode()
    data = json.loads(archive.read("organisation.json"))
    shown["zip:rounds"] = json.dumps(
        [
            (r["number"], r["people_who_answered"], r["people_in_published_figures"])
            for r in data["rounds"]
        ]
    )
    return shown


def test_every_page_and_download_shows_the_same_figures_after_the_answers_go(client, world):
    sign_in(client, world.lead)
    before = everything(client, world)
    assert NOTE in before["results"] and NOTE in before["notes.csv"]

    assert retention.expired_answers_delete() == 2

    after = everything(client, world)
    assert set(after) == set(before)
    # The links and the notes themselves go, and their pages and files say so.
    for name in sorted(n for n in before if n != "links" and not n.endswith("notes.csv")):
        assert figures(after[name]) == figures(before[name]), name
        assert NOTE not in after[name], name
    world.round.refresh_from_db()
    day = f"{timezone.localtime(world.round.answers_deleted_at):%-d %B %Y}"
    said = f"Each person’s answers and notes in this round were deleted on {day}"
    for name in ("round", "results", "positions", "position", "actions", "links", "report-pdf"):
        assert said in after[name], name
        assert said not in before[name], name
    assert LINKS.search(before["round"]) and not LINKS.search(after["round"])
    assert f"Answers and notes deleted at the end of the keeping period on {day}" in after["round"]
    assert "The answer links were deleted with the answers" in after["round"]
    for name in [n for n in after if n.endswith("notes.csv")]:
        notes = list(csv.reader(io.StringIO(after[name].lstrip("\ufeff"))))
        assert len(notes) == 2 and notes[1][-1].startswith(said), name
    for name in ("answers.csv", "scores.csv"):
        assert after[name] == before[name], name


def test_the_cohort_pages_show_the_same_figures_after_the_answers_go(client):
    from tests.support import CohortWorld

    world = CohortWorld()
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Round.objects.filter(pk=world.round.pk).update(closed_at=long_ago)
    pk = world.cohort.pk
    pages = {
        "dashboard": reverse("assessments:cohort", kwargs={"pk": pk}),
        "csv": reverse("assessments:cohort-csv", kwargs={"pk": pk}),
        "pdf": reverse("assessments:cohort-pdf", kwargs={"pk": pk}),
    }

    def shown():
        sign_in(client, world.facilitator)
        out = {}
        for name, address in pages.items():
            if name == "pdf":  # asked for, then prepared
                response = prepared(client, client.post(address))
            else:
                response = client.get(address)
            assert response.status_code == 200, name
            if name == "pdf":
                out[name] = text_of_pdf(response.content)
            elif name == "csv":
                out[name] = response.content.decode()
            else:
                out[name] = text_of_html(response.content.decode())
        return out

    before = shown()
    assert retention.expired_answers_delete() == 1
    after = shown()
    for name in pages:
        assert figures(after[name]) == figures(before[name]), name
    assert "Each organisation deletes its people’s answers and notes" in after["dashboard"]
