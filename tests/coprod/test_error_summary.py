"""Every form of the site, sent empty or wrong, comes back the GOV.UK way: "Error:" at the
start of the page's title; first in the main content an error summary, "There is a
problem", with each error a link to the control it is about (which is on the page); a
message that says what to do, never Django's "This field is required."; and the message
beside its field too."""

from dataclasses import dataclass
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone

from assessments.rounds.models import Action, RoundStatus
from assessments.rounds.services import round_close
from assessments.workshops import services as workshops
from tests import factories
from tests.support import World, cohort, date_boxes, first_statement, member_org, sign_in

pytestmark = pytest.mark.django_db

GENERIC = ["This field is required.", "Enter a valid", "Select a valid choice"]


class Page(HTMLParser):
    """What the tests read of a page: its title, every id, the error summary's links (and
    items without one), the main content's first element, and the text of each element
    marked as a field's own error."""

    def __init__(self, html: str):
        super().__init__()
        self.title = ""
        self.ids: set[str] = set()
        self.summary: list[tuple[str, str]] = []  # (href, text)
        self.summaries = 0
        self.first_in_main = ""
        self._in_title = self._in_main = False
        self._summary_depth = 0
        self._link: str | None = None
        self._item = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"])
        if tag == "title":
            self._in_title = True
        if self._in_main and not self.first_in_main and tag not in ("script",):
            self.first_in_main = f"{tag}.{found.get('class', '')}"
        if tag == "main":
            self._in_main = True
        if "error-summary" in (found.get("class") or "").split():
            self.summaries += 1
            self._summary_depth = 1
        elif self._summary_depth and tag == "div":
            self._summary_depth += 1
        if self._summary_depth and tag == "li":
            self._item, self._link = "", None
        if self._summary_depth and tag == "a":
            self._link = found.get("href", "")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if self._summary_depth and tag == "li":
            self.summary.append((self._link or "", " ".join(self._item.split())))
        if self._summary_depth and tag == "div":
            self._summary_depth -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._summary_depth:
            self._item += data


@dataclass
class Case:
    url: str
    data: dict
    says: list[str]  # messages the summary must hold


def org_url(name, w, **extra):
    return reverse(f"assessments:{name}", kwargs={"org": w.org.slug, **extra})


def round_url(name, w, **extra):
    return reverse(f"assessments:{name}", kwargs={"pk": w.round.pk, **extra})


def as_lead(client, w):
    sign_in(client, w.lead)


# Each: sign in as needed (or not), and say which form to send with what.


def organisation_create(client, w):
    as_lead(client, w)
    return Case(
        reverse("assessments:organisation-create"),
        {"name": " "},
        ["Enter the name of your organisation or team."],
    )


def colleague_invite(client, w):
    as_lead(client, w)
    return Case(org_url("people", w), {}, ["Enter your colleague's e-mail address."])


def colleague_invite_bad_address(client, w):
    as_lead(client, w)
    return Case(
        org_url("people", w),
        {"email": "rita at riverside", "role": "member"},
        ["Enter an e-mail address like name@example.org."],
    )


def organisation_delete(client, w):
    as_lead(client, w)
    return Case(
        org_url("organisation-delete", w), {}, ["Type the organisation’s name to delete it."]
    )


def account_delete(client, w):
    sign_in(client, w.member)  # a lead must first hand the organisation on
    return Case(
        reverse("assessments:account-delete"), {}, ["Enter your password to delete your account."]
    )


def round_create(client, w):
    as_lead(client, w)
    return Case(
        org_url("round-create", w),
        {"title": " ", "closes_on_day": "31", "closes_on_month": "2", "closes_on_year": "2027"},
        [
            "Enter a title for the round.",
            "Choose the principles you will reflect on.",
            "Closing date must be a real date",
        ],
    )


def round_create_closing_date_in_the_past(client, w):
    as_lead(client, w)
    past = timezone.localdate() - timedelta(days=1)
    return Case(
        org_url("round-create", w),
        {
            "title": "Late",
            "framework": w.round.framework_id,
            "closes_on_day": past.day,
            "closes_on_month": past.month,
            "closes_on_year": past.year,
        },
        ["The closing date cannot be in the past."],
    )


def round_edit(client, w):
    as_lead(client, w)
    return Case(
        round_url("round-edit", w),
        {"title": "", "closes_on_day": "30", "closes_on_year": "2027"},
        ["Enter a title for the round.", "Closing date must include a month."],
    )


def round_reopen(client, w):
    round_close(round=w.round, by=w.lead)
    as_lead(client, w)
    return Case(
        round_url("round-status", w),
        {"action": "reopen", "reason": " "},
        ["Say why the round is being reopened."],
    )


