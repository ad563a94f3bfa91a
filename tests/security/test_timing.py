"""When one person answered or finished, and which people the figures cover: what a lead and
a colleague can tell of it over HTTP, by watching.

The attacks, as an insider plays them: a lead makes the links (and keeps them), watches
every page and download they can fetch while people answer one by one, opens the links
they kept now and then, and wants to know
when the one person they care about is in, so as to add the answers that make the next
publication, or to know whose answers a publication covers. The round shows its figures
while it is open, so they move as people finish.

What holds: between two looks, nothing anyone can fetch changes unless a whole step of
three more people has answered or finished; whether one particular person has finished
changes nothing at all; and a publication is dated to the day, never the minute it was
made (the minute the person who completed its step finished).
"""

import io
import json
import re
import zipfile
from datetime import datetime

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.figures.models import Publication
from assessments.rounds.models import Respondent, token_hash
from tests import factories
from tests.support import ensure_framework, link_tokens, prepared, sign_in, statements_of

pytestmark = pytest.mark.django_db

TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')
# The lead's own downloads are in the activity log: what they did, not what anyone else did.
DOWNLOADS = re.compile(r"<tr>(?:(?!</tr>).)*Data downloaded(?:(?!</tr>).)*</tr>", re.S)


class Watch:
    """An organisation whose lead made answer links for a round with figures while open,
    a colleague, and everything the two of them can fetch about the round."""

    def __init__(self):
        ensure_framework()
        self.lead = factories.user("lead@riverside.example", full_name="Rita Patel")
        self.org = factories.organisation("Riverside adult care", lead=self.lead)
        self.colleague = factories.member(self.org, email="colleague@riverside.example")
        self.round = factories.round(self.org, title="Spring reflection", figures_while_open=True)
        self.lead_client = Client()
        sign_in(self.lead_client, self.lead)
        self.colleague_client = Client()
        sign_in(self.colleague_client, self.colleague)
        # Downloads refused before figures are published leave a message for the next page:
        # asked for in a browser of their own, they are compared as the refusal itself.
        self.download_client = Client()
        sign_in(self.download_client, self.colleague)
        self.kept: list[str] = []  # the links the lead made, kept to open them later

    def make_links(self, perspective: str, count: int, label: str) -> list[str]:
        """Links made as a lead makes them; the lead keeps them (the attacker would)."""
        response = self.lead_client.post(
            reverse("assessments:invites", kwargs={"pk": self.round.pk}),
            {"perspective": perspective, "count": count, "label": label},
        )
        assert response.status_code == 302
        tokens = link_tokens(self.lead_client.get(response["Location"]).content.decode())
        assert len(tokens) == count
        self.kept += tokens
        return tokens

    def looks(self, *, pdf: bool = True) -> dict[str, str]:
        """Everything the lead and the colleague can fetch about the round, as text."""
        r, org = self.round.pk, self.org.slug
        lead_pages = {
            "links page": reverse("assessments:invites", args=[r]),
            "round page": reverse("assessments:round", args=[r]),
            "organisation page": reverse("assessments:organisation", args=[org]),
            "activity log": reverse("assessments:organisation-activity", args=[org]),
            "lead results": reverse("assessments:results", args=[r]),
        }
        colleague_pages = {
            "colleague round page": reverse("assessments:round", args=[r]),
            "colleague results": reverse("assessments:results", args=[r]),
        }
        downloads = {
            "answers.csv": reverse("assessments:export-csv", args=[r, "answers"]),
            "scores.csv": reverse("assessments:export-csv", args=[r, "scores"]),
        }
        if pdf:
            downloads["report.pdf"] = reverse("assessments:report-pdf", args=[r])
        seen = {name: shown(self.lead_client.get(url)) for name, url in lead_pages.items()}
        for name, url in colleague_pages.items():
            seen[name] = shown(self.colleague_client.get(url))
        for name, url in downloads.items():
            seen[name] = shown(self.download_client.get(url))
        export = reverse("assessments:organisation-export", args=[org])
        seen["zip of everything"] = shown(prepared(self.lead_client, self.lead_client.post(export)))
        seen["activity log"] = " ".join(DOWNLOADS.sub("", seen["activity log"]).split())
        # Each link the lead kept, opened in the lead's browser: its welcome page and its
        # first page of statements (without the link's own address, which differs).
        for n, token in enumerate(self.kept, start=1):
            for page, url in (
                ("welcome", reverse("assessments:invite-start", kwargs={"token": token})),
                ("page 1", reverse("assessments:invite-page", kwargs={"token": token, "page": 1})),
            ):
                seen[f"link {n} opened, {page}"] = shown(self.lead_client.get(url)).replace(
                    token, "…"
                )
        return seen


def shown(response) -> str:
    """What a response shows, as text: a PDF's text, each file of a zip (less the time of
    the download and the log of the downloads themselves); without per-request tokens."""
    if response.status_code != 200:
        return f"{response.status_code} {response.get('Location', '')}"
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
    if kind.startswith("application/zip"):
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        data = json.loads(archive.read("organisation.json"))
        data.pop("activity")
        files = {name: archive.read(name).decode() for name in archive.namelist()}
        files.pop("README.txt")  # names who downloaded it, and when
        files["organisation.json"] = json.dumps(data, sort_keys=True)
        return "\n".join(f"{name}\n{text}" for name, text in sorted(files.items()))
    return TOKENS.sub("", response.content.decode())


