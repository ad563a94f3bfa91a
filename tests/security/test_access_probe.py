"""An access probe that finds its own targets: every named URL in the URL configuration.

The probe walks ``get_resolver()``, fills each URL's parameters with organisation A's
objects (its slug, its rounds, its links' tokens, its actions, a statement of its
framework...) from the FILL table, and requests it, GET and POST, as people who must not
see A's data: nobody signed in, B's lead, B's member, a facilitator of another cohort, and
A's member where a lead is needed. Invite links (``/r/<token>/``) and colleague invitations
(``/join/<token>/``) are probed with tokens that no longer work. Every answer must be a
refusal (403, 404, 405, or a redirect to a sign-in page) or a calm page, and must never
contain A's data: A has distinctive names ("Zanzibar Borough") so that a leak shows.

Positive controls prove the filling is right, so that the refusals mean something: A's
lead gets a 200 on every GET of A's pages (exceptions are in LEAD_GET_STATUS), a superuser
on every admin page, and anyone on the public pages.

A new URL with a parameter the FILL table does not know fails ``test_fill_knows_every
_parameter`` with a message naming both; add the parameter to FILL (or URL_FILL).

"facilitator" is the facilitator of another cohort (one with B in it), with no
membership anywhere; A is in a cohort run by someone else ("cohort_facilitator"), whose
pages are probed too: A's own lead and member are refused there (FACILITATOR_ONLY).
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments import urls as assessments_urls
from assessments.accounts.models import AuditEvent, ColleagueInvite, Membership, Organisation
from assessments.jobs import exports
from assessments.jobs.models import ExportKind
from assessments.library import services as library
from assessments.library.models import OwnFramework
from assessments.rounds.models import (
    Action,
    ActionUpdate,
    AgreedPosition,
    Answer,
    Invite,
    Respondent,
    Round,
    RoundStatus,
)
from assessments.rounds.services import evidence_add
from assessments.workshops.services import (
    workshop_end,
    workshop_join,
    workshop_projector_renew,
    workshop_start,
)
from coprod.codes import display
from tests import factories
from tests.framework_texts import PLAIN

# Walking the URL configuration ---------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # with its namespace, as reverse() takes it
    route: str  # the full route, for messages
    params: tuple[str, ...]


def _pattern_params(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    return []


ALLAUTH_PREFIXES = ("account_", "mfa_", "socialaccount_", "openid_connect_")
ALLAUTH_PROBED = {
    "account_login",
    "account_logout",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
}


def collect_routes() -> list[Route]:
    found: list[Route] = []

    def walk(resolver, prefix: str, namespace: str | None, params: list[str]):
        for entry in resolver.url_patterns:
            here = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, here, ns, params + _pattern_params(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                all_params = tuple(params + _pattern_params(entry.pattern))
                found.append(Route(name=name, route="/" + here, params=all_params))

    walk(get_resolver(), "", None, [])
    # django-allauth's pages are about the signed-in person's own account (its e-mail
    # addresses, password, two-step sign-in, single sign-on) and hold nothing of an
    # organisation's; tests/assessments/accounts tests them. Its public entrance pages are
    # probed here with the site's own.
    found = [
        route
        for route in found
        if not route.name.startswith(ALLAUTH_PREFIXES) or route.name in ALLAUTH_PROBED
    ]
    # A name defined twice (a project view in front of Django's): the first one answers.
    first: dict[str, Route] = {}
    for route in found:
        first.setdefault(route.name, route)
    return list(first.values())


ROUTES = collect_routes()
ROUTES_BY_NAME = {route.name: route for route in ROUTES}


# What each URL is ----------------------------------------------------------------------

# Open to everyone: the probe only checks they never show A's data.
PUBLIC = {
    "home",
    "what-is",
    "sources",
    "privacy",
    "glossary",
    "principles:list",
    "principles:framework",
    "principles:framework-file",  # the framework as its content file: the library is public
    "principles:principle",
    "reading-mode",
    "set-language",  # the language switch: a cookie, and the account's choice if signed in
    "javascript-catalog",  # the scripts' strings in the reader's language
    "healthz",
    "favicon",  # sent on to the site's icon among the static files
    *ALLAUTH_PROBED,
    "assessments:go",  # a short code typed here leads to its link; wrong codes are limited
    "assessments:go-easy",  # /go in easy read: switches the reading, then shows /go
    "assessments:workshop-join",  # joining needs a live code, which the probe has not
    "admin:login",
    "admin:logout",  # signed-out visitors are sent to the admin's sign-in page
}

# The token in the address is the key: probed with tokens that no longer work.
INVITE_LINK = {
    "assessments:invite-start",
    "assessments:invite-page",
    "assessments:invite-autosave",
    "assessments:invite-done",
    "assessments:invite-move",
    "assessments:invite-move-here",
    "assessments:invite-group",
    "assessments:invite-hand-over",
    "assessments:invite-room",
    "assessments:invite-privacy",  # the notice: what is kept, never whether anyone answered
}
COLLEAGUE_INVITATION = {"assessments:join"}
# A workshop's projector view: the key in the address opens it, with no account, while the
# workshop lasts. Probed with keys that do not work, and with the live one for what it shows.
PROJECTOR = {"assessments:workshop-projector", "assessments:workshop-projector-state"}

# Pages of A that only A's leads may use, by method (assessments/web/access.py: lead=True).
# A's members are probed on these and must be refused.
LEAD_ONLY = {
    "assessments:people": {"post"},  # members see the list; only leads invite
    "assessments:membership-edit": {"get", "post"},  # members may only remove themselves
    "assessments:colleague-invite-resend": {"get", "post"},
    "assessments:colleague-invite-cancel": {"get", "post"},
    "assessments:organisation-two-step": {"get", "post"},
    "assessments:organisation-email-languages": {"get", "post"},
    "assessments:organisation-keeping-period": {"get", "post"},
    "assessments:round-create": {"get", "post"},
    "assessments:round-edit": {"get", "post"},
    "assessments:round-status": {"get", "post"},
    "assessments:round-reminders": {"get", "post"},
    "assessments:invites": {"get", "post"},
    "assessments:invites-new": {"get", "post"},
    "assessments:invites-new-hide": {"get", "post"},
    "assessments:invites-print": {"get", "post"},
    "assessments:invites-new-csv": {"get", "post"},
    "assessments:invite-send": {"get", "post"},
    "assessments:invite-fresh": {"get", "post"},
    "assessments:invite-revoke": {"get", "post"},
    "assessments:agreed-position": {"get", "post"},
    "assessments:agreed-positions": {"get", "post"},
    "assessments:evidence-add": {"get", "post"},
    "assessments:evidence-edit": {"get", "post"},
    "assessments:evidence-remove": {"get", "post"},
    "assessments:action-create": {"get", "post"},
    "assessments:action-edit": {"get", "post"},
    "assessments:action-delete": {"get", "post"},
    "assessments:action-progress": {"get", "post"},
    "assessments:action-review": {"get", "post"},
    "assessments:organisation-activity": {"get", "post"},
    "assessments:organisation-data": {"get", "post"},
    "assessments:organisation-export": {"get", "post"},
    "assessments:organisation-delete": {"get", "post"},
    # Cohorts, from an organisation's side: what it decides is for its leads.
    "assessments:organisation-cohort-invitation": {"get", "post"},
    "assessments:organisation-cohort-name": {"get", "post"},
    "assessments:organisation-cohort-leave": {"get", "post"},
    # A workshop: the projector, its poll and its controls are for leads only.
    "assessments:workshop": {"get", "post"},
    "assessments:workshop-state": {"get", "post"},
    "assessments:workshop-start": {"get", "post"},
    "assessments:workshop-control": {"get", "post"},
    "assessments:workshop-seat-remove": {"get", "post"},
    # A's own framework: its members read it and download it; its leads add and change it.
    "assessments:own-framework-add-org": {"get", "post"},
    "assessments:own-framework": {"post"},
    "assessments:own-framework-preview": {"get", "post"},
    "assessments:own-framework-fill": {"get", "post"},
    "assessments:own-framework-publish": {"get", "post"},
}

# A cohort's own pages are for its facilitator only: A's lead and member, whose
# organisation is in the cohort, are refused too (403), like everyone else (404).
FACILITATOR_ONLY = {
    "assessments:cohort",
    "assessments:cohort-remind",
    "assessments:cohort-edit",
    "assessments:cohort-organisations",
    "assessments:cohort-invitation-resend",
    "assessments:cohort-invitation-cancel",
    "assessments:cohort-csv",
    "assessments:cohort-pdf",
    "assessments:cohort-movement",
    "assessments:own-framework-add-cohort",  # a framework for the cohort: its facilitator's
}
# A download is for the one person who asked for it: everyone else, A's member too, is
# an outsider to it (404).
LEAD_ONLY_EXPORTS = {"assessments:export", "assessments:export-file", "assessments:export-retry"}
# Who the positive control signs in as, where it is not A's lead.
OWNER = {name: "cohort_facilitator" for name in FACILITATOR_ONLY}
OWNER.update({name: "anonymous" for name in PROJECTOR})  # the projector: its key alone

# What A's lead gets on a GET of A's pages, where it is not 200.
LEAD_GET_STATUS = {
    # POST-only views
    "assessments:membership-edit": 405,
    "assessments:colleague-invite-resend": 405,
    "assessments:colleague-invite-cancel": 405,
    "assessments:organisation-two-step": 405,
    "assessments:organisation-email-languages": 405,
    "assessments:organisation-keeping-period": 405,
    "assessments:round-status": 405,
    "assessments:round-reminders": 405,
    "assessments:invite-send": 405,
    "assessments:invite-fresh": 405,
    "assessments:invite-revoke": 405,
    "assessments:invites-new-hide": 405,
    "assessments:action-delete": 405,
    # No batch of new links in the probe's browser: back to the list of links.
    "assessments:invites-new-csv": 302,
    "assessments:member-autosave": 405,
    "assessments:invite-autosave": 405,
    "assessments:invite-move-here": 405,
    "assessments:organisation-export": 405,
    "assessments:export-retry": 405,
    "assessments:cohort-pdf": 405,  # asks a worker for the PDF: a button
    "assessments:organisation-cohort-invitation": 405,
    "assessments:organisation-cohort-name": 405,
    "assessments:organisation-cohort-leave": 405,
    "assessments:cohort-invitation-resend": 405,
    "assessments:cohort-invitation-cancel": 405,
    "assessments:workshop-start": 405,
    "assessments:workshop-control": 405,
    "assessments:own-framework-publish": 405,
    # A link of one's own, not a workshop's seat: nobody to hand it to, back to its answers.
    "assessments:invite-hand-over": 302,
    # A link of one's own, not a workshop's seat: no room to follow.
    "assessments:invite-room": 404,
    # The lead is already answering: the start page sends them on to where they were.
    "assessments:member-start": 302,
}
# What a superuser gets on a GET of the admin pages, where it is not 200.
ADMIN_GET_STATUS = {
    "admin:view_on_site": 302,  # redirects to the object's own page
    "admin:autocomplete": 403,  # needs app_label, model_name and field_name
}
# What anyone gets on a GET of the public pages, where it is not 200.
PUBLIC_GET_STATUS = {
    "account_logout": 302,
    "reading-mode": 405,
    "set-language": 405,
    "admin:logout": 302,
    "favicon": 302,
    "assessments:go-easy": 302,
}


# A's distinctive data ------------------------------------------------------------------

A_NAME = "Zanzibar Borough"
A_ROUND = "Quetzal Spring Reflection"
A_PREVIOUS_ROUND = "Quetzal Autumn Lookback"
A_NOTES = [
    "Xylophone note from respondent one",
    "Xylophone note from respondent two",
    "Xylophone note from respondent three",
    "Xylophone note from the lead",
    "Xylophone note behind a revoked link",
    "Xylophone note from the closed round",
    "Xylophone note through the live link",
]
A_ACTION_TEXTS = [
    "Marmalade decisions made behind closed doors",
    "Marmalade residents co-chair the panel",
    "Wolfgang Thistlewood",
    "Petronella Fairweather",
    "Gooseberry old action from",
    "Gooseberry old action to",
    "Gooseberry progress since the spring",
]
A_REASON = "Porcupine consensus after a long evening"
A_EVIDENCE = "Pelican minutes of the board, kept as evidence"
A_PEOPLE = [
    "Ophelia Quillfeather",
    "lead@zanzibar.example",
    "Bartholomew Inkwell",
    "member@zanzibar.example",
    "pending@zanzibar.example",
]
A_LINK_LABEL = "Narwhal table"
A_COHORTS = ["Zanzibar Tapestry Cohort", "Zanzibar Second Cohort"]
A_OWN_FRAMEWORK = "Zanzibar Charter of Promises"

A_SECRETS = [
    A_NAME,
    A_ROUND,
    A_PREVIOUS_ROUND,
    *A_NOTES,
    *A_ACTION_TEXTS,
    A_REASON,
    A_EVIDENCE,
    "Zanzibar-minutes.pdf",
    *A_PEOPLE,
    A_LINK_LABEL,
    *A_COHORTS,
    A_OWN_FRAMEWORK,
]

# The join code of A's workshop (made with the world, so not known before).
WORKSHOP_CODES: list[str] = []


class World:
    """Organisation A with everything a page can show; organisation B next to it."""

    def __init__(self):
        now = timezone.now()
        self.framework = factories.framework("cahn")
        principles = list(self.framework.principles.order_by("order"))
        self.principle = principles[0]
        self.statement = self.principle.statements.order_by("order").first()
        self.statements = [s for p in principles for s in p.statements.order_by("order")]

        # A: a lead, a member, a closed previous round with an open action and a current
        # open round with answers, an agreed position, an action and links.
        self.lead_a = factories.user("lead@zanzibar.example", full_name="Ophelia Quillfeather")
        self.org_a = factories.organisation(A_NAME, lead=self.lead_a)
        self.member_a = factories.member(self.org_a, email="member@zanzibar.example")
        self.member_a.full_name = "Bartholomew Inkwell"
        self.member_a.save(update_fields=["full_name"])
        self.lead_membership = Membership.objects.get(user=self.lead_a, organisation=self.org_a)
        # A download A's lead asked for (made at once: tasks run at once in tests). Only
        # they may fetch it: A's member is an outsider to it like everyone else.
        self.export_a = exports.request(
            kind=ExportKind.ORGANISATION_ZIP, by=self.lead_a, organisation=self.org_a
        )

        self.previous_round = factories.round(
            self.org_a, status=RoundStatus.CLOSED, title=A_PREVIOUS_ROUND
        )
        Round.objects.filter(pk=self.previous_round.pk).update(created_at=now - timedelta(days=60))
        self.previous_action = Action.objects.create(
            round=self.previous_round,
            principle=self.principle,
            change_from="Gooseberry old action from",
            change_to="Gooseberry old action to",
            owner="Wolfgang Thistlewood",
        )
        self.closed_invite = factories.invite(self.previous_round)
        closed_respondent = Respondent.objects.create(
            round=self.previous_round, perspective="lived_experience", invite=self.closed_invite
        )
        factories.answer_all(closed_respondent, level=2, note=A_NOTES[5])

        # Figures while open, so the exports and the report are there to be reached.
        self.round_a = factories.round(self.org_a, title=A_ROUND, figures_while_open=True)
        for note in A_NOTES[:3]:
            factories.answer_all(factories.respondent(self.round_a, "lived_experience"), 2, note)
        lead_respondent = factories.respondent(self.round_a, "manager", user=self.lead_a)
        factories.answer_all(lead_respondent, level=3, note=A_NOTES[3])

        self.invite_a = factories.invite(self.round_a, label=A_LINK_LABEL)
        # The person holding A's live link started in their own browser, which keeps the
        # cookie that binds it to their answers.
        holder = Client()
        start = reverse("assessments:invite-start", kwargs={"token": self.invite_a.raw_token})
        assert holder.post(start).status_code == 302
        self.holder_cookies = holder.cookies
        factories.answer_all(Respondent.objects.get(invite=self.invite_a), 4, A_NOTES[6])
        self.revoked_invite = factories.invite(self.round_a)
        revoked_respondent = Respondent.objects.create(
            round=self.round_a, perspective="carer", invite=self.revoked_invite
        )
        factories.answer_all(revoked_respondent, level=1, note=A_NOTES[4])
        Invite.objects.filter(pk=self.revoked_invite.pk).update(revoked_at=now)

        # A workshop going on in the round: its code is A's secret too.
        self.workshop_a = workshop_start(round=self.round_a, by=None, capacity=30)
        WORKSHOP_CODES[:] = [display(self.workshop_a.code), self.workshop_a.code]
        # Someone joined it: the seat the lead may remove.
        self.seat_a = workshop_join(
            workshop=self.workshop_a, perspective="staff", address="10.9.9.9"
        ).invite

        self.action_a = Action.objects.create(
            round=self.round_a,
            principle=self.principle,
            change_from=A_ACTION_TEXTS[0],
            change_to=A_ACTION_TEXTS[1],
            owner=A_ACTION_TEXTS[2],
            co_owner=A_ACTION_TEXTS[3],
        )
        ActionUpdate.objects.create(
            action=self.action_a,
            status="in_progress",
            note=A_ACTION_TEXTS[6],
            written_by=self.lead_a,
        )
        position = AgreedPosition.objects.create(
            round=self.round_a,
            statement=self.statement,
            level=2,
            reason=A_REASON,
            recorded_by=self.lead_a,
        )
        # Evidence behind it, with a document only A's people may download.
        self.evidence_a = evidence_add(
            position=position,
            text=A_EVIDENCE,
            url="https://zanzibar.example/evidence",
            document=SimpleUploadedFile("Zanzibar-minutes.pdf", b"%PDF-1.4 Zanzibar minutes"),
            by=self.lead_a,
        )
        self.colleague_invite = factories.colleague_invite(
            organisation=self.org_a, email="pending@zanzibar.example", invited_by=self.lead_a
        )
        self.cancelled_colleague_invite = factories.colleague_invite(
            organisation=self.org_a, email="cancelled@zanzibar.example", cancelled_at=now
        )
        self.accepted_colleague_invite = factories.colleague_invite(
            organisation=self.org_a, email="accepted@zanzibar.example", accepted_at=now
        )

        # B, next door, with its own round; a facilitator of another cohort; an admin.
        self.lead_b = factories.user("lead@hillside.example")
        self.org_b = factories.organisation("Hillside Partnership", lead=self.lead_b)
        self.member_b = factories.member(self.org_b, email="member@hillside.example")
        self.round_b = factories.round(self.org_b, title="Hillside round")
        self.facilitator = factories.user("facilitator@cohort-two.example")
        self.superuser = factories.user("admin@coprod.example", is_staff=True, is_superuser=True)
        self._cohorts()
        self._own_framework()
        self.group = Group.objects.create(name="Zanzibar Borough reviewers")
        # A's lead signs in wrongly: whatever records sign-ins now has rows about A's lead.
        Client().post(reverse("account_login"), {"login": self.lead_a.email, "password": "wrong"})

        self.users = {
            "anonymous": None,
            "b_lead": self.lead_b,
            "b_member": self.member_b,
            "facilitator": self.facilitator,
            "a_member": self.member_a,
            "a_lead": self.lead_a,
            "superuser": self.superuser,
            "cohort_facilitator": getattr(self, "cohort_facilitator", None),
        }

    def _cohorts(self):
        """A is in a cohort, and invited to a second one; the "facilitator" role runs a
        cohort with B in it. Skipped where cohorts do not exist (yet)."""
        try:
            Cohort = apps.get_model("assessments", "Cohort")
            CohortMember = apps.get_model("assessments", "CohortMember")
            apps.get_model("assessments", "CohortInvitation")
        except LookupError:
            return
        today = timezone.localdate()
        period = {"starts_on": today - timedelta(days=90), "ends_on": today + timedelta(days=90)}
        self.cohort_facilitator = factories.user("runs@cohort-one.example")
        self.cohort_a = Cohort.objects.create(
            name=A_COHORTS[0],
            framework=self.framework,
            facilitator=self.cohort_facilitator,
            **period,
        )
        CohortMember.objects.create(cohort=self.cohort_a, organisation=self.org_a)
        self.cohort_a2 = Cohort.objects.create(
            name=A_COHORTS[1],
            framework=self.framework,
            facilitator=self.cohort_facilitator,
            **period,
        )
        self.cohort_invitation = factories.cohort_invitation(
            cohort=self.cohort_a2, email=self.lead_a.email, invited_by=self.cohort_facilitator
        )
        cohort_b = Cohort.objects.create(
            name="Hillside cohort", framework=self.framework, facilitator=self.facilitator, **period
        )
        CohortMember.objects.create(cohort=cohort_b, organisation=self.org_b)

    def _own_framework(self):
        """A's own framework, published: A's people may see it, nobody else."""
        text = PLAIN.replace('"our-charter"', '"zanzibar-charter"').replace(
            "Our co-production charter", A_OWN_FRAMEWORK
        )
        self.own_framework = library.own_framework_start(by=self.lead_a, organisation=self.org_a)
        library.own_framework_write(own=self.own_framework, by=self.lead_a, text=text)
        library.own_framework_publish(own=self.own_framework, by=self.lead_a)


# How to fill each parameter ------------------------------------------------------------

ADMIN_OBJECTS = {
    "auth_group": lambda w: w.group.pk,
    "principles_framework": lambda w: w.framework.pk,
    "principles_practicestatement": lambda w: w.statement.pk,
    "assessments_user": lambda w: w.lead_a.pk,
}


def _admin_model(name: str):
    label = name.removeprefix("admin:").rsplit("_", 1)[0]
    for model in admin.site._registry:
        if f"{model._meta.app_label}_{model._meta.model_name}" == label:
            return label, model
    return label, None


def _admin_object(w: World, name: str):
    """Our models: A's object, or shared content. Another app's admin (allauth's): its
    first row (the world signs A's lead in wrongly once, so sign-in records exist), or
    1 when it has none: the admin's door is what the outsiders meet either way."""
    label, model = _admin_model(name)
    if label in ADMIN_OBJECTS:
        return ADMIN_OBJECTS[label](w)
    if model is None:
        raise LookupError(f"the admin model {label} has no entry in ADMIN_OBJECTS")
    first = model._default_manager.order_by("pk").first()
    return first.pk if first is not None else 1


FILL = {
    "org": lambda w, name: w.org_a.slug,
    "pk": lambda w, name: w.round_a.pk,
    "membership": lambda w, name: w.lead_membership.pk,
    "invite": lambda w, name: w.invite_a.pk,
    "token": lambda w, name: w.invite_a.raw_token,
    "workshop": lambda w, name: w.workshop_a.pk,
    "seat": lambda w, name: w.seat_a.pk,
    "key": lambda w, name: w.workshop_a.projector_key,
    # New links are shown only to the browser that made them: no outsider has the batch.
    "batch": lambda w, name: "0a1b2c3d",
    "page": lambda w, name: 1,
    "number": lambda w, name: w.principle.order,
    "kind": lambda w, name: "answers",
    "statement": lambda w, name: w.statement.pk,
    "action": lambda w, name: w.action_a.pk,
    "evidence": lambda w, name: w.evidence_a.pk,
    "slug": lambda w, name: w.framework.slug,
    "principle": lambda w, name: w.principle.slug,
    "uidb64": lambda w, name: urlsafe_base64_encode(force_bytes(w.lead_a.pk)),
    "object_id": _admin_object,
    "content_type_id": lambda w, name: ContentType.objects.get_for_model(Organisation).pk,
    "id": lambda w, name: w.lead_a.pk,
    "app_label": lambda w, name: "assessments",
    "version": lambda w, name: 1,
}
URL_FILL = {
    "assessments:colleague-invite-resend": {"invite": lambda w, name: w.colleague_invite.pk},
    "assessments:colleague-invite-cancel": {"invite": lambda w, name: w.colleague_invite.pk},
    "assessments:join": {"token": lambda w, name: w.colleague_invite.raw_token},
    "assessments:action-review": {"action": lambda w, name: w.previous_action.pk},
    # A framework a crosswalk links to the round's (Cahn's).
    "assessments:results-through": {"slug": lambda w, name: "nef-nesta"},
    "admin:view_on_site": {"object_id": lambda w, name: w.org_a.pk},
    # Cohorts: pk is a cohort's, or a cohort invitation's.
    **{
        name: {"pk": lambda w, name: w.cohort_a.pk}
        for name in FACILITATOR_ONLY
        | {
            "assessments:organisation-cohort",
            "assessments:organisation-cohort-name",
            "assessments:organisation-cohort-leave",
        }
    },
    **{
        name: {
            "pk": lambda w, name: w.cohort_a2.pk,
            "invitation": lambda w, name: w.cohort_invitation.pk,
        }
        for name in ("assessments:cohort-invitation-resend", "assessments:cohort-invitation-cancel")
    },
    "assessments:cohort-invitation": {"pk": lambda w, name: w.cohort_invitation.pk},
    **{
        name: {"pk": lambda w, name: w.export_a.pk}
        for name in ("assessments:export", "assessments:export-file", "assessments:export-retry")
    },
    "assessments:cohort-invitation-link": {
        "pk": lambda w, name: w.cohort_invitation.pk,
        "token": lambda w, name: w.cohort_invitation.raw_token,
    },
    "assessments:organisation-cohort-invitation": {"pk": lambda w, name: w.cohort_invitation.pk},
    "assessments:own-framework-add-cohort": {"pk": lambda w, name: w.cohort_a.pk},
    **{
        name: {"pk": lambda w, name: w.own_framework.pk}
        for name in (
            "assessments:own-framework",
            "assessments:own-framework-preview",
            "assessments:own-framework-fill",
            "assessments:own-framework-publish",
            "assessments:own-framework-file",
        )
    },
}


class FillError(Exception):
    pass


def fill(w: World, route: Route, **override) -> str:
    kwargs = {}
    for param in route.params:
        if param in override:
            kwargs[param] = override[param]
            continue
        filler = URL_FILL.get(route.name, {}).get(param) or FILL.get(param)
        if filler is None:
            raise FillError(
                f"the access probe does not know how to fill {param} of {route.name} "
                f"({route.route}); add it to FILL"
            )
        try:
            kwargs[param] = filler(w, route.name)
        except LookupError as exc:
            raise FillError(
                f"the access probe does not know how to fill {param} of {route.name} "
                f"({route.route}): {exc}; add it to FILL"
            ) from exc
    return reverse(route.name, kwargs=kwargs)


def post_data(w: World, name: str) -> dict:
    """Plausible data for a POST to the URL: what its own form would send."""
    s = w.statement.pk
    answer = {f"level-{s}": "4", f"note-{s}": "Probe overwrote this", "statement": s}
    action = {
        "principle": w.principle.pk,
        "change_from": "Probe from",
        "change_to": "Probe to",
        "owner": "Probe",
        "step": "map",
        "status": "done",
    }
    return {
        "assessments:people": {"email": "intruder@example.org", "role": "lead"},
        "assessments:membership-edit": {"action": "remove"},
        "assessments:round-create": {"title": "Probe round", "framework": w.framework.pk},
        "assessments:round-edit": {"title": "Probe renamed"},
        "assessments:round-status": {"action": "close"},
        "assessments:invites": {"perspective": "staff", "count": "3"},
        "assessments:invite-send": {"email": "intruder@example.org"},
        "assessments:member-start": {"perspective": "staff"},
        "assessments:member-page": {**answer, "go": "stay"},
        "assessments:member-autosave": answer,
        "assessments:invite-page": {**answer, "go": "stay"},
        "assessments:invite-autosave": answer,
        "assessments:invite-move-here": {"code": "ACEF-3479"},
        "assessments:agreed-position": {"level": "4", "reason": "Probe reason"},
        "assessments:agreed-positions": {
            f"level-{s}": "4",
            f"reason-{s}": "Probe reason",
        },
        "assessments:action-create": action,
        "assessments:action-edit": action,
        "assessments:action-review": {"decision": "dropped"},
        "assessments:action-progress": {"status": "done", "note": "Probe note"},
        "assessments:organisation-delete": {"name": A_NAME},
        "assessments:own-framework-add-org": {"text": PLAIN},
        "assessments:own-framework": {"text": "slug = 'probe'"},
        "assessments:organisation-cohort-invitation": {"answer": "accept"},
        "assessments:organisation-cohort-name": {"show_name": "on"},
        "account_login": {"login": w.lead_a.email, "password": "not-the-password"},
        "account_reset_password": {"email": w.lead_a.email},
        "admin:login": {"username": w.lead_a.email, "password": "not-the-password"},
    }.get(name, {})


def a_state(w: World):
    """Everything of A's that a request could change."""
    org = w.org_a
    return (
        list(Organisation.objects.filter(pk=org.pk).values_list("name", "slug")),
        list(
            Membership.objects.filter(organisation=org)
            .order_by("pk")
            .values_list("pk", "user_id", "role")
        ),
        list(
            ColleagueInvite.objects.filter(organisation=org)
            .order_by("pk")
            .values_list("pk", "email", "sent_at", "accepted_at", "cancelled_at")
        ),
        list(
            Round.objects.filter(organisation=org)
            .order_by("pk")
            .values_list("pk", "title", "status", "closes_on")
        ),
        AuditEvent.objects.filter(organisation=org).count(),
        list(
            Invite.objects.filter(round__organisation=org)
            .order_by("pk")
            .values_list("pk", "revoked_at", "sent_at", "email")
        ),
        list(
            Respondent.objects.filter(round__organisation=org)
            .order_by("pk")
            .values_list("pk", "perspective", "last_page", "finished_at")
        ),
        list(
            Answer.objects.filter(respondent__round__organisation=org)
            .order_by("pk")
            .values_list("pk", "level", "note", "updated_at")
        ),
        list(
            AgreedPosition.objects.filter(round__organisation=org)
            .order_by("pk")
            .values_list("pk", "level", "reason")
        ),
        list(
            Action.objects.filter(round__organisation=org)
            .order_by("pk")
            .values_list("pk", "status", "change_from", "change_to", "owner", "carried_from_id")
        ),
        _cohort_state(org),
        list(
            OwnFramework.objects.filter(organisation=org).values_list(
                "pk", "text", "slug", "published_at"
            )
        ),
        len(mail.outbox),
    )


def _cohort_state(org):
    try:
        CohortMember = apps.get_model("assessments", "CohortMember")
        CohortInvitation = apps.get_model("assessments", "CohortInvitation")
    except LookupError:
        return None
    return (
        list(
            CohortMember.objects.filter(organisation=org)
            .order_by("pk")
            .values_list("pk", "cohort_id", "show_name")
        ),
        list(CohortInvitation.objects.order_by("pk").values_list("pk", "status", "sent_at")),
        list(apps.get_model("assessments", "Cohort").objects.values_list("pk", "name")),
    )


# The world, built once for the module --------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once inside a transaction that is rolled back after the module; each test
    runs in a savepoint inside it (the ``db`` fixture) and is rolled back on its own."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield World()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def w(world, db):
    mail.outbox = []
    cache.clear()  # rate limits kept in the cache start afresh for every case
    return world


def client_as(w: World, role: str) -> Client:
    client = Client()
    if role == "link_holder":
        client.cookies = w.holder_cookies
        return client
    user = w.users[role]
    if user is not None:
        client.force_login(user)
    return client


def request(client: Client, method: str, url: str, data: dict):
    return client.post(url, data) if method == "post" else client.get(url)


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


SIGN_IN_PAGES = (resolve_url(settings.LOGIN_URL), reverse("admin:login"))


def is_refusal(response) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code == 302:
        location = response["Location"]
        return any(location.startswith(page + "?") for page in SIGN_IN_PAGES)
    return False


def describe(response) -> str:
    where = f" to {response['Location']}" if response.status_code in (301, 302) else ""
    return f"{response.status_code}{where}"


def leaked(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    secrets = [*A_SECRETS, *WORKSHOP_CODES]
    return [secret for secret in secrets if secret in text and secret not in allowed]


# The cases -----------------------------------------------------------------------------

OUTSIDERS = ("anonymous", "b_lead", "b_member", "facilitator")
METHODS = ("get", "post")


def _is_admin(name: str) -> bool:
    return name.startswith("admin:")


def _scoped_to_a(route: Route) -> bool:
    """A page of A's: its address names one of A's objects (or it is an admin page)."""
    if route.name in PUBLIC | INVITE_LINK | COLLEAGUE_INVITATION | PROJECTOR:
        return False
    return bool(route.params) or _is_admin(route.name)


def _outsider_cases():
    for route in ROUTES:
        if route.name in INVITE_LINK | COLLEAGUE_INVITATION | PROJECTOR:
            continue
        for role in OUTSIDERS:
            for method in METHODS:
                yield pytest.param(route.name, role, method, id=f"{route.name}|{role}|{method}")
        if route.name in LEAD_ONLY_EXPORTS:
            for method in METHODS:
                yield pytest.param(
                    route.name, "a_member", method, id=f"{route.name}|a_member|{method}"
                )
        for method in sorted(LEAD_ONLY.get(route.name, ())):
            yield pytest.param(route.name, "a_member", method, id=f"{route.name}|a_member|{method}")
        if route.name in FACILITATOR_ONLY:
            for role in ("a_member", "a_lead"):
                for method in METHODS:
                    yield pytest.param(route.name, role, method, id=f"{route.name}|{role}|{method}")


OUTSIDER_CASES = list(_outsider_cases())


@pytest.mark.parametrize("name,role,method", OUTSIDER_CASES)
def test_outsiders_never_see_a(w, name, role, method):
    route = ROUTES_BY_NAME[name]
    url = fill(w, route)
    before = a_state(w)
    data = post_data(w, name)
    response = request(client_as(w, role), method, url, data)
    what = f"{method.upper()} {url} ({name}) as {role}"

    assert response.status_code < 500, f"{what}: {describe(response)}"
    if role not in ("a_member", "a_lead"):
        # A form may show back what was typed into it (an e-mail address to reset).
        typed = tuple(str(value) for value in data.values()) if method == "post" else ()
        found = leaked(body(response), typed)
        assert not found, f"{what} shows A's data: {found}"
    must_refuse = (
        role in ("a_member", "a_lead")
        or _scoped_to_a(route)
        or (role == "anonymous" and route.name not in PUBLIC)
    )
    if must_refuse:
        assert is_refusal(response), f"{what}: expected a refusal, got {describe(response)}"
    if route.name not in PUBLIC:
        assert a_state(w) == before, f"{what} changed A's data"


# Invite links and colleague invitations, with tokens that no longer work ---------------


# What a link holder may see on the calm "no longer works" page: the name of the team that
# sent the link and the title of the round it was for (templates/assessments/rounds/answering/
# closed.html and organisations/join_used.html). Nothing else of A's.
def _token_cases():
    for name in sorted(INVITE_LINK):
        for token in ("revoked", "closed", "unknown"):
            for role in ("anonymous", "b_lead"):
                for method in METHODS:
                    yield pytest.param(
                        name, token, role, method, id=f"{name}|{token}|{role}|{method}"
                    )
    for name in sorted(COLLEAGUE_INVITATION):
        for token in ("cancelled", "accepted", "unknown"):
            for role in ("anonymous", "b_lead"):
                for method in METHODS:
                    yield pytest.param(
                        name, token, role, method, id=f"{name}|{token}|{role}|{method}"
                    )


TOKEN_CASES = list(_token_cases())


def _token_for(w: World, kind: str) -> tuple[str, tuple[str, ...], str]:
    """The token, what the page may show, and what it must say if it answers 200."""
    return {
        "revoked": (w.revoked_invite.raw_token, (A_NAME, A_ROUND), "This link no longer works"),
        "closed": (w.closed_invite.raw_token, (A_NAME, A_PREVIOUS_ROUND), "This round has closed"),
        "cancelled": (
            w.cancelled_colleague_invite.raw_token,
            (A_NAME,),
            "This invitation is no longer open",
        ),
        "accepted": (
            w.accepted_colleague_invite.raw_token,
            (A_NAME,),
            "This invitation is no longer open",
        ),
        "unknown": ("0" * 43, (), ""),
    }[kind]


@pytest.mark.parametrize("name,token_kind,role,method", TOKEN_CASES)
def test_dead_tokens_show_a_calm_page_and_nothing_of_a(w, name, token_kind, role, method):
    route = ROUTES_BY_NAME[name]
    token, allowed, says = _token_for(w, token_kind)
    url = fill(w, route, token=token)
    before = a_state(w)
    response = request(client_as(w, role), method, url, post_data(w, name))
    what = f"{method.upper()} {url} ({name}, {token_kind} token) as {role}"

    assert response.status_code < 500, f"{what}: {describe(response)}"
    text = body(response)
    assert not leaked(text, allowed), f"{what} shows A's data: {leaked(text, allowed)}"
    if token_kind == "unknown":
        assert response.status_code in (404, 405), f"{what}: {describe(response)}"
    elif name == ROOM_FOLLOW:
        assert_no_room(response, method, what)
    elif name == INVITE_PRIVACY:
        assert response.status_code == (200 if method == "get" else 405), what
        assert method != "get" or "Privacy notice" in text, what
    elif response.status_code == 200:
        assert says in text, f"{what}: 200 without the calm page ({says!r})"
    else:
        # POST-only autosave: 405 on GET, 409 with a JSON reason on POST
        assert response.status_code in (405, 409), f"{what}: {describe(response)}"
    assert a_state(w) == before, f"{what} changed A's data"


# The projector view: its key, and nothing else, opens it while the workshop lasts ------


def _projector_cases():
    for name in sorted(PROJECTOR):
        for key in ("wrong", "renewed", "ended"):
            for role in ("anonymous", "b_lead", "a_member", "a_lead"):
                for method in METHODS:
                    yield pytest.param(name, key, role, method, id=f"{name}|{key}|{role}|{method}")


PROJECTOR_CASES = list(_projector_cases())


@pytest.mark.parametrize("name,key_kind,role,method", PROJECTOR_CASES)
def test_a_projector_key_that_does_not_work_shows_nothing_of_a(w, name, key_kind, role, method):
    """A wrong key, the key before the lead gave the projector a new address, and the key
    of a workshop that has ended open nothing, whoever is signed in (A's own lead too)."""
    key = w.workshop_a.projector_key
    if key_kind == "wrong":
        key = "0" * len(key)
    elif key_kind == "renewed":
        workshop_projector_renew(workshop=w.workshop_a, by=w.lead_a)
    else:
        workshop_end(workshop=w.workshop_a, by=w.lead_a)
    url = fill(w, ROUTES_BY_NAME[name], key=key)
    before = a_state(w)
    response = request(client_as(w, role), method, url, post_data(w, name))
    what = f"{method.upper()} {url} ({name}, {key_kind} key) as {role}"

    assert response.status_code in (404, 405), f"{what}: {describe(response)}"
    text = body(response)
    assert not leaked(text), f"{what} shows A's data: {leaked(text)}"
    assert a_state(w) == before, f"{what} changed A's data"


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", sorted(PROJECTOR))
def test_the_live_projector_key_shows_the_room_only(w, name, method):
    """Whoever holds the live key sees what the room's screen shows: the round's title, the
    organisation's name and the join code, and counts; no note, person, answer or link."""
    url = fill(w, ROUTES_BY_NAME[name])
    before = a_state(w)
    response = request(client_as(w, "anonymous"), method, url, post_data(w, name))
    what = f"{method.upper()} {url} ({name}) with the live key"

    if method == "post":
        assert response.status_code == 405, f"{what}: {describe(response)}"
    else:
        assert response.status_code == 200, f"{what}: {describe(response)}"
    text = body(response)
    found = leaked(text, (A_NAME, A_ROUND, *WORKSHOP_CODES))
    assert not found, f"{what} shows more of A than the room sees: {found}"
    assert a_state(w) == before, f"{what} changed A's data"


# A live link, opened anywhere but in the browser that started it ------------------------

HOLDERS_ONLY = ("anonymous", "a_lead", "a_member", "b_lead")
# What a phone in a workshop polls to follow the room: for the seat's own browser only;
# anywhere else, and for a link that no longer works, the same "no room" (GET only).
ROOM_FOLLOW = "assessments:invite-room"
# The privacy notice a link opens: for anyone holding the link, its round open or not; it
# reads no answers and says nothing of whether anyone answered.
INVITE_PRIVACY = "assessments:invite-privacy"


def assert_no_room(response, method: str, what: str) -> None:
    if method == "post":
        assert response.status_code == 405, f"{what}: {describe(response)}"
    else:
        assert response.status_code == 404, f"{what}: {describe(response)}"
        assert response.json() == {"live": False}, f"{what}: {describe(response)}"


POST_ONLY = {"assessments:invite-autosave", "assessments:invite-move-here"}


# Only pressing Start, or typing a code to move the answers here, says that the link is in
# use in another browser; every other door answers as it would for a link nobody has used
# (its welcome page, or the way there), so that opening a link one holds does not tell
# whether its person has started.
IN_USE_SAID = {
    ("assessments:invite-start", "post"),
    ("assessments:invite-move-here", "post"),
}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("role", HOLDERS_ONLY)
@pytest.mark.parametrize("name", sorted(INVITE_LINK))
def test_a_live_link_shows_its_answers_only_in_its_own_browser(w, name, role, method):
    """Whoever else holds the link (the lead who made it, someone it was forwarded to)
    sees nothing of the answers, changes nothing, and, unless they press Start, learns
    nothing of whether it has been used."""
    route = ROUTES_BY_NAME[name]
    url = fill(w, route)
    start = fill(w, ROUTES_BY_NAME["assessments:invite-start"])
    before = a_state(w)
    response = request(client_as(w, role), method, url, post_data(w, name))
    what = f"{method.upper()} {url} ({name}) as {role} without the link's browser"

    text = body(response)
    assert A_NOTES[6] not in text and "checked" not in text, f"{what} shows the answers"
    if name == ROOM_FOLLOW:
        assert_no_room(response, method, what)
    elif name == INVITE_PRIVACY:
        assert response.status_code == (200 if method == "get" else 405), what
        assert method != "get" or "Privacy notice" in text, what
        assert "another browser" not in text and "Welcome back" not in text, what
    elif response.status_code == 405:
        assert name in POST_ONLY and method == "get"
    elif (name, method) in IN_USE_SAID:
        assert response.status_code == 403, f"{what}: {describe(response)}"
        assert "another browser" in text, f"{what}: not the calm page"
    elif name == "assessments:invite-start":
        assert response.status_code == 200, f"{what}: {describe(response)}"
        assert "Help us see how well we work with you" in text, f"{what}: not the welcome"
        assert "another browser" not in text and "Welcome back" not in text, what
    elif name == "assessments:invite-autosave":
        assert response.status_code == 400, f"{what}: {describe(response)}"
        assert response.json() == {"error": "Start answering from the first page."}, what
    else:
        assert response.status_code == 302, f"{what}: {describe(response)}"
        assert response["Location"] == start, f"{what}: {describe(response)}"
    assert a_state(w) == before, f"{what} changed A's data"


# Positive controls: the filling is right, so the refusals above mean something ---------


def _lead_routes():
    for route in ROUTES:
        if _is_admin(route.name) or route.name in PUBLIC:
            continue
        if _scoped_to_a(route) or route.name in INVITE_LINK | COLLEAGUE_INVITATION | PROJECTOR:
            yield route.name


@pytest.mark.parametrize("name", list(_lead_routes()))
def test_a_lead_reaches_every_page_of_a(w, name):
    url = fill(w, ROUTES_BY_NAME[name])
    # Link holders need no account: the browser that started A's live link opens its pages.
    role = "link_holder" if name in INVITE_LINK else OWNER.get(name, "a_lead")
    response = client_as(w, role).get(url)
    expected = LEAD_GET_STATUS.get(name, 200)
    assert response.status_code == expected, f"GET {url} ({name}): {describe(response)}"


@pytest.mark.parametrize(
    "name", [r.name for r in ROUTES if _is_admin(r.name) and r.name not in PUBLIC]
)
def test_superuser_reaches_every_admin_page(w, name):
    url = fill(w, ROUTES_BY_NAME[name])
    response = client_as(w, "superuser").get(url)
    expected = ADMIN_GET_STATUS.get(name, 200)
    label, model = _admin_model(name)
    if model is not None and label not in ADMIN_OBJECTS:  # another app's admin
        if "object_id" in ROUTES_BY_NAME[name].params and not model._default_manager.exists():
            expected = 302  # no such row: the admin says so and goes back to its index
    if model is not None and name.endswith(("_add", "_delete")):
        request = RequestFactory().get(url)
        request.user = w.superuser
        model_admin = admin.site._registry[model]
        allowed = (
            model_admin.has_add_permission(request)
            if name.endswith("_add")
            else model_admin.has_delete_permission(request)
        )
        if not allowed:
            expected = 403  # records nobody adds or deletes by hand (framework content, tasks)
    assert response.status_code == expected, f"GET {url} ({name}): {describe(response)}"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_are_public(w, name):
    url = fill(w, ROUTES_BY_NAME[name])
    response = client_as(w, "anonymous").get(url)
    expected = PUBLIC_GET_STATUS.get(name, 200)
    assert response.status_code == expected, f"GET {url} ({name}): {describe(response)}"


# The probe itself ----------------------------------------------------------------------


@pytest.mark.parametrize("name", [r.name for r in ROUTES if r.params])
def test_fill_knows_every_parameter(w, name):
    try:
        fill(w, ROUTES_BY_NAME[name])
    except FillError as exc:
        pytest.fail(str(exc))


def test_probe_covers_the_url_configuration():
    names = {route.name for route in ROUTES}
    assessments = {f"assessments:{p.name}" for p in assessments_urls.urlpatterns if p.name}
    assert assessments, "assessments.urls has no named URLs?"
    assert assessments <= names, f"not probed: {sorted(assessments - names)}"
    assert {"principles:framework", "principles:principle", "admin:index"} <= names
    assert len([r for r in ROUTES if r.params]) >= 30
    # Every assessments URL is probed by outsiders, and every A-scoped one by A's lead.
    probed = (
        {case.values[0] for case in OUTSIDER_CASES}
        | {c.values[0] for c in TOKEN_CASES}
        | {c.values[0] for c in PROJECTOR_CASES}
    )
    assert assessments <= probed
    for name in PUBLIC | INVITE_LINK | COLLEAGUE_INVITATION | PROJECTOR | set(LEAD_ONLY):
        assert name in names, f"{name} is in the probe's tables but not in the URLs"
