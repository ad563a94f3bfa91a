"""People answer a round and the team works with the results.

A member answers signed in with JavaScript (each answer saved as given); a person with
lived experience answers through their link with JavaScript switched off (plain forms);
the lead closes the round, reads the perception gap, records an agreed position and adds
an action. axe checks every page on the way.
"""

import pytest
from playwright.sync_api import expect

from assessments.rounds.models import Answer, Respondent, RoundStatus
from tests import factories
from tests.browser.support import sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)


def wait_until_saved(page, statement):
    # A locator, not a string expression: the page's Content Security Policy forbids eval.
    expect(page.locator(f"#answer-{statement.pk} [data-save-status]")).to_have_text("Saved")


def wait_for_autosave(page):
    """The answering page has loaded its script: from now on each answer is saved as given.
    (A click that opens a page returns before the page's deferred scripts have run.)"""
    page.locator("form[data-autosave-ready]").wait_for(state="attached")


def choose(page, statement, level_label):
    page.locator(f"#answer-{statement.pk}").get_by_label(level_label).check()


@pytest.fixture
def setting():
    ensure_framework()
    lead = factories.user("rita@riverside.example", full_name="Rita Patel")
    org = factories.organisation("Riverside adult care", lead=lead)
    member = factories.member(org, email="sam@riverside.example")
    round_ = factories.round(org, title="Spring reflection")
    link = factories.invite(round_, perspective="lived_experience")
    # Others have answered already: lived experience low, staff high. Six on each side: the
    # noise moves one or two of each group's answers, which could close a gap between three
    # and three but never one between six and six.
    for _ in range(6):
        factories.answer_all(factories.respondent(round_, "lived_experience"), level=1)
    for _ in range(6):
        factories.answer_all(factories.respondent(round_, "staff"), level=4)
    principles = list(round_.framework.principles.order_by("order"))
    return {
        "lead": lead,
        "member": member,
        "round": round_,
        "link": link,
        "principles": principles,
        "statements": [list(p.statements.order_by("order")) for p in principles],
    }


def test_member_answers_with_autosave(page, axe, setting):
    round_, statements = setting["round"], setting["statements"]
    total = sum(len(s) for s in statements)
    sign_in(page, setting["member"].email)
    page.goto(f"/rounds/{round_.pk}/")
    page.get_by_role("link", name="Answer now").click()
    assert page.locator("h1").inner_text() == "Before you start"
    axe(page, "answer-start-member")
    page.get_by_role("button", name="Start answering").click()
    assert "Choose the one that fits you best." in page.locator("main").inner_text()
    page.get_by_label("Staff").check()
    page.get_by_role("button", name="Start answering").click()

    assert f"0 of {total} answered" in page.locator("main").inner_text()
    wait_for_autosave(page)
    # With the script running, the page says each answer is saved as it is chosen.
    said = page.locator("main").inner_text()
    assert "Each answer is saved as soon as you choose it." in said
    assert "what you have chosen is saved" in said
    assert "at the bottom of the page" not in said
    axe(page, "answer-page-1")
    first = statements[0][0]
    choose(page, first, "Mostly the to")
    status = page.locator(f"#answer-{first.pk} [data-save-status]")
    status.get_by_text("Saved").wait_for()
    assert f"1 of {total} answered" in page.locator("[data-progress-text]").inner_text()
    # The list of principles says how far this one has got, without reloading.
    page.get_by_text("Go to another principle").click()
    assert page.locator("[data-page-answered]").inner_text() == "1"
    page.locator(f"#answer-{first.pk}").get_by_text("Add a note (optional)").click()
    page.locator(f"#note-{first.pk}").fill("We do this in the day centre, not elsewhere.")
    page.locator(f"#note-{first.pk}").blur()
    wait_until_saved(page, first)
    # Saved on the server before any button was pressed: closing the tab now loses nothing.
    respondent = Respondent.objects.get(user=setting["member"])
    answer = Answer.objects.get(respondent=respondent, statement=first)
    assert answer.level == 3 and answer.note.startswith("We do this in the day centre")
    axe(page, "answer-page-1-saved")

    # Leave, come back: the answer is there and the page is where they were.
    page.goto("/")
    page.goto(f"/rounds/{round_.pk}/")
    page.get_by_role("link", name="Continue your answers").click()
    wait_for_autosave(page)
    assert page.locator(f"#level-{first.pk}-3").is_checked()

    # Keyboard only: move through the first statement's options with the arrow keys.
    page.locator(f"#level-{first.pk}-3").focus()
    page.keyboard.press("ArrowDown")
    wait_until_saved(page, first)
    answer.refresh_from_db()
    assert answer.level == 4

    for number, group in enumerate(statements, start=1):
        for statement in group[1 if number == 1 else 0 :]:
            choose(page, statement, "Starting to move")
        last = number == len(statements)
        page.get_by_role(
            "button", name="Save and check your answers" if last else "Save and continue"
        ).click()
    assert page.locator("h1").inner_text() == "Check your answers"
    assert "You have answered every statement." in page.locator("main").inner_text()
    axe(page, "answer-check")
    page.get_by_role("button", name="Finish").click()
    assert page.locator("h1").inner_text() == "Thank you"
    axe(page, "answer-thanks")
    assert Answer.objects.filter(respondent=respondent).count() == total


