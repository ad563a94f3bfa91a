"""The PDF report and the action plan PDF, read back as a manager's PDF reader would."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from assessments.documents.pdf import StaticFilesOnly, static_file_uri
from assessments.documents.stamp import stamp_renew
from assessments.rounds.models import Action, ActionStatus, AgreedPosition, Step
from tests import factories
from tests.support import (
    World,
    count_queries,
    earlier_round,
    first_statement,
    sign_in,
    with_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = World()
    with_answers(world)
    principles = list(world.round.framework.principles.order_by("order"))
    statement = first_statement(world)
    AgreedPosition.objects.create(
        round=world.round,
        statement=statement,
        level=2,
        reason="We agreed we are only starting to move.",
        recorded_by=world.lead,
    )
    Action.objects.create(
        round=world.round,
        principle=principles[0],
        statement=statement,
        change_from="Assessments start from what people cannot do.",
        change_to="Every assessment starts with what the person can offer.",
        owner="Team manager",
        co_owner="Peer group member",
        due_on=datetime.date(2027, 2, 1),
        step=Step.FOCUS,
        status=ActionStatus.IN_PROGRESS,
    )
    Action.objects.create(
        round=world.round,
        principle=principles[2],
        change_from="Panels are unpaid.",
        change_to="Anyone who gives time is offered payment or time credits.",
        owner="Commissioning lead",
    )
    return world


def report_url(world):
    return reverse("assessments:report-pdf", kwargs={"pk": world.round.pk})


def plan_url(world):
    return reverse("assessments:action-plan-pdf", kwargs={"pk": world.round.pk})


def read(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(response.content))


def page_texts(reader: PdfReader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_report_holds_cover_summary_radar_principles_and_the_action_plan(client, world):
    sign_in(client, world.member)
    response = client.get(report_url(world))
    assert response["Content-Disposition"] == (
        'attachment; filename="riverside-adult-care-spring-reflection-report.pdf"'
    )
    reader = read(response)
    texts = page_texts(reader)
    principles = list(world.round.framework.principles.order_by("order"))
    # Cover, summary, scores with the radar, one page per principle, the action plan.
    assert len(texts) >= 4 + len(principles)
    cover = texts[0]
    assert "Riverside adult care" in cover and "Spring reflection" in cover
    assert "Person with lived experience 3" in cover and "Everyone 6" in cover
    summary = texts[1]
    assert "Summary" in summary and "6 people answered" in summary
    assert "Strongest principle" in summary
    assert "large perception gap" in summary
    scores = texts[2]
    assert "Principle scores" in scores and "Everyone" in scores
    # Each principle opens its own page, with its heading and its statements' figures.
    for number, principle in enumerate(principles, start=1):
        heading = f"{number}. {principle.name}"
        assert any(heading in t and f"Statement {number}.1" in t for t in texts), heading
    everything = " ".join(texts)
    assert "Agreed position: 2 – Starting to move." in everything
    assert "Nobody asked us first" in everything  # the notes, without names
    assert world.lead.email not in everything
    plan = texts[-1]
    assert "Action plan" in plan
    assert "Every assessment starts with what the person can offer." in plan
    assert "Team manager" in plan and "Peer group member" in plan and "1 Feb 2027" in plan
    assert "Focus it" in plan and "In progress" in plan
    # Running headers and page numbers.
    assert "Riverside adult care · Spring reflection" in texts[1]
    assert "Riverside adult care · Spring reflection" not in texts[0]  # not on the cover
    assert f"Page 2 of {len(texts)}" in texts[1]


def test_report_pdf_is_tagged_titled_and_embeds_its_fonts(client, world):
    sign_in(client, world.member)
    reader = read(client.get(report_url(world)))
    assert "Riverside adult care" in reader.metadata.title
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[font["/BaseFont"]] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert any("Atkinson" in name for name in fonts)
    assert all(fonts.values()), f"fonts not embedded: {fonts}"


def test_report_shows_what_moved_since_the_last_round(client, world):
    earlier_round(world, level=1)
    sign_in(client, world.member)
    everything = " ".join(page_texts(read(client.get(report_url(world)))))
    assert "Since Autumn 2025" in everything
    assert "Last round" in everything


def test_action_plan_pdf_alone(client, world):
    sign_in(client, world.lead)
    response = client.get(plan_url(world))
    assert response["Content-Disposition"] == (
        'attachment; filename="riverside-adult-care-spring-reflection-action-plan.pdf"'
    )
    reader = read(response)
    text = " ".join(page_texts(reader))
    assert len(reader.pages) == 1
    assert "Action plan" in text and "Riverside adult care" in text
    principles = list(world.round.framework.principles.order_by("order"))
    assert f"1. {principles[0].name}" in text and f"3. {principles[2].name}" in text
    assert f"2. {principles[1].name}" not in text  # no actions, no heading
    assert "Anyone who gives time is offered payment or time credits." in text


def test_action_plan_pdf_without_actions_says_so(client, world):
    Action.objects.all().delete()
    sign_in(client, world.lead)
    response = client.get(plan_url(world), follow=True)
    assert "There are no actions to print yet." in response.content.decode()


def test_report_waits_for_three_people(client):
    world = World()
    with_answers(world, lived=1, staff=1)
    sign_in(client, world.member)
    response = client.get(report_url(world), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "assessments:results", kwargs={"pk": world.round.pk}
    )
    assert "The report is available once at least 3 people have answered" in (
        response.content.decode()
    )


@pytest.mark.parametrize("url", [report_url, plan_url])
@pytest.mark.parametrize("who", ["anonymous", "other_lead", "other_member"])
def test_pdfs_are_for_the_organisation_only(client, world, url, who):
    if who != "anonymous":
        sign_in(client, getattr(world, who))
    response = client.get(url(world))
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_results_page_links_to_the_pdfs(client, world):
    sign_in(client, world.member)
    page = client.get(reverse("assessments:results", kwargs={"pk": world.round.pk})).content
    page = page.decode()
    assert f'href="{report_url(world)}"' in page and "(PDF)" in page
    assert f'href="{plan_url(world)}"' in page


def test_report_query_count_does_not_grow_with_respondents(client, world):
    sign_in(client, world.member)
    client.get(report_url(world))  # reads the framework version, which is then kept
    stamp_renew()  # as any change would: the results' look-ups are made again
    before = count_queries(client, report_url(world))
    with_answers(world, lived=5, staff=5, partners=4)
    assert count_queries(client, report_url(world)) == before


def test_reports_never_fetch_anything_but_the_sites_static_files():
    fetcher = StaticFilesOnly()
    for url in [
        "http://example.org/tracker.png",
        "https://example.org/x.css",
        "file:///etc/passwd",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_an_encoded_path_cannot_climb_out_of_the_static_files():
    """The file is opened at the decoded path, so the check is made on it: "%2e%2e" is "..",
    and "%2f" is "/"."""
    fetcher = StaticFilesOnly()
    inside = static_file_uri("css/report.css")
    assert fetcher.fetch(inside)
    climbs = "/%2e%2e" * 12 + "/etc/passwd"
    for url in [
        inside.rsplit("/", 1)[0] + climbs,
        inside.rsplit("/", 1)[0] + climbs.replace("/", "%2f"),
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_render_report_command_writes_the_pdf(world, tmp_path, capsys):
    target = tmp_path / "report.pdf"
    call_command("render_report", str(world.round.pk), "-o", str(target))
    assert "written to" in capsys.readouterr().out
    reader = PdfReader(target)
    assert "Riverside adult care" in reader.pages[0].extract_text()
    plan = tmp_path / "plan.pdf"
    call_command("render_report", str(world.round.pk), "--action-plan", "-o", str(plan))
    assert "Action plan" in PdfReader(plan).pages[0].extract_text()
    with pytest.raises(CommandError, match="There is no round 999999"):
        call_command("render_report", "999999", "-o", str(target))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("render_report", str(world.round.pk), "-o", str(tmp_path / "no" / "x.pdf"))


def test_a_round_with_many_answers_still_makes_a_readable_report(client, world):
    for _ in range(3):
        factories.answer_all(factories.respondent(world.round, "carer"), level=2, note="x" * 900)
    sign_in(client, world.member)
    reader = read(client.get(report_url(world)))
    assert len(reader.pages) > 8  # long notes flow onto further pages rather than being cut


def test_a_group_not_sure_of_a_whole_principle_shows_a_dash_not_an_error(client):
    """A group shown on the results (three carers) who answered "not sure" to every
    statement of the first principle has no score for it: the page and the report show
    a dash there instead of failing."""
    world = World()
    with_answers(world)
    first = world.round.framework.principles.order_by("order")[0]
    unsure = {s.pk for s in first.statements.all()}
    for _ in range(3):
        factories.answer_all(
            factories.respondent(world.round, "carer"), level=lambda s: 0 if s.pk in unsure else 2
        )
    sign_in(client, world.member)
    page = client.get(reverse("assessments:results", kwargs={"pk": world.round.pk}))
    assert page.status_code == 200
    row = page.content.decode().split(f'href="#principle-{first.pk}"', 1)[1].split("</tr>")[0]
    assert "–" in row
    text = " ".join(page_texts(read(client.get(report_url(world)))))
    assert "Carer or family member" in text


def test_the_reports_tables_show_every_group_the_results_page_shows(client):
    """With three carers the results page has a carers column; the report's tables once
    followed the chart's default lines (staff and lived experience) and left it out."""
    world = World()
    with_answers(world, partners=3)
    for _ in range(3):
        factories.answer_all(factories.respondent(world.round, "carer"), level=2)
    sign_in(client, world.member)
    reader = read(client.get(report_url(world)))
    texts = page_texts(reader)
    scores = next(t for t in texts if "Principle scores out of 4" in t)
    table = scores.split("Principle scores out of 4", 1)[1]
    for label in ("Carer or family member", "Partner organisation", "Staff"):
        assert label in table
    statements = " ".join(texts)
    assert statements.count("Carer or family member ") >= 16  # beside each statement's score


def test_the_covers_closing_lines_sit_one_above_the_other(client, world):
    """The cover ends with when the report was made and how its counts are kept from telling
    on anyone: two paragraphs at the foot of the page, each on lines of its own (never
    printed over each other)."""
    sign_in(client, world.member)
    cover = read(client.get(report_url(world))).pages[0]
    lines: dict[float, str] = {}

    def line(text, cm, tm, font, size):
        if text.strip():
            y = round(tm[5] * cm[3] + cm[5], 1)
            lines[y] = lines.get(y, "") + text

    cover.extract_text(visitor_text=line)
    produced = [y for y, text in lines.items() if "Produced" in text]
    noise = [y for y, text in lines.items() if "So that nobody" in text]
    assert len(produced) == 1 and len(noise) == 1
    assert "So that nobody" not in lines[produced[0]]
    assert produced[0] - noise[0] >= 9  # a 9 pt line or more apart, the date first
