"""The browser harness: Playwright driving Debian's Chromium against a live server,
with axe-core checking every page a journey visits."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
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


@pytest.fixture
def page_without_js(browser, live_server):
    """A phone-sized page on which none of the site's scripts load, as when JavaScript is
    off or fails. (Scripts are blocked rather than JavaScript switched off, so that axe,
    which the test injects, can still check the page.)"""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.route("**/*.js", lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


class AxeViolations(AssertionError):
    pass


@pytest.fixture
def axe():
    """Run axe-core on the current page and fail listing any WCAG 2.2 A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def check(page, name: str | None = None):
        results = checker.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = results.response["violations"]
        if name:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        if violations:
            lines = [
                f"- {v['id']} ({v['impact']}): {v['help']} at "
                + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
                for v in violations
            ]
            raise AxeViolations(f"axe found violations on {page.url}:\n" + "\n".join(lines))
        return results

    return check
