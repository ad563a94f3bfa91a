"""A round's instrument as a grid (the four Co's: principles/scales.py), for the results
page, the report and the CSV, read only from the round's publication.

A row for each of the instrument's principles (co-commissioning, co-design, co-delivery,
co-assessment), a column for each step of its scale (told, asked, involved, sharing) and
one for "not sure": each cell is how many ratings of the row's statements were at that
step, the sum of the counts the statements' published cells for everyone hold (with the
noise they were published with). The instrument's statements are published as cells like
any statement, under the same disclosure rules (``figures.publishing``); a statement whose
cell was held back adds nothing to its row, and the row says so in ``held``'s words. The
round's principle scores, radar, comparisons and benchmark never include them: they are
keyed by the positions of the round's framework only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessments.documents.held import held_words
from assessments.figures.publishing import EVERYONE, Figures
from assessments.rounds.models import Round
from principles import scales
from principles.models import Framework, Principle
from principles.selectors import frozen_framework_content

NOT_SURE = _("Not sure")


@dataclass(frozen=True)
class GridRow:
    principle: Principle
    counts: tuple[int, ...]  # ratings at each step of the scale, 1 to 4
    not_sure: int
    statements: int  # how many statements the row has
    held: int  # how many of them were held back
    notes: tuple[str, ...] = ()  # the notes published on its statements, without names

    @property
    def rated(self) -> int:
        return sum(self.counts)

    @property
    def cells(self) -> list[tuple[int, int]]:
        """Each step's count with its share of the row's ratings in per cent, for a bar."""
        return [(n, round(100 * n / self.rated) if self.rated else 0) for n in self.counts]

    @property
    def held_note(self) -> str:
        """Why the row counts fewer statements than it has, or "" when none was held."""
        if not self.held:
            return ""
        counted = ngettext(
            "%(count)s statement in this row is not counted.",
            "%(count)s statements in this row are not counted.",
            self.held,
        ) % {"count": self.held}
        return f"{counted} {held_words('held', everyone=True)}"


@dataclass(frozen=True)
class Grid:
    framework: Framework
    steps: list[scales.Step]
    rows: list[GridRow]

    @property
    def any_rated(self) -> bool:
        return any(row.rated or row.not_sure for row in self.rows)


def round_grid(round_: Round, figures: Figures) -> Grid | None:
    """The grid of the round's instrument from its published figures; None when the round
    has no instrument or nothing is published yet."""
    if round_.instrument_id is None or figures.publication is None:
        return None
    assert round_.instrument is not None
    instrument = frozen_framework_content(round_.instrument)
    rows = []
    for principle in instrument.principles.all():
        counts, not_sure, held = [0, 0, 0, 0], 0, 0
        statements = list(principle.statements.all())
        notes = tuple(note for s in statements for note in figures.notes.get(s.pk, []))
        for statement in statements:
            cells = figures.statements.get(statement.pk)
            if cells is None:
                continue  # nobody answered it: nothing was published, nothing held
            cell = cells.get(EVERYONE)
            if cell is None:
                held += 1
                continue
            counts = [a + b for a, b in zip(counts, cell["levels"], strict=True)]
            not_sure += cell["not_sure"]
        rows.append(GridRow(principle, tuple(counts), not_sure, len(statements), held, notes))
    return Grid(instrument, scales.steps(instrument.scale), rows)


def grid_csv_rows(grid: Grid) -> list[list[str]]:
    """The grid as CSV rows: a header, then a row a principle, with why any is short."""
    header = [str(_("Part")), *(step.label for step in grid.steps), str(NOT_SURE), str(_("Note"))]
    return [
        header,
        *(
            [row.principle.name, *map(str, row.counts), str(row.not_sure), row.held_note]
            for row in grid.rows
        ),
    ]
