"""Radar charts as inline SVG, drawn with matplotlib's object API (no pyplot state).

One axis per principle on the 1–4 scale; one polygon per overlay. Styles are written as
presentation attributes, so the chart draws under a Content Security Policy that forbids
inline styles. Each overlay has a
colour from a colour-blind-safe palette (Okabe–Ito) AND its own line style and marker, so
the chart reads in greyscale too. Labels stay text in the SVG, and the SVG carries a
<title> and <desc>; pages always put a data table beside it.

Charts are kept in the shared cache (``coprod.cache.kept``, shared: the database's table,
or Redis), keyed by a hash of everything drawn, so a chart drawn by one worker or server is
served by every other without being drawn again.
"""

import hashlib
import io
import json
import logging
import math
import re
import secrets
import textwrap
from dataclasses import dataclass

from matplotlib import rcParams
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes

from coprod.cache import kept

logger = logging.getLogger(__name__)

# A chart's content never changes under its key; a month unused and it goes.
CHART_TIMEOUT = 30 * 24 * 60 * 60
# Part of every key: cache_clear() changes it, so this process draws every chart again.
_generation = "1"

rcParams["svg.fonttype"] = "none"  # keep labels as real text in the SVG
rcParams["svg.hashsalt"] = "coprod"  # stable ids: the same data gives the same SVG
rcParams["text.parse_math"] = False  # a "$" in a title is a dollar sign, not mathematics

SCALE_MIN, SCALE_MAX = 1, 4
# Okabe–Ito colours, each paired with a line style and marker that tell it apart without colour.
STYLES = [
    ("#0072B2", "solid", "o"),
    ("#D55E00", "dashed", "s"),
    ("#009E73", "dashdot", "^"),
    ("#CC79A7", "dotted", "D"),
    ("#E69F00", (0, (5, 1, 1, 1, 1, 1)), "v"),
    ("#56B4E9", (0, (1, 1)), "P"),
    ("#000000", (0, (8, 2)), "X"),
]


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float | None, ...]  # one per axis; None where there is no score


def radar_svg(*, axes: list[str], series: list[Series], title: str, description: str = "") -> str:
    """The radar as an SVG string ready to inline. Kept in the shared cache: the same input
    is drawn once, by whichever worker or server asks first."""
    drawn = json.dumps(
        [axes, [(s.label, list(s.values)) for s in series], title, description], sort_keys=True
    )
    digest = hashlib.sha256(drawn.encode()).hexdigest()

    def draw() -> str:
        svg = _draw(axes, series, title, description, digest[:8])
        logger.info("chart drawn: chart=%s", digest[:12])
        return svg

    return kept(("radar", _generation, digest), draw, shared=True, timeout=CHART_TIMEOUT)


def cache_clear() -> None:
    """Draw every chart again in this process (for measurements and tests)."""
    global _generation
    _generation = secrets.token_hex(4)


def _draw(axes: list[str], series: list[Series], title: str, description: str, uid: str) -> str:
    n = len(axes)
    if n < 3:
        raise ValueError("A radar needs at least three axes.")
    angles = [2 * math.pi * i / n for i in range(n)]

    # Type sizes are large for the figure so that labels stay readable when the chart is
    # scaled down to a phone's width (about 11px there); on a wide screen it is capped.
    fig = Figure(figsize=(6.4, 7.6))
    ax = fig.add_subplot(projection="polar")
    assert isinstance(ax, PolarAxes)
    ax.set_theta_offset(math.pi / 2)  # first principle at the top, then clockwise
    ax.set_theta_direction(-1)
    ax.set_ylim(0, SCALE_MAX)
    ax.set_yticks(range(SCALE_MIN, SCALE_MAX + 1))
    ax.set_yticklabels(
        [str(v) for v in range(SCALE_MIN, SCALE_MAX + 1)], fontsize=11, color="#484949"
    )
    ax.set_rlabel_position(180 / n)
    ax.set_xticks(angles)
    ax.set_xticklabels([textwrap.fill(label, 14) for label in axes], fontsize=13, color="#0b0c0c")
    ax.tick_params(axis="x", pad=18)
    ax.grid(color="#b1b4b6", linewidth=0.8)
    ax.spines["polar"].set_color("#b1b4b6")

    for index, item in enumerate(series):
        colour, linestyle, marker = STYLES[index % len(STYLES)]
        if all(v is None for v in item.values):
            continue
        # A missing score breaks the line rather than pretending it is zero.
        values = [math.nan if v is None else v for v in item.values]
        ax.plot(
            angles + angles[:1],
            values + values[:1],
            color=colour,
            linestyle=linestyle,
            linewidth=2,
            marker=marker,
            markersize=6,
            label=item.label,
            gid=f"overlay-{index}",
        )
    if series:
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.14),
            ncol=1,
            frameon=False,
            fontsize=13,
        )
    # Room under the chart for the legend, one line per overlay.
    fig.subplots_adjust(left=0.2, right=0.8, top=0.9, bottom=0.17 + 0.035 * len(series))

    buffer = io.StringIO()
    fig.savefig(
        buffer,
        format="svg",
        metadata={"Creator": None, "Date": None, "Format": None, "Type": None},
    )
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    return _label(_presentation_attributes(svg), title, description, uid)


STYLE_ATTRIBUTE = re.compile(r'style="([^"]*)"')
STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.S)


def _presentation_attributes(svg: str) -> str:
    """matplotlib styles its SVG with ``style`` attributes and a ``<style>`` element, which a
    Content Security Policy without 'unsafe-inline' blocks (the chart would turn black).
    Every property it uses is also an SVG presentation attribute, which no policy blocks, so
    write them that way: ``style="fill: #fff; stroke-width: 2"`` → ``fill="#fff"
    stroke-width="2"``."""

    def attributes(match: re.Match) -> str:
        pairs = []
        for declaration in match.group(1).split(";"):
            name, _, value = declaration.partition(":")
            if name.strip() and value.strip():
                pairs.append(f'{name.strip()}="{value.strip()}"')
        return " ".join(pairs)

    svg = STYLE_ELEMENT.sub("", svg)
    svg = STYLE_ATTRIBUTE.sub(attributes, svg)
    # What the <style> element said for every element, said once on the root instead.
    return svg.replace("<svg", '<svg stroke-linejoin="round" stroke-linecap="butt"', 1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _label(svg: str, title: str, description: str, uid: str) -> str:
    """Give the SVG an accessible name and description, and make it scale to its box."""
    title_id, desc_id = f"radar-title-{uid}", f"radar-desc-{uid}"
    found = re.match(r"<svg[^>]*>", svg)
    assert found is not None  # _draw's SVG starts with its <svg> tag
    opening = found.group(0)
    tag = re.sub(r'\s(width|height)="[^"]*"', "", opening)
    tag = tag.replace(
        "<svg",
        f'<svg role="img" aria-labelledby="{title_id} {desc_id}" class="radar" '
        'preserveAspectRatio="xMidYMid meet"',
        1,
    )
    labels = (
        f'<title id="{title_id}">{_escape(title)}</title>'
        f'<desc id="{desc_id}">{_escape(description)}</desc>'
    )
    return tag + labels + svg[len(opening) :]
