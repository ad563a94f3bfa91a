"""Steps the browser journeys share."""

import datetime

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


def fill_date(page, question: str, day: datetime.date) -> None:
    """Type a date in the three boxes (Day, Month, Year) of the date field ``question``."""
    boxes = page.get_by_role("group", name=question)
    boxes.get_by_label("Day").fill(str(day.day))
    boxes.get_by_label("Month").fill(str(day.month))
    boxes.get_by_label("Year").fill(str(day.year))
