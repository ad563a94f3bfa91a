"""Results, agreed positions and the action plan, as the team sees them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.accounts.models import AuditEvent, AuditKind
from assessments.documents.stamp import stamp_renew
from assessments.rounds.models import (
    STEP_MEANINGS,
    Action,
    ActionStatus,
    AgreedPosition,
    RoundStatus,
)
from assessments.rounds.services import round_close
from tests import factories
from tests.support import (
    count_queries,
    date_boxes,
    earlier_round,
    first_statement,
    sign_in,
    with_answers,
)

pytestmark = pytest.mark.django_db


def results_url(world):
    return reverse("assessments:results", kwargs={"pk": world.round.pk})


def test_results_wait_for_three_people(client, world):
    with_answers(world, lived=1, staff=1)
    sign_in(client, world.member)
    page = client.get(results_url(world)).content.decode()
    assert "Not enough answers yet" in page
    assert "Principle scores" not in page


@pytest.mark.exact_figures
def test_results_show_scores_gap_and_notes_without_names(client, world):
    with_answers(world)
    sign_in(client, world.member)
    page = client.get(results_url(world)).content.decode()
    assert "6 people answered" in page
    principle = world.round.framework.principles.order_by("order")[0]
    assert principle.name in page
    # Lived experience 1.0 against staff 4.0: a gap of −3.0, flagged in words, not colour only.
    assert "−3.0" in page
    assert "Large gap" in page
    assert "Nobody asked us first" in page
    assert "<svg" in page and "Principle scores for Spring reflection" in page
    assert world.lead.email not in page.split("Signed in as")[0]


def test_small_groups_are_folded_and_never_shown_alone(client, world):
    with_answers(world, partners=2)
    sign_in(client, world.member)
    page = client.get(results_url(world)).content.decode()
    assert "Partner organisation" not in page
    # Two partners alone make an "others" group too small to show, so it is left out.
    assert "Others (small groups combined)" not in page


def test_gap_needs_three_on_each_side(client, world):
    with_answers(world, lived=2, staff=4)
    sign_in(client, world.member)
    page = client.get(results_url(world)).content.decode()
    assert "The gap is shown when each side has at least 3 people" in page
    assert "Large gap</span>" not in page


def test_overlay_switches_choose_the_groups_on_the_radar(client, world):
    with_answers(world)
    sign_in(client, world.member)
    everyone = client.get(results_url(world)).content.decode()
    only_staff = client.get(results_url(world) + "?overlays=1&show=staff").content.decode()
    # Everyone, plus lived experience and staff; then everyone plus staff alone.
    assert everyone.count('<g id="overlay-') == 3
    assert only_staff.count('<g id="overlay-') == 2


@pytest.mark.parametrize("who", ["anonymous", "other_lead", "other_member"])
def test_results_are_for_the_organisation_only(client, world, who):
    with_answers(world)
    if who != "anonymous":
        sign_in(client, getattr(world, who))
    response = client.get(results_url(world))
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 404


def test_results_query_count_does_not_grow_with_respondents(client, world):
    """Counted when everything is looked up and drawn (just after a new publication), when
    only the figures are drawn, and when everything is kept: no count grows with the
    answers."""
    with_answers(world)
    sign_in(client, world.member)
    client.get(results_url(world) + "?overlays=1")  # reads the framework version, kept
    stamp_renew()
    drawn = count_queries(client, results_url(world))
    kept = count_queries(client, results_url(world))
    only_figures = count_queries(client, results_url(world) + "?overlays=1&show=staff")
    with_answers(world, lived=10, staff=10, partners=5)  # published again
    assert count_queries(client, results_url(world)) == drawn
    assert count_queries(client, results_url(world)) == kept
    assert count_queries(client, results_url(world) + "?overlays=1&show=staff") == only_figures
    assert kept < only_figures < drawn


def test_results_kept_for_the_same_publication_read_no_figures(client, world):
    """Seen again, the figures come from the worker's memory: the publication's figures,
    the framework's content and the scores are not read again."""
    with_answers(world)
    sign_in(client, world.member)
    first = client.get(results_url(world)).content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(results_url(world)).content.decode()
    assert again == first.replace(csrf(first), csrf(again))
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert 'FROM "principles_' not in read
    assert '"assessments_publication"."figures"' not in read
    assert len(queries.captured_queries) <= 10


def csrf(page: str) -> str:
    return page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


# Agreed positions --------------------------------------------------------------------------


def position_url(world, statement):
    return reverse(
        "assessments:agreed-position", kwargs={"pk": world.round.pk, "statement": statement.pk}
    )


