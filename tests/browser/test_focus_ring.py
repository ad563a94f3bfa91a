"""The site's focus ring on every control (WCAG 2.4.7, 2.4.11 and 1.4.11): yellow with a
dark edge, on text boxes, lists and those marked as wrong too, not Bootstrap's pale glow
(about 1.4:1 on white); the dark edge at least 3:1 against what is behind the control."""

import re

import pytest

from tests import factories
from tests.browser.conftest import contrast
from tests.browser.support import sign_in
from tests.support import cohort, ensure_framework, member_org

pytestmark = pytest.mark.django_db(transaction=True)

# The focused element's outline and shadow, as drawn once any transition has run (Bootstrap
# fades a control's shadow in), and the colour behind it (the first ancestor's background).
RING = r"""async (element) => {
  await Promise.all(element.getAnimations().map((animation) => animation.finished));
  const style = getComputedStyle(element);
  let behind = 'rgb(255, 255, 255)';
  for (let node = element.parentElement; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour && colour !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(colour)) {
      behind = colour;
      break;
    }
  }
  return {
    outline: [style.outlineStyle, style.outlineWidth, style.outlineColor, style.outlineOffset],
    shadow: style.boxShadow,
    behind,
  };
}"""


def ring(page):
    """The focus ring of what has the focus now."""
    return page.evaluate_handle("document.activeElement").evaluate(RING)


def tab_to(page, locator, presses=40):
    """Press Tab until ``locator`` has the focus, as a keyboard user gets there."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if locator.evaluate("e => e === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def dark_edge(measured) -> tuple[str, float]:
    """The ring's dark edge: the shadow's colour, and how far it reaches past the outline."""
    match = re.fullmatch(r"(rgba?\([^)]*\)) 0px 0px 0px ([\d.]+)px", measured["shadow"])
    assert match, measured
    width = (
        float(match[2]) - float(measured["outline"][1][:-2]) - float(measured["outline"][3][:-2])
    )
    return match[1], width


def assert_the_sites_ring(measured, button_ring):
    assert measured["outline"] == button_ring["outline"], (measured, button_ring)
    assert measured["shadow"] == button_ring["shadow"], (measured, button_ring)
    colour, width = dark_edge(measured)
    assert width >= 2, measured
    assert contrast(colour, measured["behind"]) >= 3, measured


def test_text_boxes_and_lists_show_the_sites_focus_ring(page, axe):
    ensure_framework()
    facilitator = factories.user("fran@network.example")
    the_cohort = cohort(facilitator, name="North Vale network")
    member_org(the_cohort, "Brookfield")

    # A button's ring, the site's own: the one every control should show.
    page.goto("/accounts/login/")
    tab_to(page, page.get_by_role("button", name="Switch to easy read"))
    button_ring = ring(page)
    assert button_ring["outline"][0] == "solid" and button_ring["outline"][1] == "3px"
    assert contrast(dark_edge(button_ring)[0], button_ring["behind"]) >= 3

    # Text boxes, reached by Tab.
    for label in ("E-mail address", "Password"):
        tab_to(page, page.get_by_label(label))
        measured = ring(page)
        assert "13, 110, 253" not in measured["shadow"]  # not Bootstrap's blue glow
        assert_the_sites_ring(measured, button_ring)

    # A list to choose from, and a text box marked as wrong, reached from the error summary.
    sign_in(page, facilitator.email)
    page.goto(the_cohort.get_absolute_url())
    tab_to(page, page.get_by_label("Whose answers?"))
    assert_the_sites_ring(ring(page), button_ring)
    page.goto("/cohorts/new/")
    page.get_by_role("button", name="Start the cohort").click()  # nothing filled in
    tab_to(page, page.get_by_role("link", name="Enter a name for the cohort."))
    page.keyboard.press("Enter")
    name = page.get_by_label("Name of the cohort")
    assert name.evaluate("e => e === document.activeElement && e.matches('.is-invalid')")
    assert_the_sites_ring(ring(page), button_ring)
    axe(page, "focus-ring-invalid-field")
