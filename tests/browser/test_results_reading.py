"""A manager reads the demo round's results: each statement at a glance, its details
folded until wanted (without JavaScript too), and every figure held back saying which group
and why where it would be."""

import re

import pytest
from django.core.management import call_command

from assessments.demo import PASSWORD
from assessments.rounds.models import Round
from tests.browser.support import sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)

# Folded, the page is at most this share of its height with every detail open. (Its height
# alone moves with the demo's content and with the noise in the published figures, which
# decides which badges and notes show: 10,400 to 10,650 px at 1280 px wide in December
# 2026, against 18,000 open.)
MOST_OF_UNFOLDED = 0.62


@pytest.fixture
def demo_round():
    ensure_framework()
    call_command("load_demo", force=True)
    return Round.objects.get(title="Adult social care: autumn reflection")


def contrast(page, selector: str) -> float:
    """The contrast of an element's border against the page's white."""
    return page.evaluate(
        """(selector) => {
          const rgb = getComputedStyle(document.querySelector(selector)).borderTopColor
            .match(/\\d+/g).slice(0, 3).map(Number);
          const lum = rgb.map(v => v / 255)
            .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
          const l = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
          return 1.05 / (l + 0.05);
        }""",
        selector,
    )


def test_the_results_fold_each_statement_and_say_why_a_figure_is_not_shown(
    page_without_js, axe, demo_round
):
    page = page_without_js
    sign_in(page, "lead@riverside.example", PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/rounds/{demo_round.pk}/results/")
    height = page.evaluate("document.documentElement.scrollHeight")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    unfolded = page.evaluate("document.documentElement.scrollHeight")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = false)")
    assert height < MOST_OF_UNFOLDED * unfolded, f"folded {height} px, unfolded {unfolded} px"
    page.screenshot(path="/tmp/results-read-folded.png", full_page=True)

    statements = page.locator("article.statement-result")
    assert statements.count() == 16
    details = page.locator("article.statement-result details.statement-details")
    assert details.count() == 16
    assert page.locator("details.statement-details[open]").count() == 0
    # At a glance: the "to", the score, and the agreed position, without opening anything.
    first = statements.first
    assert re.search(r"Score \d\.\d out of 4", first.inner_text())
    assert (
        first.get_by_text("No agreed position yet.").count()
        + first.get_by_text("Agreed position:").count()
    )

    # A statement whose gap is held back says so at a glance, and which group and why in
    # its details, opened by its summary (no script needed).
    held = statements.filter(has_text="Perception gap not shown").first
    assert held.count()
    assert held.locator(".held").first.is_hidden()
    held.locator("summary").click()
    assert held.locator("details").get_attribute("open") is not None
    reasons = held.locator(".held").all_inner_texts()
    assert any(
        "Not shown: a group on one side is not shown for this statement." in text
        for text in reasons
    )
    assert any(
        "Not shown, so that nobody’s answers can be picked out: a group’s figure is shown only "
        "where at least 3 people in the group rated the statement" in text
        for text in reasons
    )
    assert "–" not in " ".join(reasons)
    held.screenshot(path="/tmp/results-read-held.png")
    axe(page, "results-folded")

    # The secondary buttons ("Update chart") are edged dark enough to look like they work.
    assert contrast(page, ".overlay-switches .btn-secondary") >= 3
