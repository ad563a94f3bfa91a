"""Joining: each part read with pikepdf, its objects written into the joined file and let
go before the next part is asked for, so that what is held is the file written so far
and a few numbers per page:

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
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, String

from coprod.pdfjoin import structure
from coprod.pdfjoin.copier import Copier
from coprod.pdfjoin.outline import write_outline
from coprod.pdfjoin.writer import Writer

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


@dataclass
class _Page:
    number: int  # its object number in the joined file
    footer: int  # the object number of the drawing of its footer
    height: float  # points, for bookmarks


class _Joined:
    """The joined document as it is written: what is left to write at the end (the page
    tree, the /Document element, the parent tree, the identifiers, the bookmarks) is kept
    as numbers and short byte strings, never as the parts' objects."""

    def __init__(self):
        self.writer = Writer()
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
            identified = structure.prefix_ids(source_root, f"p{self.parts}-")
            self.parts += 1
            documents = structure.kids(source_root)
            fixed = {source.Root.Pages.objgen: self.page_tree, source_root.objgen: self.struct_root}
            fixed |= {element.objgen: self.document for element in documents}
            copier = Copier(self.writer, fixed)
            for page in source.pages:
                self.pages.append(
                    _Page(
                        number=copier.ref(page.obj),
                        footer=self.writer.reserve(),
                        height=float(page.mediabox[3]) - float(page.mediabox[1]),
                    )
                )
            copier.pending.clear()  # the pages are written below, each as it is changed
            parents = dict(structure.number_tree(source_root.ParentTree))
            for key, value in parents.items():
                copier.struct_parents[key] = len(self.parents)
                self.parents.append(copier.value(value))
            for page, joined in zip(source.pages, self.pages[first:], strict=True):
                self._page(copier, page, joined)
            self.top += [
                copier.ref(kid)
                for element in documents
                for kid in structure.kids(element)
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

    def _page(self, copier: Copier, page: pikepdf.Page, joined: _Page) -> None:
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

    def _properties(self, copier: Copier, first: pikepdf.Pdf) -> None:
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
            copier = Copier(self.writer, {})
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
        structure.write_tree(
            self.writer,
            root=self.struct_root,
            document=self.document,
            top=self.top,
            parents=self.parents,
            ids=self.ids,
        )
        outlines = write_outline(
            self.writer, self.bookmarks, [(page.number, page.height) for page in self.pages]
        )
        write(
            self.catalog,
            b"<</Type/Catalog/Pages %d 0 R" % self.page_tree
            + b"/StructTreeRoot %d 0 R" % self.struct_root
            + (b"/Outlines %d 0 R/PageMode/UseOutlines" % outlines if outlines else b"")
            + self.properties
            + b">>",
        )
        return self.writer.close(self.catalog, self.info)


def _streams(contents) -> list:
    """A page's content streams: one, an array of them, or none."""
    if contents is None:
        return []
    return list(contents) if isinstance(contents, Array) else [contents]
