"""A manager downloads the demo round's PDF report, its action plan and the CSV files."""

import csv
import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from assessments.demo import PASSWORD
from assessments.figures import publishing
from assessments.rounds.models import Round
from tests.browser.support import sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_round():
    ensure_framework()
    call_command("load_demo", force=True)
    return Round.objects.get(title="Adult social care: autumn reflection")


def download(page, link_name, tmp_path):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_manager_downloads_the_report_action_plan_and_csvs(page, axe, demo_round, tmp_path):
    sign_in(page, "lead@riverside.example", PASSWORD)
    page.goto(f"/rounds/{demo_round.pk}/results/")
    assert "What moved since the last round" in page.locator("main").inner_text()
    axe(page, "results-with-comparison")

    report = download(page, "Report for managers and boards (PDF)", tmp_path)
    assert report.name == "riverside-adult-social-care-autumn-reflection-report.pdf"
    reader = PdfReader(report)
    texts = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert len(texts) >= 8
    assert "Riverside" in texts[0] and "Adult social care: autumn reflection" in texts[0]
    everything = " ".join(texts)
    for principle in demo_round.framework.principles.all():
        assert principle.name in everything
    assert "Since Adult social care: spring reflection" in everything
    assert "Every assessment starts with a conversation" in texts[-1]

    scores = download(page, "Scores (CSV spreadsheet)", tmp_path)
    rows = list(csv.DictReader(io.StringIO(scores.read_text(encoding="utf-8-sig"))))
    assert rows and "principle" in {key.lower() for key in rows[0]}

    answers = download(page, "Anonymised answers (CSV spreadsheet)", tmp_path)
    rows = list(csv.DictReader(io.StringIO(answers.read_text(encoding="utf-8-sig"))))
    # One row per published answer, in the groups the publication shows (a group's figure
    # held back by disclosure control has no rows); the notes are in a file of their own.
    figures = publishing.latest(demo_round).figures
    keys = [key for key, _ in figures["groups"]] or ["all"]
    published = sum(
        sum(cells[key]["levels"]) + cells[key]["not_sure"]
        for cells in figures["statements"].values()
        for key in keys
        if key in cells
    )
    assert len(rows) == published > 14 * 16 * 3 // 4

    notes = download(page, "Notes (CSV spreadsheet)", tmp_path)
    rows = list(csv.DictReader(io.StringIO(notes.read_text(encoding="utf-8-sig"))))
    assert rows and all(row["note"] and row["statement"] for row in rows)

    page.get_by_role("link", name="Action plan (3)").click()
    plan = download(page, "Action plan to print (PDF)", tmp_path)
    assert "Action plan" in PdfReader(plan).pages[0].extract_text()
