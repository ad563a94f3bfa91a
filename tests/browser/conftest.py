"""The browser harness: Playwright driving Debian's Chromium against a live server,
with axe-core checking every page a journey visits."""

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Every page axe checks is also kept as a full-page screenshot, to look at, when asked for
# (`make screenshots`): taking them is a good part of a browser test's time.
SCREENSHOTS = bool(os.environ.get("COPROD_SCREENSHOTS"))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: `make test` installs it (package chromium)."
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _without_js(browser, live_server, viewport):
    """A page on which none of the site's scripts load, as when JavaScript is off or fails.
    (Scripts are blocked rather than JavaScript switched off, so that axe, which the test
    injects, can still check the page.)"""
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    context.route("**/*.js", lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser, live_server):
    """A phone-sized page without the site's scripts (``_without_js``)."""
    yield from _without_js(browser, live_server, {"width": 390, "height": 844})


@pytest.fixture
def screen_without_js(browser, live_server):
    """A laptop's screen on a projector (1280×720), without the site's scripts."""
    yield from _without_js(browser, live_server, {"width": 1280, "height": 720})


# The narrowest screen a page must fit without scrolling sideways (WCAG 1.4.10, reflow):
# 320 CSS pixels, a 1280 px window at 400% zoom.
NARROW = {"width": 320, "height": 640}

# What sticks out past the right edge of the window: each element (or run of text) drawn
# beyond it that no box with its own scrolling or clipping holds, outermost first.
STICKING_OUT = r"""() => {
  const edge = document.documentElement.clientWidth + 0.5;
  // Held by a box that scrolls or clips: one on the way up to the element's containing
  // block and beyond (an absolutely placed element escapes boxes that are not positioned).
  const held = (node) => {
    let position = node.nodeType === 1 ? getComputedStyle(node).position : 'static';
    for (let box = node.parentElement; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (position === 'fixed') return false;
      if (position === 'absolute' && style.position === 'static' && style.transform === 'none') {
        continue;
      }
      if (style.overflowX !== 'visible') return true;
      position = style.position;
    }
    return false;
  };
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className.trim()
       ? '.' + e.className.trim().split(/\s+/).join('.') : '');
  const beyond = new Set();
  for (const e of document.body.querySelectorAll('*')) {
    const box = e.getBoundingClientRect();
    if (box.width && box.right > edge && e.checkVisibility() && !held(e)) beyond.add(e);
  }
  const out = [];
  for (const e of beyond) {
    if (!beyond.has(e.parentElement)) {
      out.push(name(e) + ' reaches ' + Math.round(e.getBoundingClientRect().right) + 'px');
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    if (!text.textContent.trim() || beyond.has(text.parentElement) || held(text)) continue;
    const range = document.createRange();
    range.selectNodeContents(text);
    const box = range.getBoundingClientRect();
    if (box.width && box.right > edge) {
      out.push('text "' + text.textContent.trim().slice(0, 40) + '" in '
               + name(text.parentElement) + ' reaches ' + Math.round(box.right) + 'px');
    }
  }
  return out.slice(0, 10);
}"""


def sideways(page) -> str:
    """How far the page, as it is now, scrolls sideways at 320 px, and why; empty when it
    does not."""
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= NARROW["width"]:
        return ""
    causes = "\n    ".join(page.evaluate(STICKING_OUT))
    path = re.sub(r"^https?://[^/]+", "", page.url)
    return f"- {path}: {width}px wide\n    {causes}"


def sideways_when_narrow(page) -> str:
    """``sideways`` with the window made 320 px wide for the measure, then put back as it
    was, scrolled where it was."""
    size = page.viewport_size
    if size == NARROW:
        return sideways(page)
    scrolled = page.evaluate("[window.scrollX, window.scrollY]")
    page.set_viewport_size(NARROW)
    try:
        return sideways(page)
    finally:
        page.set_viewport_size(size)
        page.evaluate("([x, y]) => window.scrollTo(x, y)", scrolled)


class AxeViolations(AssertionError):
    pass


class FaintControls(AssertionError):
    pass


class ScrollsSideways(AssertionError):
    pass


# What the page's form controls look like, as the browser draws them: each visible,
# enabled input (not a button or a hidden field), select and text area, with its border's
# colour and width and the colour behind it (the first ancestor with a background).
# Run by Playwright's own evaluate, which the site's CSP (no eval in page scripts) allows.
CONTROL_EDGES = r"""() => {
  const controls = document.querySelectorAll(
    'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset])'
    + ':not([type=image]):not([disabled]), select:not([disabled]), textarea:not([disabled])');
  const behind = (element) => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (colour && !/^rgba\(.*,\s*0\)$/.test(colour) && colour !== 'transparent') return colour;
    }
    return 'rgb(255, 255, 255)';
  };
  return Array.from(controls).flatMap((control) => {
    const style = getComputedStyle(control);
    const box = control.getBoundingClientRect();
    // Not drawn: hidden, or inside a closed <details> (checkVisibility knows both).
    if (!control.checkVisibility({opacityProperty: true, visibilityProperty: true})
        || box.width < 2 || box.height < 2) return [];
    return [{
      control: control.tagName.toLowerCase() + (control.type ? '[type=' + control.type + ']' : '')
        + (control.id ? '#' + control.id : control.name ? '[name=' + control.name + ']' : ''),
      border: style.borderTopColor,
      width: parseFloat(style.borderTopWidth),
      background: behind(control),
    }];
  });
}"""


def _rgb(colour: str) -> tuple[float, float, float]:
    parts = colour[colour.index("(") + 1 : colour.index(")")].replace(",", " ").split()
    return (float(parts[0]), float(parts[1]), float(parts[2]))


def _luminance(colour: str) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two CSS rgb()/rgba() colours (alpha taken as opaque)."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def faint_controls(page) -> list[str]:
    """Form controls whose edge has less than 3:1 contrast with what is behind them
    (WCAG 1.4.11, non-text contrast), or no edge at all; axe does not check this."""
    faint = []
    for control in page.evaluate(CONTROL_EDGES):
        ratio = contrast(control["border"], control["background"])
        if control["width"] < 1 or ratio < 3:
            faint.append(
                f"- {control['control']}: border {control['border']} ({control['width']}px)"
                f" on {control['background']}, {ratio:.2f}:1"
            )
    return faint


@pytest.fixture
def axe():
    """Run axe-core on the current page and fail listing any WCAG 2.2 A/AA violation; then
    measure every form control's edge against its background (1.4.11, which axe leaves
    out) and fail listing any under 3:1; then fail if the page, made 320 px wide, scrolls
    sideways (1.4.10, which axe cannot see at the size the journey uses)."""
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def check(page, name: str | None = None):
        results = checker.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = results.response["violations"]
        if name and SCREENSHOTS:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        if violations:
            lines = [
                f"- {v['id']} ({v['impact']}): {v['help']} at "
                + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
                for v in violations
            ]
            raise AxeViolations(f"axe found violations on {page.url}:\n" + "\n".join(lines))
        faint = faint_controls(page)
        if faint:
            raise FaintControls(
                f"form controls under 3:1 against their background on {page.url}:\n"
                + "\n".join(faint)
            )
        if problem := sideways_when_narrow(page):
            raise ScrollsSideways("the page scrolls sideways at 320 px wide:\n" + problem)
        return results

    return check
