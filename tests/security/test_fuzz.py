"""Hostile input to every form: random and nasty values, never a server error.

Hypothesis posts huge strings (up to 100,000 characters), right-to-left text and emoji,
NUL bytes, HTML and <script>, levels and counts out of range, ids that are not numbers or
belong to something else, missing fields and double submits, to: sign-up, organisation
creation, colleague invitations, round creation, editing and status, invite links (made
and sent), the answering page and its autosave endpoint (for members and link holders),
agreed positions, and actions (create, edit, review).

Each answer must be a redirect, or a page (200/400/409) that shows an error message, or
the JSON error of the autosave; never a 5xx. Nothing may be stored that should not be:
no answer outside 0..4 or for a statement outside the round's framework, no NUL byte
anywhere, no note above its limit. Stored hostile text is shown escaped.

PostgreSQL refuses NUL bytes in text, so a view that lets one through to the database
fails there with a 500 although SQLite takes it: run this file on both.
"""

import json
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assessments.accounts.models import (
    AuditEvent,
    AuditKind,
    ColleagueInvite,
    Membership,
    Organisation,
    User,
)
from assessments.rounds.models import (
    Action,
    AgreedPosition,
    Answer,
    Invite,
    Respondent,
    Round,
    RoundStatus,
)
from assessments.rounds.services import MAX_BATCH
from assessments.web.rounds.forms import RoundReopenForm
from assessments.web.rounds.views.answering import NOTE_MAX
from tests import factories

# Each test posts dozens to hundreds of generated requests (Hypothesis).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

fuzz = settings(
    max_examples=25,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the checkout
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# Hostile values ------------------------------------------------------------------------

HUGE = "A" * 100_000
NASTY_TEXT = [
    "",
    "   ",
    "\x00",
    "before\x00after",
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "\u202eevil\u202c reversed",
    "مرحبا بالعالم، هذا نص عربي",
    "שלום עולם",
    "🙂👩‍👩‍👧‍👦🏳️‍🌈 emoji",
    "{{ request.user }} {% debug %}",
    '=HYPERLINK("http://example.org")',
    "' OR '1'='1' --",
    "line one\r\nInjected-Header: yes",
    "$\\frac{1}{$ mathtext",
    "\ufeffbom",
    "\U0010fffd",
    "x" * 151,
    "é" * 2001,
    "n" * (NOTE_MAX + 1),
    HUGE,
]
hostile_text = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=200),
)
NASTY_NUMBERS = [
    "",
    "abc",
    "1.5",
    "1e3",
    "-1",
    "-0",
    "0x10",
    "²",
    "١",
    "٣",
    " 3 ",
    "3\x00",
    "NaN",
    "inf",
    "9" * 40,
    "+4",
    "0004",
    "<script>",
]
hostile_number = st.one_of(
    st.sampled_from(NASTY_NUMBERS),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    hostile_text,
)
hostile_email = st.one_of(st.emails().map(lambda e: e[:254]), hostile_text)


