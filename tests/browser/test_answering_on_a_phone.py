"""Answering on a phone held upright (390×844, Chromium), as a first-time user would.

A statement takes about one screen: the page's height shared among the statements on it,
header and footer included, is at most 1,100 px in standard wording. The progress and the
Save button stay at the bottom of the screen wherever the person is on the part, and never
hide what they have moved to with the keyboard. "Change" on Check your answers opens that
one statement, and saving it goes straight back to Check your answers, with JavaScript
and without.
"""

import pytest
from playwright.sync_api import expect

from assessments.rounds.models import Answer
from tests import factories
from tests.browser.support import sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
# The most a statement may take on a phone, page height over statements on the part. Easy
# read may take more: larger words, and pictures.
MOST_PER_STATEMENT = 1_100
MOST_PER_STATEMENT_EASY_READ = 1_300


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_no_javascript(browser, live_server):
    """A phone with JavaScript switched off in the browser."""
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def world():
    ensure_framework()
    org = factories.organisation("Riverside adult care", lead=factories.user("rita@r.example"))
    member = factories.member(org, email="sam@riverside.example")
    round_ = factories.round(org, title="Spring reflection")
    principles = list(round_.framework.principles.order_by("order"))
    return {
        "round": round_,
        "member": member,
        "link": factories.invite(round_, perspective="lived_experience"),
        "statements": [list(p.statements.order_by("order")) for p in principles],
    }


def height_per_statement(page) -> float:
    statements = page.locator("fieldset[data-statement]").count()
    return page.evaluate("document.documentElement.scrollHeight") / statements


def test_a_statement_takes_about_one_screen(phone, axe, world):
    link, parts = world["link"], world["statements"]
    page = phone
    page.goto(f"/r/{link.raw_token}/")
    page.get_by_role("button", name="Start").click()
    heights = {}
    for number in range(1, len(parts) + 1):
        page.goto(f"/r/{link.raw_token}/{number}/")
        heights[number] = height_per_statement(page)
    assert max(heights.values()) <= MOST_PER_STATEMENT, heights
    axe(page, "answer-phone-standard")

    page.get_by_role("button", name="Switch to easy read").click()
    easy = {}
    for number in range(1, len(parts) + 1):
        page.goto(f"/r/{link.raw_token}/{number}/")
        easy[number] = height_per_statement(page)
        # The pictures and plain words are all there.
        expect(page.locator(".easy-intro img")).to_be_visible()
        expect(page.locator(".level-easy .level-symbol")).to_have_count(5 * len(parts[number - 1]))
    assert max(easy.values()) <= MOST_PER_STATEMENT_EASY_READ, easy
    axe(page, "answer-phone-easy-read")


def bar_in_reach(page):
    """The bar with the progress and the Save button sits at the bottom of the screen."""
    bar = page.locator(".answer-bar").bounding_box()
    assert bar is not None
    assert abs(bar["y"] + bar["height"] - PHONE["height"]) <= 1, bar
    assert bar["height"] <= 100, bar
    for thing in (page.locator("[data-progress-text]"), page.locator(".answer-bar .btn-primary")):
        box = thing.bounding_box()
        assert box is not None and bar["y"] <= box["y"] and box["y"] + box["height"] <= 844


@pytest.mark.parametrize("scripts", [True, False], ids=["javascript", "no-javascript"])
def test_progress_and_save_stay_in_reach_mid_part(phone, page_without_js, scripts, world):
    link, parts = world["link"], world["statements"]
    page = phone if scripts else page_without_js
    page.goto(f"/r/{link.raw_token}/")
    page.get_by_role("button", name="Start").click()
    total = sum(len(part) for part in parts)
    bar_in_reach(page)  # on the first screen, above the first statement

    # Halfway down the part, choosing an answer: the bar is still there.
    second = parts[0][1]
    page.locator(f"#answer-{second.pk}").get_by_label("Mostly the to").check()
    page.evaluate("window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) / 2)")
    bar_in_reach(page)
    if scripts:  # saved as chosen: the bar's progress says so
        expect(page.locator("[data-progress-text]")).to_have_text(f"1 of {total} answered")
    page.screenshot(path=f"/tmp/answer-phone-mid-part-{'js' if scripts else 'nojs'}.png")

    # Save from there: the answer is kept and the next part opens.
    page.locator(".answer-bar").get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_contain_text("Principle 2 of 4")
    assert Answer.objects.get(statement=second, respondent__invite=link).level == 3
    expect(page.locator("[data-progress-text]")).to_have_text(f"1 of {total} answered")
    bar_in_reach(page)


# Resolves once the page has stopped scrolling (the browser scrolls smoothly to a control
# that focus moved to, unless the page's script has asked for instant scrolling).
SCROLLED = """() => new Promise(done => {
    let last = scrollY, still = 0;
    const look = () => {
        still = scrollY === last ? still + 1 : 0;
        last = scrollY;
        if (still >= 5) done(); else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
})"""


