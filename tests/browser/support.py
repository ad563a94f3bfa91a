"""Steps the browser journeys share."""

from tests import factories


def sign_in(page, email, password=factories.PASSWORD):
    """Sign in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    assert f"Signed in as {email}" in page.locator("header").inner_text()


def make_links(page, round_, count: int, label: str = "") -> None:
    """A lead makes links for people with lived experience, as on the links page."""
    page.goto(f"/rounds/{round_.pk}/links/")
    page.get_by_label("Person with lived experience").check()
    page.get_by_label("How many links?").fill(str(count))
    if label:
        page.get_by_label("Label (optional)").fill(label)
    page.get_by_role("button", name="Make links").click()