class FuzzWorld:
    """A team with an open round (answered by a link holder and by its lead), the round
    before it with an open action, and another team's round for wrong ids."""

    def __init__(self):
        self.framework = factories.framework("cahn")
        self.other_framework = factories.framework("nef-nesta")
        self.lead = factories.user(full_name="Fuzz Lead")
        self.org = factories.organisation("Fuzz team", lead=self.lead)
        self.member = factories.member(self.org)
        self.previous = factories.round(self.org, status=RoundStatus.CLOSED, title="Before")
        Round.objects.filter(pk=self.previous.pk).update(
            created_at=timezone.now() - timedelta(days=30)
        )
        principles = list(self.framework.principles.order_by("order"))
        self.principle = principles[0]
        self.statements = [s for p in principles for s in p.statements.order_by("order")]
        self.page_statements = list(self.principle.statements.order_by("order"))
        self.old_action = Action.objects.create(
            round=self.previous,
            principle=self.principle,
            change_from="Old from",
            change_to="Old to",
            owner="Someone",
        )
        self.round = factories.round(self.org, title="Fuzz round")
        self.invite = factories.invite(self.round)
        # The link holder's browser: starting binds it to the link's answers.
        self.link = Client()
        self.link.post(reverse("assessments:invite-start", kwargs={"token": self.invite.raw_token}))
        self.invite_respondent = Respondent.objects.get(invite=self.invite)
        self.lead_respondent = factories.respondent(self.round, "manager", user=self.lead)
        self.action = Action.objects.create(
            round=self.round,
            principle=self.principle,
            change_from="Now",
            change_to="Then",
            owner="Owner",
        )
        other_principle = self.other_framework.principles.order_by("order").first()
        self.foreign_statement = other_principle.statements.order_by("order").first()
        self.foreign_principle = other_principle
        other_lead = factories.user()
        other_org = factories.organisation("Another team", lead=other_lead)
        self.other_round = factories.round(other_org)
        self.other_invite = factories.invite(self.other_round)
        self.other_action = Action.objects.create(
            round=self.other_round,
            principle=self.principle,
            change_from="Theirs",
            change_to="Theirs",
            owner="Them",
        )

    def client(self, user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    def some_id(self, kind):
        """An id for a field: right, wrong (someone else's, another framework's), or junk."""
        return st.one_of(
            st.sampled_from(kind).map(str),
            hostile_number,
        )


@pytest.fixture
def fw(db):
    return FuzzWorld()


# What every answer must be --------------------------------------------------------------


def _errors_in_context(response) -> list[str]:
    context = response.context
    if context is None:
        return []
    found = []
    for name in ("form", "reopen_form", "reminder_form"):
        form = context.get(name)
        if form is not None and hasattr(form, "errors"):
            found += [message for messages in form.errors.values() for message in messages]
    for item in context.get("errors") or []:
        found.append(item.error)
    send_error = context.get("send_error")
    if send_error:
        found += list(send_error["errors"])
    return found


def refused_as_malformed(response) -> bool:
    """Django's own 400 page: it refused to read the request at all (a field name over
    1,000 bytes, ...)."""
    return response.status_code == 400 and any(t.name == "400.html" for t in response.templates)


def check(response, what: str):
    """Never a 5xx; a page that is not a redirect after a POST shows its errors."""
    assert response.status_code < 500, f"{what}: {response.status_code}"
    if response.status_code in (301, 302, 404, 405, 429):  # 429: past a limit on tries
        return
    if refused_as_malformed(response):
        return
    if response.get("Content-Type", "").startswith("application/json"):
        data = json.loads(response.content)
        if response.status_code != 200:
            assert data.get("error"), f"{what}: JSON {response.status_code} without an error"
        return
    html = response.content.decode()
    assert response.status_code in (200, 400, 409), f"{what}: {response.status_code}"
    if response.status_code == 409:
        return  # the calm "this round has closed" page
    messages = _errors_in_context(response)
    assert messages, f"{what}: {response.status_code} page without an error message"
    for message in messages:
        assert escape(message) in html, f"{what}: error {message!r} is not on the page"


TEXT_MODELS = [
    User,
    Organisation,
    Membership,
    ColleagueInvite,
    Round,
    Invite,
    Respondent,
    Answer,
    AgreedPosition,
    Action,
    AuditEvent,
]


def assert_clean_store(fw: FuzzWorld):
    """Nothing stored that should not be."""
    for model in TEXT_MODELS:
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if f.get_internal_type() in ("CharField", "TextField", "EmailField", "SlugField")
        ]
        for row in model._default_manager.values_list(*fields):
            for value in row:
                assert "\x00" not in (value or ""), f"NUL byte stored in {model.__name__}: {row}"
    for answer in Answer.objects.select_related("statement__principle", "respondent__round"):
        assert 0 <= answer.level <= 4, answer
        assert answer.statement.principle.framework_id == answer.respondent.round.framework_id
        assert len(answer.note) <= NOTE_MAX
    for position in AgreedPosition.objects.select_related("statement__principle", "round"):
        assert 1 <= position.level <= 4
        assert position.statement.principle.framework_id == position.round.framework_id
        assert len(position.reason) <= 2000
    for action in Action.objects.select_related("principle", "statement", "round"):
        assert action.principle.framework_id == action.round.framework_id
        if action.statement is not None:
            assert action.statement.principle_id == action.principle_id
        assert len(action.change_from) <= 2000 and len(action.change_to) <= 2000
        assert len(action.owner) <= 120 and len(action.co_owner) <= 120
    for invite in Invite.objects.all():
        assert len(invite.label) <= 80
    for round_ in Round.objects.all():
        assert 0 < len(round_.title.strip()) <= 150


