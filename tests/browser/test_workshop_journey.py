"""A workshop in a room: the lead opens the projector view (a 1920×1080 screen) from their own
page, six phones (390×844, each its own browser) join by code and answer, and the projector
view shows the counts (in steps of three) and then, when the lead chooses, the spread,
without a reload; the lead's page lists the seats as people join. The lead records an agreed
position and an action from their page. With two people nothing is shown. Without JavaScript
the projector's Refresh link does the same. A shown principle fits a 1920×1080 projector, a
statement at a time, and phones in the room offer the part it is on. A shared tablet is
handed to the next person, who sees nothing of the last one; the lead removes a stray join,
whose phone says so. Ending the workshop stops the projector view. axe checks the projector
view, the lead's pages and the phone pages."""

import re

import pytest
from playwright.sync_api import expect

from assessments.rounds.models import Action, AgreedPosition, Answer, Respondent
from assessments.workshops.selectors import TABLE_LEVELS
from tests import factories
from tests.browser.support import sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
GROUPS = [
    "Staff",
    "Person with lived experience",
    "Manager or leader",
    "Carer or family member",
    "Staff",
    "Person with lived experience",
]


@pytest.fixture
def phones(browser, live_server):
    contexts = []

    def open_one():
        context = browser.new_context(base_url=live_server.url, viewport=PHONE)
        contexts.append(context)
        phone = context.new_page()
        phone.set_default_timeout(10_000)
        return phone

    yield open_one
    for context in contexts:
        context.close()


def _answer_first_principle(phone, level_index: int):
    """Choose a level for every statement on the first page, then save and continue."""
    phone.locator("form[data-autosave-ready]").wait_for(state="attached")
    for fieldset in phone.locator("fieldset.answer").all():
        fieldset.locator("input[type=radio]").nth(level_index).check()
        expect(fieldset.locator("[data-save-status]")).to_have_text("Saved")
    phone.get_by_role("button", name="Save and continue").click()
    expect(phone).to_have_url(re.compile(r"/r/[^/]+/2/$"))