@pytest.mark.parametrize("scripts", [True, False], ids=["javascript", "no-javascript"])
def test_the_bar_never_hides_what_the_keyboard_reaches(phone, page_without_js, scripts, world):
    """Tabbing down the part, each control reached is clear of the bar (WCAG 2.2, focus
    not obscured: at least half of it in view, where AA asks for some)."""
    link = world["link"]
    page = phone if scripts else page_without_js
    page.goto(f"/r/{link.raw_token}/")
    page.get_by_role("button", name="Start").click()
    if scripts:
        page.locator("form[data-statement-in-view]").wait_for(state="attached")
    page.locator("h1").click()
    last = page.get_by_text("Go to another principle")
    while not last.evaluate("e => e === document.activeElement"):
        page.keyboard.press("Tab")
        page.evaluate(SCROLLED)
        seen = page.evaluate(
            """() => {
                const box = document.activeElement.getBoundingClientRect();
                const bar = document.querySelector('.answer-bar');
                if (bar.contains(document.activeElement)) return 1;
                const b = bar.getBoundingClientRect();
                const top = Math.max(box.top, 0), bottom = Math.min(box.bottom, innerHeight);
                const under = Math.max(Math.min(bottom, b.bottom) - Math.max(top, b.top), 0);
                return Math.max(bottom - top - under, 0) / box.height;
            }"""
        )
        name = page.evaluate("document.activeElement.id || document.activeElement.outerHTML")
        assert seen >= 0.5, f"{name[:80]}: {seen:.0%} clear of the bar"


def answered_everything(world):
    respondent = factories.respondent(world["round"], "staff", user=world["member"])
    factories.answer_all(respondent, level=2, finished=False)
    return respondent


@pytest.mark.parametrize("scripts", [True, False], ids=["javascript", "no-javascript"])
def test_change_one_answer_and_return_to_check_your_answers(
    phone, phone_no_javascript, axe, scripts, world
):
    page = phone if scripts else phone_no_javascript
    round_, parts = world["round"], world["statements"]
    respondent = answered_everything(world)
    left_off = respondent.last_page
    sign_in(page, world["member"].email)
    page.goto(f"/rounds/{round_.pk}/answer/done/")
    expect(page.locator("h1")).to_have_text("Check your answers")

    # Change one answer in the third part: that statement alone, with a way straight back.
    statement = parts[2][1]
    page.get_by_role("link", name=f"Change statement {statement.code}").click()
    expect(page.locator("fieldset[data-statement]")).to_have_count(1)
    fieldset = page.locator(f"#answer-{statement.pk}")
    expect(fieldset).to_contain_text(statement.from_text)
    expect(page.get_by_role("button", name="Save and continue")).to_have_count(0)
    if scripts:  # axe needs JavaScript in the page
        axe(page, "answer-change-phone")
    fieldset.get_by_label("Firmly the to").check()
    fieldset.get_by_text("Add a note (optional)").click()
    fieldset.get_by_label("Your note").fill("Since the spring, on every team.")
    if scripts:  # saved as given, as the page says (the test's database takes one write at once)
        fieldset.get_by_label("Your note").blur()
        expect(fieldset.locator("[data-save-status]")).to_have_text("Saved")
    page.get_by_role("button", name="Save and return to check your answers").click()

    # Back on Check your answers, at the statement changed, with the new answer.
    expect(page.locator("h1")).to_have_text("Check your answers")
    assert page.url.endswith(f"/answer/done/#check-{statement.pk}")
    row = page.locator(f"#check-{statement.pk}")
    expect(row).to_contain_text("Firmly the to")
    expect(row).to_contain_text("Your note: Since the spring, on every team.")
    expect(row).to_be_in_viewport(ratio=1)
    if scripts:
        axe(page, "check-answers-changed-phone")
    page.screenshot(path=f"/tmp/answer-phone-changed-{'js' if scripts else 'nojs'}.png")
    answer = Answer.objects.get(respondent=respondent, statement=statement)
    assert (answer.level, answer.note) == (4, "Since the spring, on every team.")
    # Nothing else changed, and the page they come back to later is where they left off.
    assert Answer.objects.filter(respondent=respondent, level=2).count() == (
        sum(len(part) for part in parts) - 1
    )
    respondent.refresh_from_db()
    assert respondent.last_page == left_off and respondent.finished_at is None


def test_back_to_check_your_answers_without_changing(phone_no_javascript, world):
    page = phone_no_javascript
    round_, parts = world["round"], world["statements"]
    answered_everything(world)
    sign_in(page, world["member"].email)
    page.goto(f"/rounds/{round_.pk}/answer/done/")
    statement = parts[0][0]
    page.get_by_role("link", name=f"Change statement {statement.code}").click()
    page.get_by_role("link", name="Back to check your answers").click()
    expect(page.locator("h1")).to_have_text("Check your answers")
    expect(page.locator(f"#check-{statement.pk}")).to_contain_text("Starting to move")