# Accounts and organisations ------------------------------------------------------------


@fuzz
@given(
    full_name=hostile_text,
    email=hostile_email,
    password=st.one_of(st.just("a-Long-enough-pass-Phrase-42"), hostile_text),
    confirm_same=st.booleans(),
    drop=st.sets(st.sampled_from(["full_name", "email", "password1", "password2"])),
)
def test_signup(fw, full_name, email, password, confirm_same, drop):
    data = {
        "full_name": full_name,
        "email": email,
        "password1": password,
        "password2": password if confirm_same else password + "x",
    }
    for field in drop:
        data.pop(field)
    users = User.objects.count()
    response = fw.client().post(reverse("account_signup"), data)
    check(response, "signup")
    # Sign-up says the same whether or not the address is taken (no new account then), and
    # past the limit on sign-ups from one network address it says "too many tries" (429).
    if response.status_code == 302 and User.objects.count() > users:
        user = User.objects.order_by("-pk").first()
        assert User.objects.count() == users + 1
        assert user.email == user.email.strip().lower()
        assert len(user.full_name) <= 150
    else:
        assert User.objects.count() == users
    assert_clean_store(fw)


@fuzz
@given(name=hostile_text, drop=st.booleans())
def test_organisation_create(fw, name, drop):
    organisations = Organisation.objects.count()
    data = {} if drop else {"name": name}
    response = fw.client(fw.lead).post(reverse("assessments:organisation-create"), data)
    check(response, "organisation-create")
    if response.status_code == 302:
        created = Organisation.objects.order_by("-pk").first()
        assert created.name == name.strip() and 0 < len(created.name) <= 150
        assert created.slug and len(created.slug) <= 80
    else:
        assert Organisation.objects.count() == organisations
    assert_clean_store(fw)


@fuzz
@given(email=hostile_email, role=st.one_of(st.sampled_from(["lead", "member"]), hostile_text))
def test_colleague_invite(fw, email, role):
    response = fw.client(fw.lead).post(
        reverse("assessments:people", kwargs={"org": fw.org.slug}), {"email": email, "role": role}
    )
    check(response, "people")
    assert set(ColleagueInvite.objects.values_list("role", flat=True)) <= {"lead", "member"}
    assert_clean_store(fw)


# Rounds and links ----------------------------------------------------------------------

dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", "2026-02-30", "30/06/2026", "9999-12-31", "0001-01-01", "tomorrow"]),
    hostile_text,
)


@fuzz
@given(data=st.data(), title=hostile_text, closes_on=dates)
def test_round_create_and_edit(fw, data, title, closes_on):
    framework = data.draw(
        fw.some_id([fw.framework.pk, fw.other_framework.pk, 0, 10**6]), label="framework"
    )
    client = fw.client(fw.lead)
    rounds = Round.objects.count()
    response = client.post(
        reverse("assessments:round-create", kwargs={"org": fw.org.slug}),
        {"title": title, "framework": framework, "closes_on": closes_on},
    )
    check(response, "round-create")
    assert Round.objects.count() == rounds + (response.status_code == 302)

    response = client.post(
        reverse("assessments:round-edit", kwargs={"pk": fw.round.pk}),
        {"title": title, "closes_on": closes_on},
    )
    check(response, "round-edit")
    fw.round.refresh_from_db()
    if response.status_code == 302:
        assert fw.round.title == title.strip()
    assert_clean_store(fw)