def test_a_room_joins_answers_and_agrees_together(
    page, phones, screen_without_js, axe, live_server
):
    ensure_framework()
    lead = factories.user("rita@riverside.example", full_name="Rita Patel")
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, title="Spring reflection")
    principle = round_.framework.principles.order_by("order")[0]
    statement = principle.statements.order_by("order")[0]

    # The lead starts the workshop: the projector (a 1920×1080 screen) shows the code.
    page.set_viewport_size({"width": 1920, "height": 1080})
    sign_in(page, lead.email)
    page.goto(f"/rounds/{round_.pk}/")
    page.get_by_role("link", name="Workshop: answer together in a room").click()
    axe(page, "workshop-start")
    page.get_by_label("How many people can join?").fill("20")
    page.get_by_role("button", name="Start the workshop").click()
    code = page.locator(".join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    expect(page.locator(".join-qr svg")).to_be_visible()

    # The projector view opens in a new tab, for the projector's screen: the code, the QR
    # code and the address in large type, and nothing else (no header, menu or control).
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Open the projector view (new tab)").click()
    screen = opened.value
    screen.set_default_timeout(10_000)
    screen.set_viewport_size({"width": 1920, "height": 1080})
    expect(screen.locator(".join-code")).to_have_text(code)
    expect(screen.locator(".join-qr svg")).to_be_visible()
    expect(screen.locator(".join-address")).to_contain_text("/join/")
    assert screen.locator("header, nav, footer, form, button").count() == 0
    code_size = screen.locator(".join-code").evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert code_size >= 100  # px, on a 1920-wide screen: read from the back of a room
    axe(screen, "workshop-projector-view-start")
    screen.screenshot(path="test-artifacts/workshop-projector-view-start.png")
    page.screenshot(path="test-artifacts/workshop-lead-page.png")
    # It updates by itself: no control at all (without JavaScript, a Refresh link).
    expect(screen.locator(".room-live-note")).to_be_visible()
    expect(screen.get_by_role("link", name="Refresh")).to_be_hidden()
    projector_path = re.sub(r"^https?://[^/]+", "", screen.url)

    page.get_by_role("button", name=re.compile(f"Show 1. {re.escape(principle.name)}")).click()
    axe(page, "workshop-projector-empty")
    # The projector view follows the lead's choice by itself.
    expect(screen.locator(".figures-wait")).to_be_visible(timeout=15_000)
    expect(screen.locator("#room")).to_have_class(re.compile("is-showing"))

    # Six phones join: the first types the code from the home page, the rest use the QR.
    joined = []
    for number, group in enumerate(GROUPS):
        phone = phones()
        if number == 0:
            phone.goto("/")
            phone.get_by_role("link", name=re.compile("Join with the code")).click()
            axe(phone, "workshop-join-phone")
            phone.get_by_label("Workshop code").fill(code.lower())
            phone.get_by_role("button", name="Next").click()
        else:
            phone.goto(f"/join/?code={code.replace('-', '')}")
        expect(phone.locator("h1")).to_have_text("Which group are you in?")
        if number == 0:
            axe(phone, "workshop-join-group-phone")
        phone.get_by_label(group, exact=True).check()
        phone.get_by_role("button", name="Join and start answering").click()
        expect(phone).to_have_url(re.compile(r"/r/[^/]+/1/$"))
        assert phone.locator("nav[aria-label=Main] .navbar-nav").count() == 0
        if number == 0:
            axe(phone, "workshop-answer-phone")
        joined.append(phone)

    # The projector view and the lead's page count them, in steps of three, without a
    # reload; the lead's page lists their seats, with the minute each joined.
    expect(screen.locator(".count-number")).to_have_text("6 or more", timeout=15_000)
    expect(page.locator(".count-number")).to_have_text("6 or more", timeout=15_000)
    expect(page.locator("#room-seats")).to_contain_text("Seat 6, joined", timeout=15_000)
    assert screen.locator("#room-seats").count() == 0  # the lead's page only
    # Without JavaScript, the projector view is right as loaded, and its Refresh link
    # brings it up to date.
    screen_without_js.goto(projector_path)
    expect(screen_without_js.locator(".count-number")).to_have_text("6 or more")
    expect(screen_without_js.locator(".room-live-note")).to_be_hidden()

    # Two people finish the principle: nothing is shown yet, and its count says only
    # "fewer than 3", so the screen does not say when each one finished.
    for phone, level in zip(joined[:2], (0, 3), strict=True):
        _answer_first_principle(phone, level)
    page.reload()
    expect(page.locator(".principle-progress tbody tr").first).to_contain_text("fewer than 3")
    expect(page.locator(".figures-wait")).to_be_visible()
    assert page.locator(".spread-table").count() == 0

    expect(screen.locator(".figures-wait")).to_be_visible()
    assert screen.locator(".spread-table").count() == 0

    # Four more: the figures appear on the projector view by themselves.
    for phone, level in zip(joined[2:], (1, 2, 1, 3), strict=True):
        _answer_first_principle(phone, level)
    expect(screen.locator(".spread-table").first).to_be_visible(timeout=15_000)
    expect(screen.locator(".figures-basis")).to_contain_text("From 6 or more people")
    statements = len(principle.statements.all())
    expect(screen.locator(".figures-page")).to_contain_text(f"Statement 1 of {statements}")
    expect(screen.locator(".spread-chart")).to_have_count(1)  # one at a time
    axe(screen, "workshop-projector-view")
    screen.screenshot(path="test-artifacts/workshop-projector-view.png")
    screen.set_viewport_size({"width": 1280, "height": 720})
    screen.screenshot(path="test-artifacts/workshop-projector-view-720.png")
    screen_without_js.get_by_role("link", name="Refresh").click()
    expect(screen_without_js.locator(".spread-table")).to_have_count(1)
    axe(screen_without_js, "workshop-projector-view-without-js")
    expect(page.locator(".spread-table").first).to_be_visible(timeout=15_000)
    expect(page.locator(".figures-basis")).to_contain_text("From 6 or more people")
    assert Answer.objects.filter(respondent__invite__workshop__round=round_).count() == 6 * len(
        principle.statements.all()
    )
    axe(page, "workshop-projector")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path="test-artifacts/workshop-projector-laptop.png", full_page=False)

    # The lead records what the room agreed and an action, from the projector.
    item = page.locator(f"#agree-{statement.pk}")
    item.get_by_label("Mostly the to").check()
    item.get_by_label("Why does the room agree this?").fill("Most of us see it happening")
    item.get_by_role("button", name=re.compile("Save agreed position")).click()
    expect(page.locator(".alert-success")).to_contain_text("Agreed position")
    assert page.url.endswith(f"/rounds/{round_.pk}/workshop/#agree-{statement.pk}")
    assert AgreedPosition.objects.get(round=round_, statement=statement).level == 3
    page.locator(f"#agree-{statement.pk}").get_by_role(
        "link", name=re.compile("Write an action")
    ).click()
    page.get_by_label("What happens now").fill("People hear about changes afterwards")
    page.get_by_label("What will happen instead").fill("People plan changes with us")
    page.locator("#id_owner").fill("Service manager")
    page.locator("#id_co_owner").fill("A resident on the panel")
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.locator("h1")).to_have_text(re.compile("Workshop"), timeout=5_000)
    action = Action.objects.get(round=round_)
    assert action.co_owner == "A resident on the panel" and action.statement == statement

    # The last phone is the room's shared tablet: its person hands it to the next one.
    tablet = joined[5]
    expect(tablet).to_have_url(re.compile(r"/r/[^/]+/2/$"))
    tablet_address = tablet.url
    hand_over = tablet.get_by_role("button", name="Hand to the next person")
    hand_over.scroll_into_view_if_needed()
    tablet.screenshot(path="test-artifacts/workshop-hand-over-button-phone.png")
    hand_over.click()
    expect(tablet.locator("h1")).to_have_text("Hand this phone to the next person?")
    axe(tablet, "workshop-hand-over-phone")
    tablet.get_by_role("button", name="Hand to the next person").click()
    expect(tablet.locator("h1")).to_have_text("Join a workshop")
    expect(tablet.locator(".messages")).to_contain_text("ready for the next person")
    axe(tablet, "workshop-handed-over-phone")
    tablet.get_by_label("Workshop code").fill(code)
    tablet.get_by_role("button", name="Next").click()
    expect(tablet.locator("h1")).to_have_text("Which group are you in?")
    assert tablet.locator("input[type=radio]:checked").count() == 0
    tablet.get_by_label("Carer or family member", exact=True).check()
    tablet.get_by_role("button", name="Join and start answering").click()
    expect(tablet).to_have_url(re.compile(r"/r/[^/]+/1/$"))
    assert tablet.locator("input[type=radio]:checked").count() == 0  # afresh
    # The last person's page, from the tablet's history, shows none of their answers: it
    # looks as for a seat nobody has used, and Start says it was handed on.
    tablet.goto(tablet_address)
    assert tablet.locator("input[type=radio]").count() == 0
    expect(tablet.locator("h1")).not_to_have_text("Welcome back")
    tablet.get_by_role("button", name="Start").click()
    expect(tablet.locator("h1")).to_have_text("This place was handed on")
    assert tablet.locator("input[type=radio]").count() == 0
    axe(tablet, "workshop-handed-on-seat-phone")

    # A stray join: the lead sees it arrive and removes it; its phone says so kindly.
    stray = phones()
    stray.goto(f"/join/?code={code.replace('-', '')}")
    stray.get_by_label("Staff", exact=True).check()
    stray.get_by_role("button", name="Join and start answering").click()
    expect(stray).to_have_url(re.compile(r"/r/[^/]+/1/$"))
    expect(page.locator("#room-seats")).to_contain_text("Seat 8, joined", timeout=15_000)
    lead_phone = page.context.new_page()
    lead_phone.set_viewport_size(PHONE)
    lead_phone.goto(f"/rounds/{round_.pk}/workshop/#seats")
    lead_phone.locator("#seats").scroll_into_view_if_needed()
    lead_phone.screenshot(path="test-artifacts/workshop-lead-seats-list-phone.png")
    lead_phone.close()
    page.get_by_role("link", name="Remove Seat 8").click()
    expect(page.locator("h1")).to_have_text("Remove Seat 8?")
    axe(page, "workshop-seat-remove")
    page.get_by_role("button", name="Remove Seat 8").click()
    expect(page.locator(".alert-success")).to_contain_text("Seat 8 removed")
    expect(page.locator("#room-seats")).not_to_contain_text("Seat 8")
    stray.reload()
    expect(stray.locator("h1")).to_have_text("Your place in the workshop was removed")
    axe(stray, "workshop-seat-removed-phone")

    # Ending the workshop stops the code working, and the projector view says so.
    page.get_by_role("button", name="End the workshop").click()
    expect(screen.get_by_role("heading", name="This projector view has stopped")).to_be_visible(
        timeout=15_000
    )
    assert screen.locator(".join-code").count() == 0
    axe(screen, "workshop-projector-view-stopped")
    latecomer = phones()
    latecomer.goto("/join/")
    latecomer.get_by_label("Workshop code").fill(code)
    latecomer.get_by_role("button", name="Next").click()
    expect(latecomer.locator("[data-error-summary]")).to_contain_text("does not match a workshop")
    # The six, and the tablet's next person; the stray join is gone with its answers.
    assert Respondent.objects.filter(invite__workshop__round=round_).count() == 7


