"""A facilitator's cohorts on one framework, period by period: how each principle's cohort
mean moved, from the cohort figures each cohort keeps (``cohorts.models.CohortFigures``).

A cohort is one period; a facilitator who runs a cohort on the same framework again (next
year's network, say) has a series of periods. Each period's figures are shown as its own
dashboard shows them: the cohort mean of everyone, to one decimal place, and how many
organisations it covers. Nothing is worked out again and no figure is added (no change
between periods, no mean across them), so the movement tells the facilitator nothing the
dashboards of the cohorts do not. Three queries, whatever the number of periods.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from assessments.cohorts.models import Cohort, CohortFigures
from assessments.documents.trend_chart import Line, trend_svg
from principles.models import Principle


@dataclass(frozen=True)
class Period:
    cohort: Cohort  # with its framework
    with_figures: int  # organisations whose figures the cohort mean covers
    means: dict[int, float | None]  # principle order → the cohort mean, as kept


@dataclass
class CohortMovement:
    cohort: Cohort
    periods: list[Period]
    principles: list[tuple[int, str]]  # (order, name), of the newest version
    chart: str = ""

    @property
    def with_figures(self) -> int:
        return sum(1 for p in self.periods if p.with_figures)

    @property
    def versions(self) -> list[int]:
        return sorted({p.cohort.framework.version for p in self.periods})

    def rows(self) -> list[tuple[Period, list[float | None]]]:
        return [(p, [p.means.get(order) for order, _ in self.principles]) for p in self.periods]


def _means(data: dict | None) -> tuple[int, dict[int, float | None]]:
    everyone = (data or {}).get("views", {}).get("", {})
    means = {
        int(order): column["summary"][0] for order, column in everyone.get("principles", {}).items()
    }
    return everyone.get("with_figures", 0), means


def cohort_movement(cohort: Cohort, *, chart: bool = True) -> CohortMovement:
    """The cohorts its facilitator runs on the same framework (any version), by period."""
    cohorts = list(
        Cohort.objects.filter(
            facilitator_id=cohort.facilitator_id, framework__slug=cohort.framework.slug
        )
        .select_related("framework")
        .order_by("starts_on", "pk")
    )
    kept = dict(CohortFigures.objects.filter(cohort__in=cohorts).values_list("cohort_id", "data"))
    periods = []
    for each in cohorts:
        with_figures, means = _means(kept.get(each.pk))
        periods.append(Period(each, with_figures, means if with_figures else {}))
    newest = max(cohorts, key=lambda c: c.framework.version).framework_id
    principles = [
        (p.order, p.name) for p in Principle.objects.filter(framework_id=newest).order_by("order")
    ]
    movement = CohortMovement(cohort, periods, principles)
    if chart and movement.with_figures >= 2:  # one point is no line: the table says it
        movement.chart = _chart(movement)
    return movement


def period_label(period: Period) -> str:
    return gettext("%(cohort)s (%(starts)s to %(ends)s)") % {
        "cohort": period.cohort.name,
        "starts": date_format(period.cohort.starts_on, "M Y"),
        "ends": date_format(period.cohort.ends_on, "M Y"),
    }


def _chart(movement: CohortMovement) -> str:
    rows = movement.rows()
    lines = [
        Line(f"{number}. {name}", tuple(values[i] for _, values in rows))
        for i, (number, name) in enumerate(movement.principles)
    ]
    periods = movement.periods
    breaks = frozenset(
        i
        for i in range(1, len(periods))
        if periods[i].cohort.framework_id != periods[i - 1].cohort.framework_id
    )
    count = len(movement.principles)
    return trend_svg(
        rounds=[period_label(p) for p in periods],
        lines=lines,
        breaks=breaks,
        title=gettext("Cohort mean of each principle, period by period"),
        description=ngettext(
            "Line chart of the cohort mean of %(count)s principle on the 1 to 4 scale, one "
            "point per cohort period; a break in a line is a period without figures or a "
            "change of framework version. The table with it shows the same figures.",
            "Line chart of the cohort mean of %(count)s principles on the 1 to 4 scale, one "
            "point per cohort period; a break in a line is a period without figures or a "
            "change of framework version. The table with it shows the same figures.",
            count,
        )
        % {"count": count},
        break_label=gettext("New version"),
    )
