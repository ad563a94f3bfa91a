"""Text that grows with the browser's zoom (WCAG 1.4.4), on the workshop's projector view,
whose type is sized for the back of a room.

Zooming to 200% on a 1920×1080 screen gives the page a window of 960×540 CSS pixels, each
drawn with 2 of the screen's pixels: Chromium's zoom is exactly that, so the test opens the
projector view once at 1920×1080 and once at 960×540 with a device scale factor of 2 (and
at 150%, 1280×720 by 1.5), and compares each text's size on the screen (CSS pixels times
the scale factor)."""

import pytest
from django.core.management import call_command

from assessments.demo import PASSWORD
from assessments.rounds.models import Round, RoundStatus
from assessments.workshops.models import Workshop
from assessments.workshops.services import workshop_show
from tests.browser.support import sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)

SCREEN = {"width": 1920, "height": 1080}

# Every text the projector view shows, in the order of the page, with its size in CSS
# pixels: each element drawn with words of its own (a chart's words are left out: the
# chart is drawn to its width, and the table beside it says the same).
TEXT_SIZES = """() => Array.from(document.querySelectorAll('body *'))
  .filter((element) => !element.closest('svg') && element.checkVisibility()
    && getComputedStyle(element).clip !== 'rect(0px, 0px, 0px, 0px)'
    && Array.from(element.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim()))
  .map((element) => [
    element.tagName.toLowerCase() + '.' + element.className + ' "'
      + element.textContent.trim().slice(0, 30) + '"',
    parseFloat(getComputedStyle(element).fontSize),
  ])"""


def sizes_on_screen(browser, live_server, path, zoom):
    """Each text's size in the screen's pixels, with the browser zoomed to ``zoom``."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": round(SCREEN["width"] / zoom), "height": round(SCREEN["height"] / zoom)},
        device_scale_factor=zoom,
    )
    try:
        page = context.new_page()
        page.goto(path)
        assert page.evaluate("window.devicePixelRatio") == zoom
        texts = page.evaluate(TEXT_SIZES)
    finally:
        context.close()
    return [(text, size * zoom) for text, size in texts]


def test_the_projectors_text_grows_with_the_browsers_zoom(browser, live_server, page):
    ensure_framework()
    call_command("load_demo", force=True)  # a workshop with a principle shown, and figures
    oakfield = Round.objects.get(organisation__slug="oakfield", status=RoundStatus.OPEN)
    workshop = Workshop.objects.get(round=oakfield)
    sign_in(page, "lead@oakfield.example", PASSWORD)
    page.goto(f"/rounds/{oakfield.pk}/workshop/")
    projector = page.get_by_role("link", name="Open the projector view (new tab)")
    path = projector.get_attribute("href")

    for showing in (True, False):
        if not showing:  # the code and the counts alone, before a principle is shown
            workshop_show(workshop=workshop, by=workshop.started_by, principle=None)
        normal = sizes_on_screen(browser, live_server, path, 1)
        texts = dict(normal)
        # On a 1920×1080 projector every text is at least 28 px, read from the back.
        small = [f"{text}: {size:.1f}px" for text, size in normal if size < 28]
        assert not small, "\n".join(small)
        if showing:
            assert any("span.from" in text for text in texts), normal
        for zoom in (1.5, 2):
            zoomed = sizes_on_screen(browser, live_server, path, zoom)
            assert [text for text, _ in zoomed] == [text for text, _ in normal]
            # Every text at 200% zoom at least 1.8 times its size at 100% (at 150%, 1.35).
            small = [
                f"{text}: {before:.1f}px at 100%, {after:.1f}px at {zoom:.0%}"
                for (text, before), (_, after) in zip(normal, zoomed, strict=True)
                if after < 0.9 * zoom * before
            ]
            assert not small, "\n".join(small)
