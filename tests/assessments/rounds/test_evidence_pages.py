"""Evidence on the pages: a lead adds, changes and removes it; the results show it beside
the agreed position; its documents are downloaded through a view that asks who is there,
by the round's members only; the PDF report lists it with links; the zip of everything
holds its documents."""

import io
import json
import re
import zipfile

import pytest
from django.core.files.storage import storages
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from assessments.accounts.models import AuditKind
from assessments.documents import pdf
from assessments.rounds.models import AgreedPosition, Evidence
from assessments.rounds.services import evidence_add, round_close
from tests import factories
from tests.assessments.reporting.test_pdf_accessibility import assert_accessible
from tests.evidence_files import PDF, docx, upload
from tests.support import cohort, first_statement, new_log, prepared, sign_in, with_answers

pytestmark = pytest.mark.django_db

TEXT = "Minutes of the October board: pay for peer researchers agreed"
LINK = "https://example.org/board/october-minutes"


@pytest.fixture
def position(world):
    with_answers(world)
    round_close(round=world.round, by=world.lead)
    return AgreedPosition.objects.create(
        round=world.round,
        statement=first_statement(world),
        level=2,
        reason="Early days",
        recorded_by=world.lead,
    )


@pytest.fixture
def evidence(world, position):
    return evidence_add(
        position=position,
        text=TEXT,
        url=LINK,
        document=upload("Board minutes.pdf", PDF),
        by=world.lead,
    )


def add_url(world, position):
    return reverse(
        "assessments:evidence-add",
        kwargs={"pk": world.round.pk, "statement": position.statement_id},
    )


def item_url(name, world, evidence):
    return reverse(f"assessments:{name}", kwargs={"pk": world.round.pk, "evidence": evidence.pk})


def results(client, world) -> str:
    return client.get(
        reverse("assessments:results", kwargs={"pk": world.round.pk})
    ).content.decode()