@fuzz
@given(
    start=st.sampled_from([RoundStatus.OPEN, RoundStatus.CLOSED, RoundStatus.DRAFT]),
    action=st.one_of(st.sampled_from(["open", "close", "reopen"]), hostile_text),
    reason=hostile_text,
)
def test_round_status(fw, start, action, reason):
    Round.objects.filter(pk=fw.round.pk).update(status=start)
    response = fw.client(fw.lead).post(
        reverse("assessments:round-status", kwargs={"pk": fw.round.pk}),
        {"action": action, "reason": reason},
    )
    check(response, "round-status")
    # A reopening without a usable reason comes back on the round's page, saying so.
    reason_refused = (
        start == RoundStatus.CLOSED
        and action == "reopen"
        and not RoundReopenForm({"reason": reason}).is_valid()
    )
    assert response.status_code == (400 if reason_refused else 302)
    fw.round.refresh_from_db()
    assert fw.round.status in RoundStatus.values
    for event in AuditEvent.objects.filter(kind=AuditKind.ROUND_REOPENED):
        assert event.reason.strip(), "a round was reopened without a reason"
    assert_clean_store(fw)


@fuzz
@given(
    perspective=st.one_of(st.sampled_from(["staff", "lived_experience"]), hostile_text),
    count=st.one_of(
        st.sampled_from(["1", "3", str(MAX_BATCH), str(MAX_BATCH + 1), "0", "-5", "10" * 9]),
        hostile_number,
    ),
    label=hostile_text,
    email=st.one_of(st.just(""), hostile_email),
)
def test_invite_links_made(fw, perspective, count, label, email):
    invites = Invite.objects.count()
    response = fw.client(fw.lead).post(
        reverse("assessments:invites", kwargs={"pk": fw.round.pk}),
        {"perspective": perspective, "count": count, "label": label, "email": email},
    )
    check(response, "invites")
    made = Invite.objects.count() - invites
    if response.status_code == 302:
        assert 1 <= made <= MAX_BATCH and made == int(count)
    else:
        assert made == 0
    assert_clean_store(fw)


@fuzz
@given(data=st.data(), email=hostile_email, reminder=hostile_text)
def test_invite_sent(fw, data, email, reminder):
    invite = data.draw(st.sampled_from([fw.invite, fw.other_invite]), label="invite")
    response = fw.client(fw.lead).post(
        reverse("assessments:invite-send", kwargs={"pk": fw.round.pk, "invite": invite.pk}),
        {"email": email, "reminder": reminder},
    )
    check(response, "invite-send")
    if invite == fw.other_invite:
        assert response.status_code == 404
    assert_clean_store(fw)


# Answering -----------------------------------------------------------------------------


def _door(fw: FuzzWorld, who: str):
    if who == "member":
        return fw.client(fw.lead), {"pk": fw.round.pk}, "member"
    return fw.link, {"token": fw.invite.raw_token}, "invite"


@fuzz
@given(
    data=st.data(),
    who=st.sampled_from(["member", "link"]),
    page=st.one_of(st.integers(min_value=0, max_value=2**40), st.sampled_from([1, 2])),
    go=st.one_of(
        st.sampled_from(["next", "back", "stay", "done", "page-2", "page-0"]), hostile_text
    ),
)
def test_answering_page(fw, data, who, page, go):
    client, kwargs, door = _door(fw, who)
    form = {"go": go}
    for statement in fw.page_statements + [fw.foreign_statement]:
        if data.draw(st.booleans(), label=f"answer {statement.pk}"):
            form[f"level-{statement.pk}"] = data.draw(
                st.one_of(st.sampled_from(["0", "1", "2", "3", "4", "5", "-1"]), hostile_number),
                label=f"level {statement.pk}",
            )
        if data.draw(st.booleans(), label=f"note {statement.pk}?"):
            form[f"note-{statement.pk}"] = data.draw(hostile_text, label=f"note {statement.pk}")
    url = reverse(f"assessments:{door}-page", kwargs={**kwargs, "page": page})
    response = client.post(url, form)
    check(response, f"{door}-page {page}")
    assert_clean_store(fw)


