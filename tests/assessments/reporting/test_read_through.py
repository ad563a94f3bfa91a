"""A round's results read through another framework: every figure from the published
principle scores, held back where any it is read from is, and for members and leads only."""

import re
from statistics import fmean

import pytest
from django.urls import reverse

from assessments.documents import pdf
from assessments.documents.read_through import HELD, SHOWN, partners, read_through
from assessments.documents.summary import round_results
from assessments.rounds import services as rounds_services
from assessments.rounds.models import RoundStatus
from assessments.templatetags.results import score
from principles.crosswalks import readings
from tests import factories

pytestmark = pytest.mark.django_db


def _level(perspective, person):
    """Levels that differ from principle to principle; two of three staff are not sure of
    every statement of "networks", so staff's figures for it are held back."""

    def level(statement):
        principle = statement.principle
        if perspective == "staff" and principle.slug == "networks" and person < 2:
            return 0
        return (principle.order + (1 if perspective == "staff" else 0) + person) % 4 + 1

    return level


def wales_round():
    lead = factories.user()
    org = factories.organisation("Cwm Taf Gofal", lead=lead)
    member = factories.member(org)
    round_ = factories.round(org, slug="wales-five")
    for perspective in ("lived_experience", "staff"):
        for person in range(3):
            factories.answer_all(
                factories.respondent(round_, perspective), level=_level(perspective, person)
            )
    rounds_services.round_close(round=round_, by=None)
    return org, lead, member, round_


def url(round_, slug="nef-nesta"):
    return reverse("assessments:results-through", kwargs={"pk": round_.pk, "slug": slug})


def shown_by_results(round_):
    """(group, principle slug) → the score the round's results page shows, unrounded."""
    results = round_results(round_, compare=False, benchmark=False)
    shown = {("all", p.principle.slug): p.summary.mean for p in results.principles}
    for key, _, _ in results.groups:
        for p in results.principles:
            if key in p.by_perspective:
                shown[(key, p.principle.slug)] = p.by_perspective[key].mean
    return shown


def test_a_welsh_five_round_reads_through_nefs_six_from_its_published_scores(client):
    org, lead, _, round_ = wales_round()
    client.force_login(lead)
    results_page = client.get(reverse("assessments:results", kwargs={"pk": round_.pk}))
    assert "Read these results through nef and NESTA’s six principles of co-production" in (
        results_page.content.decode()
    )
    page = client.get(url(round_)).content.decode()
    assert "These figures were not answered directly:" in page
    assert "Read through, not answered directly" in page

    shown = shown_by_results(round_)
    links = readings("nef-nesta")["wales-five"]
    found = dict(
        ((group, slug), text)
        for slug, group, text in re.findall(
            r'data-principle="([a-z-]+)" data-group="([a-z_]+)">([^<]*)<', page
        )
    )
    expected = {}
    for link in links:
        expected.setdefault(link.here, []).append(link.there)
    assert (
        {slug for _, slug in found}
        == set(expected)
        == {
            "assets",
            "existing-capabilities",
            "mutuality",
            "peer-support",
            "blurring-distinctions",
            "facilitating",
        }
    )
    for (group, slug), text in found.items():
        sources = [shown.get((group, there)) for there in expected[slug]]
        if None in sources:
            assert text == "Held back"
        else:
            assert text == score(fmean(sources))
    # Staff's figure for "networks" is held back, and so is what is read from it alone.
    assert ("staff", "networks") not in shown
    assert found[("staff", "peer-support")] == "Held back"
    assert found[("staff", "assets")] != "Held back"
    assert "a principle it is read from is not shown for that group" in page
    assert "none of the principle’s statements has a figure for this group" in page
    # No number on the page but those, and no count of people.
    numbers = re.findall(r"\b\d\.\d\b", page)
    assert sorted(numbers) == sorted(t for t in found.values() if t != "Held back")
    assert not re.search(r"\b\d+ (people|person)\b", page)


def test_the_report_has_the_same_reading_in_a_labelled_section(client):
    _, lead, _, round_ = wales_round()
    client.force_login(lead)
    page = client.get(url(round_)).content.decode()
    report = pdf.report_html(round_)
    assert "Read through other frameworks" in report
    section = report.split('id="through-heading"')[1].split("</section>")[0]
    assert "These figures were not answered directly" in section
    nef = section.split("six principles of co-production</h3>")[1].split("</table>")[0]
    on_page = page.split("<tbody>")[1].split("</tbody>")[0]
    assert re.findall(r">(\d\.\d|Held back)<", nef) == re.findall(r">(\d\.\d|Held back)<", on_page)
    assert "Held back" in nef


def test_principles_the_crosswalk_does_not_cover_are_listed(client):
    _, lead, _, round_ = wales_round()
    client.force_login(lead)
    page = client.get(url(round_, "scie")).content.decode()
    assert "Not covered by the crosswalk" in page
    reading = read_through(round_, "scie")
    assert [p.slug for p in reading.not_covered] == ["diversity", "accessibility"]
    assert [p.principle.slug for p in reading.principles] == ["equality", "reciprocity"]
    assert {f.slug for f in partners(round_)} == {"cahn", "nef-nesta", "scie"}


def test_groups_and_held_back_follow_the_publication(client):
    _, _, _, round_ = wales_round()
    reading = read_through(round_, "nef-nesta")
    assert [key for key, _ in reading.groups] == ["all", "staff", "lived_experience"]
    by_slug = {p.principle.slug: p for p in reading.principles}
    states = {cell.key: cell.state for cell in by_slug["peer-support"].cells}
    assert states["staff"] == HELD
    assert {cell.key: cell.state for cell in by_slug["assets"].cells} == dict.fromkeys(
        ["all", "lived_experience", "staff"], SHOWN
    )
    # Blurring distinctions is read from two principles, neither held back.
    assert [link.here.slug for link in by_slug["blurring-distinctions"].links] == [
        "trust-and-power",
        "change-makers",
    ]
    assert all(cell.state == SHOWN for cell in by_slug["blurring-distinctions"].cells)


def test_no_crosswalk_or_no_figures(client):
    org, lead, _, round_ = wales_round()
    client.force_login(lead)
    assert client.get(url(round_, "wales-five")).status_code == 404
    assert client.get(url(round_, "nobody")).status_code == 404
    draft = factories.round(org, status=RoundStatus.OPEN, slug="wales-five")
    page = client.get(url(draft)).content.decode()
    assert "There are no published figures to read yet" in page
    assert not re.findall(r"\b\d\.\d\b", page)


@pytest.mark.parametrize("who", ["anonymous", "member", "lead", "other lead", "other member"])
def test_who_can_read_it(client, who):
    org, lead, member, round_ = wales_round()
    other = factories.organisation("Elsewhere", lead=(other_lead := factories.user()))
    people = {
        "member": member,
        "lead": lead,
        "other lead": other_lead,
        "other member": factories.member(other),
    }
    if who in people:
        client.force_login(people[who])
    response = client.get(url(round_))
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif who.startswith("other"):
        assert response.status_code == 404
        assert "Cwm Taf Gofal" not in response.content.decode()
    else:
        assert response.status_code == 200
