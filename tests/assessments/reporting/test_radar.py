"""The radar chart: text labels, one line per overlay, accessible name, drawn once per input."""

import re

import pytest

from assessments.documents import radar
from assessments.documents.radar import Series, radar_svg

# Charts are kept in the shared cache, which is a database table by default.
pytestmark = pytest.mark.django_db

AXES = ["Recognising people as assets", "Valuing work", "Reciprocity", "Social networks"]


def draw(series=None, title="Scores by principle"):
    return radar_svg(
        axes=AXES,
        series=series
        or [
            Series("Everyone", (2.5, 2.0, 3.0, 2.75)),
            Series("Staff", (3.0, 2.5, 3.25, 3.0)),
            Series("People with lived experience", (2.0, 1.5, None, 2.5)),
        ],
        title=title,
        description="Mean scores on a scale of 1 to 4.",
    )


def test_axis_and_legend_labels_are_text():
    svg = draw()
    texts = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    for word in ("Recognising people", "Valuing work", "Reciprocity", "Social networks"):
        assert word in texts
    for label in ("Everyone", "Staff", "People with lived experience"):
        assert label in texts


def test_one_line_per_overlay():
    svg = draw()
    assert len(re.findall(r'<g id="overlay-\d+"', svg)) == 3


def test_an_empty_overlay_is_left_out():
    svg = draw([Series("Everyone", (2, 2, 2, 2)), Series("Nobody", (None, None, None, None))])
    assert len(re.findall(r'<g id="overlay-\d+"', svg)) == 1


def test_svg_has_an_accessible_name_and_no_prolog():
    svg = draw(title="Riverside <autumn>")
    assert svg.startswith("<svg ")
    assert 'role="img"' in svg
    title_id = re.search(r'aria-labelledby="(\S+) (\S+)"', svg).group(1)
    assert f'<title id="{title_id}">Riverside &lt;autumn&gt;</title>' in svg
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg


def test_same_input_is_drawn_once(monkeypatch):
    radar.cache_clear()
    calls = []
    original = radar._draw
    monkeypatch.setattr(radar, "_draw", lambda *a: calls.append(a) or original(*a))
    first = draw()
    second = draw()
    assert first == second
    assert len(calls) == 1


def test_too_few_axes_is_refused():
    with pytest.raises(ValueError, match="at least three axes"):
        radar_svg(axes=["a", "b"], series=[Series("x", (1, 2))], title="t")


def test_radar_has_no_inline_styles_so_a_strict_content_security_policy_allows_it():
    svg = radar_svg(
        axes=["One", "Two", "Three"], series=[Series("Everyone", (1, 2, 3))], title="Scores"
    )
    assert "style=" not in svg and "<style" not in svg
    assert 'stroke="#0072b2"' in svg  # the overlay keeps its colour as an attribute
    assert 'font-size="13px"' in svg and 'text-anchor="middle"' in svg


def test_dollar_signs_in_labels_are_text_not_mathematics():
    """A round's title is a legend label: text between dollar signs once made the chart
    library read it as mathematics, and an unbalanced one was a server error."""
    svg = draw(
        series=[
            Series("Spring $budget$ review", (2.5, 2.0, 3.0, 2.75)),
            Series("Costs $5 or $10 and $", (3.0, 2.5, 3.25, 3.0)),
        ]
    )
    texts = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    assert "Spring $budget$ review" in texts
    assert "Costs $5 or $10 and $" in texts
