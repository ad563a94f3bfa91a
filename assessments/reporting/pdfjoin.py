"""One tagged PDF from tagged PDFs made one after another, numbered once they are joined.

A long document (the cohort summary of a thousand organisations) is laid out by WeasyPrint
in parts, so that only one part's layout is in memory at a time: WeasyPrint keeps every
box of a document until it has written it, a few hundred MiB for a 60-page heat map. Each
part is a PDF/UA-1 document of its own. ``join`` writes them out as one PDF/UA-1 document
as they come, each part read (with pikepdf) and let go before the next is made, so what
it holds is the file written so far and a few numbers per page:

- the pages in order; each part's structure elements under one /Document element, in
  reading order; one parent tree (each page's marked content mapped to its elements);
- table header cells' identifiers made unique across parts, with the /IDTree that
  resolves them (the /Headers of each data cell point at them);
- bookmarks from every part's headings, nested by heading level;
- the page numbers ("Page 7 of 52"), which no part can know, drawn at the end on every
  page as a pagination artifact, from a PDF of the footers alone.

WeasyPrint makes each part's structure tree page by page (an element that runs over a page
break becomes one element per page), so joining parts changes nothing a reader of the
tree would notice.

The joined file is written here rather than by pikepdf (qpdf): qpdf keeps every object of
the document it writes in memory, about 3 KiB each, and a thousand rows of a table are
tens of thousands of structure elements.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream, String

# What each page draws after its own content: the number on top, as an artifact.
FOOTER_XOBJECT = "/CoprodPageNumber"
FOOTER_DRAWING = (
    b"Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"
    + FOOTER_XOBJECT.encode()
    + b" Do\nEMC\n"
)


@dataclass
class Part:
    """A part as WeasyPrint wrote it, with its headings: (level, label, page in the part,
    (x, y) of the heading on its page in CSS pixels from the top left)."""

    pdf: bytes
    bookmarks: list[tuple[int, str, int, tuple[float, float]]] = field(default_factory=list)


def join(parts: Iterable[Part], *, footers: Callable[[int], bytes] | None = None) -> bytes:
    """The parts as one tagged PDF. ``footers(pages)`` gives a PDF with that many pages
    holding only what each page carries in its margins (the page numbers), drawn over the
    joined pages as pagination artifacts. ``parts`` may be a generator: each part is read
    and let go before the next is asked for."""
    joined = _Joined()
    for part in parts:
        joined.add(part)
    if not joined.pages:
        raise ValueError("Nothing to join")
    if footers is not None:
        joined.draw_footers(footers(len(joined.pages)))
    return joined.finish()


def _pdf_name(key: str) -> bytes:
    return Name(key).unparse()


def _number(value: int | float | Decimal) -> bytes:
    if isinstance(value, int):
        return b"%d" % value
    text = f"{Decimal(value):f}" if isinstance(value, Decimal) else f"{value:.6f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text).encode() or b"0"


@dataclass
class _Page:
    number: int  # its object number in the joined file
    footer: int  # the object number of the drawing of its footer
    height: float  # points, for bookmarks


class _Writer:
    """A PDF file written object by object: streams as they come, other objects packed in
    compressed object streams of ``BATCH``, and a cross-reference stream at the end."""

    BATCH = 200

    def __init__(self):
        self.file = io.BytesIO()
        self.file.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        # Where each object is: (1, offset in the file) or (2, object stream, index in it).
        self.places: dict[int, tuple[int, int, int]] = {}
        self.count = 0
        self.batch: list[tuple[int, bytes]] = []

    def reserve(self) -> int:
        self.count += 1
        return self.count

    def write(self, number: int, body: bytes) -> None:
        self.batch.append((number, body))
        if len(self.batch) >= self.BATCH:
            self._pack()

    def stream(self, number: int, entries: bytes, data: bytes) -> None:
        self.places[number] = (1, self.file.tell(), 0)
        self.file.write(
            b"%d 0 obj\n<<" % number
            + entries
            + b"/Length %d>>\nstream\n" % len(data)
            + data
            + b"\nendstream\nendobj\n"
        )

    def _pack(self) -> None:
        """The objects waiting, as one compressed object stream."""
        if not self.batch:
            return
        container = self.reserve()
        index, bodies, offset = [], [], 0
        for position, (number, body) in enumerate(self.batch):
            index.append(b"%d %d" % (number, offset))
            bodies.append(body)
            offset += len(body) + 1
            self.places[number] = (2, container, position)
        head = b" ".join(index) + b"\n"
        self.stream(
            container,
            b"/Type/ObjStm/N %d/First %d/Filter/FlateDecode" % (len(self.batch), len(head)),
            zlib.compress(head + b"\n".join(bodies)),
        )
        self.batch = []

    def close(self, root: int, info: int | None) -> bytes:
        self._pack()
        xref = self.reserve()
        missing = set(range(1, xref)) - set(self.places)
        if missing:
            raise ValueError(f"objects reserved and never written: {sorted(missing)[:5]}")
        self.places[xref] = (1, self.file.tell(), 0)
        rows = [struct.pack(">BIH", 0, 0, 65535)]
        rows += [struct.pack(">BIH", *self.places[number]) for number in range(1, xref + 1)]
        identifier = hashlib.md5(self.file.getbuffer(), usedforsecurity=False).hexdigest().encode()
        entries = (
            b"/Type/XRef/Size %d/W[1 4 2]/Root %d 0 R" % (xref + 1, root)
            + (b"/Info %d 0 R" % info if info else b"")
            + b"/ID[<%s><%s>]/Filter/FlateDecode" % (identifier, identifier)
        )
        start = self.places[xref][1]
        self.stream(xref, entries, zlib.compress(b"".join(rows)))
        self.file.write(b"startxref\n%d\n%%%%EOF\n" % start)
        return self.file.getvalue()


class _Copier:
    """Writes objects of one source PDF into the joined file, each once, numbered anew.
    ``fixed`` maps source objects (by object and generation numbers) to numbers already
    given in the joined file (the page tree, the pages, the /Document element)."""

    def __init__(self, writer: _Writer, fixed: dict[tuple[int, int], int]):
        self.writer = writer
        self.numbers = dict(fixed)
        self.pending: list[tuple[int, pikepdf.Object]] = []
        self.struct_parents: dict[int, int] = {}  # a part's keys → the joined file's

    def ref(self, obj: pikepdf.Object) -> int:
        key = obj.objgen
        number = self.numbers.get(key)
        if number is None:
            number = self.numbers[key] = self.writer.reserve()
            self.pending.append((number, obj))
        return number

    def value(self, item) -> bytes:
        """``item`` as it is written inside another object."""
        if isinstance(item, pikepdf.Object) and item.is_indirect:
            return b"%d 0 R" % self.ref(item)
        if item is None:
            return b"null"
        if isinstance(item, bool):
            return b"true" if item else b"false"
        if isinstance(item, int | float | Decimal):
            return _number(item)
        if isinstance(item, Dictionary):
            return self.dictionary(item.items())
        if isinstance(item, Array):
            return b"[" + b" ".join(self.value(element) for element in item) + b"]"
        if isinstance(item, Name | String):
            return item.unparse()
        raise TypeError(f"cannot write {type(item).__name__} into a PDF")

    def dictionary(self, items, **replaced: bytes) -> bytes:
        """A dictionary of ``items`` (key, value), with the values of ``replaced`` written
        as given instead (or added), and annotations' keys into the parent tree renewed."""
        written = []
        for key, item in items:
            if key == "/StructParent" and isinstance(item, int):
                item = self.struct_parents[item]
            value = replaced.pop(key, None)
            written.append(_pdf_name(key) + b" " + (self.value(item) if value is None else value))
        written += [_pdf_name(key) + b" " + value for key, value in replaced.items()]
        return b"<<" + b"".join(written) + b">>"

    def body(self, obj: pikepdf.Object) -> bytes:
        """An indirect object's own value, as written after "N 0 obj"."""
        if isinstance(obj, Dictionary):
            return self.dictionary(obj.items())
        if isinstance(obj, Array):
            return b"[" + b" ".join(self.value(element) for element in obj) + b"]"
        return obj.unparse(resolved=True)

    def flush(self) -> None:
        """Write every object asked for so far, and what they refer to in turn."""
        while self.pending:
            number, obj = self.pending.pop()
            if isinstance(obj, Stream):
                entries = [(key, item) for key, item in obj.items() if key != "/Length"]
                self.writer.stream(number, self.dictionary(entries)[2:-2], obj.read_raw_bytes())
            else:
                self.writer.write(number, self.body(obj))