def test_lead_records_an_agreed_position_shown_beside_the_spread(client, world):
    with_answers(world)
    round_close(round=world.round, by=world.lead)
    statement = first_statement(world)
    sign_in(client, world.lead)
    response = client.post(position_url(world, statement), {"level": "2", "reason": "Early days"})
    assert response.status_code == 302
    page = client.get(results_url(world)).content.decode()
    assert "Agreed position: 2 – Starting to move." in page and "Early days" in page

    # Clearing it takes it away again.
    client.post(position_url(world, statement), {"clear": "1"})
    assert not AgreedPosition.objects.exists()


@pytest.mark.exact_figures
def test_the_single_statement_page_shows_the_group_split_and_the_notes(client, world):
    with_answers(world)
    sign_in(client, world.lead)
    statement = first_statement(world)
    page = client.get(position_url(world, statement)).content.decode()
    assert "<li>Staff 4.0</li><li>Person with lived experience 1.0</li>" in page
    assert page.count("Nobody asked us first") == 3
    assert principle_positions_url(world) in page


def principle_positions_url(world, number=1):
    return reverse("assessments:agreed-positions", kwargs={"pk": world.round.pk, "number": number})


@pytest.mark.exact_figures
def test_lead_agrees_a_whole_principle_on_one_page_beside_the_spread_and_notes(client, world):
    with_answers(world)
    round_close(round=world.round, by=world.lead)
    principle = world.round.framework.principles.order_by("order")[0]
    first, second, *others = principle.statements.order_by("order")
    AgreedPosition.objects.create(
        round=world.round, statement=second, level=3, reason="Old view", recorded_by=world.lead
    )
    sign_in(client, world.lead)
    results = client.get(results_url(world)).content.decode()
    assert principle_positions_url(world) in results
    page = client.get(principle_positions_url(world)).content.decode()
    assert f"Agreed positions: 1. {principle.name}" in page
    for statement in (first, second, *others):
        assert f"Statement {statement.code}" in page
        assert f'name="level-{statement.pk}"' in page and f'name="reason-{statement.pk}"' in page
    # The published figures and notes beside each: everyone's, each group's, the gap.
    assert page.count("Nobody asked us first") == 3 * (2 + len(others))  # 3 notes each
    assert "Person with lived experience</dt><dd>1.0" in page and "Staff</dt><dd>4.0" in page
    assert "−3.0" in page and "Large gap" in page
    assert "Old view" in page

    data = {f"level-{s.pk}": "" for s in (first, second, *others)}
    data |= {f"reason-{s.pk}": "" for s in (first, second, *others)}
    data |= {f"level-{first.pk}": "2", f"reason-{first.pk}": "Staff and users differ"}
    data |= {f"level-{second.pk}": ""}  # no longer agreed: removed
    response = client.post(principle_positions_url(world), data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#principle-{principle.pk}")
    positions = {p.statement_id: p for p in AgreedPosition.objects.all()}
    assert set(positions) == {first.pk}
    assert positions[first.pk].level == 2 and positions[first.pk].recorded_by == world.lead
    message = client.get(results_url(world)).content.decode()
    assert "Agreed positions for principle 1: 1 saved, 1 removed." in message


def test_a_level_without_a_reason_is_refused_and_nothing_is_saved(client, world):
    with_answers(world)
    principle = world.round.framework.principles.order_by("order")[0]
    first, second, *_ = principle.statements.order_by("order")
    sign_in(client, world.lead)
    response = client.post(
        principle_positions_url(world),
        {
            f"level-{first.pk}": "4",
            f"reason-{first.pk}": "Fine",
            f"level-{second.pk}": "2",
            f"reason-{second.pk}": "",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Say briefly why the group agreed this level for statement {second.code}." in page
    assert f'href="#id_reason-{second.pk}"' in page  # the summary leads to the box
    assert "Fine" in page  # nothing typed is lost
    assert not AgreedPosition.objects.exists()


def test_agreeing_a_principle_is_for_leads_of_an_open_or_closed_round(client, world):
    with_answers(world)
    sign_in(client, world.member)
    assert client.get(principle_positions_url(world)).status_code == 403
    client.logout()
    sign_in(client, world.lead)
    assert client.get(principle_positions_url(world, number=99)).status_code == 404
    assert client.get(principle_positions_url(world, number=10**12)).status_code == 404


def test_agreed_position_needs_a_level_and_a_reason(client, world):
    with_answers(world)
    sign_in(client, world.lead)
    response = client.post(position_url(world, first_statement(world)), {"reason": "Kept"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the level the group agreed on." in page and "Kept" in page
    response = client.post(position_url(world, first_statement(world)), {"level": "0"})
    assert response.status_code == 400
    assert "Say briefly why" in response.content.decode()
    assert not AgreedPosition.objects.exists()


def test_members_cannot_record_agreed_positions(client, world):
    sign_in(client, world.member)
    response = client.post(
        position_url(world, first_statement(world)), {"level": "2", "reason": "x"}
    )
    assert response.status_code == 403
    assert not AgreedPosition.objects.exists()


def test_a_statement_from_another_framework_is_not_found(client, world):
    sign_in(client, world.lead)
    url = reverse("assessments:agreed-position", kwargs={"pk": world.round.pk, "statement": 999999})
    assert client.get(url).status_code == 404


# Actions -----------------------------------------------------------------------------------


def action_data(world, **extra):
    principle = world.round.framework.principles.order_by("order")[0]
    return {
        "principle": principle.pk,
        "statement": "",
        "change_from": "We write the plan, then ask.",
        "change_to": "We write the plan together.",
        "owner": "Rita Patel",
        "co_owner": "Sam from the carers' forum",
        **date_boxes("due_on", "2027-03-31"),
        "step": "focus",
        "status": "not_started",
        **extra,
    }


def test_lead_adds_an_action_and_the_team_sees_the_plan(client, world):
    sign_in(client, world.lead)
    url = reverse("assessments:action-create", kwargs={"pk": world.round.pk})
    response = client.post(url, action_data(world))
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.due_on == datetime.date(2027, 3, 31) and action.step == "focus"

    client.logout()
    sign_in(client, world.member)
    page = client.get(
        reverse("assessments:actions", kwargs={"pk": world.round.pk})
    ).content.decode()
    assert "We write the plan together." in page and "Sam from the carers&#x27; forum" in page
    assert "Focus it" in page and "Add an action" not in page


def test_step_is_optional_and_each_step_is_explained_in_a_sentence(client, world):
    sign_in(client, world.lead)
    url = reverse("assessments:action-create", kwargs={"pk": world.round.pk})
    page = client.get(url).content.decode()
    assert "Step (optional)" in page and "Not decided yet" in page
    for step, meaning in STEP_MEANINGS.items():
        assert f"{step.label}: {meaning}" in page
    assert f'href="{reverse("glossary")}#steps"' in page
    response = client.post(url, action_data(world, step=""))
    assert response.status_code == 302
    assert Action.objects.get().step == ""
    plan = client.get(reverse("assessments:actions", kwargs={"pk": world.round.pk}))
    assert "Not decided yet" in plan.content.decode()


def test_lead_deletes_an_action_after_confirming_and_the_log_says_so(client, world):
    sign_in(client, world.lead)
    client.post(
        reverse("assessments:action-create", kwargs={"pk": world.round.pk}), action_data(world)
    )
    action = Action.objects.get()
    edit = client.get(reverse("assessments:action-edit", kwargs={"action": action.pk}))
    assert "Delete this action…" in edit.content.decode()
    delete = reverse("assessments:action-delete", kwargs={"action": action.pk})
    assert client.get(delete).status_code == 405  # only the confirmation's button deletes
    response = client.post(delete)
    assert response.status_code == 302
    assert not Action.objects.exists()
    event = AuditEvent.objects.get(kind=AuditKind.ACTION_DELETED)
    assert event.actor == world.lead and event.round == world.round
    assert "We write the plan together." in event.text
    activity = client.get(
        reverse("assessments:organisation-activity", kwargs={"org": world.org.slug})
    ).content.decode()
    assert "Action deleted" in activity


def test_members_cannot_delete_actions(client, world):
    sign_in(client, world.lead)
    client.post(
        reverse("assessments:action-create", kwargs={"pk": world.round.pk}), action_data(world)
    )
    action = Action.objects.get()
    client.logout()
    sign_in(client, world.member)
    response = client.post(reverse("assessments:action-delete", kwargs={"action": action.pk}))
    assert response.status_code == 403
    assert Action.objects.exists()


def test_action_with_a_statement_of_another_principle_is_refused(client, world):
    sign_in(client, world.lead)
    principles = list(world.round.framework.principles.order_by("order"))
    other_statement = principles[1].statements.first()
    url = reverse("assessments:action-create", kwargs={"pk": world.round.pk})
    response = client.post(url, action_data(world, statement=other_statement.pk))
    assert response.status_code == 400
    page = response.content.decode()
    assert "belongs to another principle" in page
    assert "We write the plan together." in page  # nothing typed is lost
    assert not Action.objects.exists()


def test_action_form_explains_missing_fields(client, world):
    sign_in(client, world.lead)
    url = reverse("assessments:action-create", kwargs={"pk": world.round.pk})
    response = client.post(url, {"step": "map", "status": "not_started"})
    page = response.content.decode()
    assert response.status_code == 400
    for message in ("Choose the principle", "Say what happens now.", "Name the person"):
        assert message in page


@pytest.mark.parametrize("who", ["member", "other_lead"])
def test_only_the_organisations_leads_edit_actions(client, world, who):
    action = Action.objects.create(
        round=world.round,
        principle=world.round.framework.principles.first(),
        change_from="a",
        change_to="b",
        owner="c",
    )
    sign_in(client, getattr(world, who))
    url = reverse("assessments:action-edit", kwargs={"action": action.pk})
    response = client.post(url, action_data(world))
    assert response.status_code == (403 if who == "member" else 404)
    action.refresh_from_db()
    assert action.change_to == "b"


def test_open_actions_of_the_last_round_are_reviewed_in_the_next(client, world):
    round_close(round=world.round, by=world.lead)
    old = Action.objects.create(
        round=world.round,
        principle=world.round.framework.principles.first(),
        change_from="Now",
        change_to="Later",
        owner="Rita",
    )
    done = Action.objects.create(
        round=world.round,
        principle=world.round.framework.principles.first(),
        change_from="Now",
        change_to="Soon",
        owner="Rita",
    )
    new = factories.round(world.org, status=RoundStatus.DRAFT, title="Autumn")
    sign_in(client, world.lead)
    page = client.get(reverse("assessments:actions", kwargs={"pk": new.pk})).content.decode()
    assert "2 open actions from Spring reflection to review" in page

    review = reverse("assessments:action-review", kwargs={"pk": new.pk, "action": old.pk})
    assert client.post(review, {}).status_code == 400
    client.post(review, {"decision": "carry"})
    carried = Action.objects.get(round=new)
    assert carried.carried_from == old and carried.change_to == "Later"

    review = reverse("assessments:action-review", kwargs={"pk": new.pk, "action": done.pk})
    client.post(review, {"decision": "done"})
    done.refresh_from_db()
    assert done.status == ActionStatus.DONE
    page = client.get(reverse("assessments:actions", kwargs={"pk": new.pk})).content.decode()
    assert "to review" not in page
    assert "Carried over from Spring reflection" in page


# What moved since the last round -------------------------------------------------------------


@pytest.mark.exact_figures
def test_results_show_what_moved_since_the_last_round(client, world):
    earlier_round(world, level=2)
    with_answers(world, lived=3, staff=3, lived_level=3, staff_level=3)
    sign_in(client, world.member)
    page = client.get(results_url(world)).content.decode()
    assert "What moved since the last round" in page
    assert "Compared with" in page and "Autumn 2025" in page
    principle = world.round.framework.principles.order_by("order")[0]
    # 2.0 then, 3.0 now: up a whole step, said in words.
    assert f'<th scope="row">1. {principle.name}</th><td class="num">2.0</td>' in page
    assert '<td class="move move-up">Up 1.0</td>' in page
    assert "Since the last round: 4 principles up" in page
    assert "Statements that moved most" in page
    # The radar gains the last round as an overlay (everyone, 2 groups, last round).
    assert page.count('<g id="overlay-') == 4
    assert "Last round: Autumn 2025" in page
    without = client.get(results_url(world) + "?overlays=1&show=staff").content.decode()
    assert without.count('<g id="overlay-') == 2


def test_no_comparison_without_a_comparable_earlier_round(client, world):
    with_answers(world)
    sign_in(client, world.member)
    assert "What moved" not in client.get(results_url(world)).content.decode()
    # An earlier round on another framework, or with too few answers, is not compared.
    earlier_round(world, slug="nef-nesta")
    earlier_round(world, people=2)
    page = client.get(results_url(world)).content.decode()
    assert "What moved" not in page and "Last round" not in page


def test_results_query_count_with_a_comparison_does_not_grow(client, world):
    earlier = earlier_round(world)
    with_answers(world)
    sign_in(client, world.member)
    client.get(results_url(world) + "?overlays=1")  # reads the framework versions once
    stamp_renew()
    before = count_queries(client, results_url(world))
    for _ in range(5):
        factories.answer_all(factories.respondent(earlier, "carer"), level=3)
    with_answers(world, lived=4, staff=4)
    assert count_queries(client, results_url(world)) == before


def test_a_dollar_sign_in_the_last_rounds_title_is_shown_as_written(client, world):
    """The last round's title labels its line on this round's chart: "$...$" in it once
    broke this round's results page and report."""
    earlier = earlier_round(world)
    earlier.title = "Autumn $x^$ review"
    earlier.save(update_fields=["title"])
    with_answers(world)
    sign_in(client, world.member)
    page = client.get(reverse("assessments:results", kwargs={"pk": world.round.pk}))
    assert page.status_code == 200
    assert "Autumn $x^$ review" in page.content.decode()
    report = client.get(reverse("assessments:report-pdf", kwargs={"pk": world.round.pk}))
    assert report.status_code == 200
