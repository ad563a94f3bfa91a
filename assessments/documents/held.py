"""Why a figure is not shown, where it would be: on the results page, in the report, in the
scores CSV and on the agreed-position pages (``summary.round_results`` finds them, the
templates and ``documents.exports`` put these words in their place)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.figures import scoring
from assessments.figures.publishing import Figures

# Why a figure is not shown: the same words for every figure held back, never which rule
# held it. "Fewer than 3 rated it" would tell someone in a group of three or four, who
# knows they rated the statement, that another member did not (said "not sure" or left
# it): what one person said.
HELD = "held"
HELD_WORDS = _(
    "Not shown, so that nobody’s answers can be picked out: a group’s figure is shown only "
    "where at least 3 people in the group rated the statement and it cannot be worked out "
    "from the other figures."
)
EVERYONE_HELD_WORDS = _(
    "Not shown, so that nobody’s answers can be picked out: a figure is shown only where at "
    "least 3 people rated the statement and it cannot be worked out from the other figures."
)
# Why a perception gap is not shown.
GAP_NOT_IN_ROUND = "round"  # a side has fewer than 3 people in the groups shown
GAP_GROUP_HELD = "group"  # a group of one side is not shown for this statement
GAP_PRINCIPLE_HELD = "principle"  # no statement of the principle has both sides whole


class Words(Mapping[str, str]):
    """Words by reason, each in the active language when it is looked up."""

    def __init__(self, words: dict[str, str | Promise]):
        self._words = words

    def __getitem__(self, key: str) -> str:
        return str(self._words[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)


GAP_WORDS = Words(
    {
        GAP_PRINCIPLE_HELD: _(
            "Not shown: no statement of the principle has every group on both sides shown."
        ),
        GAP_NOT_IN_ROUND: _("Not shown: each side needs at least 3 people in the groups shown."),
        GAP_GROUP_HELD: _("Not shown: a group on one side is not shown for this statement."),
    }
)

# Why a principle's score for a group is not shown: none of its statements has a figure
# for the group that can be shown (each statement says why).
PRINCIPLE_HELD_WORDS = _(
    "Not shown: none of the principle’s statements has a figure for this group that can be "
    "shown. Each statement says why."
)


def held_words(reason: str, *, everyone: bool = False) -> str:
    """Why a figure is not shown, in words of the active language (``reason`` is HELD: one
    reason for all)."""
    return str(EVERYONE_HELD_WORDS if everyone else HELD_WORDS)


def held_figures(
    figures: Figures, keys: list[str], *, at_any_level: bool = False
) -> dict[int, dict[str, str]]:
    """statement id → key → HELD, for each figure of everyone or a group (``keys``) the
    publication left out; statements with every figure shown are left out. In a round at
    levels, a figure across a statement's levels is held when no level's is shown (or,
    ``at_any_level``, when some level's is not: what a perception gap needs)."""
    held: dict[int, dict[str, str]] = {}
    seen = all if at_any_level else any
    for statement, levels in figures.cells_of().items():
        missing = {key: HELD for key in keys if not seen(key in cells for cells in levels)}
        if missing:
            held[statement] = missing
    return held


def gap_held(
    gap: scoring.Gap | None, gap_shown: bool, held: dict[str, str], sides: set[str]
) -> str:
    """Why a statement's perception gap is not shown (GAP_WORDS), or "" when it is."""
    if gap is not None and gap.gap is not None:
        return ""
    if not gap_shown:
        return GAP_NOT_IN_ROUND
    return GAP_GROUP_HELD if sides & set(held) else GAP_NOT_IN_ROUND


def deleted_words(round_) -> str:
    """What every page and download of a round says once each person's answers and notes
    are deleted (``datarights.retention``); "" while they are kept."""
    if round_.answers_deleted_at is None:
        return ""
    return gettext(
        "Each person’s answers and notes in this round were deleted on %(date)s, at the end "
        "of the organisation’s keeping period. What is shown is what the round published, "
        "which is kept: the figures are the same as before."
    ) % {"date": date_format(timezone.localtime(round_.answers_deleted_at), "j F Y")}
