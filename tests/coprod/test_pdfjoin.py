"""coprod.pdfjoin on its own: small tagged PDFs made by WeasyPrint, as the reports make
theirs, joined into one document that keeps their tags, pages, headings and table headers,
numbered, and passing the same PDF/UA check as the reports."""

import io
import re

import pikepdf
import pytest
from pypdf import PdfReader
from weasyprint import HTML

from assessments.documents.pdf import scope_table_headers
from coprod import pdfjoin
from tests.assessments.reporting.test_pdf_accessibility import CHECKER_CANNOT_RUN, check, structure

PARTS = 3


def part_html(number: int) -> str:
    rows = "".join(
        f"<tr><th scope='row'>Team {number}.{row}</th><td>{row}</td></tr>" for row in range(3)
    )
    return f"""<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
        <title>Joined report</title><meta name="author" content="A facilitator"></head><body>
        {"<h1>Joined report</h1>" if number == 0 else ""}
        <h2>Part {number}</h2><p>The text of part {number}.</p>
        <table><thead><tr><th scope="col">Team</th><th scope="col">Level</th></tr></thead>
        <tbody>{rows}</tbody></table>
        <h3 style="break-before: page">Part {number}, continued</h3><p>Its second page.</p>
        </body></html>"""


def make_part(html: str) -> pdfjoin.Part:
    """A part as the reports make one: WeasyPrint's PDF/UA-1 with its headings."""
    document = HTML(string=html).render(pdf_variant="pdf/ua-1")
    bookmarks = [
        (level, label, number, position)
        for number, page in enumerate(document.pages)
        for level, label, position, _ in page.bookmarks
    ]
    data = document.write_pdf(pdf_variant="pdf/ua-1", finisher=scope_table_headers)
    return pdfjoin.Part(data, bookmarks)


def footers(pages: int) -> bytes:
    html = (
        "<!doctype html><html lang='en-GB'><head><title>Numbers</title><style>"
        "@page { @bottom-right { content: 'Page ' counter(page) ' of ' counter(pages) } }"
        "div + div { break-before: page }</style></head><body>"
        + "<div></div>" * pages
        + "</body></html>"
    )
    return HTML(string=html).write_pdf()


@pytest.fixture(scope="module")
def parts() -> list[pdfjoin.Part]:
    return [make_part(part_html(number)) for number in range(PARTS)]


@pytest.fixture(scope="module")
def joined(parts) -> bytes:
    return pdfjoin.join(iter(parts), footers=footers)