# The projector view with a principle shown, on a 1920×1080 projector ----------------------

# Each text the page shows, with its size in CSS pixels (the chart's words are measured
# apart, as drawn).
PAGE_TEXTS = """() => Array.from(document.querySelectorAll('body *'))
  .filter((element) => !element.closest('svg') && element.checkVisibility()
    && getComputedStyle(element).clip !== 'rect(0px, 0px, 0px, 0px)'
    && Array.from(element.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim()))
  .map((element) => [element.tagName.toLowerCase() + ' "' + element.textContent.trim().slice(0, 40)
    + '"', parseFloat(getComputedStyle(element).fontSize)])"""
# The chart's words as drawn: their size in the chart's units, times the chart's scale.
CHART_TEXTS = """() => Array.from(document.querySelectorAll('svg.spread-chart text'))
  .map((text) => {
    const svg = text.ownerSVGElement;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [text.textContent.trim(), parseFloat(getComputedStyle(text).fontSize) * scale];
  })"""
LABELS_APART = """() => Array.from(document.querySelectorAll('svg.spread-chart')).every((svg) => {
  const boxes = Array.from(svg.querySelectorAll('text.bar-label'))
    .map((text) => text.getBoundingClientRect());
  return boxes.every((box, i) => i === 0 || boxes[i - 1].right <= box.left);
})"""


