"""Who may see what: one helper per object type, called in the first line of every view.

Each returns the object (with the caller's membership) or raises:
- Http404 when the caller is not in the organisation at all, so that nobody can learn
  that another organisation's round or action exists;
- PermissionDenied (403) when the caller is a member but the page needs a lead.
Anonymous visitors never reach these: the views are behind ``login_required``, which
sends them to sign in. Invite-link holders go through ``invite_for_token`` instead.

A framework made on the site (``own_framework_for_user``) is its owner's: the leads of its
organisation or the facilitator of its cohort change it; the organisation's members, and
once it is published the cohort's member organisations, read it; so may a site
administrator, who decides whether it joins the shared library. Anyone else gets 404.

Cohorts follow the same rule: a cohort's dashboard and exports are for its facilitator only
(404 for everyone else, except the leads and members of an organisation in it, who know the
cohort exists and get 403); an organisation's view of a cohort is for its own members.
"""

from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone

from assessments.accounts.models import ColleagueInvite, Membership, Organisation, User
from assessments.accounts.two_step import require_two_step
from assessments.cohorts.models import Cohort, CohortInvitation, CohortMember
from assessments.jobs.models import Export
from assessments.library.models import OwnFramework
from assessments.library.services import may_manage
from assessments.rounds.models import Action, Evidence, Invite, Round, token_hash
from assessments.web import handwritten
from coprod.queries import only_row
from principles.models import PracticeStatement, Principle

_T = TypeVar("_T", bound=Model)
# Whoever is asking: a person signed in, or nobody (each helper then answers 404).
Reader = User | AnonymousUser


@dataclass(frozen=True)
class Access:
    membership: Membership

    @property
    def is_lead(self) -> bool:
        return self.membership.is_lead

    def require_lead(self) -> None:
        """For a page or action only a lead may use, once the membership is known."""
        _require(self.membership, lead=True)


def _found(queryset: QuerySet[_T], message: str = "", **lookup: object) -> _T:
    """The row ``lookup`` names in ``queryset``, or 404 (with ``message``, if any). The
    lookups name one row (a key, a token's hash), so no order is asked of the database."""
    found = only_row(queryset.filter(**lookup))
    if found is None:
        raise Http404(message)
    return found


def _membership(user: Reader, organisation_id: int) -> Membership:
    if not user.is_authenticated:
        raise Http404
    return _found(
        Membership.objects.select_related("organisation"),
        user=user,
        organisation_id=organisation_id,
    )


def _require(membership: Membership, lead: bool) -> None:
    if lead and not membership.is_lead:
        raise PermissionDenied("Only a lead of this organisation can do that.")


def _access(user: Reader, organisation_id: int, lead: bool) -> Access:
    membership = _membership(user, organisation_id)
    _require(membership, lead)
    require_two_step(user, membership.organisation)
    return Access(membership)


def organisation_for_user(
    user: Reader, slug: str, *, lead: bool = False
) -> tuple[Organisation, Access]:
    organisation = _found(Organisation.objects.all(), slug=slug)
    return organisation, _access(user, organisation.pk, lead)


def round_for_user(user: Reader, pk: int, *, lead: bool = False) -> tuple[Round, Access]:
    """The round and the person's membership of its organisation, in one query (every page
    of a round asks this first): 404 when there is no such round or they are not a member,
    as for any other organisation's data. The query is written by hand (``web.handwritten``
    says why)."""
    if not user.is_authenticated:
        raise Http404
    found = handwritten.round_with_membership(pk, user.pk)
    if found is None:
        raise Http404
    round_, membership = found
    _require(membership, lead)
    require_two_step(user, round_.organisation)
    return round_, Access(membership)


def action_for_user(user: Reader, pk: int, *, lead: bool = True) -> tuple[Action, Access]:
    action = _found(
        Action.objects.select_related("round__organisation", "round__framework", "principle"),
        pk=pk,
    )
    return action, _access(user, action.round.organisation_id, lead)


def _token_looks_valid(token: str) -> bool:
    # A NUL byte (``/r/%00/``) is never in a token, and PostgreSQL refuses it in a query.
    return bool(token) and len(token) <= 64 and "\x00" not in token


def invite_for_token(token: str) -> Invite:
    """The invite behind a link, found by the hash of its token (the only thing stored).
    Unknown tokens are 404; revoked links and closed rounds are returned so the view can
    show a kind page saying so. The invite comes back with its ``raw_token``: whoever asks
    holds the link already."""
    if not _token_looks_valid(token):
        raise Http404
    invite = _found(
        Invite.objects.select_related(
            "round__organisation", "round__framework", "round__instrument"
        ),
        token_hash=token_hash(token),
    )
    invite.raw_token = token
    return invite


def cohort_for_user(user: Reader, pk: int, *, own_row: bool = False) -> Cohort:
    """A cohort for its facilitator. The leads and members of an organisation in the cohort
    get 403 (they know it exists, but the dashboard compares organisations by name); anyone
    else gets 404, a facilitator of another cohort included. With ``own_row`` the cohort's
    framework and facilitator are not loaded with it (for a request that needs neither,
    asking for the summary PDF): that read is written by hand (``web.handwritten`` says
    why)."""
    if not user.is_authenticated:
        raise Http404
    if own_row:
        cohort = handwritten.cohort(pk)
        if cohort is None:
            raise Http404
        return cohort_facilitated_by(user, cohort)
    cohorts = Cohort.objects.select_related("framework", "facilitator")
    return cohort_facilitated_by(user, _found(cohorts, pk=pk))


