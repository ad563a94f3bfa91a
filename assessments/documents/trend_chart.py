"""A principle's published scores round by round, as an inline SVG line chart (matplotlib's
object API, like ``radar``).

Rounds along the bottom, the 1–4 scale up the side, one line per group. Every line has its
own colour, line style AND marker, and its name is written at its end (a direct label), so
nothing depends on telling colours apart and there is no legend to match up. A figure held
back is a break in its line, never a point at zero; rounds on different versions of the
framework are not joined, and a dashed rule marks where the version changed. Pages and the
report always put a table of the same figures beside it. Kept in the shared cache like the
radar, keyed by a hash of everything drawn.
"""

import hashlib
import io
import json
import logging
import math
import textwrap
from dataclasses import dataclass

from matplotlib.figure import Figure

from assessments.documents.radar import (
    CHART_TIMEOUT,
    SCALE_MAX,
    SCALE_MIN,
    STYLES,
    _label,
    _presentation_attributes,
)
from coprod.cache import kept

logger = logging.getLogger(__name__)

# How far apart two direct labels must be, on the 1–4 scale, not to overlap.
LABEL_GAP = 0.17


@dataclass(frozen=True)
class Line:
    label: str
    values: tuple[float | None, ...]  # one per round; None where nothing is shown


def trend_svg(
    *,
    rounds: list[str],
    lines: list[Line],
    breaks: frozenset[int],
    title: str,
    description: str,
    break_label: str = "",
) -> str:
    """The chart as an SVG string ready to inline. ``breaks``: the indexes of rounds on a
    different version from the round before them (no line joins them)."""
    drawn = json.dumps(
        [rounds, [(s.label, list(s.values)) for s in lines], sorted(breaks), title,
         description, break_label],
        sort_keys=True,
    )  # fmt: skip
    digest = hashlib.sha256(drawn.encode()).hexdigest()

    def draw() -> str:
        svg = _draw(rounds, lines, breaks, title, description, break_label, digest[:8])
        logger.info("chart drawn: chart=%s", digest[:12])
        return svg

    return kept(("trend", digest), draw, shared=True, timeout=CHART_TIMEOUT)


def _segments(values: tuple[float | None, ...], breaks: frozenset[int]):
    """The x and y of one line, with a gap (NaN) wherever a figure is missing and between
    rounds on different versions."""
    xs: list[float] = []
    ys: list[float] = []
    for index, value in enumerate(values):
        if index in breaks and index:
            xs.append(index - 0.5)
            ys.append(math.nan)
        xs.append(index)
        ys.append(math.nan if value is None else value)
    return xs, ys


def spread_labels(wanted: list[float], low: float, high: float, gap: float) -> list[float]:
    """Label heights as near as they can be to ``wanted`` while at least ``gap`` apart and
    inside ``low``–``high``, each keeping its place in the order."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed = [0.0] * len(wanted)
    previous = -math.inf
    for i in order:
        placed[i] = max(wanted[i], previous + gap, low)
        previous = placed[i]
    overflow = previous - high
    if overflow > 0:  # pushed past the top: move the whole stack down, keeping the gaps
        next_down = math.inf
        for i in reversed(order):
            placed[i] = min(placed[i] - overflow, next_down - gap)
            next_down = placed[i]
    return placed


def _draw(rounds, lines, breaks, title, description, break_label, uid) -> str:
    n = len(rounds)
    fig = Figure(figsize=(7.2, 5.0))
    ax = fig.add_subplot()
    ax.set_ylim(SCALE_MIN - 0.15, SCALE_MAX + 0.15)
    ax.set_yticks(range(SCALE_MIN, SCALE_MAX + 1))
    ax.set_yticklabels([str(v) for v in range(SCALE_MIN, SCALE_MAX + 1)], fontsize=11)
    ax.set_xlim(-0.4, n - 1 + max(2.1, 0.5 * n))  # room on the right for the lines' names
    ax.set_xticks(range(n))
    ax.set_xticklabels([textwrap.fill(r, 16) for r in rounds], fontsize=9.5, color="#0b0c0c")
    ax.grid(axis="y", color="#b1b4b6", linewidth=0.8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for index in sorted(breaks):
        if index:
            ax.axvline(index - 0.5, color="#505a5f", linestyle="dashed", linewidth=1)
            if break_label:
                ax.text(index - 0.45, SCALE_MAX + 0.1, break_label, fontsize=9, color="#505a5f")

    ends: list[tuple[int, float, str, str]] = []  # (x, y, label, colour) of each line's end
    for index, line in enumerate(lines):
        colour, linestyle, marker = STYLES[index % len(STYLES)]
        shown = [(x, v) for x, v in enumerate(line.values) if v is not None]
        if not shown:
            continue
        xs, ys = _segments(line.values, breaks)
        ax.plot(
            xs,
            ys,
            color=colour,
            linestyle=linestyle,
            linewidth=2,
            marker=marker,
            markersize=7,
            gid=f"line-{index}",
        )
        ends.append((*shown[-1], line.label, colour))
    for x in {end[0] for end in ends}:
        here = [end for end in ends if end[0] == x]
        heights = spread_labels([y for _, y, _, _ in here], SCALE_MIN - 0.1, SCALE_MAX, LABEL_GAP)
        for (_, y, label, colour), placed in zip(here, heights, strict=True):
            ax.annotate(
                textwrap.shorten(label, 30, placeholder="…"),
                xy=(x, y),
                xytext=(x + 0.14, placed),
                fontsize=9.5,
                color="#0b0c0c",
                va="center",
                arrowprops={"arrowstyle": "-", "color": colour, "linewidth": 0.8},
            )
    fig.subplots_adjust(left=0.07, right=0.98, top=0.95, bottom=0.27)

    buffer = io.StringIO()
    fig.savefig(
        buffer,
        format="svg",
        metadata={"Creator": None, "Date": None, "Format": None, "Type": None},
    )
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    return _label(_presentation_attributes(svg), title, description, uid).replace(
        'class="radar"', 'class="trend-chart"', 1
    )