@fuzz
@given(
    data=st.data(),
    who=st.sampled_from(["member", "link"]),
    level=st.one_of(st.sampled_from(["0", "1", "2", "3", "4", "5", "-1", "2.0"]), hostile_number),
    note=st.one_of(st.just(""), hostile_text),
    drop=st.sets(st.sampled_from(["statement", "level", "note"])),
)
def test_autosave(fw, data, who, level, note, drop):
    client, kwargs, door = _door(fw, who)
    statement = data.draw(
        st.one_of(
            st.sampled_from([fw.statements[0].pk, fw.statements[-1].pk, fw.foreign_statement.pk]),
            hostile_number,
        ),
        label="statement",
    )
    form = {"statement": statement, f"level-{statement}": level, f"note-{statement}": note}
    for field in drop:
        form.pop(
            {"statement": "statement", "level": f"level-{statement}"}.get(
                field, f"note-{statement}"
            )
        )
    response = client.post(reverse(f"assessments:{door}-autosave", kwargs=kwargs), form)
    check(response, f"{door}-autosave")
    assert refused_as_malformed(response) or response["Content-Type"].startswith("application/json")
    if response.status_code == 200:
        assert json.loads(response.content)["saved"] is True
    assert_clean_store(fw)


def test_autosave_twice_and_page_twice_keep_one_answer(fw):
    statement = fw.page_statements[0]
    for door, client, kwargs in (
        ("member", fw.client(fw.lead), {"pk": fw.round.pk}),
        ("invite", fw.link, {"token": fw.invite.raw_token}),
    ):
        save = reverse(f"assessments:{door}-autosave", kwargs=kwargs)
        page = reverse(f"assessments:{door}-page", kwargs={**kwargs, "page": 1})
        for level in ("2", "3"):
            form = {"statement": statement.pk, f"level-{statement.pk}": level}
            assert client.post(save, form).status_code == 200
            assert client.post(save, form).status_code == 200
            assert client.post(page, {**form, "go": "stay"}).status_code == 302
            assert client.post(page, {**form, "go": "stay"}).status_code == 302
    answers = Answer.objects.filter(statement=statement, respondent__round=fw.round)
    assert sorted(answers.values_list("level", flat=True)) == [3, 3]


@fuzz
@given(perspective=st.one_of(st.sampled_from(["staff", "carer"]), hostile_text))
def test_member_start(fw, perspective):
    url = reverse("assessments:member-start", kwargs={"pk": fw.round.pk})
    response = fw.client(fw.member).post(url, {"perspective": perspective})
    check(response, "member-start")
    assert_clean_store(fw)


# Agreed positions and actions ----------------------------------------------------------


@fuzz
@given(
    data=st.data(),
    level=st.one_of(st.sampled_from(["0", "1", "4", "5"]), hostile_number),
    reason=hostile_text,
    clear=st.sampled_from(["", "1"]),
)
def test_agreed_position(fw, data, level, reason, clear):
    statement = data.draw(
        st.sampled_from([fw.statements[0], fw.statements[-1], fw.foreign_statement]),
        label="statement",
    )
    url = reverse(
        "assessments:agreed-position", kwargs={"pk": fw.round.pk, "statement": statement.pk}
    )
    response = fw.client(fw.lead).post(url, {"level": level, "reason": reason, "clear": clear})
    check(response, "agreed-position")
    if statement == fw.foreign_statement:
        assert response.status_code == 404
    assert_clean_store(fw)