def reminder_schedule(client, w):
    as_lead(client, w)
    return Case(
        round_url("round-reminders", w),
        {"action": "schedule", "at": ""},
        ["Enter the day to send the reminder.", "Enter the time to send the reminder"],
    )


def links_make(client, w):
    as_lead(client, w)
    return Case(
        round_url("invites", w),
        {"count": ""},
        ["Choose who the links are for.", "Enter how many links to make."],
    )


def link_send(client, w):
    as_lead(client, w)
    return Case(
        round_url("invite-send", w, invite=w.invite.pk),
        {"email": ""},
        ["Enter the e-mail address to send the link to."],
    )


def go(client, w):
    return Case(reverse("assessments:go"), {"code": ""}, ["Enter the code from your sheet."])


def member_start(client, w):
    sign_in(client, w.member)
    return Case(round_url("member-start", w), {}, ["Choose the one that fits you best."])


def member_group(client, w):
    sign_in(client, w.member)
    factories.respondent(w.round, "staff", user=w.member)
    return Case(round_url("member-group", w), {}, ["Choose the one that fits you best."])


def agreed_position(client, w):
    as_lead(client, w)
    statement = first_statement(w)
    return Case(
        round_url("agreed-position", w, statement=statement.pk),
        {},
        ["Choose the level the group agreed on.", "Say briefly why the group agreed this level."],
    )


def agreed_positions(client, w):
    as_lead(client, w)
    statement = first_statement(w)
    return Case(
        round_url("agreed-positions", w, number=1),
        {f"level-{statement.pk}": "3"},
        [f"Say briefly why the group agreed this level for statement {statement.code}."],
    )


def action_create(client, w):
    as_lead(client, w)
    return Case(
        round_url("action-create", w),
        {"due_on_day": "1", "due_on_month": "13", "due_on_year": "2027"},
        [
            "Choose the principle this action is about.",
            "Say what happens now.",
            "Say what will happen instead.",
            "Name the person who owns this action.",
            "Due date must be a real date",
            "Choose where the action stands.",
        ],
    )


def action_edit(client, w):
    as_lead(client, w)
    action = Action.objects.create(
        round=w.round,
        principle=w.round.framework.principles.first(),
        change_from="Now",
        change_to="Later",
        owner="Rita",
    )
    return Case(
        reverse("assessments:action-edit", kwargs={"action": action.pk}),
        {"change_to": "Later", "due_on_year": "27"},
        ["Due date must include a day and month."],
    )


def action_review(client, w):
    round_close(round=w.round, by=w.lead)
    old = Action.objects.create(
        round=w.round,
        principle=w.round.framework.principles.first(),
        change_from="Now",
        change_to="Later",
        owner="Rita",
    )
    new = factories.round(w.org, status=RoundStatus.DRAFT, title="Autumn")
    as_lead(client, w)
    return Case(
        reverse("assessments:action-review", kwargs={"pk": new.pk, "action": old.pk}),
        {},
        ["Choose what happens to this action."],
    )


def workshop_start(client, w):
    as_lead(client, w)
    return Case(
        round_url("workshop-start", w), {"capacity": "lots"}, ["Enter a whole number, like 40."]
    )


def workshop_join(client, w):
    return Case(reverse("assessments:workshop-join"), {}, ["Type the code from the screen."])


def workshop_join_wrong_code(client, w):
    return Case(reverse("assessments:workshop-join"), {"code": "ZZZZ-ZZZZ"}, ["That code does not"])


def workshop_join_group(client, w):
    workshop = workshops.workshop_start(round=w.round, by=w.lead, capacity=10)
    return Case(
        reverse("assessments:workshop-join"),
        {"code": workshop.code, "step": "group"},
        ["Choose the one that fits you best."],
    )


def cohort_create(client, w):
    as_lead(client, w)
    return Case(
        reverse("assessments:cohort-create"),
        {"name": "", "starts_on_day": "1", "starts_on_month": "9"},
        [
            "Enter a name for the cohort.",
            "Start of the period must include a year.",
            "Enter the day the period ends.",
        ],
    )


def cohort_edit(client, w):
    the_cohort = cohort(w.lead)
    as_lead(client, w)
    return Case(
        reverse("assessments:cohort-edit", kwargs={"pk": the_cohort.pk}),
        {
            "name": "North Vale",
            **date_boxes("starts_on", "2026-06-01"),
            **date_boxes("ends_on", "2026-05-01"),
        },
        ["The end of the period must be on or after its start."],
    )


def cohort_invite(client, w):
    the_cohort = cohort(w.lead)
    as_lead(client, w)
    return Case(
        reverse("assessments:cohort-organisations", kwargs={"pk": the_cohort.pk}),
        {},
        ["Enter the e-mail address of the organisation's lead."],
    )