class _Joined:
    """The joined document as it is written: what is left to write at the end (the page
    tree, the /Document element, the parent tree, the identifiers, the bookmarks) is kept
    as numbers and short byte strings, never as the parts' objects."""

    def __init__(self):
        self.writer = _Writer()
        self.catalog = self.writer.reserve()
        self.page_tree = self.writer.reserve()
        self.struct_root = self.writer.reserve()
        self.document = self.writer.reserve()
        self.open_content = self.writer.reserve()  # "q": each page's own drawing kept apart
        self.footer_drawing = self.writer.reserve()
        self.writer.stream(self.open_content, b"", b"q\n")
        self.writer.stream(self.footer_drawing, b"", FOOTER_DRAWING)
        self.pages: list[_Page] = []
        self.top: list[int] = []  # the /Document element's kids
        self.parents: list[bytes] = []  # the parent tree's values, by key
        self.ids: list[tuple[str, int]] = []
        self.bookmarks: list[tuple[int, str, int, tuple[float, float]]] = []
        self.info: int | None = None
        self.properties = b""
        self.parts = 0

    def add(self, part: Part) -> None:
        with pikepdf.open(io.BytesIO(part.pdf)) as source:
            first = len(self.pages)
            source_root = source.Root.StructTreeRoot
            identified = _prefix_ids(source_root, f"p{self.parts}-")
            self.parts += 1
            documents = _kids(source_root)
            fixed = {source.Root.Pages.objgen: self.page_tree, source_root.objgen: self.struct_root}
            fixed |= {element.objgen: self.document for element in documents}
            copier = _Copier(self.writer, fixed)
            for page in source.pages:
                self.pages.append(
                    _Page(
                        number=copier.ref(page.obj),
                        footer=self.writer.reserve(),
                        height=float(page.mediabox[3]) - float(page.mediabox[1]),
                    )
                )
            copier.pending.clear()  # the pages are written below, each as it is changed
            parents = dict(_number_tree(source_root.ParentTree))
            for key, value in parents.items():
                copier.struct_parents[key] = len(self.parents)
                self.parents.append(copier.value(value))
            for page, joined in zip(source.pages, self.pages[first:], strict=True):
                self._page(copier, page, joined)
            self.top += [
                copier.ref(kid)
                for element in documents
                for kid in _kids(element)
                if isinstance(kid, Dictionary)
            ]
            if first == 0:
                self._properties(copier, source)
            copier.flush()
            self.ids += [(key, copier.numbers[element.objgen]) for key, element in identified]
            self.bookmarks += [
                (level, label, first + page, position)
                for level, label, page, position in part.bookmarks
            ]

    def _page(self, copier: _Copier, page: pikepdf.Page, joined: _Page) -> None:
        """The page as it was, in the joined page tree, its content followed by its
        footer (drawn by an XObject of its own, made at the end), and its key into the
        joined parent tree."""
        obj = page.obj
        resources = obj.get("/Resources", Dictionary())
        xobjects = [*resources.get("/XObject", Dictionary()).items(), (FOOTER_XOBJECT, None)]
        footer = b"%d 0 R" % joined.footer
        own_resources = copier.dictionary(
            [(key, item) for key, item in resources.items() if key != "/XObject"],
            **{"/XObject": copier.dictionary(xobjects, **{FOOTER_XOBJECT: footer})},
        )
        drawn = b" ".join(copier.value(stream) for stream in _streams(obj.get("/Contents")))
        contents = b"[%d 0 R %s %d 0 R]" % (self.open_content, drawn, self.footer_drawing)
        body = copier.dictionary(
            [(key, item) for key, item in obj.items() if key not in ("/Contents", "/Resources")],
            **{
                "/Contents": contents,
                "/Resources": own_resources,
                "/StructParents": b"%d" % copier.struct_parents[int(obj.StructParents)],
            },
        )
        self.writer.write(joined.number, body)

    def _properties(self, copier: _Copier, first: pikepdf.Pdf) -> None:
        """Title, author, language, the PDF/UA claim (XMP metadata) and the viewer settings
        PDF/UA asks for: the same in every part, so the first part's."""
        self.info = copier.ref(first.trailer.Info)
        self.properties = (
            b"/Metadata %d 0 R" % copier.ref(first.Root.Metadata)
            + b"/Lang "
            + String(str(first.Root.Lang)).unparse()
            + b"/MarkInfo<</Marked true>>/ViewerPreferences<</DisplayDocTitle true>>"
        )

    def draw_footers(self, pdf: bytes) -> None:
        """Each page of ``pdf`` as the drawing of the footer of the joined page with the
        same number."""
        with pikepdf.open(io.BytesIO(pdf)) as footers:
            if len(footers.pages) != len(self.pages):
                raise ValueError(f"{len(footers.pages)} footers for {len(self.pages)} pages")
            copier = _Copier(self.writer, {})
            for page, joined in zip(footers.pages, self.pages, strict=True):
                drawing = b"\n".join(s.read_bytes() for s in _streams(page.obj.get("/Contents")))
                self.writer.stream(
                    joined.footer,
                    b"/Type/XObject/Subtype/Form/Filter/FlateDecode/BBox"
                    + copier.value(page.mediabox)
                    + b"/Resources "
                    + copier.value(page.obj.get("/Resources", Dictionary())),
                    zlib.compress(drawing),
                )
            copier.flush()

    def finish(self) -> bytes:
        write = self.writer.write
        for page in self.pages:  # pages never given a footer draw none
            if page.footer not in self.writer.places:
                self.writer.stream(page.footer, b"/Type/XObject/Subtype/Form/BBox[0 0 1 1]", b"")
        write(
            self.page_tree,
            b"<</Type/Pages/Count %d/Kids[" % len(self.pages)
            + b" ".join(b"%d 0 R" % page.number for page in self.pages)
            + b"]>>",
        )
        write(
            self.document,
            b"<</Type/StructElem/S/Document/P %d 0 R/K[" % self.struct_root
            + b" ".join(b"%d 0 R" % kid for kid in self.top)
            + b"]>>",
        )
        parent_tree = self.writer.reserve()
        write(
            parent_tree,
            b"<</Nums["
            + b" ".join(b"%d %s" % (key, value) for key, value in enumerate(self.parents))
            + b"]>>",
        )
        id_tree = b""
        if self.ids:
            number = self.writer.reserve()
            names = sorted(self.ids, key=lambda pair: pair[0].encode("latin-1"))
            write(
                number,
                b"<</Names["
                + b" ".join(String(key).unparse() + b" %d 0 R" % element for key, element in names)
                + b"]>>",
            )
            id_tree = b"/IDTree %d 0 R" % number
        write(
            self.struct_root,
            b"<</Type/StructTreeRoot/K[%d 0 R]/ParentTree %d 0 R/ParentTreeNextKey %d"
            % (self.document, parent_tree, len(self.parents))
            + id_tree
            + b">>",
        )
        outlines = self._outline()
        write(
            self.catalog,
            b"<</Type/Catalog/Pages %d 0 R" % self.page_tree
            + b"/StructTreeRoot %d 0 R" % self.struct_root
            + (b"/Outlines %d 0 R/PageMode/UseOutlines" % outlines if outlines else b"")
            + self.properties
            + b">>",
        )
        return self.writer.close(self.catalog, self.info)

    def _outline(self) -> int | None:
        """Bookmarks for the headings, a lower level nested in the higher one before it."""
        if not self.bookmarks:
            return None
        root: dict = {"children": [], "number": self.writer.reserve()}
        stack: list[tuple[int, dict]] = [(0, root)]
        for level, label, page, (x, y) in self.bookmarks:
            item = {
                "label": label,
                "page": self.pages[page],
                "at": (x * 0.75, self.pages[page].height - y * 0.75),  # CSS px → points
                "children": [],
                "number": self.writer.reserve(),
            }
            while stack[-1][0] >= level:
                stack.pop()
            stack[-1][1]["children"].append(item)
            stack.append((level, item))
        self._outline_items(root, None, (None, None))
        return root["number"]

    def _outline_items(self, item: dict, parent: int | None, siblings: tuple) -> int:
        """Write ``item`` and those under it; how many there are under it."""
        kids = item["children"]
        count = 0
        for index, kid in enumerate(kids):
            before = kids[index - 1]["number"] if index else None
            after = kids[index + 1]["number"] if index + 1 < len(kids) else None
            count += 1 + self._outline_items(kid, item["number"], (before, after))
        entries = b""
        if kids:
            entries += b"/First %d 0 R/Last %d 0 R/Count %d" % (
                kids[0]["number"],
                kids[-1]["number"],
                count,
            )
        if parent is None:
            self.writer.write(item["number"], b"<</Type/Outlines" + entries + b">>")
            return count
        x, y = item["at"]
        entries += b"/Title " + String(item["label"]).unparse()
        entries += b"/Parent %d 0 R" % parent
        entries += b"/Dest[%d 0 R/XYZ %s %s null]" % (item["page"].number, _number(x), _number(y))
        for key, other in zip((b"/Prev", b"/Next"), siblings, strict=True):
            if other is not None:
                entries += key + b" %d 0 R" % other
        self.writer.write(item["number"], b"<<" + entries + b">>")
        return count


