"""The PDFs as accessible documents: each claims PDF/UA-1, and an independent checker
(pdfua, which reads the PDF's structure with pikepdf) finds no error and no warning in the
round report, the action plan or the cohort summary."""

import datetime
import io
from pathlib import Path

import pikepdf
import pytest
from pdfua import validate

from assessments.documents import pdf
from assessments.documents.cohort import cohort_dashboard
from assessments.rounds.models import Action, AgreedPosition, Step
from tests.support import CohortWorld, World, first_statement, member_org, with_answers

pytestmark = pytest.mark.django_db

# pdfua 0.1.3's empty-heading rule stops on any heading whose /K is an array (it asks a
# pikepdf Array for an attribute, which raises), and WeasyPrint always writes arrays; the
# checker reports the rule as not evaluated. `headings_with_nothing_in_them` checks the same
# thing here.
CHECKER_CANNOT_RUN = {"UA-14-001"}


def check(data: bytes, tmp_path: Path) -> tuple[list[str], set[str]]:
    """The checker's findings (every severity) and the rules it could not evaluate."""
    target = tmp_path / "document.pdf"
    target.write_bytes(data)
    report = validate(str(target))
    findings = [
        f"{finding.rule_id} {finding.severity.name}: {finding.message}"
        for finding in report.findings
    ]
    skipped = {outcome.rule_id for outcome in report.outcomes if outcome.skipped}
    return findings, skipped


def marks_content(node) -> bool:
    if isinstance(node, int):
        return True
    if isinstance(node, pikepdf.Array):
        return any(marks_content(item) for item in node)
    if isinstance(node, pikepdf.Dictionary):
        if node.get("/Type") == pikepdf.Name("/MCR"):
            return True
        return "/K" in node and marks_content(node.K)
    return False


def structure(document: pikepdf.Pdf):
    """Every structure element of the PDF."""
    pending = [document.Root.StructTreeRoot]
    while pending:
        node = pending.pop()
        found = node.get("/K")
        kids = list(found) if isinstance(found, pikepdf.Array) else [found] if found else []
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                yield kid
                pending.append(kid)


def headings_with_nothing_in_them(document: pikepdf.Pdf) -> list[str]:
    return [
        str(element.S)
        for element in structure(document)
        if str(element.S) in {"/H1", "/H2", "/H3", "/H4", "/H5", "/H6"}
        and not marks_content(element.get("/K"))
    ]


def assert_accessible(data: bytes, tmp_path: Path) -> None:
    findings, skipped = check(data, tmp_path)
    assert findings == []
    assert skipped <= CHECKER_CANNOT_RUN
    document = pikepdf.Pdf.open(io.BytesIO(data))
    assert headings_with_nothing_in_them(document) == []
    metadata = document.open_metadata()
    assert metadata.get("pdfuaid:part") == "1"  # the claim: PDF/UA-1
    header_cells = [e for e in structure(document) if e.S == "/TH"]
    assert header_cells
    assert {str(cell.A.Scope) for cell in header_cells} <= {"/Column", "/Row"}


@pytest.fixture
def world():
    world = with_answers(World())
    principles = list(world.round.framework.principles.order_by("order"))
    AgreedPosition.objects.create(
        round=world.round,
        statement=first_statement(world),
        level=2,
        reason="We agreed we are only starting to move.",
        recorded_by=world.lead,
    )
    Action.objects.create(
        round=world.round,
        principle=principles[0],
        change_from="Assessments start from what people cannot do.",
        change_to="Every assessment starts with what the person can offer.",
        owner="Team manager",
        due_on=datetime.date(2027, 2, 1),
        step=Step.FOCUS,
    )
    return world


def test_the_round_report_passes_a_pdf_ua_check(world, tmp_path):
    assert_accessible(pdf.round_report_pdf(world.round), tmp_path)


def test_the_action_plan_passes_a_pdf_ua_check(world, tmp_path):
    assert_accessible(pdf.action_plan_pdf(world.round), tmp_path)


def test_the_cohort_summary_passes_a_pdf_ua_check(tmp_path):
    cohort_world = CohortWorld()
    member_org(cohort_world.cohort, "Brookfield", lived_level=4, staff_level=3)
    dashboard = cohort_dashboard(cohort_world.cohort, page=None)
    assert_accessible(pdf.cohort_summary_pdf(dashboard), tmp_path)


def test_row_headers_head_their_rows_and_column_headers_their_columns(world):
    document = pikepdf.Pdf.open(io.BytesIO(pdf.round_report_pdf(world.round)))
    scopes: dict[str, int] = {}
    for row in (e for e in structure(document) if e.S == "/TR"):
        cells = [kid for kid in row.K if isinstance(kid, pikepdf.Dictionary)]
        for cell in cells:
            if cell.S == "/TH":
                all_headers = all(other.S == "/TH" for other in cells)
                scopes[str(cell.A.Scope)] = scopes.get(str(cell.A.Scope), 0) + 1
                assert str(cell.A.Scope) == ("/Column" if all_headers else "/Row")
    assert scopes.get("/Column") and scopes.get("/Row")