def cohort_facilitated_by(user: Reader, cohort: Cohort) -> Cohort:
    """``cohort_for_user``'s rule, for a cohort already loaded (an export's)."""
    if not user.is_authenticated:
        raise Http404
    if cohort.facilitator_id == user.pk:
        return cohort
    if CohortMember.objects.filter(cohort=cohort, organisation__memberships__user=user).exists():
        raise PermissionDenied("Only the cohort's facilitator can see the cohort's figures.")
    raise Http404


def own_framework_for_user(user: Reader, pk: int, *, manage: bool = False) -> OwnFramework:
    """A framework made on the site, for whoever may read it (see the module's docstring);
    with ``manage``, for whoever may change it: 403 for those who may only read it."""
    if not user.is_authenticated:
        raise Http404
    own = _found(OwnFramework.objects.select_related("organisation", "cohort"), pk=pk)
    if may_manage(user, own):
        if own.organisation is not None:
            require_two_step(user, own.organisation)
        return own
    if own.organisation is not None:
        reads = Membership.objects.filter(user=user, organisation=own.organisation).exists()
    else:  # a cohort's organisations, once it is published
        reads = (
            own.is_published
            and CohortMember.objects.filter(
                cohort=own.cohort, organisation__memberships__user=user
            ).exists()
        )
    if not (user.is_staff or reads):
        raise Http404
    if manage:
        raise PermissionDenied("Only the lead or the facilitator who owns it can change it.")
    return own


def cohort_member_for_user(
    user: Reader, slug: str, cohort_pk: int, *, lead: bool = False
) -> tuple[CohortMember, Access]:
    """An organisation's place in a cohort, for the organisation's own members (and, with
    ``lead``, its leads only)."""
    organisation, access = organisation_for_user(user, slug, lead=lead)
    member = _found(
        CohortMember.objects.select_related("cohort__framework", "cohort__facilitator"),
        organisation=organisation,
        cohort_id=cohort_pk,
    )
    member.organisation = organisation
    return member, access


def cohort_invitation_for_user(user: Reader, pk: int) -> CohortInvitation:
    """An invitation for the person it was sent to (matched by e-mail address); 404 for
    anyone else, so that nobody can learn of a cohort by trying numbers."""
    if not user.is_authenticated:
        raise Http404
    return _found(
        CohortInvitation.objects.select_related("cohort__framework", "cohort__facilitator"),
        pk=pk,
        email__iexact=user.email,
    )


def colleague_invite_for_token(token: str) -> ColleagueInvite:
    """The colleague invitation behind a join link, used or not (the view says which);
    404 for a token that was never made."""
    if not _token_looks_valid(token):
        raise Http404
    invite = _found(
        ColleagueInvite.objects.select_related("organisation", "invited_by"),
        token_hash=token_hash(token),
    )
    invite.raw_token = token
    return invite


# Children looked up inside a parent the caller may already see: a number from the address
# that belongs to another parent is simply not found.


def membership_in(organisation: Organisation, pk: int) -> Membership:
    membership = _found(Membership.objects.select_related("user"), pk=pk, organisation=organisation)
    membership.organisation = organisation
    return membership


def colleague_invite_in(organisation: Organisation, pk: int) -> ColleagueInvite:
    return _found(ColleagueInvite.objects.all(), pk=pk, organisation=organisation)


def invite_in_round(round_: Round, pk: int) -> Invite:
    invite = _found(Invite.objects.all(), pk=pk, round=round_)
    invite.round = round_  # already loaded with its organisation: no second query
    return invite


def evidence_in_round(round_: Round, pk: int) -> Evidence:
    """A piece of evidence behind one of the round's agreed positions."""
    evidence = _found(
        Evidence.objects.select_related("position__statement"),
        "There is no such evidence in this round.",
        pk=pk,
        position__round=round_,
    )
    evidence.position.round = round_  # already loaded with its organisation
    return evidence


def principle_in_round(round_: Round, number: int) -> Principle:
    """The round's principle with this number (its order in the framework)."""
    if number > 1000:  # a typed address: past any framework, and past a small integer column
        raise Http404("That principle is not part of this round.")
    return _found(
        Principle.objects.all(),
        "That principle is not part of this round.",
        order=number,
        framework_id=round_.framework_id,
    )


def statement_in_round(round_: Round, pk: int) -> PracticeStatement:
    return _found(
        PracticeStatement.objects.select_related("principle"),
        "That statement is not part of this round.",
        pk=pk,
        principle__framework_id=round_.framework_id,
    )


def cohort_invitation_in(cohort: Cohort, pk: int) -> CohortInvitation:
    invitation = _found(
        CohortInvitation.objects.all(),
        "There is no such invitation in this cohort.",
        pk=pk,
        cohort=cohort,
    )
    invitation.cohort = cohort  # already loaded: no second query for its name
    return invitation


def export_for_user(user: Reader, pk: UUID | str) -> Export:
    """The export, for the person who asked for it while the download's own rule still lets
    them have it; 404 for anyone else (nobody learns that someone else's export exists)."""
    export = (
        Export.objects.defer("content")
        .select_related("cohort", "organisation")
        .filter(pk=pk, requested_by_id=user.pk, expires_at__gt=timezone.now())
        .first()
    )
    if export is None:
        raise Http404
    if export.cohort is not None:
        cohort_facilitated_by(user, export.cohort)
    elif export.organisation is not None:
        organisation_for_user(user, export.organisation.slug, lead=True)
    else:  # what it was of is gone (its rows go with it; this is a race)
        raise Http404
    return export
