"""A lead sets a round up, opens, closes and reopens it; the round page shows the record."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments.accounts.models import AuditEvent
from assessments.rounds import services
from assessments.rounds.models import Action, Round, RoundStatus
from tests import factories
from tests.support import World, count_queries, date_boxes, ensure_framework, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(db):
    return ensure_framework()


def create_url(w):
    return reverse("assessments:round-create", kwargs={"org": w.org.slug})


def status(client, r, action, **extra):
    return client.post(
        reverse("assessments:round-status", kwargs={"pk": r.pk}), {"action": action, **extra}
    )


def page_text(response) -> str:
    return response.content.decode()


# Creating --------------------------------------------------------------------------------


def test_create_page_offers_each_framework_with_its_summary(client, world, framework):
    sign_in(client, world.lead)
    page = page_text(client.get(create_url(world)))
    assert "<legend" in page and "Which principles will you reflect on?" in page
    assert escape(framework.name) in page and escape(framework.summary) in page
    assert 'type="radio"' in page


def test_lead_creates_a_draft_round(client, world, framework):
    sign_in(client, world.lead)
    closes = timezone.localdate() + timedelta(days=14)
    response = client.post(
        create_url(world),
        {
            "title": "  Autumn reflection ",
            "framework": framework.pk,
            **date_boxes("closes_on", closes),
        },
        follow=True,
    )
    created = Round.objects.get(title="Autumn reflection")
    assert response.redirect_chain[-1][0] == created.get_absolute_url()
    assert created.status == RoundStatus.DRAFT
    assert created.organisation == world.org and created.created_by == world.lead
    assert created.closes_on == closes
    page = page_text(response)
    assert "Autumn reflection is ready as a draft" in page
    assert "Open round" in page and "Draft" in page


def test_closing_date_in_the_past_is_refused(client, world, framework):
    sign_in(client, world.lead)
    before = Round.objects.count()
    response = client.post(
        create_url(world),
        {
            "title": "Late",
            "framework": framework.pk,
            **date_boxes("closes_on", timezone.localdate() - timedelta(days=1)),
        },
    )
    assert response.status_code == 200
    assert "The closing date cannot be in the past" in page_text(response)
    assert Round.objects.count() == before


def test_today_is_a_valid_closing_date_and_none_is_fine(client, world, framework):
    sign_in(client, world.lead)
    client.post(
        create_url(world),
        {
            "title": "Today",
            "framework": framework.pk,
            **date_boxes("closes_on", timezone.localdate()),
        },
    )
    client.post(create_url(world), {"title": "Open-ended", "framework": framework.pk})
    assert Round.objects.get(title="Today").closes_on == timezone.localdate()
    assert Round.objects.get(title="Open-ended").closes_on is None


def test_missing_title_and_framework_are_explained(client, world):
    sign_in(client, world.lead)
    page = page_text(client.post(create_url(world), {"title": " "}))
    assert "Enter a title for the round." in page
    assert "Choose the principles you will reflect on." in page


# Open, close, reopen -------------------------------------------------------------------


def test_round_lifecycle_is_recorded(client, world, framework):
    sign_in(client, world.lead)
    r = factories.round(world.org, status=RoundStatus.DRAFT, title="Lifecycle")

    response = status(client, r, "open")
    assert response["Location"] == r.get_absolute_url()
    r.refresh_from_db()
    assert r.status == RoundStatus.OPEN and r.opened_at is not None
    assert "Round opened. People can now answer." in page_text(client.get(r.get_absolute_url()))

    status(client, r, "close")
    r.refresh_from_db()
    assert r.status == RoundStatus.CLOSED and r.closed_at is not None
    assert "Round closed. Answers are now frozen." in page_text(client.get(r.get_absolute_url()))

    # Reopening needs a reason: the page says so, at the box for it.
    response = status(client, r, "reopen", reason="   ")
    r.refresh_from_db()
    assert r.status == RoundStatus.CLOSED
    assert response.status_code == 400
    assert 'href="#id_reason">Say why the round is being reopened' in page_text(response)

    status(client, r, "reopen", reason="Two carers asked for more time.")
    r.refresh_from_db()
    assert r.status == RoundStatus.OPEN
    page = page_text(client.get(r.get_absolute_url()))
    assert "Round reopened." in page

    events = list(
        AuditEvent.objects.filter(round=r)
        .order_by("at", "pk")
        .values_list("kind", "actor", "reason")
    )
    assert events == [
        ("round_opened", world.lead.pk, ""),
        ("round_closed", world.lead.pk, ""),
        ("round_reopened", world.lead.pk, "Two carers asked for more time."),
    ]
    assert "Opened by Rita Patel" in page and "Closed by Rita Patel" in page
    assert "Reopened by Rita Patel" in page and "Two carers asked for more time." in page


def test_a_status_change_that_does_not_fit_is_explained(client, world):
    history = list(AuditEvent.objects.filter(round=world.round).values_list("pk", flat=True))
    sign_in(client, world.lead)
    response = status(client, world.round, "open")  # already open
    assert response.status_code == 302
    page = page_text(client.get(world.round.get_absolute_url()))
    assert "This round is open, so it cannot be opened." in page
    status(client, world.round, "explode")
    page = page_text(client.get(world.round.get_absolute_url()))
    assert "Choose whether to open, close or reopen the round." in page
    world.round.refresh_from_db()
    assert world.round.status == RoundStatus.OPEN
    # Nothing was recorded for the refused changes: the history is still just "opened".
    assert list(AuditEvent.objects.filter(round=world.round).values_list("pk", flat=True)) == (
        history
    )
    assert len(history) == 1


def test_round_page_buttons_follow_the_status(client, world):
    sign_in(client, world.lead)
    r = factories.round(world.org, status=RoundStatus.DRAFT)
    page = page_text(client.get(r.get_absolute_url()))
    assert "Open round" in page and "Close round" not in page
    assert reverse("assessments:member-start", kwargs={"pk": r.pk}) not in page

    services.round_open(round=r, by=world.lead)
    page = page_text(client.get(r.get_absolute_url()))
    assert "Close round" in page and "answers are frozen" in page
    assert reverse("assessments:member-start", kwargs={"pk": r.pk}) in page
    assert reverse("assessments:round-edit", kwargs={"pk": r.pk}) in page

    services.round_close(round=r, by=world.lead)
    page = page_text(client.get(r.get_absolute_url()))
    assert "Reopen round" in page and 'name="reason"' in page
    assert reverse("assessments:round-edit", kwargs={"pk": r.pk}) not in page
    assert reverse("assessments:member-start", kwargs={"pk": r.pk}) not in page
    assert reverse("assessments:results", kwargs={"pk": r.pk}) in page


# Editing --------------------------------------------------------------------------------


def test_lead_edits_title_and_closing_date(client, world):
    sign_in(client, world.lead)
    url = reverse("assessments:round-edit", kwargs={"pk": world.round.pk})
    closes = timezone.localdate() + timedelta(days=3)
    response = client.post(
        url, {"title": "Spring reflection 2026", **date_boxes("closes_on", closes)}
    )
    assert response["Location"] == world.round.get_absolute_url()
    world.round.refresh_from_db()
    assert world.round.title == "Spring reflection 2026" and world.round.closes_on == closes

    page = page_text(
        client.post(
            url, {"title": "X", **date_boxes("closes_on", timezone.localdate() - timedelta(days=2))}
        )
    )
    assert "The closing date cannot be in the past" in page


def test_an_existing_past_closing_date_may_be_kept_when_editing(client, world):
    past = timezone.localdate() - timedelta(days=5)
    Round.objects.filter(pk=world.round.pk).update(closes_on=past)
    sign_in(client, world.lead)
    url = reverse("assessments:round-edit", kwargs={"pk": world.round.pk})
    response = client.post(url, {"title": "Renamed", **date_boxes("closes_on", past)})
    assert response.status_code == 302
    world.round.refresh_from_db()
    assert world.round.title == "Renamed"


def test_closed_round_cannot_be_edited(client, world):
    services.round_close(round=world.round, by=world.lead)
    sign_in(client, world.lead)
    url = reverse("assessments:round-edit", kwargs={"pk": world.round.pk})
    response = client.post(url, {"title": "Sneaky"}, follow=True)
    assert "This round is closed, so it cannot be changed" in page_text(response)
    world.round.refresh_from_db()
    assert world.round.title == "Spring reflection"


# The round page -------------------------------------------------------------------------


def test_lead_sees_progress_as_counts_in_steps_of_three_only(client, world):
    staff = factories.respondent(world.round, "staff")
    factories.answer_all(staff, finished=False)
    services.respondent_progress(respondent=staff, page=2, finished=True)
    lived = factories.respondent(world.round, "lived_experience")
    factories.answer_all(lived, note="A private note", finished=False)
    factories.respondent(world.round, "carer")  # opened the link, no answers yet
    services.invite_revoke(invite=world.invite)
    sign_in(client, world.lead)
    page = page_text(client.get(world.round.get_absolute_url()))
    assert "Who has answered" in page
    assert "4 links made, 1 revoked." in page  # the lead's own doing, so exact
    assert "A private note" not in page
    # Two answered, one finished: shown in steps of three, and never by group.
    counts = "Fewer than 3 people have answered, and fewer than 3 have finished."
    assert counts in page
    section = page[page.index("Who has answered") : page.index('id="reminders"')]
    for group in ("Staff", "Person with lived experience", "Carer"):
        assert group not in section
    # A third person answers: the count moves a whole step.
    factories.answer_all(factories.respondent(world.round, "carer"), finished=False)
    page = page_text(client.get(world.round.get_absolute_url()))
    assert "3 or more people have answered, and fewer than 3 have finished." in page


def test_reminder_text_has_the_closing_date(client, world):
    closes = timezone.localdate() + timedelta(days=10)
    services.round_update(round=world.round, title=world.round.title, closes_on=closes)
    sign_in(client, world.lead)
    page = page_text(client.get(world.round.get_absolute_url()))
    assert "Reminder message" in page
    assert f"by the end of {closes:%A} {closes.day} {closes:%B %Y}" in page
    assert "you do not need an account" in page


def test_member_sees_a_simple_page(client, world):
    sign_in(client, world.member)
    page = page_text(client.get(world.round.get_absolute_url()))
    assert "Answer now" in page
    assert reverse("assessments:member-start", kwargs={"pk": world.round.pk}) in page
    assert reverse("assessments:results", kwargs={"pk": world.round.pk}) in page
    for lead_only in ("Manage links", "Who has answered", "links made", "Close round"):
        assert lead_only not in page

    resp = factories.respondent(world.round, "staff", user=world.member)
    factories.answer_all(resp, finished=False)
    assert "Continue your answers" in page_text(client.get(world.round.get_absolute_url()))

    services.round_close(round=world.round, by=world.lead)
    page = page_text(client.get(world.round.get_absolute_url()))
    assert "not taking answers any more" in page and "Answer now" not in page


def test_open_actions_from_the_previous_round_are_mentioned(client, world, framework):
    principle = world.round.framework.principles.order_by("order").first()
    action = Action.objects.create(
        round=world.round,
        principle=principle,
        change_from="We decide, then tell people.",
        change_to="People who use the service sit on the panel.",
        owner="Rita",
    )
    Action.objects.create(
        round=world.round,
        principle=principle,
        change_from="a",
        change_to="Already done action",
        owner="Rita",
        status="done",
    )
    services.round_close(round=world.round, by=world.lead)
    new = factories.round(world.org, status=RoundStatus.DRAFT, title="Next year")
    Round.objects.filter(pk=new.pk).update(created_at=timezone.now() + timedelta(seconds=1))
    sign_in(client, world.lead)
    page = page_text(client.get(new.get_absolute_url()))
    assert "1 open action from Spring reflection to review" in page
    assert "People who use the service sit on the panel." in page
    assert "Already done action" not in page
    assert reverse("assessments:action-review", kwargs={"pk": new.pk, "action": action.pk}) in page
    assert reverse("assessments:actions", kwargs={"pk": new.pk}) in page


@pytest.mark.parametrize("who", ["lead", "member"])
def test_round_page_query_count_does_not_grow_with_respondents(
    client, world, who, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            resp = factories.respondent(world.round, ["staff", "carer", "lived_experience"][i % 3])
            factories.answer_all(resp)
            if i % 2:
                services.respondent_progress(respondent=resp, page=2, finished=True)
        services.invite_send(invite=factories.invite(world.round), email="x@example.org")

    sign_in(client, getattr(world, who))
    url = world.round.get_absolute_url()
    add(3)
    with_3 = count_queries(client, url)
    add(9)
    assert count_queries(client, url) == with_3
    with django_assert_max_num_queries(14):
        client.get(url)


def test_an_empty_round_form_says_what_is_missing(client):
    world = World()
    sign_in(client, world.lead)
    url = reverse("assessments:round-create", kwargs={"org": world.org.slug})
    page = client.post(url, {}).content.decode()  # every field left out, as a bare POST
    assert "Enter a title for the round." in page
    assert "Choose the principles you will reflect on." in page
