"""Answering a round: members signed in and link holders, with and without JavaScript."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.rounds.models import Answer, Respondent, RoundStatus
from assessments.rounds.services import invite_revoke, round_close
from tests import factories
from tests.support import count_queries, sign_in

pytestmark = pytest.mark.django_db


def statements_of(round_, page=1):
    principle = round_.framework.principles.order_by("order")[page - 1]
    return list(principle.statements.order_by("order"))


def total_statements(round_):
    return sum(p.statements.count() for p in round_.framework.principles.all())


def member_url(world, name, **kwargs):
    return reverse(f"assessments:member-{name}", kwargs={"pk": world.round.pk, **kwargs})


def invite_url(world, name, **kwargs):
    return reverse(f"assessments:invite-{name}", kwargs={"token": world.invite.raw_token, **kwargs})


# Members ---------------------------------------------------------------------------------


def test_member_chooses_a_perspective_once(client, world):
    sign_in(client, world.member)
    page = client.get(member_url(world, "start")).content.decode()
    assert "Which of these best describes you" in page

    response = client.post(member_url(world, "start"), {})
    assert response.status_code == 400
    assert "Choose the one that fits you best." in response.content.decode()

    response = client.post(member_url(world, "start"), {"perspective": "staff"})
    assert response["Location"] == member_url(world, "page", page=1)
    respondent = Respondent.objects.get(round=world.round, user=world.member)
    assert respondent.perspective == "staff"

    # Coming back skips the question, and the perspective stays as first chosen.
    response = client.post(member_url(world, "start"), {"perspective": "manager"})
    assert response.status_code == 302
    respondent.refresh_from_db()
    assert respondent.perspective == "staff"


def test_page_shows_a_fieldset_per_statement_and_the_progress(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    page = client.get(member_url(world, "page", page=1)).content.decode()
    statements = statements_of(world.round)
    assert page.count("<fieldset") == len(statements)
    assert page.count("<legend") == len(statements)
    assert f"0 of {total_statements(world.round)} answered" in page
    for statement in statements:
        assert statement.from_text in page and statement.to_text in page
    assert "Not sure" in page and "Firmly the to" in page


def test_plain_form_saves_and_moves_on(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    statements = statements_of(world.round)
    data = {"go": "next"}
    for statement in statements:
        data[f"level-{statement.pk}"] = "2"
    data[f"note-{statements[0].pk}"] = "We ask too late."
    response = client.post(member_url(world, "page", page=1), data)
    assert response.status_code == 302
    assert response["Location"] == member_url(world, "page", page=2)
    answers = Answer.objects.filter(respondent__user=world.member)
    assert answers.count() == len(statements)
    assert answers.get(statement=statements[0]).note == "We ask too late."

    page = client.get(member_url(world, "page", page=2)).content.decode()
    assert f"{len(statements)} of {total_statements(world.round)} answered" in page


def test_a_note_without_a_level_is_kept_and_explained(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    first, *others = statements_of(world.round)
    data = {f"note-{first.pk}": "Half a thought", "go": "next"}
    for statement in others:
        data[f"level-{statement.pk}"] = "3"
    response = client.post(member_url(world, "page", page=1), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "so your note can be saved" in page
    assert "Half a thought" in page  # nothing typed is lost
    # The answers that were complete are saved all the same.
    assert Answer.objects.filter(respondent__user=world.member).count() == len(others)


@pytest.mark.parametrize("bad", ["9", "-1", "three", "1e3"])
def test_a_level_off_the_scale_is_refused(client, world, bad):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    first = statements_of(world.round)[0]
    response = client.post(member_url(world, "page", page=1), {f"level-{first.pk}": bad})
    assert response.status_code == 400
    assert "Choose one of the options." in response.content.decode()
    assert not Answer.objects.filter(respondent__user=world.member).exists()


def test_double_submit_and_two_tabs_leave_one_answer_each(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    first = statements_of(world.round)[0]
    url = member_url(world, "page", page=1)
    client.post(url, {f"level-{first.pk}": "1", "go": "stay"})
    client.post(url, {f"level-{first.pk}": "1", "go": "stay"})
    client.post(url, {f"level-{first.pk}": "4", "go": "stay"})  # the other tab, later
    answers = Answer.objects.filter(respondent__user=world.member)
    assert answers.count() == 1
    assert answers.get().level == 4


def test_autosave_saves_one_answer_and_reports_progress(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    first = statements_of(world.round)[0]
    response = client.post(
        member_url(world, "autosave"),
        {"statement": first.pk, f"level-{first.pk}": "0", f"note-{first.pk}": "No idea"},
    )
    assert response.status_code == 200
    assert response.json() == {
        "saved": True,
        "answered": 1,
        "total": total_statements(world.round),
    }
    answer = Answer.objects.get(respondent__user=world.member)
    assert (answer.level, answer.note) == (0, "No idea")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Which statement"),
        ({"statement": "999999", "level-999999": "2"}, "not part of this round"),
        ({"statement": "{first}"}, "Choose an option first."),
        ({"statement": "{first}", "level-{first}": "7"}, "Choose one of the options."),
    ],
)
def test_autosave_refuses_bad_input_clearly(client, world, data, message):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    first = statements_of(world.round)[0]
    data = {k.format(first=first.pk): v.format(first=first.pk) for k, v in data.items()}
    response = client.post(member_url(world, "autosave"), data)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Answer.objects.exists()


def test_autosave_after_the_round_closed_says_so_and_stores_nothing(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    first = statements_of(world.round)[0]
    round_close(round=world.round, by=world.lead)
    response = client.post(
        member_url(world, "autosave"), {"statement": first.pk, f"level-{first.pk}": "2"}
    )
    assert response.status_code == 409
    assert "not taking answers" in response.json()["error"]
    assert not Answer.objects.exists()


def test_plain_form_after_the_round_closed_shows_a_kind_page(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    first = statements_of(world.round)[0]
    round_close(round=world.round, by=world.lead)
    response = client.post(member_url(world, "page", page=1), {f"level-{first.pk}": "2"})
    assert "This round has closed" in response.content.decode()
    assert not Answer.objects.exists()


def test_coming_back_returns_to_the_last_page(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    client.post(member_url(world, "page", page=1), {"go": "next"})
    response = client.get(member_url(world, "start"))
    assert response["Location"] == member_url(world, "page", page=2)


def test_a_page_past_the_end_is_not_found(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    assert client.get(member_url(world, "page", page=99)).status_code == 404


def test_finishing(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    page = client.get(member_url(world, "done")).content.decode()
    assert "Check your answers" in page and "not answered" in page
    # Each principle with statements left leads to its first such row, whose "Answer"
    # opens that statement alone and comes back here.
    first = world.round.framework.principles.order_by("order")[0]
    statement = first.statements.order_by("order")[0]
    assert f'<a href="#check-{statement.pk}">' in page
    assert f'?change={statement.pk}">Answer' in page
    page = client.post(member_url(world, "done")).content.decode()
    assert "Thank you" in page
    assert Respondent.objects.get(user=world.member).finished_at is not None


def test_check_your_answers_lists_each_statement_with_its_answer_and_a_change_link(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    first, second = statements_of(world.round)[:2]
    client.post(
        member_url(world, "page", page=1),
        {f"level-{first.pk}": "3", f"note-{first.pk}": "Only in the day centre", "go": "stay"},
    )
    page = client.get(member_url(world, "done")).content.decode()
    row = page.split(f"Statement {first.code}<", 1)[1].split("</div>", 1)[0]
    assert "Mostly the to" in row and "Your note: Only in the day centre" in row
    change = member_url(world, "page", page=1) + f"?change={first.pk}"
    assert f'<a href="{change}">Change<span class="visually-hidden"> statement {first.code}' in row
    row = page.split(f"Statement {second.code}<", 1)[1].split("</div>", 1)[0]
    assert "Not answered" in row and ">Answer<" in row
    assert page.count("check-answers-row") == total_statements(world.round)


def test_change_opens_that_statement_alone_with_a_way_back(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    first, second = statements_of(world.round, page=2)[:2]
    response = client.get(member_url(world, "page", page=2) + f"?change={second.pk}")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<fieldset") == 1 and f'id="answer-{second.pk}"' in page
    assert second.from_text in page and first.from_text not in page
    assert "Save and return to check your answers" in page
    assert "Save and continue" not in page and "Go to another principle" not in page
    back = f"{member_url(world, 'done')}#check-{second.pk}"
    assert f'href="{back}">Back to check your answers' in page
    assert "<title>Change your answer:" in page


def test_saving_a_changed_answer_returns_to_check_your_answers(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    client.post(member_url(world, "page", page=4), {"go": "done"}, follow=True)
    statement = statements_of(world.round, page=2)[1]
    url = member_url(world, "page", page=2) + f"?change={statement.pk}"
    data = {f"level-{statement.pk}": "4", f"note-{statement.pk}": "Now on every team."}
    response = client.post(url, {**data, "go": "check"})
    assert response.status_code == 302
    assert response["Location"] == member_url(world, "done") + f"#check-{statement.pk}"
    answer = Answer.objects.get(respondent__user=world.member, statement=statement)
    assert (answer.level, answer.note) == (4, "Now on every team.")
    # Where they left off stays at the end, and no "you did not answer" note is added.
    respondent = Respondent.objects.get(user=world.member)
    assert respondent.last_page == 4
    check = client.get(response["Location"]).content.decode()
    assert "You did not answer anything" not in check
    row = check.split(f'id="check-{statement.pk}"', 1)[1].split("</div>", 1)[0]
    assert "Firmly the to" in row and "Your note: Now on every team." in row
    # Pressed twice (a double tap, or the page sent again): the same answer, the same place.
    again = client.post(url, {**data, "go": "check"})
    assert again["Location"] == response["Location"]
    assert Answer.objects.filter(respondent=respondent, statement=statement).count() == 1
    # Opening a statement to change it does not move where they left off either.
    client.get(member_url(world, "page", page=1) + f"?change={statements_of(world.round)[0].pk}")
    respondent.refresh_from_db()
    assert respondent.last_page == 4


def test_a_changed_answer_with_a_mistake_stays_on_that_statement(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    statement = statements_of(world.round, page=3)[0]
    url = member_url(world, "page", page=3) + f"?change={statement.pk}"
    response = client.post(url, {f"note-{statement.pk}": "Not yet sure where", "go": "check"})
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count("<fieldset") == 1 and "so your note can be saved" in page
    assert ">Not yet sure where</textarea>" in page
    assert "Save and return to check your answers" in page


def test_a_link_holder_changing_an_answer_returns_to_their_check_your_answers(client, world):
    client.post(invite_url(world, "start"))
    statement = statements_of(world.round, page=1)[2]
    response = client.post(
        invite_url(world, "page", page=1) + f"?change={statement.pk}",
        {f"level-{statement.pk}": "1", "go": "check"},
    )
    assert response["Location"] == invite_url(world, "done") + f"#check-{statement.pk}"
    check = client.get(invite_url(world, "done")).content.decode()
    change = invite_url(world, "page", page=1) + f"?change={statement.pk}"
    assert (
        f'<a href="{change}">Change<span class="visually-hidden"> statement {statement.code}'
        in (check)
    )


def test_change_of_a_statement_from_another_page_shows_the_whole_page(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    elsewhere = statements_of(world.round, page=2)[0]
    for change in (str(elsewhere.pk), "not-a-number"):
        page = client.get(member_url(world, "page", page=1), {"change": change}).content.decode()
        assert page.count("<fieldset") == len(statements_of(world.round))
        assert "Save and continue" in page and "Save and return" not in page


def test_leaving_a_page_with_nothing_answered_says_so(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    response = client.post(member_url(world, "page", page=1), {"go": "next"}, follow=True)
    principle = world.round.framework.principles.order_by("order")[0]
    assert f"You did not answer anything on “{principle.name}”" in response.content.decode()
    # A page with an answer says nothing of the kind.
    first = statements_of(world.round, page=2)[0]
    response = client.post(
        member_url(world, "page", page=2), {f"level-{first.pk}": "2", "go": "next"}, follow=True
    )
    assert "You did not answer anything" not in response.content.decode()


def test_a_member_who_chose_the_wrong_group_changes_it_and_keeps_their_answers(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    first = statements_of(world.round)[0]
    client.post(member_url(world, "page", page=1), {f"level-{first.pk}": "2", "go": "stay"})
    page = client.get(member_url(world, "page", page=1)).content.decode()
    assert "You are answering as: <strong>Staff</strong>" in page
    assert f'href="{member_url(world, "group")}">Change your group' in page
    form = client.get(member_url(world, "group")).content.decode()
    assert 'value="staff"' in form.split("checked")[0].rsplit("<input", 1)[1]
    response = client.post(member_url(world, "group"), {"perspective": "manager"}, follow=True)
    assert "You are now answering as: Manager or leader." in response.content.decode()
    respondent = Respondent.objects.get(user=world.member)
    assert respondent.perspective == "manager"
    assert Answer.objects.get(respondent=respondent, statement=first).level == 2
    # Nothing chosen: the reason, and the group stays.
    response = client.post(member_url(world, "group"), {})
    assert response.status_code == 400
    assert "Choose the one that fits you best." in response.content.decode()


def test_a_link_holder_changes_their_group_only_in_their_own_browser(client, world):
    start = invite_url(world, "start")
    client.post(start)
    group = invite_url(world, "group")
    response = client.post(group, {"perspective": "carer"})
    assert response.status_code == 302
    respondent = Respondent.objects.get(invite=world.invite)
    assert respondent.perspective == "carer"
    # Another browser is sent to the link's welcome page, as for a link nobody has used.
    stranger = Client()
    response = stranger.post(group, {"perspective": "staff"})
    assert response.status_code == 302 and response["Location"] == start
    response = stranger.get(group)
    assert response.status_code == 302 and response["Location"] == start
    respondent.refresh_from_db()
    assert respondent.perspective == "carer"


def test_the_group_cannot_change_once_the_round_has_closed(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    round_close(round=world.round, by=world.lead)
    response = client.post(member_url(world, "group"), {"perspective": "manager"})
    assert response.status_code in (200, 409)
    assert Respondent.objects.get(user=world.member).perspective == "staff"


def test_answer_link_pages_have_a_minimal_header(client, world):
    """Someone answering by link has no account: the site's menu (sign in, create an
    account, principles) took a phone's first screen and led people away."""
    start = invite_url(world, "start")
    for response in [client.get(start), client.post(start, follow=True)]:
        header = response.content.decode().split("</header>", 1)[0]
        assert "Create an account" not in header and "Sign in" not in header
        assert "Principles" not in header
        assert "Skip to main content" in header and "Switch to easy read" in header
    sign_in(client, world.member)
    header = client.get(member_url(world, "start")).content.decode().split("</header>")[0]
    assert "Principles" in header and "Your organisations" in header