def test_link_holder_answers_without_javascript_on_a_phone(page_without_js, axe, setting):
    page = page_without_js
    link, statements = setting["link"], setting["statements"]
    page.goto(f"/r/{link.raw_token}/")
    assert "Person with lived experience" in page.locator("main").inner_text()
    axe(page, "answer-start-link")
    page.get_by_role("button", name="Switch to easy read").click()
    page.get_by_role("button", name="Start").click()
    first = statements[0][0]
    assert first.from_easy in page.locator("main").inner_text()
    # Without the autosave script, the page says what saves the answers.
    said = page.locator("main").inner_text()
    assert "press “Save and continue” at the bottom to save your answers" in said
    assert "saved when you choose it" not in said
    axe(page, "answer-page-easy-read-phone")

    # A note with no level: an error, and the note is still there.
    page.locator(f"#answer-{first.pk}").get_by_text("Say why (you do not have to)").click()
    page.locator(f"#note-{first.pk}").fill("They never ring back")
    page.get_by_role("button", name="Save and continue").click()
    assert "so your note can be saved" in page.locator("#error-summary").inner_text()
    assert page.locator(f"#note-{first.pk}").input_value() == "They never ring back"
    axe(page, "answer-page-error")

    for number, group in enumerate(statements, start=1):
        for statement in group:
            choose(page, statement, "Not yet")  # easy read: plain words for each step
        last = number == len(statements)
        page.get_by_role(
            "button", name="Save and check your answers" if last else "Save and continue"
        ).click()
    # Check your answers: each statement with the step chosen, and a link to change it.
    assert page.locator("h1").inner_text() == "Check your answers"
    rows = page.locator(".check-answers-row")
    assert rows.count() == sum(len(group) for group in statements)
    assert "Not yet" in rows.first.inner_text()
    axe(page, "check-answers-phone")
    page.get_by_role("button", name="Finish").click()
    assert page.locator("h1").inner_text() == "Thank you"
    respondent = Respondent.objects.get(invite=link)
    assert respondent.finished_at is not None
    assert Answer.objects.get(respondent=respondent, statement=first).note == (
        "They never ring back"
    )