def _number_tree(node):
    """The (key, value) pairs of a number tree, in order."""
    nums = node.get("/Nums")
    if nums is not None:
        for index in range(0, len(nums), 2):
            yield int(nums[index]), nums[index + 1]
    for kid in node.get("/Kids", []):
        yield from _number_tree(kid)


def _streams(contents) -> list:
    """A page's content streams: one, an array of them, or none."""
    if contents is None:
        return []
    return list(contents) if isinstance(contents, Array) else [contents]


def _kids(element) -> list:
    found = element.get("/K")
    if found is None:
        return []
    return list(found) if isinstance(found, Array) else [found]


def _prefix_ids(source_root, prefix: str) -> list[tuple[str, pikepdf.Object]]:
    """Make the element identifiers of one part (WeasyPrint's, on table header cells, made
    from object numbers that repeat between parts) unique in the joined document, in the
    /Headers that point at them too. Returns the elements that have one."""
    identified: list[tuple[str, pikepdf.Object]] = []
    pending = list(_kids(source_root))
    while pending:
        element = pending.pop()
        if not isinstance(element, Dictionary):
            continue
        if "/ID" in element:
            key = prefix + bytes(element.ID).decode("latin-1")
            element.ID = String(key)
            identified.append((key, element))
        attributes = element.get("/A")
        for owner in attributes if isinstance(attributes, Array) else [attributes]:
            if isinstance(owner, Dictionary) and "/Headers" in owner:
                owner.Headers = Array(
                    [String(prefix + bytes(header).decode("latin-1")) for header in owner.Headers]
                )
        pending += _kids(element)
    return identified
