"""The site's icon: every page names it (an SVG, and an ICO for browsers that cannot use
one), it loads, and a browser asking /favicon.ico, as many do, is sent to it, not shown a
404."""

import pytest

from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)

ICON_TYPES = {"image/svg+xml", "image/x-icon", "image/vnd.microsoft.icon"}


def test_every_page_names_an_icon_that_loads(page):
    ensure_framework()
    for path in ("/", "/principles/", "/accounts/login/", "/no-such-page/"):
        page.goto(path)
        icons = page.locator("link[rel=icon]").evaluate_all("links => links.map(l => l.href)")
        assert len(icons) == 2, (path, icons)
        for href in icons:
            response = page.request.get(href)
            assert response.status == 200, (href, response.status)
            assert response.headers["content-type"].split(";")[0] in ICON_TYPES, href

    # /favicon.ico: sent on to the icon, which loads.
    asked = page.request.get("/favicon.ico", max_redirects=0)
    assert asked.status == 302
    icon = page.request.get("/favicon.ico")
    assert icon.status == 200 and icon.url.endswith(".ico")
    assert icon.headers["content-type"] in ICON_TYPES and icon.body()[:4] == b"\0\0\1\0"
