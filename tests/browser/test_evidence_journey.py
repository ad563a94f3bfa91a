"""A lead backs an agreed position with evidence, by keyboard: a few lines, a link and a
document; a wrong file is refused without losing what was typed; a member reads the
evidence on the results and downloads the document."""

import pytest

from assessments.rounds.models import AgreedPosition, Evidence
from assessments.rounds.services import round_close
from tests import factories
from tests.browser.support import sign_in
from tests.evidence_files import PDF
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Minutes of the October board: peer researchers are now paid for their time."
LINK = "https://example.org/board/october"


def focused(page) -> str:
    return page.evaluate("document.activeElement.name || document.activeElement.textContent.trim()")


def test_a_lead_adds_evidence_with_a_document_by_keyboard(page, axe, browser, live_server):
    ensure_framework()
    lead = factories.user("rita@riverside.example")
    org = factories.organisation("Riverside adult care", lead=lead)
    member = factories.member(org, email="marcus@riverside.example")
    round_ = factories.round(org, title="Spring reflection")
    for perspective in ("lived_experience",) * 3 + ("staff",) * 3:
        factories.answer_all(factories.respondent(round_, perspective), level=2)
    round_close(round=round_, by=lead)
    statement = round_.framework.principles.order_by("order")[0].statements.order_by("order")[0]
    AgreedPosition.objects.create(
        round=round_, statement=statement, level=2, reason="Early days", recorded_by=lead
    )

    sign_in(page, lead.email)
    page.goto(f"/rounds/{round_.pk}/results/")
    add = page.get_by_role("link", name=f"Add evidence for statement {statement.code}")
    add.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/positions/{statement.pk}/evidence/new/**")
    assert page.locator("h1").inner_text() == f"Add evidence for statement {statement.code}"
    axe(page, "evidence-add")

    # Typed in order, field by field, with Tab; the file chosen as a person would.
    page.get_by_label("What shows it").focus()
    page.keyboard.type(TEXT)
    page.keyboard.press("Tab")
    assert focused(page) == "url"
    page.keyboard.type(LINK)
    page.keyboard.press("Tab")
    assert focused(page) == "document"
    page.get_by_label("Document (optional)").set_input_files(
        {"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": b"MZ not a pdf"}
    )
    page.keyboard.press("Tab")
    assert focused(page) == "Add evidence"
    page.keyboard.press("Enter")

    # Refused: said in the error summary and at the field; nothing typed is lost.
    page.wait_for_selector(".invalid-feedback, .error-summary, [role=alert]")
    assert page.title().startswith("Error: ")
    body = page.locator("main").inner_text()
    assert "“minutes.pdf” does not hold what its name says (.pdf). Save it again" in body
    assert page.get_by_label("What shows it").input_value() == TEXT
    assert page.get_by_label("Link (optional)").input_value() == LINK
    page.screenshot(path="/tmp/evidence-refused.png", full_page=True)
    axe(page, "evidence-refused")

    page.get_by_label("Document (optional)").set_input_files(
        {"name": "Board minutes.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Add evidence").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/results/#statement-{statement.pk}")
    assert f"Evidence for statement {statement.code} added." in page.locator("main").inner_text()
    evidence = Evidence.objects.get()
    assert (evidence.text, evidence.url, evidence.filename) == (TEXT, LINK, "Board minutes.pdf")
    item = page.locator(f"#evidence-{statement.pk}")
    assert TEXT in item.inner_text() and "Board minutes.pdf (document, " in item.inner_text()
    item.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/evidence-results.png", full_page=False)
    axe(page, "evidence-results")

    # A member reads it on the results and downloads the document.
    context = browser.new_context(base_url=live_server.url)
    reader = context.new_page()
    sign_in(reader, member.email)
    reader.goto(f"/rounds/{round_.pk}/results/")
    shown = reader.locator(f"#evidence-{statement.pk}")
    assert TEXT in shown.inner_text()
    assert shown.get_by_role("link", name="Change").count() == 0
    with reader.expect_download() as download:
        shown.get_by_role("link", name="Board minutes.pdf").click()
    assert download.value.suggested_filename == "Board minutes.pdf"
    with open(download.value.path(), "rb") as kept:
        assert kept.read() == PDF
    context.close()