def _action_form(fw, data):
    def text():
        return data.draw(hostile_text)

    return {
        "principle": data.draw(
            fw.some_id([fw.principle.pk, fw.foreign_principle.pk]), label="principle"
        ),
        "statement": data.draw(
            st.one_of(st.just(""), fw.some_id([fw.statements[0].pk, fw.statements[-1].pk])),
            label="statement",
        ),
        "change_from": text(),
        "change_to": text(),
        "owner": text(),
        "co_owner": text(),
        "due_on": data.draw(dates, label="due_on"),
        "step": data.draw(st.one_of(st.sampled_from(["map", "grow"]), hostile_text)),
        "status": data.draw(st.one_of(st.sampled_from(["done", "not_started"]), hostile_text)),
    }


@fuzz
@given(data=st.data(), edit=st.booleans(), drop=st.sets(st.sampled_from(["owner", "principle"])))
def test_action_create_and_edit(fw, data, edit, drop):
    form = _action_form(fw, data)
    for field in drop:
        form.pop(field)
    if edit:
        url = reverse("assessments:action-edit", kwargs={"action": fw.action.pk})
    else:
        url = reverse("assessments:action-create", kwargs={"pk": fw.round.pk})
    actions = Action.objects.count()
    response = fw.client(fw.lead).post(url, form)
    check(response, "action-edit" if edit else "action-create")
    if not edit:
        assert Action.objects.count() == actions + (response.status_code == 302)
    assert_clean_store(fw)


@fuzz
@given(
    data=st.data(), decision=st.one_of(st.sampled_from(["carry", "done", "dropped"]), hostile_text)
)
def test_action_review(fw, data, decision):
    action = data.draw(st.sampled_from([fw.old_action, fw.action, fw.other_action]))
    url = reverse("assessments:action-review", kwargs={"pk": fw.round.pk, "action": action.pk})
    response = fw.client(fw.lead).post(url, {"decision": decision})
    check(response, "action-review")
    if action == fw.other_action:
        assert response.status_code == 404
    assert_clean_store(fw)


def test_reviewing_a_carried_action_again_says_so(fw):
    client = fw.client(fw.lead)
    url = reverse(
        "assessments:action-review", kwargs={"pk": fw.round.pk, "action": fw.old_action.pk}
    )
    assert client.post(url, {"decision": "carry"}).status_code == 302
    again = client.post(url, {"decision": "carry"}, follow=True)
    assert "That action is already part of this round." in again.content.decode()
    assert Action.objects.filter(round=fw.round, carried_from=fw.old_action).count() == 1
    huge = url.replace(f"/{fw.old_action.pk}/", f"/{2**63}/")
    assert client.get(huge).status_code == 404


# Addresses -----------------------------------------------------------------------------


@settings(fuzz, max_examples=10)  # 40 requests an example
@given(
    number=st.one_of(st.integers(min_value=0, max_value=10**30), st.just(2**63)),
    token=st.one_of(
        st.sampled_from(["\x00", "a\x00b", "%00", "0" * 65, "..", "<script>", "🙂", "ﷺ"]),
        st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=80),
    ),
    version=hostile_number,
    param=hostile_text,
)
@example(number=2**63, token="\x00", version="²", param="\x00")  # each once was a 500
def test_hostile_addresses(fw, number, token, version, param):
    client = fw.client(fw.lead)
    safe_token = quote(token.replace("/", ""), safe="") or "x"
    q = quote(param[:2000], safe="")
    for url in (
        f"/rounds/{number}/",
        f"/rounds/{number}/results/",
        f"/rounds/{fw.round.pk}/answer/{number}/",
        f"/rounds/{fw.round.pk}/positions/{number}/",
        f"/rounds/{fw.round.pk}/review/{number}/",
        f"/rounds/{fw.round.pk}/links/{number}/send/",
        f"/actions/{number}/edit/",
        f"/orgs/{fw.org.slug}/people/{number}/",
        f"/r/{safe_token}/",
        f"/r/{safe_token}/1/",
        f"/r/{safe_token}/done/",
        f"/join/{safe_token}/",
        f"/principles/cahn/?version={quote(version)}",
        f"/principles/cahn/{fw.principle.slug}/?version={quote(version)}",
        f"/rounds/{fw.round.pk}/actions/new/?principle={q}&statement={q}",
        f"/rounds/{fw.round.pk}/results/?overlays=1&show={q}&show=everyone",
        f"/rounds/{fw.round.pk}/links/print/?perspective={q}",
        f"/orgs/?all={q}",
        f"/accounts/login/?next={q}",
    ):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code < 500, f"{method.upper()} {url}: {response.status_code}"
    for url in (f"/r/{safe_token}/save/", f"/signup/?email={q}"):
        response = Client().post(url, {"statement": "1"})
        assert response.status_code < 500, f"POST {url}: {response.status_code}"


