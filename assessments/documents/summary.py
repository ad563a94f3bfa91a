"""Everything the results page and the reports show about one round, gathered once.

A fixed number of queries whatever the number of respondents. First the basis
(``documents.basis``: what the results are made from, kept until anything in it changes);
then, to work the results out, the publication's figures and the previous one's and the
previous framework's statement positions (one query each); the framework's content is kept
once its version is frozen. The figures come from the pure functions in
``assessments.figures.scoring``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext

from assessments.cohorts.benchmark import Benchmark
from assessments.documents.basis import Basis, previous_scores, results_basis
from assessments.documents.followed import FollowedAction, followed_actions
from assessments.documents.grid import Grid, round_grid
from assessments.documents.held import HELD, gap_held, held_figures
from assessments.documents.levels import LevelFigures, level_figures
from assessments.documents.radar import Series, radar_svg
from assessments.documents.summary_words import moved_words, radar_description
from assessments.figures import scoring
from assessments.figures.models import Publication
from assessments.figures.publishing import EVERYONE, Figures
from assessments.rounds.models import (
    PERSPECTIVE_LABELS,
    AgreedPosition,
    Perspective,
    Round,
)
from principles.models import PracticeStatement, Principle
from principles.selectors import frozen_framework_content

# Below this many respondents in all, no figures are shown: one or two people's answers
# would be readable straight off the page.
MIN_RESPONDENTS = scoring.MIN_GROUP

PERSPECTIVE_ORDER = [*Perspective.values, scoring.OTHERS]
PREVIOUS = "previous"  # the radar overlay of the previous round
BENCHMARK = "cohort"  # the radar overlay of the cohort mean
OVERLAY_KEYS = frozenset([*PERSPECTIVE_ORDER, PREVIOUS, BENCHMARK])  # all there can be


@dataclass
class StatementResult:
    statement: PracticeStatement
    summary: scoring.Summary
    gap: scoring.Gap | None
    by_perspective: dict[str, scoring.Summary]
    notes: list[str]
    agreed: AgreedPosition | None
    move: scoring.Move | None = None
    # Why a figure is not shown: for everyone (``EVERYONE``) and each group shown in the
    # round that has no figure for this statement, the reason its publication recorded.
    held: dict[str, str] = field(default_factory=dict)
    gap_held: str = ""  # why there is no perception gap (GAP_WORDS), when there is none

    @property
    def everyone_held(self) -> str:
        return self.held.get(EVERYONE, "")


@dataclass
class PrincipleResult:
    principle: Principle
    number: int
    summary: scoring.Summary
    gap: scoring.Gap | None
    by_perspective: dict[str, scoring.Summary]
    statements: list[StatementResult] = field(default_factory=list)
    move: scoring.Move | None = None
    benchmark: float | None = None  # the cohort mean, when the benchmark may be shown


@dataclass
class RoundResults:
    round: Round
    respondents: int
    groups: list[tuple[str, str, int]]  # (key, label, respondents) of the groups shown
    principles: list[PrincipleResult]
    divergent: list[StatementResult]
    flagged_gaps: list[tuple[PrincipleResult | StatementResult, scoring.Gap]]
    gap_shown: bool
    lived_respondents: int
    staff_respondents: int
    # The comparison with the organisation's previous round on the same framework, when
    # that round had enough answers to show.
    previous: Round | None = None
    previous_respondents: int = 0
    # The mean of the round's cohort, when at least 5 organisations have closed rounds.
    benchmark: Benchmark | None = None
    # The publication these figures come from (None: nothing published yet).
    publication: Publication | None = None
    # The previous round's actions and what moved where they were aimed.
    followed: list[FollowedAction] = field(default_factory=list)
    # The round's instrument (the four Co's grid) as a grid, apart from the scores above.
    grid: Grid | None = None
    # In a round that asks at levels, the figures at each level (``documents.levels``).
    levels: LevelFigures | None = None

    @property
    def benchmark_covers_own(self) -> bool:
        """Whether the cohort mean shown includes this organisation's own figures."""
        return bool(self.benchmark and self.benchmark.covers(self.round.organisation_id))

    @property
    def partial(self) -> bool:
        """Figures of an open round: they cover the people who had finished when they were
        published, and move only in steps of three more."""
        return self.publication is not None and not self.publication.closing

    @property
    def enough(self) -> bool:
        return self.respondents >= MIN_RESPONDENTS

    @property
    def unshown(self) -> int:
        """Respondents in groups too small to show, even combined: in "Everyone" only."""
        return self.respondents - sum(count for _, _, count in self.groups)

    @property
    def principles_held(self) -> bool:
        """Whether a principle's score for a group, or its gap, is not shown: no statement
        of it has a figure that can be shown for the group (or for both sides)."""
        return any(
            ((p.gap is None or p.gap.gap is None) and self.gap_shown)
            or any(key not in p.by_perspective for key in self.group_keys)
            for p in self.principles
        )

    @property
    def statements_held(self) -> bool:
        """Whether any statement's figure (of everyone or a group) is not shown."""
        return any(s.held for p in self.principles for s in p.statements)

    @property
    def group_keys(self) -> list[str]:
        return [key for key, _, _ in self.groups]

    @property
    def strongest(self) -> PrincipleResult | None:
        scored = [p for p in self.principles if p.summary.mean is not None]
        return max(scored, key=lambda p: p.summary.mean or 0.0, default=None)

    @property
    def weakest(self) -> PrincipleResult | None:
        scored = [p for p in self.principles if p.summary.mean is not None]
        return min(scored, key=lambda p: p.summary.mean or 0.0, default=None)

    @property
    def overlay_keys(self) -> list[str]:
        """What the radar can show beside everyone: each group, the previous round and the
        cohort mean."""
        return [key for key, _ in self.overlay_choices]

    @property
    def overlay_choices(self) -> list[tuple[str, str]]:
        """Each overlay the radar can show, with its label, in the order of the switches."""
        choices = [(key, label) for key, label, _ in self.groups]
        if self.previous:
            choices.append((PREVIOUS, self.previous_label))
        if self.benchmark:
            choices.append((BENCHMARK, self.benchmark.label))
        return choices

    @property
    def previous_label(self) -> str:
        if self.previous is None:
            return ""
        return gettext("Last round: %(title)s") % {"title": self.previous.title}

    @property
    def moved(self) -> list[StatementResult]:
        """Statements whose score went up or down since the last round, biggest change first."""
        changed = [
            (s, s.move.change)
            for p in self.principles
            for s in p.statements
            if s.move and s.move.change is not None and s.move.direction in {"up", "down"}
        ]
        return [s for s, _ in sorted(changed, key=lambda item: -abs(item[1]))]

    @property
    def move_counts(self) -> str:
        """How the principles moved since the last round, in words: "2 up, 1 down, 1 about
        the same"."""
        directions = [p.move.direction for p in self.principles if p.move]
        parts: list[str] = []
        for direction in ("up", "down", "same"):
            count = directions.count(direction)
            if count:
                parts.append(moved_words(direction, count, first=not parts))
        # A list of whole phrases, each as the catalogue has it.
        return ", ".join(parts) or gettext("no principle could be compared")

    @property
    def default_overlays(self) -> list[str]:
        """What the radar shows unless asked otherwise: everyone, the two sides of the
        perception gap, the last round and the cohort mean. Every group can be switched on."""
        wanted = {Perspective.STAFF, Perspective.LIVED_EXPERIENCE, PREVIOUS, BENCHMARK}
        return [key for key in self.overlay_keys if key in wanted] or self.group_keys

    def radar(self, *, overlays: list[str] | None = None) -> str:
        """The radar SVG: everyone, plus the perspective groups, the previous round and the
        cohort mean asked for (``default_overlays`` when not said)."""
        axes = [p.principle.name for p in self.principles]
        if len(axes) < 3:  # a radar needs three axes; the table says it all
            return ""
        if overlays is None:
            overlays = self.default_overlays
        labels = dict(self.overlay_choices)
        # The comparisons first, then the groups, so each keeps its colour and line style.
        shown = [
            key
            for key in (PREVIOUS, BENCHMARK, *self.group_keys)
            if key in overlays and key in labels
        ]
        groups = [key for key in shown if key not in (PREVIOUS, BENCHMARK)]
        series = [Series(gettext("Everyone"), tuple(p.summary.mean for p in self.principles))]
        series += [Series(labels[key], self._overlay_values(key)) for key in shown]
        return radar_svg(
            axes=axes,
            series=series,
            title=gettext("Principle scores for %(round)s") % {"round": self.round.title},
            description=radar_description(PREVIOUS in shown, BENCHMARK in shown, len(groups)),
        )

    def _overlay_values(self, key: str) -> tuple[float | None, ...]:
        """One overlay's score on each principle: a group's, the last round's or the cohort's."""
        if key == PREVIOUS:
            return tuple(p.move.before if p.move else None for p in self.principles)
        if key == BENCHMARK:
            return tuple(p.benchmark for p in self.principles)
        return tuple(
            p.by_perspective[key].mean if key in p.by_perspective else None for p in self.principles
        )