def test_easy_read_shows_the_easy_texts(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    client.post(reverse("reading-mode"), {"easy_read": "on", "next": "/"})
    page = client.get(member_url(world, "page", page=1)).content.decode()
    statement = statements_of(world.round)[0]
    assert statement.from_easy in page and statement.to_easy in page
    # The scale in plain words, each with a symbol the words beside it repeat.
    for words in ("Not yet", "A little", "Mostly", "Really well", "I don&#x27;t know"):
        assert f"<strong>{words}</strong>" in page
    assert "Still mostly the from" not in page and "step 1 of 4" not in page
    assert page.count('class="level-symbol"') == 5 * len(statements_of(world.round))
    client.post(member_url(world, "page", page=1), {f"level-{statement.pk}": "2", "go": "stay"})
    check = client.get(member_url(world, "done")).content.decode()
    assert "A little" in check.split(f"Question {statement.order}<", 1)[1].split("</div>")[0]
    # Easy-read names, headings and a picture with words that say what it shows.
    principle = world.round.framework.principles.order_by("order")[0]
    assert f"Part 1 of {world.round.framework.principles.count()}:</span> " in page
    assert principle.easy_read_name in page and f"<h1>{principle.name}" not in page
    assert f'<img src="/static/{principle.picture_path}" alt="{principle.picture_alt}"' in page
    assert "Question 1</span>" in page and "Statement 1.1" not in page
    assert "The old way" in page and "The better way" in page
    assert f'<h2 class="h4 mt-4">1. {principle.easy_read_name}</h2>' in check


def test_members_of_other_organisations_and_strangers_cannot_answer(client, world):
    response = client.get(member_url(world, "start"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    sign_in(client, world.other_member)
    assert client.get(member_url(world, "start")).status_code == 404
    assert client.get(member_url(world, "page", page=1)).status_code == 404
    assert client.post(member_url(world, "autosave"), {"statement": "1"}).status_code == 404


# Invite links ----------------------------------------------------------------------------


def test_link_holder_is_welcomed_then_answers(client, world):
    page = client.get(invite_url(world, "start")).content.decode()
    assert "Person with lived experience" in page
    assert not Respondent.objects.exists()  # opening the link alone records nothing

    response = client.post(invite_url(world, "start"))
    assert response["Location"] == invite_url(world, "page", page=1)
    respondent = Respondent.objects.get(invite=world.invite)
    assert respondent.perspective == "lived_experience"

    first = statements_of(world.round)[0]
    response = client.post(invite_url(world, "page", page=1), {f"level-{first.pk}": "1"})
    assert response.status_code == 302
    assert Answer.objects.get(respondent=respondent).level == 1

    # A second visit with the same link offers to carry on.
    assert "Carry on where you left off" in client.get(invite_url(world, "start")).content.decode()


def test_a_revoked_link_shows_a_kind_page(client, world):
    invite_revoke(invite=world.invite)
    response = client.get(invite_url(world, "start"))
    assert response.status_code == 200
    assert "This link no longer works" in response.content.decode()
    assert client.post(invite_url(world, "start")).status_code == 200
    assert not Respondent.objects.exists()


def test_a_link_to_a_closed_round_shows_a_kind_page(client, world):
    round_close(round=world.round, by=world.lead)
    page = client.get(invite_url(world, "start")).content.decode()
    assert "This round has closed" in page


def test_a_link_to_a_draft_round_says_it_is_not_open_yet(client, world):
    draft = factories.round(world.org, status=RoundStatus.DRAFT)
    link = factories.invite(draft)
    page = client.get(reverse("assessments:invite-start", kwargs={"token": link.raw_token}))
    assert "has not opened yet" in page.content.decode()


def test_an_unknown_token_is_not_found(client, world):
    assert (
        client.get(reverse("assessments:invite-start", kwargs={"token": "x" * 43})).status_code
        == 404
    )


def test_pages_of_a_link_not_started_lead_back_to_the_welcome(client, world):
    response = client.get(invite_url(world, "page", page=1))
    assert response["Location"] == invite_url(world, "start")


# Query counts ------------------------------------------------------------------------------


def test_answering_page_query_count_does_not_grow_with_respondents(client, world):
    client.post(invite_url(world, "start"))
    url = invite_url(world, "page", page=1)
    client.get(url)  # settles last_page
    before = count_queries(client, url)
    for _ in range(15):
        factories.answer_all(factories.respondent(world.round, "staff"), level=2)
    assert count_queries(client, url) == before


def test_a_members_answering_page_reads_their_answers_with_them(client, world):
    """Session, user, the round with the member's membership, and the member's respondent
    with their answers in one query: the same with no answers or every one."""
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    url = member_url(world, "page", page=1)
    client.get(url)  # settles last_page, and reads the framework
    assert count_queries(client, url) == 4
    respondent = Respondent.objects.get(user=world.member)
    factories.answer_all(respondent, level=2)  # which leaves them on its last page
    client.get(url)  # back on this page: noted
    assert count_queries(client, url) == 4
    assert client.get(url).content.decode().count("checked") == len(statements_of(world.round))


def test_answering_page_reads_a_frozen_framework_once_per_worker(client, world):
    """The round's framework version is frozen, so its content is read once and kept."""
    client.post(invite_url(world, "start"))
    url = invite_url(world, "page", page=1)
    client.get(url)  # settles last_page, and reads the framework
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert not [q for q in queries.captured_queries if 'FROM "principles_' in q["sql"]]
    assert len(queries.captured_queries) <= 4  # session, link, respondent, answers


def test_each_person_sees_only_their_own_choices_and_notes(client, world):
    """The choices' markup is shared by everyone answering; what is checked, and the note,
    come from each person's own answers on every request."""
    statement = statements_of(world.round)[0]
    pages = {}
    for person, level, note in [(world.member, 3, "Mine, the member's"), (world.lead, 1, "")]:
        browser = Client()
        sign_in(browser, person)
        browser.post(member_url(world, "start"), {"perspective": "staff"})
        browser.post(
            member_url(world, "page", page=1),
            {f"level-{statement.pk}": level, f"note-{statement.pk}": note, "go": "stay"},
        )
        pages[person] = browser.get(member_url(world, "page", page=1)).content.decode()
    client.post(invite_url(world, "start"))
    pages[None] = client.get(invite_url(world, "page", page=1)).content.decode()

    field = f"level-{statement.pk}"
    for person, level in [(world.member, 3), (world.lead, 1), (None, None)]:
        page = pages[person]
        checked = [v for v in range(5) if f'id="{field}-{v}" value="{v}" checked' in page]
        assert checked == ([level] if level else [])
        assert page.count(" checked") == (1 if level else 0)
        assert ("Mine, the member&#x27;s" in page) == (person == world.member)


def test_a_statement_kept_for_everyone_never_stands_in_for_ones_own_answer(client, world):
    """A statement nobody has touched on a page is the same for everyone and is kept; once
    someone has a choice, a note or an error on it, their page shows theirs."""
    statement = statements_of(world.round)[0]
    field, note = f"level-{statement.pk}", f"note-{statement.pk}"
    client.post(invite_url(world, "start"))
    blank = client.get(invite_url(world, "page", page=1)).content.decode()
    assert " checked" not in blank
    sign_in(member := Client(), world.member)
    member.post(member_url(world, "start"), {"perspective": "staff"})
    assert " checked" not in member.get(member_url(world, "page", page=1)).content.decode()

    member.post(member_url(world, "page", page=1), {field: "2", note: "Only mine", "go": "stay"})
    page = member.get(member_url(world, "page", page=1)).content.decode()
    assert f'id="{field}-2" value="2" checked' in page and ">Only mine</textarea>" in page
    refused = member.post(member_url(world, "page", page=1), {note: "x" * 2001}).content.decode()
    assert f'aria-describedby="error-{statement.pk}"' in refused
    again = client.get(invite_url(world, "page", page=1)).content.decode()
    assert " checked" not in again and "Only mine" not in again and "answer-error" not in again


def test_an_error_is_tied_to_its_statement_and_the_note_kept_as_typed(client, world):
    sign_in(client, world.member)
    client.post(member_url(world, "start"), {"perspective": "staff"})
    first, second, *_ = statements_of(world.round)
    response = client.post(
        member_url(world, "page", page=1),
        {f"note-{first.pk}": "<b>Half</b> a thought", f"level-{second.pk}": "2"},
    )
    page = response.content.decode()
    assert (
        f'<fieldset class="answer answer-error" id="answer-{first.pk}" '
        f'data-statement="{first.pk}" aria-describedby="error-{first.pk}">'
    ) in page
    assert f'<p class="answer-error-text" id="error-{first.pk}">' in page
    assert f'<fieldset class="answer" id="answer-{second.pk}" data-statement="{second.pk}">' in page
    assert page.count('class="answer-error-text"') == 1
    assert "&lt;b&gt;Half&lt;/b&gt; a thought</textarea>" in page and "<b>Half" not in page
    assert f'id="level-{second.pk}-2" value="2" checked>' in page


def test_a_member_who_left_off_past_the_last_page_comes_back_to_the_last_page(client, world):
    """Someone who finished (the demo marks them with a page past the end) and comes back
    to answer is taken to the round's last page, not to a page that does not exist."""
    factories.respondent(world.round, "staff", user=world.member)
    Respondent.objects.filter(user=world.member).update(last_page=99)
    pages = world.round.framework.principles.count()
    sign_in(client, world.member)
    response = client.get(reverse("assessments:member-start", kwargs={"pk": world.round.pk}))
    last = reverse("assessments:member-page", kwargs={"pk": world.round.pk, "page": pages})
    assert response["Location"] == last
    assert client.get(last).status_code == 200