def test_lead_closes_reads_the_gap_agrees_and_plans(page, axe, setting):
    round_, statements = setting["round"], setting["statements"]
    sign_in(page, setting["lead"].email)
    page.goto(f"/rounds/{round_.pk}/")
    page.get_by_text("Close round…").click()
    page.get_by_role("button", name="Yes, close the round and freeze answers").click()
    assert "Round closed." in page.locator(".messages").inner_text()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED

    page.get_by_role("link", name="Results").first.click()
    # The click returns once the page starts to arrive: wait for the whole of it.
    page.wait_for_load_state()
    assert "12 people answered" in page.locator("main").inner_text()
    flagged = page.locator(".gap-list li")
    expect(flagged.first).to_contain_text("Large gap")
    assert flagged.count() >= 1
    axe(page, "results")

    first = statements[0][0]
    page.get_by_role("link", name=f"Record the agreed position for statement {first.code}").click()
    axe(page, "agreed-position")
    page.get_by_role("button", name="Save agreed position").click()
    assert "Choose the level the group agreed on." in page.locator("main").inner_text()
    page.get_by_label("Starting to move").check()
    page.get_by_label("Why did the group agree this?").fill(
        "Staff thought we were further on; people who use the service disagreed."
    )
    page.get_by_role("button", name="Save agreed position").click()
    assert "Agreed position: 2 – Starting to move." in page.locator("main").inner_text()

    page.get_by_role("link", name=f"Add an action for statement {first.code}").click()
    axe(page, "action-form")
    page.get_by_label("What happens now (from)").fill("We plan first and ask later.")
    page.get_by_label("What will happen instead (to)").fill(
        "People who use the service plan with us."
    )
    page.locator("#id_owner").fill("Rita Patel")
    page.get_by_label("Co-owner (optional)").fill("Jo, carers' forum")
    page.get_by_role("button", name="Add to the plan").click()
    assert "Action added to the plan." in page.locator(".messages").inner_text()
    assert "People who use the service plan with us." in page.locator("main").inner_text()
    axe(page, "action-plan")


NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_on_a_phone_the_statement_stays_in_view_while_choosing(phone, setting):
    """On a phone a statement's from and to scrolled away before its choices; now they stay
    at the top of the screen while the choices scroll under them, and a choice reached by
    keyboard is never hidden under them (WCAG 2.2, focus not obscured: at least half of it
    in view, where AA asks for some)."""
    page = phone
    link, statements = setting["link"], setting["statements"]
    page.goto(f"/r/{link.raw_token}/")
    page.get_by_role("button", name="Start").click()
    page.locator("form[data-statement-in-view]").wait_for(state="attached")
    height = page.viewport_size["height"]
    for statement in statements[0][:2]:
        fieldset = page.locator(f"#answer-{statement.pk}")
        fieldset.get_by_label("Not sure").scroll_into_view_if_needed()
        pair = fieldset.locator(".answer-pair").bounding_box()
        choice = fieldset.get_by_label("Not sure").bounding_box()
        assert pair and choice
        assert 0 <= pair["y"] and pair["y"] + pair["height"] <= height, "from/to out of view"
        assert choice["y"] >= pair["y"] + pair["height"], "the choice is under the from/to"

    def focused_clear_of_sticky_legends():
        """How much of the focused control (its height) no stuck statement covers."""
        return page.evaluate(
            """() => {
                const box = document.activeElement.getBoundingClientRect();
                let top = Math.max(box.top, 0), bottom = Math.min(box.bottom, innerHeight);
                for (const legend of document.querySelectorAll('.answer > legend')) {
                    const l = legend.getBoundingClientRect();
                    if (getComputedStyle(legend).position !== 'sticky') continue;
                    if (l.top <= top && l.bottom > top) top = Math.min(l.bottom, bottom);
                }
                return (bottom - top) / box.height;
            }"""
        )

    # Backwards through the page by keyboard: from the next statement's note to this one's
    # choices, which scroll to the top edge if nothing stops them.
    page.locator(f"#answer-{statements[0][1].pk} summary").focus()
    for _ in range(6):
        page.keyboard.press("Shift+Tab")
        page.evaluate(NEXT_FRAMES)  # the script corrects the browser's scroll in a frame
        seen = focused_clear_of_sticky_legends()
        assert seen >= 0.5, f"{page.evaluate('document.activeElement.id')}: {seen:.0%} in view"