# Stored text is shown escaped ----------------------------------------------------------

SCRIPT = "<script>alert('owned')</script>"


def test_stored_hostile_text_is_escaped_everywhere(fw):
    lead = fw.client(fw.lead)
    statement = fw.page_statements[0]
    for client, door, kwargs in (
        (lead, "member", {"pk": fw.round.pk}),
        (fw.link, "invite", {"token": fw.invite.raw_token}),
    ):
        response = client.post(
            reverse(f"assessments:{door}-autosave", kwargs=kwargs),
            {
                "statement": statement.pk,
                f"level-{statement.pk}": "2",
                f"note-{statement.pk}": SCRIPT,
            },
        )
        assert response.status_code == 200
    # A third respondent, so that the results show everything.
    factories.answer_all(factories.respondent(fw.round, "staff"), level=3, note=SCRIPT)
    assert (
        lead.post(
            reverse("assessments:action-create", kwargs={"pk": fw.round.pk}),
            {
                "principle": fw.principle.pk,
                "change_from": SCRIPT,
                "change_to": SCRIPT,
                "owner": SCRIPT[:100],
                "co_owner": SCRIPT[:100],
                "step": "map",
                "status": "not_started",
            },
        ).status_code
        == 302
    )
    assert (
        lead.post(
            reverse(
                "assessments:agreed-position", kwargs={"pk": fw.round.pk, "statement": statement.pk}
            ),
            {"level": "2", "reason": SCRIPT},
        ).status_code
        == 302
    )
    made = lead.post(
        reverse("assessments:invites", kwargs={"pk": fw.round.pk}),
        {"perspective": "staff", "count": "1", "label": SCRIPT[:60]},
    )
    assert made.status_code == 302
    new_links = made["Location"]
    assert (
        lead.post(
            reverse("assessments:round-edit", kwargs={"pk": fw.round.pk}), {"title": SCRIPT}
        ).status_code
        == 302
    )
    Round.objects.filter(pk=fw.previous.pk).update(title=SCRIPT)
    Organisation.objects.filter(pk=fw.org.pk).update(name=SCRIPT)

    pages = [
        reverse("assessments:results", kwargs={"pk": fw.round.pk}),
        reverse("assessments:actions", kwargs={"pk": fw.round.pk}),
        reverse("assessments:round", kwargs={"pk": fw.round.pk}),
        reverse("assessments:invites", kwargs={"pk": fw.round.pk}),
        new_links,
        new_links + "print/",
        reverse(
            "assessments:agreed-position", kwargs={"pk": fw.round.pk, "statement": statement.pk}
        ),
        reverse("assessments:action-edit", kwargs={"action": fw.action.pk}),
        reverse("assessments:organisation", kwargs={"org": fw.org.slug}),
        reverse("assessments:member-page", kwargs={"pk": fw.round.pk, "page": 1}),
        reverse("assessments:member-done", kwargs={"pk": fw.round.pk}),
    ]
    for url in pages:
        response = lead.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<script>alert" not in html, f"{url} shows stored text unescaped"
        assert "alert(" not in html or "&lt;script&gt;alert(" in html, url
    results = lead.get(pages[0]).content.decode()
    assert "&lt;script&gt;alert(" in results  # the notes are there, escaped
