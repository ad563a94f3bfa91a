"""Which documents a lead may upload as evidence: by what the file holds, not only by the
end of its name. A file is accepted when its name ends in one of the kinds below and its
first bytes (and, for the zip-based formats, its parts) are what that kind starts with; so
a program renamed "minutes.pdf" is refused, and so is anything a browser might run (HTML,
SVG)."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    content_type: str
    looks_like: str  # which check the content passes: see ``_looks``


KINDS: dict[str, Kind] = {
    ".pdf": Kind("application/pdf", "pdf"),
    ".doc": Kind("application/msword", "ole"),
    ".docx": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ooxml:word/"
    ),
    ".odt": Kind("application/vnd.oasis.opendocument.text", "odf"),
    ".rtf": Kind("application/rtf", "rtf"),
    ".txt": Kind("text/plain", "text"),
    ".xls": Kind("application/vnd.ms-excel", "ole"),
    ".xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml:xl/"),
    ".ods": Kind("application/vnd.oasis.opendocument.spreadsheet", "odf"),
    ".csv": Kind("text/csv", "text"),
    ".pptx": Kind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", "ooxml:ppt/"
    ),
    ".odp": Kind("application/vnd.oasis.opendocument.presentation", "odf"),
    ".png": Kind("image/png", "png"),
    ".jpg": Kind("image/jpeg", "jpeg"),
    ".jpeg": Kind("image/jpeg", "jpeg"),
}


def allowed_words() -> str:
    """The kinds, as the person choosing a file reads them (the form's help, its errors)."""
    return _(
        "PDF, Word (.doc, .docx), OpenDocument (.odt, .ods, .odp), RTF, plain text (.txt), "
        "Excel (.xls, .xlsx), CSV, PowerPoint (.pptx), PNG or JPEG pictures"
    )


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def max_bytes() -> int:
    return settings.EVIDENCE_MAX_MB * 1024 * 1024


def _zip_names(head: IO[bytes]) -> tuple[list[str], bytes]:
    """The names in a zip, and its "mimetype" entry (ODF files name their type there)."""
    with zipfile.ZipFile(head) as archive:
        names = archive.namelist()
        mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    return names, mimetype


def _looks(check: str, file: IO[bytes], kind: Kind) -> bool:
    file.seek(0)
    head = file.read(2048)
    if check == "pdf":
        return head.startswith(b"%PDF-")
    if check == "ole":
        return head.startswith(OLE)
    if check == "rtf":
        return head.startswith(b"{\\rtf")
    if check == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if check == "jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if check == "text":
        file.seek(0)
        data = file.read(max_bytes() + 1)
        if b"\x00" in data:
            return False
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return False
        return "<script" not in text.lower() and "<html" not in text.lower()
    if check == "odf" or check.startswith("ooxml:"):
        if not head.startswith(b"PK\x03\x04"):
            return False
        file.seek(0)
        try:
            names, mimetype = _zip_names(io.BytesIO(file.read(max_bytes() + 1)))
        except (zipfile.BadZipFile, KeyError, ValueError):
            return False
        if check == "odf":
            return mimetype.decode("ascii", "replace") == kind.content_type
        folder = check.removeprefix("ooxml:")
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
    return False


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def document_check(file: IO[bytes], name: str, size: int) -> str:
    """The content type of an uploaded document that may be kept as evidence, from what it
    holds; ``ValueError`` with words for the person uploading it otherwise."""
    if size > max_bytes():
        raise ValueError(
            _("“%(name)s” is %(size)s MB. Documents can be up to %(max)s MB.")
            % {"name": name, "size": megabytes(size), "max": settings.EVIDENCE_MAX_MB}
        )
    if size == 0:
        raise ValueError(_("“%(name)s” is empty. Choose the document again.") % {"name": name})
    kind = KINDS.get(PurePosixPath(name).suffix.lower())
    if kind is None:
        raise ValueError(
            _("“%(name)s” is not a kind of document that can be kept. Use one of: %(kinds)s.")
            % {"name": name, "kinds": allowed_words()}
        )
    try:
        matches = _looks(kind.looks_like, file, kind)
    finally:
        file.seek(0)
    if not matches:
        raise ValueError(
            _(
                "“%(name)s” does not hold what its name says (%(suffix)s). Save it again "
                "from the program that made it, and choose it again."
            )
            % {"name": name, "suffix": PurePosixPath(name).suffix.lower()}
        )
    return kind.content_type
