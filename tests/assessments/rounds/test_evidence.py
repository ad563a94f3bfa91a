"""Evidence behind agreed positions: the rules a lead meets writing it (lines, links,
documents checked by what they hold), the activity log, and documents leaving storage with
whatever held them."""

import pytest
from django.core.files.storage import storages
from django.test import override_settings

from assessments.accounts.models import AuditKind
from assessments.datarights.services import organisation_delete
from assessments.errors import ServiceError
from assessments.rounds.models import AgreedPosition, Evidence
from assessments.rounds.services import (
    agreed_position_clear,
    evidence_add,
    evidence_remove,
    evidence_update,
    round_close,
)
from tests import factories
from tests.evidence_files import PDF, PNG, docx, odt, upload
from tests.support import first_statement, new_log, with_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """What runs once the transaction commits (documents deleted from storage), run."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def position(world):
    with_answers(world)
    round_close(round=world.round, by=world.lead)
    return AgreedPosition.objects.select_related("round", "statement").create(
        round=world.round,
        statement=first_statement(world),
        level=2,
        reason="Early days",
        recorded_by=world.lead,
    )


def stored(evidence: Evidence) -> bool:
    return storages["evidence"].exists(evidence.document.name)


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("minutes.pdf", PDF, "application/pdf"),
        ("Board paper.docx", docx(), "application/vnd.openxmlformats-officedocument."),
        ("notes.odt", odt(), "application/vnd.oasis.opendocument.text"),
        ("photo.PNG", PNG, "image/png"),
        ("attendance.csv", b"date,people\n2026-10-01,14\n", "text/csv"),
    ],
)
def test_a_lead_keeps_a_document_of_an_allowed_kind(world, position, name, content, content_type):
    evidence = evidence_add(
        position=position,
        text="Minutes of the board",
        document=upload(name, content),
        by=world.lead,
    )
    evidence.refresh_from_db()
    assert evidence.filename == name and evidence.size == len(content)
    assert evidence.content_type.startswith(content_type)
    assert stored(evidence) and name not in evidence.document.name  # a random name
    with evidence.document.open("rb") as kept:
        assert kept.read() == content


@pytest.mark.parametrize(
    "name, content, says",
    [
        ("minutes.pdf", b"MZ\x90\x00 a program", "does not hold what its name says (.pdf)"),
        ("paper.docx", PDF, "does not hold what its name says (.docx)"),
        ("notes.odt", docx(), "does not hold what its name says (.odt)"),
        ("page.html", b"<html><script>", "is not a kind of document that can be kept"),
        ("drawing.svg", b"<svg/>", "is not a kind of document that can be kept"),
        ("run.exe", b"MZ", "is not a kind of document that can be kept"),
        ("list.csv", b"<script>alert(1)</script>", "does not hold what its name says (.csv)"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_a_document_is_checked_by_what_it_holds(world, position, name, content, says):
    with pytest.raises(ServiceError) as refused:
        evidence_add(position=position, text="x", document=upload(name, content), by=world.lead)
    assert says in str(refused.value)
    assert not Evidence.objects.exists()


@override_settings(EVIDENCE_MAX_MB=1)
def test_a_document_over_the_limit_is_refused_naming_the_limit(world, position):
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(ServiceError) as refused:
        evidence_add(position=position, text="x", document=upload("big.pdf", big), by=world.lead)
    assert "“big.pdf” is 1 MB. Documents can be up to 1 MB." in str(refused.value)
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.org/file", "www.example.org", "https://", "data:,x"],
)
def test_links_are_whole_http_addresses(world, position, url):
    with pytest.raises(ServiceError, match="starting with https:// or http://"):
        evidence_add(position=position, text="x", url=url, by=world.lead)


def test_text_is_needed_and_kept_short(world, position):
    with pytest.raises(ServiceError, match="Say in a few lines"):
        evidence_add(position=position, text="  ", by=world.lead)
    with pytest.raises(ServiceError, match="Keep the evidence to 1000 characters"):
        evidence_add(position=position, text="x" * 1001, by=world.lead)


def test_only_a_lead_writes_evidence(world, position):
    with pytest.raises(ServiceError, match="Only a lead"):
        evidence_add(position=position, text="x", by=world.member)
    with pytest.raises(ServiceError, match="Only a lead"):
        evidence_add(position=position, text="x", by=world.other_lead)


def test_adding_and_removing_are_in_the_activity_log(world, position, log_baseline):
    evidence = evidence_add(
        position=position,
        text="Peer group write-up",
        url="https://example.org/write-up",
        by=world.lead,
    )
    evidence_remove(evidence=evidence, by=world.lead)
    log = list(new_log().order_by("pk"))
    assert [e.kind for e in log] == [AuditKind.EVIDENCE_ADDED, AuditKind.EVIDENCE_REMOVED]
    code = position.statement.code
    assert log[0].text == (
        f"Evidence “Peer group write-up” added to the agreed position on statement {code} "
        "in round “Spring reflection”."
    )
    assert log[1].actor == world.lead and log[1].round_id == world.round.pk


def test_replacing_or_removing_a_document_deletes_the_old_one(world, position, committing):
    evidence = evidence_add(
        position=position, text="x", document=upload("a.pdf", PDF), by=world.lead
    )
    first = evidence.document.name
    with committing(execute=True):
        evidence_update(evidence=evidence, text="y", document=upload("b.png", PNG), by=world.lead)
    assert not storages["evidence"].exists(first) and stored(evidence)
    assert evidence.filename == "b.png"
    second = evidence.document.name
    with committing(execute=True):
        evidence_update(evidence=evidence, text="y", remove_document=True, by=world.lead)
    evidence.refresh_from_db()
    assert not evidence.document and evidence.filename == "" and evidence.size == 0
    assert not storages["evidence"].exists(second)


def test_a_refused_change_keeps_what_was_there(world, position):
    evidence = evidence_add(
        position=position, text="x", document=upload("a.pdf", PDF), by=world.lead
    )
    with pytest.raises(ServiceError):
        evidence_update(
            evidence=evidence, text="y", document=upload("b.pdf", b"nope"), by=world.lead
        )
    evidence.refresh_from_db()
    assert evidence.text == "x" and evidence.filename == "a.pdf" and stored(evidence)


def test_clearing_the_position_deletes_its_evidence_and_logs_it(
    world, position, log_baseline, committing
):
    evidence = evidence_add(
        position=position, text="x", document=upload("a.pdf", PDF), by=world.lead
    )
    with committing(execute=True):
        agreed_position_clear(round=world.round, statement=position.statement, by=world.lead)
    assert not Evidence.objects.exists()
    assert not storages["evidence"].exists(evidence.document.name)
    kinds = [e.kind for e in new_log().order_by("pk")]
    assert kinds == [AuditKind.EVIDENCE_ADDED, AuditKind.EVIDENCE_REMOVED]


def test_deleting_the_organisation_deletes_its_documents(world, position, committing):
    evidence = evidence_add(
        position=position, text="x", document=upload("a.pdf", PDF), by=world.lead
    )
    other = AgreedPosition.objects.create(
        round=factories.round(world.other_org, title="Hillside round", status="open"),
        statement=position.statement,
        level=3,
        reason="Theirs",
    )
    theirs = evidence_add(
        position=other, text="x", document=upload("b.pdf", PDF), by=world.other_lead
    )
    with committing(execute=True):
        organisation_delete(organisation=world.org, by=world.lead)
    assert list(Evidence.objects.all()) == [theirs] and stored(theirs)
    assert not storages["evidence"].exists(evidence.document.name)
