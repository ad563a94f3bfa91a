"""/favicon.ico, which browsers and tools ask for whatever a page names: sent on to the
site's icon among the static files, never a 404."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["get", "head"])
def test_favicon_ico_is_sent_on_to_the_sites_icon(client, method):
    response = getattr(client, method)("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]
    assert finders.find("img/favicon.ico") and finders.find("img/favicon.svg")


def test_pages_name_the_icon(client):
    text = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.ico" sizes="32x32">' in text
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in text