def _principle_of(framework) -> dict[int, int]:
    return {s.pk: p.pk for p in framework.principles.all() for s in p.statements.all()}


def _gaps(
    figures: Figures,
    rows: dict[str, list[scoring.AnswerRow]],
    published: dict[int, list[dict[str, dict]]],
):
    """The perception gaps between the groups shown on their own on each side, on the
    statements where every group of a side is shown (at every level asked): ``published``
    is each statement's published cells (``Figures.cells_of``)."""
    counts = dict(figures.groups)

    def side(perspectives) -> tuple[list[scoring.AnswerRow], int]:
        keys = [key for key in counts if key in perspectives]
        complete = {
            s for s, levels in published.items() if all(k in c for c in levels for k in keys)
        }
        side_rows = [row for key in keys for row in rows[key] if row.statement_id in complete]
        return side_rows, sum(counts[key] for key in keys)

    (lived, lived_n), (staff, staff_n) = side(scoring.LIVED_SIDE), side(scoring.STAFF_SIDE)
    p_gaps, s_gaps = (
        scoring.gaps_between(
            lived, staff, lived_respondents=lived_n, staff_respondents=staff_n, scorer=scorer
        )
        for scorer in (scoring.principle_scores, scoring.statement_scores)
    )
    return p_gaps, s_gaps, lived_n, staff_n


