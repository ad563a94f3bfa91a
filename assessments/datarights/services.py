"""Deleting an organisation or an account, and everything that goes with it."""

import logging

from django.db import transaction
from django.utils.translation import ngettext

from assessments.accounts.models import AuditKind, Membership, Organisation, Role, User
from assessments.accounts.services import audit_record, require_lead
from assessments.cohorts import services as cohorts
from assessments.errors import ServiceError
from assessments.library import services as library

logger = logging.getLogger(__name__)


def organisation_delete(*, organisation: Organisation, by: User) -> None:
    """Delete the organisation and everything it holds: rounds, answers and notes, answer
    links, agreed positions, actions, memberships, invitations, its activity log, and the
    frameworks it made on the site that no other organisation's round uses. Cohort figures
    are computed from what remains, so they no longer include it."""
    require_lead(user=by, organisation=organisation)
    with transaction.atomic():
        in_cohorts = cohorts.cohorts_of(organisation.pk)
        made_here = library.own_slugs(organisations=[organisation.pk])
        Organisation.objects.filter(pk=organisation.pk).delete()
        library.unused_frameworks_delete(made_here)
        cohorts.cohorts_refresh(in_cohorts)
    logger.info("organisation deleted", extra={"organisation_id": organisation.pk})


def account_blockers(user: User) -> list[Organisation]:
    """Organisations in which this person is the only lead while others belong: they must
    make someone else a lead before deleting their account."""
    blocking = []
    for membership in Membership.objects.filter(user=user, role=Role.LEAD).select_related(
        "organisation"
    ):
        organisation = membership.organisation
        others = Membership.objects.filter(organisation=organisation).exclude(user=user)
        if others.exists() and not others.filter(role=Role.LEAD).exists():
            blocking.append(organisation)
    return blocking


def account_sole_organisations(user: User) -> list[Organisation]:
    """Organisations this person is the only member of: they go with the account."""
    return [
        m.organisation
        for m in Membership.objects.filter(user=user).select_related("organisation")
        if not Membership.objects.filter(organisation=m.organisation).exclude(user=user).exists()
    ]


def account_delete(*, user: User) -> None:
    """Delete a person's account: their memberships, the answers they gave signed in, the
    cohorts they run, and any organisation they were the only member of, with the
    frameworks those made on the site that no remaining round uses. Refused while
    they are the only lead of an organisation others still belong to."""
    user_id = user.pk
    with transaction.atomic():
        blockers = account_blockers(user)
        if blockers:
            names = ", ".join(o.name for o in blockers)
            raise ServiceError(
                ngettext(
                    "You are the only lead of %(names)s. Make someone else a lead first, so "
                    "the organisation is not left without one.",
                    "You are the only lead of %(names)s. Make someone else a lead first, so "
                    "no organisation is left without one.",
                    len(blockers),
                )
                % {"names": names}
            )
        in_cohorts = []
        sole = account_sole_organisations(user)
        made_there = library.own_slugs(
            organisations=[o.pk for o in sole], cohorts=user.cohorts_run.values("pk")
        )
        for organisation in sole:
            in_cohorts += cohorts.cohorts_of(organisation.pk)
            Organisation.objects.filter(pk=organisation.pk).delete()
        for membership in Membership.objects.filter(user=user):
            audit_record(
                organisation=membership.organisation_id,
                kind=AuditKind.MEMBER_LEFT,
                what="account_deleted",
            )
        user.delete()
        library.unused_frameworks_delete(made_there)
        cohorts.cohorts_refresh(in_cohorts)  # those the account ran are gone with it
    logger.info("account deleted", extra={"user_id": user_id})
