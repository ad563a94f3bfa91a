"""Steps the browser journeys share."""

from tests import factories


def sign_in(page, email, password=factories.PASSWORD):
    """Sign in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    assert f"Signed in as {email}" in page.locator("header").inner_text()