def round_results(
    round_: Round, *, compare: bool = True, benchmark: bool = True, basis: Basis | None = None
) -> RoundResults:
    """The round's results, from its latest publication; with ``compare``, also what moved
    since the previous round; with ``benchmark``, the cohort mean when the round's cohort is
    large enough. ``basis``: when found already (``results_basis``)."""
    if basis is None:
        basis = results_basis(round_, compare=compare, benchmark=benchmark)
    agreed = basis.agreed
    framework = frozen_framework_content(round_.framework)
    publication = basis.publication
    figures = Figures.of(publication)
    principle_of = _principle_of(framework)

    everyone = figures.rows(EVERYONE, principle_of)
    groups = [(key, PERSPECTIVE_LABELS[key], n) for key, n in figures.groups]
    group_keys = [key for key, _ in figures.groups]
    published = figures.cells_of()
    p_scores = scoring.principle_scores(everyone)
    s_scores = scoring.statement_scores(everyone)
    group_rows = {key: figures.rows(key, principle_of) for key in group_keys}
    p_by = {key: scoring.principle_scores(rows) for key, rows in group_rows.items()}
    s_by = {key: scoring.statement_scores(rows) for key, rows in group_rows.items()}
    p_gaps, s_gaps, lived_n, staff_n = _gaps(figures, group_rows, published)
    previous, previous_respondents, p_before, s_before = previous_scores(basis.previous, framework)
    cohort_mean = basis.benchmark
    p_moves = scoring.moves(p_before, p_scores) if previous else {}
    s_moves = scoring.moves(s_before, s_scores) if previous else {}
    held = held_figures(figures, [EVERYONE, *group_keys])
    # A gap needs every group of a side at every level asked (``_gaps``).
    held_for_gap = held_figures(figures, group_keys, at_any_level=True)
    gap_shown = lived_n >= scoring.MIN_GROUP and staff_n >= scoring.MIN_GROUP
    sides = {key for key in group_keys if key in scoring.LIVED_SIDE | scoring.STAFF_SIDE}

    principles: list[PrincipleResult] = []
    by_statement: dict[int, StatementResult] = {}
    for number, principle in enumerate(framework.principles.all(), start=1):
        result = PrincipleResult(
            principle=principle,
            number=number,
            summary=p_scores.get(principle.pk, scoring.EMPTY),
            gap=p_gaps.get(principle.pk),
            by_perspective={k: v[principle.pk] for k, v in p_by.items() if principle.pk in v},
            move=p_moves.get(principle.pk),
            benchmark=cohort_mean.means.get(principle.order) if cohort_mean else None,
        )
        for statement in principle.statements.all():
            s_held = held.get(statement.pk, {})
            if statement.pk not in published and figures.publication is not None:
                s_held = {EVERYONE: HELD, **{key: HELD for key in group_keys}}  # no answers
            s_result = StatementResult(
                statement=statement,
                summary=s_scores.get(statement.pk, scoring.EMPTY),
                gap=s_gaps.get(statement.pk),
                by_perspective={k: v[statement.pk] for k, v in s_by.items() if statement.pk in v},
                notes=figures.notes.get(statement.pk, []),
                agreed=agreed.get(statement.pk),
                move=s_moves.get(statement.pk),
                held=s_held,
                gap_held=gap_held(
                    s_gaps.get(statement.pk),
                    gap_shown,
                    {**held_for_gap.get(statement.pk, {}), **s_held},
                    sides,
                ),
            )
            result.statements.append(s_result)
            by_statement[statement.pk] = s_result
        principles.append(result)

    divergent = [
        by_statement[statement_id]
        for statement_id, _ in scoring.most_divergent(everyone)
        if statement_id in by_statement
    ]
    flagged: list[tuple[PrincipleResult | StatementResult, scoring.Gap]]
    flagged = [(p, p.gap) for p in principles if p.gap and p.gap.flagged]
    flagged += [(s, s.gap) for p in principles for s in p.statements if s.gap and s.gap.flagged]
    flagged.sort(key=lambda item: -abs(item[1].gap or 0.0))  # flagged: never None
    return RoundResults(
        round=round_,
        respondents=figures.respondents,
        groups=groups,
        principles=principles,
        divergent=divergent,
        flagged_gaps=flagged,
        gap_shown=gap_shown,
        lived_respondents=lived_n,
        staff_respondents=staff_n,
        previous=previous,
        previous_respondents=previous_respondents,
        benchmark=cohort_mean,
        publication=publication,
        followed=followed_actions(basis.followed, principles) if previous else [],
        grid=round_grid(round_, figures),
        levels=level_figures(round_, framework, figures, group_keys),
    )