def cohort_remind(client, w):
    the_cohort = cohort(w.lead)
    member_org(the_cohort, "Brookfield", with_round=False)
    as_lead(client, w)
    return Case(
        reverse("assessments:cohort-remind", kwargs={"pk": the_cohort.pk}),
        {"note": "x" * 1001},
        ["Keep the note to 1000 characters"],
    )


def cohort_accept(client, w):
    facilitator = factories.user("fran@network.example")
    invitation = factories.cohort_invitation(cohort=cohort(facilitator), email=w.lead.email)
    factories.organisation("Second team", lead=w.lead)
    as_lead(client, w)
    return Case(
        reverse(
            "assessments:cohort-invitation-link",
            kwargs={"pk": invitation.pk, "token": invitation.raw_token},
        ),
        {"action": "accept"},
        ["Choose the organisation that will join."],
    )


def login(client, w):
    return Case(
        reverse("account_login"), {}, ["Enter your e-mail address.", "Enter your password."]
    )


def login_wrong_password(client, w):
    return Case(
        reverse("account_login"),
        {"login": w.lead.email, "password": "not the password"},
        ["That e-mail address and password do not match an account."],
    )


def signup(client, w):
    return Case(
        reverse("account_signup"),
        {"email": "not an address"},
        [
            "Enter your name.",
            "Enter an e-mail address like name@example.org.",
            "Enter a password.",
            "Enter the password again.",
        ],
    )


def password_reset(client, w):
    return Case(reverse("account_reset_password"), {}, ["Enter your e-mail address."])


def password_change(client, w):
    as_lead(client, w)
    return Case(
        reverse("account_change_password"),
        {},
        ["Enter your current password.", "Enter a new password.", "Enter the new password again."],
    )


def reauthenticate(client, w):
    as_lead(client, w)
    return Case(reverse("account_reauthenticate"), {}, ["Enter your password."])


def totp_activate(client, w):
    as_lead(client, w)
    # Setting up two-step sign-in asks for the password again first.
    client.post(reverse("account_reauthenticate"), {"password": factories.PASSWORD})
    client.get(reverse("mfa_activate_totp"))  # the secret is made on first view
    return Case(
        reverse("mfa_activate_totp"),
        {},
        ["Enter the 6-digit code from your authenticator app."],
    )


def mfa_authenticate(client, w):
    Authenticator.objects.create(user=w.lead, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.post(reverse("account_login"), {"login": w.lead.email, "password": factories.PASSWORD})
    return Case(
        reverse("mfa_authenticate"),
        {"code": ""},
        ["Enter the 6-digit code from your authenticator app."],
    )


FORMS = [
    organisation_create,
    colleague_invite,
    colleague_invite_bad_address,
    organisation_delete,
    account_delete,
    round_create,
    round_create_closing_date_in_the_past,
    round_edit,
    round_reopen,
    reminder_schedule,
    links_make,
    link_send,
    go,
    member_start,
    member_group,
    agreed_position,
    agreed_positions,
    action_create,
    action_edit,
    action_review,
    workshop_start,
    workshop_join,
    workshop_join_wrong_code,
    workshop_join_group,
    cohort_create,
    cohort_edit,
    cohort_invite,
    cohort_remind,
    cohort_accept,
    login,
    login_wrong_password,
    signup,
    password_reset,
    password_change,
    reauthenticate,
    totp_activate,
    mfa_authenticate,
]


@pytest.mark.parametrize("form", FORMS, ids=[f.__name__ for f in FORMS])
def test_a_form_sent_wrong_comes_back_the_govuk_way(client, form):
    w = World()
    case = form(client, w)
    response = client.post(case.url, case.data)
    assert response.status_code in (200, 400, 409), (response.status_code, response.get("Location"))
    html = response.content.decode()
    page = Page(html)

    assert page.title.startswith("Error: "), page.title
    assert page.summaries == 1
    assert page.first_in_main == "div.error-summary", page.first_in_main
    assert "There is a problem" in html
    # Each error is a link to a control that is on the page.
    assert page.summary, "the summary lists no errors"
    for href, text in page.summary:
        assert href.startswith("#"), (href, text)
        assert href[1:] in page.ids, f"{text!r} links to {href}, which is not on the page"
    said = " | ".join(text for _href, text in page.summary)
    for message in case.says:
        assert message in said, f"{message!r} not in the summary: {said}"
        # ...and beside its field, after the summary
        assert unescape(html).count(message) >= 2, f"{message!r} is not beside its field"
    for generic in GENERIC:
        assert generic not in html, generic