def test_a_lead_adds_evidence_with_a_document_shown_beside_the_position(client, world, position):
    sign_in(client, world.lead)
    page = client.get(add_url(world, position)).content.decode()
    assert "Add evidence for statement" in page and 'enctype="multipart/form-data"' in page
    # The line of help: a respondent's note never becomes evidence.
    assert "notes people wrote when answering stay anonymous and are never copied here" in page
    response = client.post(
        add_url(world, position),
        {"text": TEXT, "url": LINK, "document": upload("Board minutes.pdf", PDF)},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#statement-{position.statement_id}")
    item = Evidence.objects.get()
    assert (item.text, item.url, item.filename, item.added_by) == (
        TEXT,
        LINK,
        "Board minutes.pdf",
        world.lead,
    )
    page = results(client, world)
    assert "Evidence for statement" in page  # the message
    assert TEXT in page and f'href="{LINK}"' in page
    assert item_url("evidence-document", world, item) in page
    assert "Board minutes.pdf (document, " in page
    assert item_url("evidence-edit", world, item) in page  # the lead may change it


def test_members_read_evidence_and_download_its_document(client, world, evidence):
    sign_in(client, world.member)
    page = results(client, world)
    assert TEXT in page and item_url("evidence-document", world, evidence) in page
    assert item_url("evidence-edit", world, evidence) not in page
    assert add_url(world, evidence.position) not in page
    response = client.get(item_url("evidence-document", world, evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Board minutes.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"


def test_the_document_is_never_at_a_public_address(client, world, evidence):
    assert not re.search(r"/media/|/no-public-address/", results(client, world))
    assert evidence.document.name not in results(client, world)


def outsiders(world) -> dict:
    facilitator = factories.user("runs@north-vale.example")
    the_cohort = cohort(facilitator)
    the_cohort.members.create(organisation=world.org)
    return {
        "other lead": world.other_lead,
        "other member": world.other_member,
        "facilitator": facilitator,
    }


def test_who_may_download_a_document(client, world, evidence):
    url = item_url("evidence-document", world, evidence)
    response = client.get(url)  # nobody signed in: to sign in first
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for who, user in outsiders(world).items():
        sign_in(client, user)
        assert client.get(url).status_code == 404, who
    for user in (world.lead, world.member):
        sign_in(client, user)
        assert client.get(url).status_code == 200


def test_who_may_add_change_and_remove_evidence(client, world, evidence):
    urls = [
        add_url(world, evidence.position),
        item_url("evidence-edit", world, evidence),
        item_url("evidence-remove", world, evidence),
    ]
    for url in urls:
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        for who, user in outsiders(world).items() if url == urls[0] else []:
            sign_in(client, user)
            assert client.get(url).status_code == 404, who
            assert client.post(url, {"text": "x"}).status_code == 404, who
        sign_in(client, world.member)
        assert client.get(url).status_code == 403
        assert client.post(url, {"text": "x"}).status_code == 403
        sign_in(client, world.lead)
        assert client.get(url).status_code == 200
    assert Evidence.objects.get().text == TEXT


def test_another_rounds_evidence_is_not_found_through_this_round(client, world, evidence):
    other_round = factories.round(world.org, title="Another round")
    sign_in(client, world.lead)
    url = reverse(
        "assessments:evidence-document", kwargs={"pk": other_round.pk, "evidence": evidence.pk}
    )
    assert client.get(url).status_code == 404


@override_settings(EVIDENCE_MAX_MB=1)
def test_a_refused_document_keeps_what_was_typed_and_names_the_limit(client, world, position):
    sign_in(client, world.lead)
    big = PDF + b"0" * (2 * 1024 * 1024)
    response = client.post(
        add_url(world, position), {"text": TEXT, "url": LINK, "document": upload("big.pdf", big)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "“big.pdf” is 2 MB. Documents can be up to 1 MB." in page
    assert TEXT in page and f'value="{LINK}"' in page
    assert "Up to 1 MB" in page  # the limit is in the help before anyone tries
    assert not Evidence.objects.exists()


def test_a_bad_link_is_refused_with_what_to_do(client, world, position):
    sign_in(client, world.lead)
    response = client.post(add_url(world, position), {"text": TEXT, "url": "javascript:alert(1)"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the whole address of the page, starting with https:// or http://." in page
    assert TEXT in page


def test_evidence_needs_an_agreed_position_first(client, world, position):
    second = world.round.framework.principles.order_by("order")[0].statements.order_by("order")[1]
    sign_in(client, world.lead)
    url = reverse("assessments:evidence-add", kwargs={"pk": world.round.pk, "statement": second.pk})
    response = client.get(url, follow=True)
    assert "Record the agreed position first, then add its evidence." in response.content.decode()


def test_a_lead_changes_and_removes_evidence(client, world, evidence, log_baseline):
    sign_in(client, world.lead)
    response = client.post(
        item_url("evidence-edit", world, evidence),
        {"text": "Board minutes, October", "url": "", "document": upload("paper.docx", docx())},
    )
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.text, evidence.url, evidence.filename) == (
        "Board minutes, October",
        "",
        "paper.docx",
    )
    page = client.get(item_url("evidence-remove", world, evidence)).content.decode()
    assert "The evidence and its document will be deleted." in page
    response = client.post(item_url("evidence-remove", world, evidence))
    assert response.status_code == 302 and not Evidence.objects.exists()
    assert [e.kind for e in new_log()] == [AuditKind.EVIDENCE_REMOVED]


def test_the_agreed_position_page_lists_its_evidence(client, world, evidence):
    sign_in(client, world.lead)
    url = reverse(
        "assessments:agreed-position",
        kwargs={"pk": world.round.pk, "statement": evidence.position.statement_id},
    )
    page = client.get(url).content.decode()
    assert TEXT in page and add_url(world, evidence.position) in page
    assert "Removing the agreed position removes its evidence too" in page


def test_the_report_lists_the_evidence_with_links(client, world, evidence):
    evidence_add(position=evidence.position, text="Only words, no link", by=world.lead)
    sign_in(client, world.member)
    response = client.get(reverse("assessments:report-pdf", kwargs={"pk": world.round.pk}))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    code = evidence.position.statement.code
    assert f"Evidence for statement {code}" in text
    assert "Minutes of the October board" in text and "Only words, no link" in text
    assert "Document: Board minutes.pdf (download, signed in)" in text
    links = {
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object() and "/URI" in annotation.get_object()["/A"]
    }
    document = "https://coprod.example" + item_url("evidence-document", world, evidence)
    assert {LINK, document} <= links


def test_the_zip_of_everything_holds_the_documents(client, world, evidence):
    sign_in(client, world.lead)
    url = reverse("assessments:organisation-export", kwargs={"org": world.org.slug})
    archive = zipfile.ZipFile(io.BytesIO(prepared(client, client.post(url)).content))
    name = f"evidence/round-{world.round.pk}/{evidence.pk}-Board minutes.pdf"
    assert archive.read(name) == PDF
    data = json.loads(archive.read("organisation.json"))
    (position,) = data["rounds"][0]["agreed_positions"]
    assert position["evidence"] == [
        {
            "text": TEXT,
            "link": LINK,
            "document": name,
            "added_at": evidence.added_at.isoformat(),
        }
    ]
    assert "evidence/round-<number>/<n>-<name>" in archive.read("README.txt").decode()
    assert storages["evidence"].exists(evidence.document.name)  # a copy, not moved


def test_the_report_with_evidence_links_passes_a_pdf_ua_check(world, evidence, tmp_path):
    assert_accessible(pdf.round_report_pdf(world.round), tmp_path)