def _largest_principle(round_, easy_read):
    """The principle whose statements take the most words, in the round's framework."""

    def size(statement):
        if easy_read:
            return len(statement.from_easy) + len(statement.to_easy)
        return len(statement.from_text) + len(statement.to_text)

    return max(
        round_.framework.principles.all(),
        key=lambda p: sum(size(s) for s in p.statements.all()),
    )


def _room_answers(round_, lead, principle, *, easy_read=False):
    """A workshop where twelve people, staff and people with lived experience, answered
    every statement of the principle, spread over the scale, and the lead shows it."""
    from assessments.rounds import services as round_services
    from assessments.workshops import services

    workshop = services.workshop_start(round=round_, by=lead, capacity=40)
    if easy_read:
        workshop = services.workshop_wording(workshop=workshop, by=lead, easy_read=True)
    statements = list(principle.statements.order_by("order"))
    perspectives = ["staff", "manager", "staff", "lived_experience", "carer", "lived_experience"]
    for number in range(12):
        joined = services.workshop_join(
            workshop=workshop, perspective=perspectives[number % 6], address=f"10.9.{number}.1"
        )
        round_services.answers_save(
            respondent=joined.respondent,
            answers=[
                round_services.AnswerInput(statement_id=s.pk, level=(3 * number + i) % 5, note="")
                for i, s in enumerate(statements)
            ],
        )
    return services.workshop_show(workshop=workshop, by=lead, principle=principle)


