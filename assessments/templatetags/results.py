"""Small filters for showing scores in words and numbers."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessments.documents import held, read_through
from assessments.figures import cohort_scoring
from assessments.figures.scoring import GAP_MEANING
from assessments.rounds import steps
from assessments.rounds.models import PERSPECTIVE_LABELS, Level

register = template.Library()


@register.simple_tag
def gap_meaning() -> str:
    """What the perception gap is, in the same words everywhere."""
    return str(GAP_MEANING)


@register.simple_tag
def read_throughs(round_) -> list[read_through.ReadThrough]:
    """The round's results read through each framework a crosswalk links to its own, for
    the report (the site shows each on a page of its own)."""
    found = (read_through.read_through(round_, o.slug) for o in read_through.partners(round_))
    return [reading for reading in found if reading is not None]


@register.filter
def in_steps(count: int) -> str:
    """A count of people in steps of three, in words: "fewer than 3", "6 or more"."""
    return steps.in_words(count)


@register.filter
def score(value) -> str:
    """A mean to one decimal place, or a dash where there is none."""
    if value is None:
        return "–"
    return f"{value:.1f}"


@register.filter
def signed(value) -> str:
    """A gap with its sign spelled out: +0.5, −1.2 (a real minus sign), 0.0; a dash when
    there is no gap to show."""
    if value is None or value == "":
        return "–"
    if abs(value) < 0.05:
        return "0.0"
    return f"+{value:.1f}" if value > 0 else f"−{abs(value):.1f}"


@register.filter
def gap_words(gap) -> str:
    """What a perception gap means, in words, for people who do not read numbers first."""
    if gap is None or gap.gap is None:
        return _("Not enough people on both sides to compare")
    if abs(gap.gap) < 0.05:
        return _("Both sides see it the same")
    if gap.gap < 0:
        if gap.flagged:
            return _("People who use services rate it much lower than staff")
        return _("People who use services rate it lower than staff")
    if gap.flagged:
        return _("People who use services rate it much higher than staff")
    return _("People who use services rate it higher than staff")


@register.filter
def held_words(reason: str) -> str:
    """Why a group's figure is not shown, as its publication recorded it."""
    return held.held_words(reason)


@register.filter
def everyone_held_words(reason: str) -> str:
    """Why everyone's figure is not shown."""
    return held.held_words(reason, everyone=True)


@register.filter
def gap_held_words(reason: str) -> str:
    """Why a perception gap is not shown."""
    return held.GAP_WORDS.get(reason, "")


@register.filter
def move_words(move) -> str:
    """A change since the last round in words, so it never relies on colour or an arrow."""
    if move is None or move.change is None:
        return _("No earlier score")
    if move.direction == "same":
        return _("About the same")
    size = f"{abs(move.change):.1f}"
    if move.direction == "up":
        return _("Up %(size)s") % {"size": size}
    return _("Down %(size)s") % {"size": size}


@register.filter
def level_label(value) -> str:
    try:
        return str(Level(value).label)
    except ValueError:
        return ""


@register.filter
def perspective_label(key) -> str:
    return PERSPECTIVE_LABELS.get(key, key)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def band(value) -> int | None:
    """The band (1–4) of a score: the nearest step of the scale."""
    return cohort_scoring.band(value)


@register.filter
def shade(value) -> str:
    """The heat-map shade of a score: its tenths as printed ("s25" for 2.5), so that
    scores a tenth apart are a shade apart; "none" where there is no score."""
    if value is None:
        return "none"
    tenths = int(score(min(max(value, 1.0), 4.0)).replace(".", ""))
    return f"s{tenths}"


@register.simple_tag
def heat_key() -> list[float]:
    """The scores the heat map's key shows a shade of: every half step, 1 to 4."""
    return [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]


@register.simple_tag
def row_people(row, perspective: str) -> str:
    """An organisation's people in the heat map: "14", or "4 of 14" filtered on a group."""
    return row.people(perspective)


@register.simple_tag
def heat_map_rows(rows, perspective: str) -> str:
    """The cohort heat map's rows, built here rather than in the template: a page of them is
    most of the dashboard's cells, and the template engine took longer over them than over
    the rest of the page."""
    built = []
    for row in rows:
        title = ""
        if row.round is not None and row.round.status != "draft":
            title = format_html('<span class="round-title">{}</span>', row.round.title)
        people = row.people(perspective)
        cells = "".join(
            f'<td class="heat heat-{shade(cell.score)}">'
            f"{escape(cell.note) if cell.note else score(cell.score)}</td>"
            for cell in row.cells
        )  # numbers, band names and escaped notes (a cell read through a crosswalk)
        label = ""
        if row.read_through:
            label = format_html('<span class="read-through">{}</span>', row.read_through_label)
        built.append(
            format_html(
                '<tr>\n      <th scope="row">{}{}</th>\n      <td>{}{}</td>\n'
                '      <td class="num">{}</td>\n      {}\n      <td class="row-note">{}</td>\n'
                "    </tr>",
                row.name,
                label,
                row.progress_label,
                title,
                people,
                mark_safe(cells),  # noqa: S308 - built above, escaped
                row.reason,
            )
        )
    return mark_safe("\n    ".join(built))  # noqa: S308 - each row escaped by format_html


@register.filter
def answers_deleted(round_) -> str:
    """When a round's answers and notes were deleted, in a sentence ("" while kept)."""
    return held.deleted_words(round_)