def page_texts(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_the_pages_come_in_order_each_with_its_number(joined):
    texts = page_texts(joined)
    assert len(texts) == 2 * PARTS
    for number in range(PARTS):
        first, second = texts[2 * number], texts[2 * number + 1]
        assert f"The text of part {number}." in first and "Its second page." not in first
        assert f"Part {number}, continued" in second
    for number, text in enumerate(texts, start=1):
        assert text.endswith(f"Page {number} of {len(texts)}")


def test_the_page_numbers_are_drawn_as_pagination_artifacts(joined):
    document = pikepdf.Pdf.open(io.BytesIO(joined))
    for page in document.pages:
        operators = [
            (operands, str(operator)) for operands, operator in pikepdf.parse_content_stream(page)
        ]
        (tag, properties), begin = operators[-3][0], operators[-3][1]
        assert (begin, str(tag)) == ("BDC", "/Artifact")
        assert (properties.Type, properties.Subtype) == ("/Pagination", "/Footer")
        assert [operator for _, operator in operators[-2:]] == ["Do", "EMC"]


def test_every_part_is_tagged_under_one_document_element(parts, joined):
    document = pikepdf.Pdf.open(io.BytesIO(joined))
    root = document.Root.StructTreeRoot
    [top] = list(root.K)
    assert top.S == "/Document"
    assert all(kid.P.objgen == top.objgen for kid in top.K)
    in_order = [str(element.S) for element in _depth_first(top)]
    headings = [kind for kind in in_order if re.fullmatch(r"/H\d", kind)]
    assert headings == ["/H1", "/H2", "/H3", "/H2", "/H3", "/H2", "/H3"]
    # No element lost, none added but the one /Document element in place of each part's.
    in_parts = sum(
        len(list(structure(pikepdf.Pdf.open(io.BytesIO(part.pdf))))) - 1 for part in parts
    )
    assert len(in_order) == in_parts


def test_each_pages_marked_content_leads_to_its_elements(joined):
    document = pikepdf.Pdf.open(io.BytesIO(joined))
    root = document.Root.StructTreeRoot
    nums = root.ParentTree.Nums
    parents = {int(nums[index]): nums[index + 1] for index in range(0, len(nums), 2)}
    assert int(root.ParentTreeNextKey) == len(parents)
    keys = [int(page.obj.StructParents) for page in document.pages]
    assert len(set(keys)) == len(keys)
    for page in document.pages:
        marked = [
            int(operands[1].MCID)
            for operands, operator in pikepdf.parse_content_stream(page)
            if operator == pikepdf.Operator("BDC") and "/MCID" in operands[1]
        ]
        elements = parents[int(page.obj.StructParents)]
        assert marked and sorted(marked) == list(range(len(elements)))
        assert all(element.Pg.objgen == page.obj.objgen for element in elements)


def test_header_cell_identifiers_are_unique_and_found_from_their_data_cells(joined):
    document = pikepdf.Pdf.open(io.BytesIO(joined))
    names = document.Root.StructTreeRoot.IDTree.Names
    ids = {str(names[index]): names[index + 1] for index in range(0, len(names), 2)}
    assert len(ids) == len(names) // 2 == len([e for e in structure(document) if "/ID" in e])
    tables = set()
    for cell in (element for element in structure(document) if element.S == "/TD"):
        headers = [ids[str(header)] for header in cell.A.Headers]
        assert headers and all(header.S == "/TH" for header in headers)
        assert {_table_of(header).objgen for header in headers} == {_table_of(cell).objgen}
        tables.add(_table_of(cell).objgen)
    assert len(tables) == PARTS


def test_bookmarks_nest_by_heading_level_and_lead_to_their_pages(joined):
    document = pikepdf.Pdf.open(io.BytesIO(joined))
    texts = page_texts(joined)
    with document.open_outline() as outline:
        tree = [
            (item.title, [(kid.title, [g.title for g in kid.children]) for kid in item.children])
            for item in outline.root
        ]
        pages = {item.title: _page_of(document, item) for item in _all(outline.root)}
    assert tree == [
        ("Joined report", [(f"Part {n}", [f"Part {n}, continued"]) for n in range(PARTS)])
    ]
    assert pages["Joined report"] == 0
    for number in range(PARTS):
        assert pages[f"Part {number}"] == 2 * number
        assert pages[f"Part {number}, continued"] == 2 * number + 1
    for title, page in pages.items():
        assert title in texts[page]
    assert document.Root.PageMode == "/UseOutlines"


def test_the_joined_document_passes_the_pdf_ua_check(joined, tmp_path):
    findings, skipped = check(joined, tmp_path)
    assert findings == []
    assert skipped <= CHECKER_CANNOT_RUN
    document = pikepdf.Pdf.open(io.BytesIO(joined))
    assert document.open_metadata().get("pdfuaid:part") == "1"
    assert str(document.docinfo.Title) == "Joined report"
    assert str(document.Root.Lang) == "en-GB"


def test_without_footers_the_pages_are_joined_unnumbered(parts):
    texts = page_texts(pdfjoin.join(parts))
    assert len(texts) == 2 * PARTS
    assert not any("Page " in text for text in texts)


def test_nothing_to_join_or_footers_for_other_pages_is_refused(parts):
    with pytest.raises(ValueError, match="Nothing to join"):
        pdfjoin.join([])
    with pytest.raises(ValueError, match="5 footers for 6 pages"):
        pdfjoin.join(parts, footers=lambda pages: footers(pages - 1))


def _depth_first(element):
    for kid in element.get("/K", []):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield kid
            yield from _depth_first(kid)


def _table_of(element):
    while element.S != "/Table":
        element = element.P
    return element


def _all(items):
    for item in items:
        yield item
        yield from _all(item.children)


def _page_of(document, item) -> int:
    target = item.destination[0]
    return next(i for i, page in enumerate(document.pages) if page.obj.objgen == target.objgen)