def _measure_projector(screen, name):
    """What a 1920×1080 projector shows: it fits without scrolling, the QR code is at least
    300 px, the text at least 28 px, the chart's words at least 24 px, and no button."""
    sizes = screen.evaluate(
        """() => [document.documentElement.scrollHeight, document.documentElement.scrollWidth,
          Math.ceil(document.querySelector('main').lastElementChild.getBoundingClientRect().bottom)]"""
    )
    assert sizes[0] <= 1080 and sizes[1] <= 1920, f"{name}: the page is {sizes} px"
    qr = screen.locator(".join-qr svg").bounding_box()
    assert qr is not None and qr["width"] >= 300 and qr["height"] >= 300, f"{name}: QR {qr}"
    assert qr["y"] + qr["height"] <= 1080
    small = [f"{text}: {size}px" for text, size in screen.evaluate(PAGE_TEXTS) if size < 28]
    assert not small, f"{name}: " + "\n".join(small)
    chart = screen.evaluate(CHART_TEXTS)
    assert chart, name
    small = [f"{text}: {size:.1f}px" for text, size in chart if size < 24]
    assert not small, f"{name}: " + "\n".join(small)
    assert screen.evaluate(LABELS_APART), f"{name}: the chart's words overlap"
    assert screen.locator("button, [role=button], .btn, input, select, textarea").count() == 0
    return sizes[2]  # where the last of the page ends


@pytest.mark.parametrize(
    ("slug", "easy_read"), [("cahn", False), ("nef-nesta", False), ("cahn", True)]
)
def test_a_shown_principle_fits_the_projector(browser, live_server, page, axe, slug, easy_read):
    ensure_framework()
    lead = factories.user("rita@riverside.example", full_name="Rita Patel")
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, slug=slug, title="Spring reflection with a longer title")
    principle = _largest_principle(round_, easy_read)
    workshop = _room_answers(round_, lead, principle, easy_read=easy_read)
    statements = principle.statements.count()

    sign_in(page, lead.email)
    page.goto(f"/rounds/{round_.pk}/workshop/")
    path = page.get_by_role("link", name="Open the projector view (new tab)").get_attribute("href")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1920, "height": 1080}
    )
    try:
        screen = context.new_page()
        screen.goto(path)
        expect(screen.locator(".spread-table").first).to_be_visible()
        expect(screen.locator(".spread-table tbody tr").first).to_contain_text("Everyone")
        assert screen.locator(".spread-table").first.locator("tbody tr").count() == 3
        # The room's scale words: the easy-read ones when the room is in easy read.
        words = screen.locator(".spread-chart .bar-label").all_text_contents()
        headings = screen.locator(".spread-table thead th").all_text_contents()
        if easy_read:
            assert words == ["Not yet", "A little", "Mostly", "Reallywell", "I don'tknow"]
            assert headings[1:] == ["Not yet", "A little", "Mostly", "Really well", "I don't know"]
            expect(screen.locator(".figures-heading")).to_contain_text(principle.easy_read_name)
        else:
            assert words == ["From", "Starting", "Mostly", "Firmly", "Not sure"]
            assert headings[1:] == TABLE_LEVELS
        # The projector shows one statement at a time; the lead steps through them from
        # their own page, and the projector follows.
        name = f"{slug}-easy-read" if easy_read else slug
        for position in range(1, statements + 1):
            expect(screen.locator(".figures-page")).to_contain_text(
                f"Statement {position} of {statements}", timeout=15_000
            )
            screen.screenshot(path=f"test-artifacts/workshop-projector-{name}-{position}.png")
            height = _measure_projector(screen, f"{name}, statement {position}")
            print(f"{name}, statement {position}: {height} px")
            expect(page.locator("#show-statement-now")).to_contain_text(
                f"statement {position} of {statements}"
            )
            if position < statements:
                page.get_by_role("button", name="Show the next statement").click()
        axe(screen, f"workshop-projector-{name}")
        page.locator("#show-heading").scroll_into_view_if_needed()
        page.screenshot(path=f"test-artifacts/workshop-lead-steps-{name}.png")
        axe(page, f"workshop-lead-steps-{name}")
        assert page.get_by_role("button", name="Show the next statement").count() == 0
        page.get_by_role("button", name="Show the statement before").click()
        expect(screen.locator(".figures-page")).to_contain_text(
            f"Statement {statements - 1} of {statements}", timeout=15_000
        )
        # A laptop's 1280×720 on the projector shows the same picture, smaller in pixels.
        screen.set_viewport_size({"width": 1280, "height": 720})
        screen.screenshot(path=f"test-artifacts/workshop-projector-{name}-720.png")
        height = screen.evaluate("document.documentElement.scrollHeight")
        assert height <= 720, f"{height} px at 1280×720"
    finally:
        context.close()
    assert workshop.shown_principle == principle


