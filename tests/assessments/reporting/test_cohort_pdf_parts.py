"""The cohort summary of a large cohort, laid out in parts and joined (``pdf.cohort_parts``,
``pdfjoin``): WeasyPrint lays out one part at a time, each freed before the next is made,
and the parts make one accessible document, in order, numbered, with bookmarks.

A part is COHORT_ROWS_PER_PART organisations (100); the tests make it 2, so that five
organisations are three parts."""

import gc
import io
import re
import weakref

import pikepdf
import pytest
from pypdf import PdfReader

from assessments.documents import pdf
from assessments.documents.cohort import cohort_dashboard
from tests.assessments.reporting.test_pdf_accessibility import assert_accessible, structure
from tests.support import CohortWorld, member_org

pytestmark = pytest.mark.django_db

NAMES = ["Riverside adult care", "Ashford", "Brookfield", "Eastgate", "Millbrook"]
IN_ORDER = sorted(NAMES, key=str.lower)


@pytest.fixture
def five(monkeypatch):
    monkeypatch.setattr(pdf, "COHORT_ROWS_PER_PART", 2)
    world = CohortWorld()  # Riverside adult care
    for name in NAMES[1:]:
        member_org(world.cohort, name, lived_level=4, staff_level=3)
    return cohort_dashboard(world.cohort, page=None)


def test_a_large_cohort_is_laid_out_a_part_at_a_time(five, monkeypatch) -> None:
    """At most two organisations' rows in each document WeasyPrint lays out, and none of
    the documents laid out before is still in memory when the next is laid out."""
    laid_out: list[weakref.ref] = []
    rows_in_each: list[list[str]] = []

    class Watched(pdf.HTML):
        def render(self, *args, **kwargs):
            gc.collect()
            assert [document() for document in laid_out] == [None] * len(laid_out)
            document = super().render(*args, **kwargs)
            laid_out.append(weakref.ref(document))
            text = " ".join(
                box.text for page in document.pages for box in _text_boxes(page._page_box)
            )
            rows_in_each.append([name for name in NAMES if name in text])
            return document

    monkeypatch.setattr(pdf, "HTML", Watched)
    pdf.cohort_summary_pdf(five)
    # Three parts (the page numbers are laid out too, with no rows).
    assert [len(rows) for rows in rows_in_each] == [2, 2, 1, 0]
    assert sorted(name for rows in rows_in_each for name in rows) == sorted(NAMES)


def _text_boxes(box):
    if hasattr(box, "text"):
        yield box
    for child in getattr(box, "children", []):
        yield from _text_boxes(child)


def test_the_parts_make_one_accessible_document(five, tmp_path):
    assert_accessible(pdf.cohort_summary_pdf(five), tmp_path)


@pytest.mark.exact_figures
def test_the_pages_come_in_order_numbered_with_every_organisation_once(five):
    reader = PdfReader(io.BytesIO(pdf.cohort_summary_pdf(five)))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    total = len(pages)
    assert "North Vale network" in pages[0] and "Page 1 of" not in pages[0]  # the cover
    for number, text in enumerate(pages[1:], start=2):
        assert text.endswith(f"Page {number} of {total}"), text[-40:]
    text = " ".join(pages)
    positions = [text.index(f"{name} Closed") for name in IN_ORDER]
    assert positions == sorted(positions)
    assert [text.count(f"{name} Closed") for name in IN_ORDER] == [1] * len(NAMES)
    blocks = ["Organisations 1 to 2 of 5", "Organisations 3 to 4 of 5", "Organisation 5 of 5"]
    found = [text.index(block) for block in blocks]
    assert found == sorted(found)
    # The last block ends with the cohort's row, before the bands and hardest statements.
    [mean_row] = [m.start() for m in re.finditer(r"Cohort mean 3\.3 3\.3 3\.3 3\.3", text)]
    assert text.index(blocks[-1]) < mean_row < text.index("Organisations in each band")


def test_bookmarks_follow_the_headings(five):
    data = pdf.cohort_summary_pdf(five)
    document = pikepdf.Pdf.open(io.BytesIO(data))
    with document.open_outline() as outline:
        tree = [
            (item.title, [(kid.title, [g.title for g in kid.children]) for kid in item.children])
            for item in outline.root
        ]
        pages = {item.title: _page_of(document, item) for item in _all(outline.root)}
    assert tree == [
        (
            "North Vale network",
            [
                ("The cohort at a glance", []),
                (
                    "Organisations by principle",
                    [
                        "Organisations 1 to 2 of 5",
                        "Organisations 3 to 4 of 5",
                        "Organisation 5 of 5",
                    ],
                ),
                ("The statements the cohort finds hardest", []),
            ],
        )
    ]
    reader_pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]
    for title, page in pages.items():
        assert title in reader_pages[page]


def _all(items):
    for item in items:
        yield item
        yield from _all(item.children)


def _page_of(document, item) -> int:
    target = item.destination[0]
    return next(i for i, page in enumerate(document.pages) if page.obj.objgen == target.objgen)


def test_the_structure_tree_maps_every_page_and_header_cell(five):
    """One /Document element with the parts' elements in reading order; each page's
    marked content found in the parent tree under that page's key; each data cell's
    headers naming header cells of its own table, by identifiers unique in the document."""
    document = pikepdf.Pdf.open(io.BytesIO(pdf.cohort_summary_pdf(five)))
    root = document.Root.StructTreeRoot
    nums = root.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert int(root.ParentTreeNextKey) == len(parents)
    for page in document.pages:
        marked = [
            int(operands[1].MCID)
            for operands, operator in pikepdf.parse_content_stream(page)
            if operator == pikepdf.Operator("BDC") and "/MCID" in operands[1]
        ]
        elements = parents[int(page.obj.StructParents)]
        assert sorted(marked) == list(range(len(elements)))
        assert all(element.Pg.objgen == page.obj.objgen for element in elements)
    [top] = list(root.K)
    assert top.S == "/Document"
    headings = [str(e.S) for e in structure(document) if re.fullmatch(r"/H\d", str(e.S))]
    # structure() walks depth first from the end; the reading order is the tree's order.
    in_order = [str(kid.S) for kid in _depth_first(top) if re.fullmatch(r"/H\d", str(kid.S))]
    assert sorted(headings) == sorted(in_order)
    assert in_order == ["/H1", "/H2", "/H2", "/H3", "/H3", "/H3", "/H2"]
    names = root.IDTree.Names
    ids = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
    assert len(ids) == len(names) // 2
    headers_seen = 0
    for cell in (e for e in structure(document) if e.S == "/TD"):
        for header in cell.A.get("/Headers", []):
            assert ids[str(header)].S == "/TH"
            assert _table_of(ids[str(header)]).objgen == _table_of(cell).objgen
            headers_seen += 1
    assert headers_seen


def _depth_first(element):
    for kid in element.get("/K", []):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield kid
            yield from _depth_first(kid)


def _table_of(element):
    while element.S != "/Table":
        element = element.P
    return element
