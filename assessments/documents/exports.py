"""CSV exports of a round (anonymised answers, scores) and of a cohort (the heat map).

Both open cleanly in Excel and LibreOffice (UTF-8 with a byte-order mark, a header row,
CRLF line ends) and are safe from formula injection: a cell that a spreadsheet would read
as a formula is prefixed with an apostrophe. Small perspectives are folded into "others"
exactly as on the results page (plain numbers, such as a negative gap,
stay numbers), and answers are sorted so that one person's answers
cannot be read off as a run of rows. Where a figure is not shown, the scores say why, in
the words of the results page. Headers and words are in the active language (the asker's);
numbers are written plainly, as a spreadsheet reads them in any language.
"""

import csv
import io
import re

from django.utils.translation import gettext, ngettext, pgettext

from assessments.documents import levels as levels_in_csv
from assessments.documents.grid import grid_csv_rows, round_grid
from assessments.documents.held import (
    GAP_NOT_IN_ROUND,
    GAP_PRINCIPLE_HELD,
    GAP_WORDS,
    PRINCIPLE_HELD_WORDS,
    deleted_words,
    held_words,
)
from assessments.documents.summary import round_results
from assessments.figures import publishing
from assessments.figures.publishing import EVERYONE, Figures
from assessments.figures.scoring import GAP_MEANING
from assessments.rounds.models import PERSPECTIVE_LABELS, Level, Round
from principles import scales
from principles.selectors import framework_with_content

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def safe_cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _csv(header: list[str], rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return "\ufeff" + buffer.getvalue()


def _number(value) -> str:
    return "" if value is None else f"{value:.2f}"


def answers_csv(round_: Round) -> str:
    """The round's published answers, one row per answer, by the groups the publication
    shows (or everyone, where it shows no groups): every row an answer, so that a
    spreadsheet's filters and counts work on it. The notes are in a file of their own
    (``notes_csv``): they are tied to no group and no level, so they have no place on an
    answer's row. Everything here is in the publication the results page reads, so nothing
    can be subtracted from one to learn about a hidden group."""
    figures = Figures.of(publishing.latest(round_))
    keys = [key for key, _ in figures.groups] or [EVERYONE]
    levels = levels_in_csv.asked(round_)
    out = []
    # the framework's statements (at each level, in a round at levels), then its
    # instrument's, asked once, each in its own scale's words
    for framework in (framework_with_content(pk) for pk in round_.framework_ids):
        steps = {step.value: step.label for step in scales.steps(framework.scale)}
        at = levels if framework.pk == round_.framework_id else levels_in_csv.asked_once(levels)
        out += _answer_rows(framework, figures, keys, steps, at)
    return _csv(
        [
            pgettext("CSV header", "perspective"),
            pgettext("CSV header", "principle"),
            pgettext("CSV header", "statement"),
            *levels_in_csv.header(levels),
            pgettext("CSV header", "from"),
            pgettext("CSV header", "to"),
            pgettext("CSV header", "level"),
            pgettext("CSV header", "level in words"),
        ],
        out,
    )


def _answer_rows(
    framework, figures: Figures, keys: list[str], steps: dict[int, str], levels: list
) -> list:
    out: list = []
    for principle in framework.principles.all():
        for statement, (slug, name) in (
            (statement, level) for statement in principle.statements.all() for level in levels
        ):
            if slug:  # a round at levels: the statement's cell at this level
                cells = figures.scoped.get((statement.pk, slug), {})
            else:
                cells = figures.statements.get(statement.pk, {})
            head = [principle.name, statement.code, *name, statement.from_text, statement.to_text]
            for key in keys:
                cell = cells.get(key)
                if cell is None:
                    continue
                label = gettext("Everyone") if key == EVERYONE else str(PERSPECTIVE_LABELS[key])
                counts = [*enumerate(cell["levels"], start=1), (0, cell["not_sure"])]
                for level, count in counts:
                    words = steps.get(level) or str(Level(level).label)
                    out += [[label, *head, level or "", words] for _ in range(count)]
    return out


def notes_csv(round_: Round) -> str:
    """The notes people wrote, one row each, under the statement they were written on; in
    the publication's order (alphabetical), tied to no group and no level. Once the
    round's answers are deleted, one row saying when the notes went with them."""
    figures = Figures.of(publishing.latest(round_))
    # the framework's statements (at each level), then its instrument's (the four Co's grid)
    levels = levels_in_csv.asked(round_)
    frameworks = [framework_with_content(pk) for pk in round_.framework_ids]
    out = [
        [principle.name, statement.code, *name, statement.from_text, statement.to_text, note]
        for framework in frameworks
        for principle in framework.principles.all()
        for statement in principle.statements.all()
        for slug, name in (
            levels if framework.pk == round_.framework_id else levels_in_csv.asked_once(levels)
        )
        for note in (
            figures.scoped_notes.get((statement.pk, slug), [])
            if slug
            else figures.notes.get(statement.pk, [])
        )
    ]
    if round_.answers_deleted_at is not None:
        out = [["", "", "", "", *([""] * len(levels[0][1])), deleted_words(round_)]]
    return _csv(
        [
            pgettext("CSV header", "principle"),
            pgettext("CSV header", "statement"),
            *levels_in_csv.header(levels),
            pgettext("CSV header", "from"),
            pgettext("CSV header", "to"),
            pgettext("CSV header", "note"),
        ],
        out,
    )


def scores_csv(round_: Round) -> str:
    """The round's published scores: a row per principle and group, with the spread of its
    statements' scores; then, under each principle, a row per statement and group with
    what the results page shows of it (everyone's score, the lowest and highest answer,
    "not sure" answers and the perception gap; each group's score where the publication
    shows the group). A figure the publication holds back is an empty cell here too."""
    results = round_results(round_)
    everyone = gettext("Everyone")
    out: list[tuple] = []
    for p in results.principles:
        gap_why = ""
        if p.gap is None or p.gap.gap is None:
            why_not = GAP_PRINCIPLE_HELD if results.gap_shown else GAP_NOT_IN_ROUND
            gap_why = _gap_why(GAP_WORDS[why_not])
        groups = [(EVERYONE, everyone, results.respondents, p.summary, gap_why)] + [
            (key, label, count, p.by_perspective.get(key), str(PRINCIPLE_HELD_WORDS))
            for key, label, count in results.groups
        ]
        for key, label, count, summary, why in groups:
            if summary is None:
                out.append((p.number, p.principle.name, "", label, count, *([""] * 8), why))
                continue
            out.append(
                (
                    p.number,
                    p.principle.name,
                    "",
                    label,
                    count,
                    _number(summary.mean),
                    _number(summary.minimum),
                    _number(summary.maximum),
                    "",
                    "",
                    _number(summary.stdev),
                    summary.not_sure,
                    _number(p.gap.gap) if p.gap and key == EVERYONE else "",
                    why if key == EVERYONE else "",
                )
            )
        for s in p.statements:
            rated = bool(s.summary.rated)
            everyone_why = held_words(s.everyone_held, everyone=True) if s.everyone_held else ""
            gap_why = _gap_why(GAP_WORDS[s.gap_held]) if s.gap_held else ""
            out.append(
                (
                    p.number,
                    p.principle.name,
                    s.statement.code,
                    everyone,
                    results.respondents,
                    _number(s.summary.mean),
                    "",
                    "",
                    s.summary.minimum if rated else "",
                    s.summary.maximum if rated else "",
                    "",
                    s.summary.not_sure if not s.everyone_held else "",
                    _number(s.gap.gap) if s.gap else "",
                    " ".join(why for why in (everyone_why, gap_why) if why),
                )
            )
            for key, label, count in results.groups:
                group = s.by_perspective.get(key)
                held = s.held.get(key)
                if group is None and not held:
                    continue
                out.append(
                    (
                        p.number,
                        p.principle.name,
                        s.statement.code,
                        label,
                        count,
                        "" if held or group is None else _number(group.mean),
                        *([""] * 7),
                        held_words(held) if held else "",
                    )
                )
    levels = []
    if results.levels:  # the figures across the levels, then at each level
        levels = [pgettext("CSV header", "asked at level")]
        across = gettext("All levels")
        out = [(*row[:3], across, *row[3:]) for row in out] + levels_in_csv.score_rows(
            results, _number
        )
    return _csv(
        [
            pgettext("CSV header", "number"),
            pgettext("CSV header", "principle"),
            pgettext("CSV header", "statement"),
            *levels,
            pgettext("CSV header", "group"),
            pgettext("CSV header", "respondents"),
            pgettext("CSV header", "mean"),
            pgettext("CSV header", "lowest statement mean"),
            pgettext("CSV header", "highest statement mean"),
            pgettext("CSV header", "lowest answer"),
            pgettext("CSV header", "highest answer"),
            pgettext("CSV header", "standard deviation"),
            pgettext("CSV header", "not sure answers"),
            pgettext("CSV header", "perception gap (%(meaning)s)") % {"meaning": GAP_MEANING},
            pgettext("CSV header", "why a figure is not shown"),
        ],
        out,
    )


def grid_csv(round_: Round) -> str:
    """The round's instrument (the four Co's grid) as the results page shows it: a row for
    each part, how many ratings were at each step of its scale and "not sure", and why a
    row counts fewer statements than it has. Empty but for a line saying so when the round
    has no instrument."""
    grid = round_grid(round_, Figures.of(publishing.latest(round_)))
    if grid is None:
        return _csv([gettext("This round has no grid.")], [])
    header, *rows = grid_csv_rows(grid)
    return _csv(header, rows)


def _gap_why(words: str) -> str:
    """Why a perception gap is not shown, in the scores' last column."""
    return gettext("Perception gap: %(why)s") % {"why": words}


def new_links_csv(links, *, go_url: str, go_easy_url: str) -> str:
    """Links just made, one row each, for a mail merge: ``links`` as the "Your new links"
    page has them, (number, invite, address). A link's code is typed at /go, or at /go in
    easy read for an easy-read link (as its printed sheet says). Built while the lead's
    browser still holds the batch's key; nothing of it is kept."""
    from coprod import codes

    out = [
        (
            number,
            invite.label,
            invite.get_perspective_display(),
            address,
            codes.display(invite.short_code, 5) if invite.short_code else "",
            (go_easy_url if invite.easy_read else go_url) if invite.short_code else "",
            pgettext("CSV cell", "yes") if invite.easy_read else pgettext("CSV cell", "no"),
            invite.email,
        )
        for number, invite, address in links
    ]
    return _csv(
        [
            pgettext("CSV header", "number"),
            pgettext("CSV header", "label"),
            pgettext("CSV header", "who it is for"),
            pgettext("CSV header", "link"),
            pgettext("CSV header", "short code"),
            pgettext("CSV header", "where to type the code"),
            pgettext("CSV header", "opens in easy read"),
            pgettext("CSV header", "e-mail address"),
        ],
        out,
    )


def cohort_heatmap_csv(dashboard) -> str:
    """The cohort dashboard's heat map: one row per organisation, a column per principle,
    from each round's published figures. Organisations without figures (none published
    yet, or none for the group filtered on) have empty cells and say why."""
    header = [
        pgettext("CSV header", "organisation"),
        pgettext("CSV header", "progress"),
        pgettext("CSV header", "round"),
        pgettext("CSV header", "people in the published figures"),
        pgettext("CSV header", "people behind the figures"),
    ]
    header += [f"{c.number}. {c.principle.name}" for c in dashboard.principles]
    header.append(pgettext("CSV header", "read through another framework"))
    header.append(pgettext("CSV header", "why no figures"))
    out = []
    for row in dashboard.rows:
        out.append(
            [
                row.name,
                row.progress_label,
                row.round.title if row.round else "",
                row.respondents if row.published else "",
                row.group if row.has_figures else "",
                *[cell.note or _number(cell.score) for cell in row.cells],
                row.read_through_label,
                row.reason,
            ]
        )
    out.append(
        [
            gettext("Cohort mean"),
            "",
            "",
            dashboard.respondents,
            "",
            *[_number(c.summary.mean) for c in dashboard.principles],
            "",
            ngettext(
                "%(count)s organisation with figures",
                "%(count)s organisations with figures",
                dashboard.with_figures,
            )
            % {"count": dashboard.with_figures},
        ]
    )
    return _csv(header, out)
