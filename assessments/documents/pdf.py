"""PDF documents of a round (the full report for a board, and the action plan on its own)
and of a cohort (the facilitator's summary for commissioners).

WeasyPrint lays out an HTML template (``templates/assessments/reporting/``) styled by
``static/css/report.css``: A4, running headers, page numbers, the fonts embedded, and the
PDF tagged for screen readers with its title and language. The report never reaches the
network: the only files it may read are the site's own static files.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from assessments.documents.summary import RoundResults, round_results
from assessments.documents.trends import ENOUGH_ROUNDS, FrameworkTrend, organisation_trend
from assessments.mail import language_tag
from assessments.rounds import selectors
from assessments.rounds.models import OPEN_ACTION_STATUSES, Round

if TYPE_CHECKING:
    from coprod.pdfjoin import Part


class StaticFilesOnly(URLFetcher):
    """Fetches the report's stylesheet and fonts from the site's static files; refuses
    everything else, so that no text in a report can make it load a remote address."""

    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"})
        self.roots = [Path(root).resolve() for root in _static_roots()]

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            # Decoded first, as the file is opened: "%2e%2e" is "..".
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"A report may only read the site's static files, not {url}")
        return super().fetch(url, headers)


def _static_roots() -> list[Path]:
    roots = [Path(entry) for entry in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return roots


def static_file_uri(path: str) -> str:
    """A file:// address of one of the site's static files, for WeasyPrint."""
    for root in _static_roots():
        candidate = root / path
        if candidate.is_file():
            return candidate.resolve().as_uri()
    raise FileNotFoundError(f"Static file {path} is missing; the report needs it.")


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint's rendering of the HTML as a PDF/UA-1 document: tagged for screen
    readers, with the PDF/UA identification in its metadata and every table header cell
    saying which cells it heads."""
    return HTML(string=html, url_fetcher=StaticFilesOnly()).write_pdf(
        pdf_variant="pdf/ua-1", finisher=scope_table_headers
    )


def scope_table_headers(document, pdf) -> None:
    """Gives each table header cell (/TH) its /Scope, as PDF/UA asks of tables whose
    header cells are not all tied to their data cells by /Headers and /IDs.

    WeasyPrint ties data cells to their headers but leaves the headers without a scope.
    The scope follows HTML's own rule for a ``th`` without one: in a row of header cells
    only (a table's head) it heads its column; in a row that also holds data cells it
    heads its row. The templates say the same with ``scope="col"`` and ``scope="row"``,
    which WeasyPrint reads to tie the data cells to the right headers.
    """
    objects = {obj.number: obj for obj in pdf.objects if hasattr(obj, "number")}

    def resolve(reference):
        if isinstance(reference, bytes) and reference.endswith(b" R"):
            return objects.get(int(reference.split()[0]))
        return None

    def kids(element) -> list:
        found = []
        for reference in element.get("K", []) if isinstance(element.get("K"), list) else []:
            child = resolve(reference)
            if isinstance(child, dict) and child.get("Type") == "/StructElem":
                found.append(child)
        return found

    for row in [obj for obj in objects.values() if isinstance(obj, dict)]:
        if row.get("S") != "/TR":
            continue
        cells = [kid for kid in kids(row) if kid.get("S") in ("/TH", "/TD")]
        scope = "/Column" if all(cell["S"] == "/TH" for cell in cells) else "/Row"
        for cell in cells:
            if cell["S"] == "/TH":
                # WeasyPrint gives every table cell an attribute dictionary (/O /Table).
                cell["A"]["Scope"] = scope


@dataclass
class ReportContext:
    round: Round
    results: RoundResults
    action_plan: list
    radar_uri: str
    generated: object
    # The rounds on this round's framework up to it, when three or more closed with figures.
    trend: FrameworkTrend | None = None

    @property
    def actions(self) -> list:
        return [action for _, items in self.action_plan for action in items]

    @property
    def open_actions(self) -> int:
        return sum(1 for action in self.actions if action.status in OPEN_ACTION_STATUSES)

    @property
    def agreed_count(self) -> int:
        return sum(1 for p in self.results.principles for s in p.statements if s.agreed)

    @property
    def statement_count(self) -> int:
        return sum(len(p.statements) for p in self.results.principles)

    @property
    def largest_gaps(self) -> list:
        return self.results.flagged_gaps[:3]

    @property
    def notes_count(self) -> int:
        return sum(len(s.notes) for p in self.results.principles for s in p.statements)


def _svg_data_uri(svg: str) -> str:
    if not svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def report_context(round_: Round) -> ReportContext:
    results = round_results(round_)
    return ReportContext(
        round=round_,
        results=results,
        action_plan=selectors.action_plan(round_),
        radar_uri=_svg_data_uri(results.radar()) if results.enough else "",
        generated=timezone.localtime(),
        trend=_trend(round_),
    )


def _trend(round_: Round) -> FrameworkTrend | None:
    if not round_.is_closed:
        return None
    found = organisation_trend(round_.organisation_id, up_to=round_).frameworks
    if not found or found[0].with_figures < ENOUGH_ROUNDS:
        return None
    for principle in found[0].principles:
        principle.chart = _svg_data_uri(principle.chart)
    return found[0]


def css_string(text: str) -> str:
    """``text`` as a CSS string, safe inside a ``<style>`` element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return '"' + escaped.replace("<", "\\3c ") + '"'


def page_style(*, footer: bool = True, numbers: bool = True) -> str:
    """The words in the pages' margins, in the active language, over the stylesheet's
    English: the document's name at the foot, and "Page 2 of 12" with the numbers drawn by
    the page counters wherever the language puts them."""
    boxes = []
    if footer:
        name = css_string(gettext("Co-production self-reflection"))
        boxes.append(f"@bottom-left {{ content: {name}; }}")
    if numbers:
        words = re.split(r"(%\(page\)s|%\(pages\)s)", gettext("Page %(page)s of %(pages)s"))
        parts = [
            {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}.get(word)
            or css_string(word)
            for word in words
            if word
        ]
        boxes.append(f"@bottom-right {{ content: {' '.join(parts)}; }}")
    return mark_safe("@page { " + " ".join(boxes) + " }")  # noqa: S308 (escaped above)


def _document(template: str, **context) -> str:
    """One of the PDFs' HTML, in the active language, with the report stylesheet and
    the time it was made."""
    return render_to_string(
        template,
        {
            "generated": timezone.localtime(),
            "stylesheet": static_file_uri("css/report.css"),
            # The PDF's language, for screen readers and the PDF/UA check: the reader's.
            "lang": language_tag(),
            "page_style": page_style(),
            **context,
        },
    )


def report_html(round_: Round) -> str:
    return _document(
        "assessments/reporting/round_report.html",
        report=report_context(round_),
        round=round_,
        organisation=round_.organisation,
        # Links in the report (evidence's documents) lead back to the site, signed in.
        site_url=settings.SITE_URL,
    )


def action_plan_html(round_: Round) -> str:
    return _document(
        "assessments/reporting/action_plan.html",
        round=round_,
        organisation=round_.organisation,
        action_plan=selectors.action_plan(round_),
    )


def round_report_pdf(round_: Round) -> bytes:
    return html_to_pdf(report_html(round_))


def action_plan_pdf(round_: Round) -> bytes:
    return html_to_pdf(action_plan_html(round_))


def filename(round_: Round, kind: str) -> str:
    """A file name that says whose it is and what: riverside-autumn-reflection-report.pdf."""
    stem = slugify(f"{round_.organisation.name} {round_.title}")[:80].strip("-")
    return f"{stem or 'round'}-{kind}.pdf"


# Organisations in one part of the cohort summary: WeasyPrint holds a part's layout in memory
# until it has written it (a few tens of MiB for a hundred rows of the heat map), then the
# parts are joined (``pdfjoin``). A cohort of this size or fewer is one part.
COHORT_ROWS_PER_PART = 100


@dataclass(frozen=True)
class CohortPart:
    """Which of the cohort summary one part holds: the cover, the overview and the start of
    the heat map (``first``); rows ``start`` to ``stop`` of the heat map (counted from 1,
    in the order asked for), as block ``block`` of ``blocks``; and after the last block
    (``last``) the cohort mean row, the bands and the hardest statements."""

    rows: list
    start: int
    stop: int
    total: int
    block: int
    blocks: int

    @property
    def first(self) -> bool:
        return self.block == 1

    @property
    def last(self) -> bool:
        return self.block == self.blocks

    def _numbers(self) -> dict[str, str]:
        """The rows' numbers, written as the active language writes them."""
        return {
            name: number_format(value, force_grouping=True)
            for name, value in (("start", self.start), ("stop", self.stop), ("total", self.total))
        }

    @property
    def span(self) -> str:
        """Which rows of the heat map, within a sentence: "organisations 101 to 200 of
        1,000"."""
        if self.start == self.stop:
            text = ngettext(
                "organisation %(start)s of %(total)s",
                "organisation %(start)s of %(total)s",
                self.total,
            )
        else:
            text = ngettext(
                "organisations %(start)s to %(stop)s of %(total)s",
                "organisations %(start)s to %(stop)s of %(total)s",
                self.total,
            )
        return text % self._numbers()

    @property
    def span_heading(self) -> str:
        """Which rows of the heat map, as a heading: "Organisations 101 to 200 of 1,000"."""
        if self.start == self.stop:
            text = ngettext(
                "Organisation %(start)s of %(total)s",
                "Organisation %(start)s of %(total)s",
                self.total,
            )
        else:
            text = ngettext(
                "Organisations %(start)s to %(stop)s of %(total)s",
                "Organisations %(start)s to %(stop)s of %(total)s",
                self.total,
            )
        return text % self._numbers()


def cohort_parts(dashboard) -> list[CohortPart]:
    rows_per_part = COHORT_ROWS_PER_PART
    rows = dashboard.rows if dashboard.with_figures else []
    blocks = max(1, -(-len(rows) // rows_per_part))
    return [
        CohortPart(
            rows=rows[start : start + rows_per_part],
            start=start + 1,
            stop=min(start + rows_per_part, len(rows)),
            total=len(rows),
            block=number,
            blocks=blocks,
        )
        for number, start in enumerate(range(0, max(len(rows), 1), rows_per_part), start=1)
    ]


def cohort_summary_html(dashboard, part: CohortPart) -> str:
    return _document(
        "assessments/reporting/cohort_summary.html",
        dashboard=dashboard,
        part=part,
        cohort=dashboard.cohort,
        # The document's author, in the PDF's metadata.
        organisation={"name": dashboard.cohort.facilitator.get_full_name()},
        radar_uri=_svg_data_uri(dashboard.radar()) if part.first else "",
        # Without page numbers: they are drawn when the parts are joined.
        stylesheet=static_file_uri("css/report-part.css"),
        page_style=page_style(numbers=False),
    )


def html_to_part(html: str) -> Part:
    """One part of a document made in parts: as ``html_to_pdf`` makes a PDF, with the
    headings for the joined document's bookmarks. The layout is gone when this returns."""
    from coprod import pdfjoin  # pikepdf, only where documents are joined

    document = HTML(string=html, url_fetcher=StaticFilesOnly()).render(pdf_variant="pdf/ua-1")
    bookmarks = [
        (level, label, number, position)
        for number, page in enumerate(document.pages)
        for level, label, position, _ in page.bookmarks
    ]
    return pdfjoin.Part(
        document.write_pdf(pdf_variant="pdf/ua-1", finisher=scope_table_headers), bookmarks
    )


def page_numbers_pdf(pages: int) -> bytes:
    """``pages`` pages holding only their numbers, where the report's pages have them (none
    on the cover): drawn over a document joined from parts."""
    html = _document(
        "assessments/reporting/page_numbers.html",
        pages=range(pages),
        stylesheet=static_file_uri("css/page-numbers.css"),
        page_style=page_style(footer=False),
    )
    return HTML(string=html, url_fetcher=StaticFilesOnly()).write_pdf()


def cohort_summary_pdf(dashboard) -> bytes:
    """The cohort summary, laid out a part at a time (each part's layout freed before the
    next is made) and joined into one tagged, numbered PDF."""
    from coprod import pdfjoin

    parts = (html_to_part(cohort_summary_html(dashboard, part)) for part in cohort_parts(dashboard))
    return pdfjoin.join(parts, footers=page_numbers_pdf)


def cohort_filename(cohort) -> str:
    stem = slugify(cohort.name)[:80].strip("-")
    return f"{stem or 'cohort'}-summary.pdf"