def answer(token: str, *, finish: bool) -> Client:
    """Someone answers the first page through their link in their own browser, and says
    they have finished (or not yet)."""
    person = Client()
    person.post(reverse("assessments:invite-start", kwargs={"token": token}))
    round_ = Respondent.objects.get(invite__token_hash=token_hash(token)).round
    data = {f"level-{s.pk}": "2" for s in statements_of(round_)} | {"go": "stay"}
    page = reverse("assessments:invite-page", kwargs={"token": token, "page": 1})
    assert person.post(page, data).status_code == 302
    if finish:
        assert person.post(reverse("assessments:invite-done", kwargs={"token": token})).status_code
        assert Respondent.objects.get(invite__token_hash=token_hash(token)).finished_at
    return person


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def test_watching_while_people_finish_one_by_one_shows_only_steps_of_three():
    """The lead and a colleague fetch everything after each person finishes. Nothing moves
    after the first, second, fourth, fifth or seventh person: only when three more have."""
    watch = Watch()
    carer = watch.make_links("carer", 1, "Carer: Alex")
    staff = watch.make_links("staff", 6, "Staff")
    looks = [watch.looks()]
    for n, token in enumerate([*staff[:2], *carer, *staff[2:]], start=1):
        answer(token, finish=True)
        looks.append(watch.looks())
        moved = changed(looks[-2], looks[-1])
        if n % 3:
            assert moved == [], f"after person {n}, {moved} moved"
        else:
            assert "round page" in moved, f"person {n} makes a step, and the page says so"
    assert Publication.objects.filter(round=watch.round).count() == 2  # at three and six
    round_page = looks[-1]["round page"]
    assert "6 or more people have answered, and 6 or more have finished." in round_page
    assert "The first 6 people who finished, published on" in looks[-1]["report.pdf"]


def test_people_who_answer_without_finishing_move_nothing_by_one():
    watch = Watch()
    tokens = watch.make_links("lived_experience", 4, "Table")
    looks = [watch.looks(pdf=False)]
    for n, token in enumerate(tokens, start=1):
        answer(token, finish=False)
        looks.append(watch.looks(pdf=False))
        moved = changed(looks[-2], looks[-1])
        assert moved == ([] if n != 3 else ["round page", "organisation page", "zip of everything"])
    assert (
        "3 or more people have answered, and fewer than 3 have finished."
        in (looks[-1]["round page"])
    )


def test_whether_the_one_carer_has_finished_changes_nothing_anyone_sees():
    """The attack from the last release: a round has one carer, and the links page said
    when that one link finished, so the lead knew when to add two carer answers of their
    own. Now the world in which the carer finished and the one in which someone else did
    instead look exactly the same, to the lead and to a colleague."""
    watch = Watch()
    [carer] = watch.make_links("carer", 1, "Carer: Alex")
    staff = watch.make_links("staff", 3, "Staff")
    answer(staff[0], finish=True)
    answer(staff[1], finish=False)
    answer(carer, finish=True)
    carer_finished = watch.looks()

    class Swapped(Exception):
        pass

    try:
        with transaction.atomic():
            # The other world: the carer has not finished, a member of staff has.
            Respondent.objects.filter(invite__token_hash=token_hash(carer)).update(finished_at=None)
            Respondent.objects.filter(invite__token_hash=token_hash(staff[1])).update(
                finished_at=timezone.now()
            )
            assert changed(carer_finished, watch.looks()) == []
            # Nor whether the carer had answered at all.
            Respondent.objects.filter(invite__token_hash=token_hash(carer)).delete()
            answer(staff[2], finish=False)
            assert changed(carer_finished, watch.looks()) == []
            raise Swapped
    except Swapped:
        pass


def test_a_publication_is_dated_to_the_day_never_the_minute():
    """The moment figures are published is the moment the person who completed the step
    of three finished. The results page, the PDF and the CSV files give the day at most."""
    watch = Watch()
    for token in watch.make_links("staff", 3, "Staff"):
        answer(token, finish=True)
    made = timezone.make_aware(datetime(2026, 3, 4, 14, 37, 52))
    Publication.objects.filter(round=watch.round).update(made_at=made)
    seen = watch.looks()
    assert "published on 4 March 2026." in seen["colleague results"]
    assert "published on 4 March 2026" in seen["report.pdf"]
    for name, text in seen.items():
        assert "14:37" not in text and "2:37" not in text, name
        assert "2026-03-04" not in text, name


def test_typing_move_codes_at_a_kept_link_tells_nothing_of_whether_it_was_started():
    """A lead who kept two links types made-up move codes at each, six times (past the
    limit of wrong codes): what comes back is the same for the link its person started in
    another browser and for the one nobody has opened."""
    watch = Watch()
    started, unused = watch.make_links("staff", 2, "Staff")
    answer(started, finish=False)

    def tries(token: str) -> list[tuple[int, str]]:
        seen = []
        for _ in range(6):
            response = watch.lead_client.post(
                reverse("assessments:invite-move-here", kwargs={"token": token}),
                {"code": "ACEF-HJKM"},
            )
            text = TOKENS.sub("", response.content.decode()).replace(token, "TOKEN")
            seen.append((response.status_code, text))
        return seen

    assert tries(started) == tries(unused)
