"""Every page carries the security headers and a Content Security Policy that allows
nothing inline and nothing from elsewhere; the templates keep it that way."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(response) -> dict:
    directives = (part.strip() for part in response["Content-Security-Policy"].split(";"))
    return dict(d.split(" ", 1) for d in directives if d)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "account_login", "account_reset_password"])
def test_pages_carry_the_policy_and_headers(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert policy(response) == POLICY
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_error_pages_carry_the_policy_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert policy(response) == POLICY


@pytest.mark.django_db
def test_cookies_are_out_of_reach_of_scripts(client):
    response = client.get(reverse("account_login"))
    csrf = response.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"


INLINE = {
    "a <style> element": re.compile(r"<style[\s>]", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "a script without src": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "an event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "a javascript: link": re.compile(r"javascript:", re.I),
}


def test_templates_put_nothing_inline_that_the_policy_would_block():
    """Styles and scripts live in static/ (the PDF templates are not served to browsers)."""
    found = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        if "reporting" in template.relative_to(TEMPLATES).parts:  # the PDFs
            continue
        text = template.read_text()
        for what, pattern in INLINE.items():
            if pattern.search(text):
                found.append(f"{template.relative_to(TEMPLATES)}: {what}")
    assert found == []


@pytest.mark.django_db
def test_nothing_with_answers_or_results_is_kept_by_a_shared_computer(client, world):
    """Results, downloads and answer-link pages say "no-store": on a computer in a library
    or a day centre the next person must not find them in the browser's cache."""
    from tests import factories
    from tests.support import sign_in, with_answers

    with_answers(world)
    link = factories.invite(world.round)
    pages = [
        reverse("assessments:invite-start", kwargs={"token": link.raw_token}),
        reverse("account_login"),
    ]
    for page in pages:
        assert "no-store" in client.get(page)["Cache-Control"], page
    sign_in(client, world.member)
    for name, kwargs in [
        ("assessments:results", {"pk": world.round.pk}),
        ("assessments:export-csv", {"pk": world.round.pk, "kind": "answers"}),
        ("assessments:report-pdf", {"pk": world.round.pk}),
    ]:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
        assert "no-store" in response["Cache-Control"], name
