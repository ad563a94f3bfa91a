"""Evidence behind agreed positions: added, changed and removed by a round's leads, each
addition and removal in the activity log. Evidence is what the lead writes, never a
respondent's note: nothing here takes text from an answer."""

import unicodedata
from collections.abc import Callable
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.accounts.models import AuditKind, User
from assessments.accounts.services import audit_record, require_lead
from assessments.errors import ServiceError
from assessments.rounds.evidence_files import document_check
from assessments.rounds.models import AgreedPosition, Evidence, RoundStatus
from assessments.rounds.models.evidence import document_forget, evidence_storage
from assessments.rounds.services.lifecycle import _locked

TEXT_MAX = 1000
URL_MAX = 2000
FILENAME_MAX = 200


def _text_clean(text: str) -> str:
    text = text.strip()
    if not text:
        raise ServiceError(_("Say in a few lines what shows that practice is where you agreed."))
    if len(text) > TEXT_MAX:
        raise ServiceError(
            ngettext(
                "Keep the evidence to %(max)s characters (it has %(count)s).",
                "Keep the evidence to %(max)s characters (it has %(count)s).",
                len(text),
            )
            % {"max": TEXT_MAX, "count": len(text)}
        )
    return text


def url_clean(url: str) -> str:
    """A link that starts with http:// or https:// and names a site; "" for none."""
    url = url.strip()
    if not url:
        return ""
    if len(url) > URL_MAX:
        raise ServiceError(
            _("Keep the link to %(max)s characters, or link to a page that lists the documents.")
            % {"max": URL_MAX}
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ServiceError(
            _("Give the whole address of the page, starting with https:// or http://.")
        ) from None
    return url


def filename_clean(name: str) -> str:
    """The name a document was uploaded with, as it may be shown and offered again: no
    folders, no control characters, not too long (its end kept)."""
    name = PurePosixPath(name.replace("\\", "/")).name
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip() or "document"
    if len(name) > FILENAME_MAX:
        suffix = PurePosixPath(name).suffix[:10]
        name = name[: FILENAME_MAX - len(suffix)] + suffix
    return name


def _check_allowed(position: AgreedPosition, by: User | None) -> None:
    """Inside a transaction: a lead of the round's organisation, a round that has opened."""
    locked = _locked(position.round)
    require_lead(user=by, organisation=locked.organisation_id)
    if locked.status == RoundStatus.DRAFT:
        raise ServiceError(_("Open the round and gather answers before agreeing positions."))


def _document_take(evidence: Evidence, document: UploadedFile) -> None:
    name = filename_clean(document.name or "")
    try:
        evidence.content_type = document_check(document, name, document.size or 0)
    except ValueError as exc:
        raise ServiceError(str(exc)) from None
    evidence.filename = name
    evidence.size = document.size or 0
    evidence.document.save(name, document, save=False)  # to storage, under a random name


def _log(evidence: Evidence, what: str, by: User | None) -> None:
    position = evidence.position
    round_ = position.round
    text = evidence.text if len(evidence.text) <= 80 else evidence.text[:79] + "…"
    audit_record(
        organisation=round_.organisation_id,
        kind=AuditKind.EVIDENCE_ADDED if what == "evidence_added" else AuditKind.EVIDENCE_REMOVED,
        what=what,
        details={"evidence": text, "statement": position.statement.code, "round": round_.title},
        actor=by,
        round=round_,
    )


def _saved(
    evidence: Evidence,
    document: UploadedFile | None,
    by: User | None,
    write: Callable[[Evidence], None],
) -> Evidence:
    """Keep the document (if any), then ``write`` in one transaction; a document kept for
    a write that fails is deleted again."""
    stored = ""
    try:
        with transaction.atomic():
            _check_allowed(evidence.position, by)
            if document is not None:
                _document_take(evidence, document)
                stored = evidence.document.name
            write(evidence)
    except BaseException:
        if stored:
            evidence_storage().delete(stored)
        raise
    return evidence


def evidence_add(
    *,
    position: AgreedPosition,
    text: str,
    url: str = "",
    document: UploadedFile | None = None,
    by: User | None,
) -> Evidence:
    """A piece of evidence behind an agreed position: a few lines, and optionally a link
    and a document (its size and kind checked)."""
    evidence = Evidence(position=position, text=_text_clean(text), url=url_clean(url), added_by=by)

    def write(evidence: Evidence) -> None:
        evidence.save()
        _log(evidence, "evidence_added", by)

    return _saved(evidence, document, by, write)


def evidence_update(
    *,
    evidence: Evidence,
    text: str,
    url: str = "",
    document: UploadedFile | None = None,
    remove_document: bool = False,
    by: User | None,
) -> Evidence:
    """Change a piece of evidence: its lines, its link, a new document in place of the old
    one, or the document taken away (the old one is deleted from storage)."""
    evidence.text, evidence.url = _text_clean(text), url_clean(url)
    old = evidence.document.name if (document is not None or remove_document) else ""

    def write(evidence: Evidence) -> None:
        if remove_document and document is None:
            evidence.document = None
            evidence.filename, evidence.content_type, evidence.size = "", "", 0
        evidence.save()
        document_forget(old)

    return _saved(evidence, document, by, write)


def evidence_remove(*, evidence: Evidence, by: User | None) -> None:
    """Remove a piece of evidence; its document is deleted from storage."""
    with transaction.atomic():
        _check_allowed(evidence.position, by)
        _log(evidence, "evidence_removed", by)
        evidence.delete()


def evidence_removed_with(position: AgreedPosition, by: User | None) -> None:
    """Log the evidence that goes when its agreed position is removed (the rows and their
    documents go with the position)."""
    for evidence in position.evidence.all():
        evidence.position = position
        _log(evidence, "evidence_removed", by)