# Phones follow the room --------------------------------------------------------------------


def test_phones_follow_the_part_the_room_is_on(page, phones, page_without_js, axe):
    ensure_framework()
    lead = factories.user("rita@riverside.example", full_name="Rita Patel")
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, title="Spring reflection")
    principles = list(round_.framework.principles.order_by("order"))
    sign_in(page, lead.email)
    page.goto(f"/rounds/{round_.pk}/workshop/")
    page.get_by_role("button", name="Start the workshop").click()
    code = page.locator(".join-code").inner_text().strip().replace("-", "")
    page.get_by_role("button", name=f"Show 3. {principles[2].name}").click()

    # On joining, a phone offers the part the room is on.
    phone = phones()
    phone.goto(f"/join/?code={code}")
    phone.get_by_label("Staff", exact=True).check()
    phone.get_by_role("button", name="Join and start answering").click()
    expect(phone).to_have_url(re.compile(r"/r/[^/]+/1/$"))
    go = phone.get_by_role("link", name="The room is on principle 3 — go there")
    expect(go).to_be_visible()
    axe(phone, "workshop-phone-follows-the-room")
    phone.screenshot(path="test-artifacts/workshop-phone-room-is-on-part-3.png")
    go.click()
    expect(phone).to_have_url(re.compile(r"/r/[^/]+/3/$"))
    assert phone.locator("#room-follow a").count() == 0  # it is on that part

    # The lead shows another principle: the phone says so without a reload.
    page.get_by_role("button", name=f"Show 2. {principles[1].name}").click()
    expect(phone.get_by_role("link", name="The room is on principle 2 — go there")).to_be_visible(
        timeout=15_000
    )
    # Nothing shown: nothing offered.
    page.get_by_role("button", name="Show no principle").click()
    expect(phone.locator("#room-follow a")).to_have_count(0, timeout=15_000)

    # Without JavaScript, in a room in easy read: the link is there on joining, and on
    # reload after the lead shows a principle; the page is in easy read.
    page.get_by_role("button", name="Use easy read on the projector").click()
    expect(page.locator(".alert-success")).to_contain_text("easy read")
    page_without_js.goto(f"/join/?code={code}")
    page_without_js.get_by_label("Person with lived experience", exact=True).check()
    page_without_js.get_by_role("button", name="Join and start answering").click()
    expect(page_without_js.locator("h1")).to_contain_text("Part 1 of")
    assert page_without_js.locator("#room-follow a").count() == 0
    page.get_by_role("button", name=f"Show 4. {principles[3].name}").click()
    page_without_js.reload()
    go = page_without_js.get_by_role("link", name="The room is on part 4 — go there")
    expect(go).to_be_visible()
    axe(page_without_js, "workshop-phone-follows-the-room-without-js")
    go.click()
    expect(page_without_js.locator("h1")).to_contain_text("Part 4 of")
