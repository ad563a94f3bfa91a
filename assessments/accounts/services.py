"""Every write to people and organisations, as ``<noun>_<verb>`` functions with keyword-only
arguments: organisations, colleagues and roles, the activity log, deleting data.
"""

import logging
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext

from assessments import mail
from assessments.accounts import activity
from assessments.accounts.models import (
    AuditEvent,
    AuditKind,
    ColleagueInvite,
    Membership,
    Organisation,
    Role,
    User,
    new_token,
    token_hash,
)
from assessments.accounts.selectors import email_verified, unconfirmed_signups
from assessments.errors import EmailNotVerified, MailNotSent, ServiceError

logger = logging.getLogger(__name__)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def require_lead(*, user: User | None, organisation: Organisation | int) -> None:
    """Refuse a change by someone who is not a lead of the organisation. ``None`` is the
    system itself (a management command, the demo data), which may make any change."""
    if user is None:
        return
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    if not (
        user.is_authenticated
        and Membership.objects.filter(
            user=user, organisation_id=organisation_id, role=Role.LEAD
        ).exists()
    ):
        raise ServiceError(gettext("Only a lead of this organisation can do that."))


@transaction.atomic
def audit_record(
    *,
    organisation: Organisation | int,
    kind: str,
    what: str = "",
    details: Mapping[str, Any] | None = None,
    summary: str = "",
    actor: User | None = None,
    round: Model | None = None,  # the Round it is about (a layer above: not imported)
    reason: str = "",
    at: datetime | None = None,
) -> AuditEvent:
    """Note an event in the organisation's activity log: ``what`` names its sentence in
    ``activity.SENTENCES`` and ``details`` gives that sentence's values, so that each reader
    reads it in their own language (the English is kept too, as ``summary``). A line with
    no sentence gives its ``summary`` instead. The values name people by their account
    only (never a respondent, an answer, a note or a link's token)."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    kept: dict[str, Any] = {}
    if what:
        if what not in activity.SENTENCES:
            raise ValueError(f"No sentence for the activity log called {what!r}")
        kept = {"what": what, **activity.stored(details or {})}
        with translation.override(settings.LANGUAGE_CODE):
            summary = activity.words(kept)
    return AuditEvent.objects.create(
        organisation_id=organisation_id,
        kind=kind,
        details=kept,
        summary=summary[:300],
        actor=actor if actor is not None and actor.is_authenticated else None,
        round_id=round.pk if round is not None else None,
        reason=reason,
        at=at or timezone.now(),
    )


def email_address_verify(*, user: User) -> None:
    """Record that the address ``user`` signs in with is theirs (demo accounts, accounts
    made by an administrator, tests). People prove it themselves with the e-mailed link."""
    EmailAddress.objects.update_or_create(
        user=user,
        email__iexact=user.email,
        defaults={"email": user.email, "verified": True, "primary": True},
    )


@transaction.atomic
def signup_unconfirmed_remove(*, email: str) -> int:
    """Make way for a new sign-up with ``email``: an earlier one with it whose link was never
    opened (``selectors.unconfirmed_signups``) is removed, and its links with it. Returns how
    many accounts went (0 or 1)."""
    pks = list(unconfirmed_signups(email).values_list("pk", flat=True))
    if pks:
        User.objects.filter(pk__in=pks).delete()
        logger.info("unconfirmed sign-up replaced by a new one")
    return len(pks)


@transaction.atomic
def email_address_confirmed(*, address: EmailAddress) -> None:
    """``address`` was just confirmed by its account: no other account keeps an unconfirmed
    copy of it. An unconfirmed sign-up with it is removed whole (it holds nothing); any other
    account loses only the extra address it added."""
    signups = set(unconfirmed_signups(address.email).values_list("pk", flat=True))
    others = (
        EmailAddress.objects.filter(email__iexact=address.email, verified=False)
        .exclude(user_id=address.user_id)
        .select_related("user")
    )
    for other in others:
        if other.user_id in signups:
            other.user.delete()
        elif other.user.email.lower() != other.email.lower():
            other.delete()
        # Otherwise it is the address some account signs in with, and that account has been
        # used: it stays, and can no longer be confirmed by that account.


def require_verified_email(user: User) -> None:
    if not email_verified(user):
        raise EmailNotVerified(
            gettext("Confirm your e-mail address first: open the link we e-mailed you.")
        )


@transaction.atomic
def organisation_create(*, name: str, lead: User, bilingual_emails: bool = False) -> Organisation:
    require_verified_email(lead)
    name = name.strip()
    if not name:
        raise ServiceError(gettext("Enter a name."))
    organisation = Organisation.objects.create(
        name=name, slug=_unique_slug(name), bilingual_emails=bilingual_emails
    )
    Membership.objects.create(user=lead, organisation=organisation, role=Role.LEAD)
    return organisation


def colleague_invite(
    *, organisation: Organisation, email: str, role: str, invited_by: User
) -> ColleagueInvite:
    """Invite a colleague by e-mail. The invitation and its line in the activity log are
    saved together, and the e-mail goes out once they are committed. If the mail server
    fails, the invitation stays, valid, and MailNotSent says so: the lead can send it
    again with ``colleague_invite_resend``, or by inviting the same address again."""
    require_lead(user=invited_by, organisation=organisation)
    if role not in Role.values:
        raise ServiceError(gettext("Choose lead or member."))
    email = email.strip().lower()
    if role not in Role.values:
        raise ServiceError(gettext("Choose lead or member."))
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ServiceError(
            gettext("%(email)s is already a member of %(organisation)s.")
            % {"email": email, "organisation": organisation}
        )
    try:
        with transaction.atomic(durable=True):
            # An invitation whose e-mail never went out is not "already invited": inviting
            # again sends that one, with the role chosen now.
            invite = (
                ColleagueInvite.objects.select_for_update()
                .filter(
                    organisation=organisation,
                    email__iexact=email,
                    sent_at__isnull=True,
                    accepted_at__isnull=True,
                    cancelled_at__isnull=True,
                )
                .first()
            )
            news = invite is None or invite.role != role  # for the activity log
            if invite is None:
                invite = ColleagueInvite.objects.create(
                    organisation=organisation,
                    email=email,
                    role=role,
                    invited_by=invited_by,
                    # A token nobody knows until the e-mail goes out with a fresh one.
                    token_hash=token_hash(new_token()),
                )
            elif news:
                invite.role = role
                invite.save(update_fields=["role"])
            if news:
                audit_record(
                    organisation=organisation,
                    kind=AuditKind.COLLEAGUE_INVITED,
                    what=f"colleague_invited_{role}",
                    details={"email": email},
                    actor=invited_by,
                )
    except IntegrityError as exc:
        raise ServiceError(
            gettext(
                "%(email)s has already been invited and has not answered yet. To send the "
                "e-mail again, use Resend beside the invitation."
            )
            % {"email": email}
        ) from exc
    _colleague_invite_email(
        invite,
        failure=gettext(
            "We saved the invitation to %(email)s but could not send the e-mail just now. "
            "Try sending it again with Resend, under “Invitations waiting for an answer”."
        )
        % {"email": email},
    )
    return invite


def colleague_invite_resend(*, invite: ColleagueInvite, by: User | None = None) -> ColleagueInvite:
    """E-mail a pending invitation again: the mail server failed the first time, or the
    e-mail went astray. The link in it is the same. For the organisation's leads."""
    require_lead(user=by, organisation=invite.organisation_id)
    if not invite.is_pending:
        raise ServiceError(gettext("This invitation has already been used or was cancelled."))
    if mail.being_sent(invite):
        raise ServiceError(
            gettext(
                "The invitation to %(email)s is being sent. Wait a few minutes, then look "
                "again before you resend it."
            )
            % {"email": invite.email}
        )
    _colleague_invite_email(
        invite,
        failure=gettext(
            "We could not send the e-mail to %(email)s just now. Try again in a few minutes."
        )
        % {"email": invite.email},
    )
    return invite


def _colleague_invite_email(invite: ColleagueInvite, *, failure: str) -> None:
    """E-mail the invitation with a fresh one-use token in its link (the database keeps
    only its hash, so each e-mail, the first or a resend, makes the earlier link stop
    working). The token is on ``invite.raw_token`` afterwards, for the caller alone."""
    invite.raw_token = new_token()
    invite.token_hash = token_hash(invite.raw_token)
    ColleagueInvite.objects.filter(pk=invite.pk).update(token_hash=invite.token_hash)
    context = {
        "invite": invite,
        "url": mail.site_url(invite_accept_path(invite.raw_token)),
        "by": invite.invited_by,
    }
    try:
        mail.send(
            mail.Message.COLLEAGUE_INVITATION,
            to=invite.email,
            context=context,
            about=invite,
            by=invite.invited_by,
        )
    except MailNotSent as exc:
        raise MailNotSent(failure) from exc
    # Set by the worker once the e-mail has gone (at once when tasks run at once).
    invite.sent_at = ColleagueInvite.objects.values_list("sent_at", flat=True).get(pk=invite.pk)


def invite_accept_path(token: str) -> str:
    from django.urls import reverse

    return reverse("assessments:join", kwargs={"token": token})


@transaction.atomic
def colleague_invite_accept(*, invite: ColleagueInvite, user: User, token: str) -> Membership:
    """Join with the invitation's one-use token (from the e-mailed link), signed in with
    the address it was sent to, once that address is verified."""
    invite = ColleagueInvite.objects.select_for_update().get(pk=invite.pk)
    if not secrets.compare_digest(invite.token_hash, token_hash(token or "")):
        raise ServiceError(
            gettext("This link is not the one in the invitation. Open the latest e-mail.")
        )
    if not invite.is_pending:
        raise ServiceError(gettext("This invitation has already been used or was cancelled."))
    require_verified_email(user)
    if user.email.lower() != invite.email.lower():
        raise ServiceError(
            gettext("This invitation is for %(email)s. Sign in with that address to accept it.")
            % {"email": invite.email}
        )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invite.organisation, defaults={"role": invite.role}
    )
    invite.accepted_at = timezone.now()
    invite.save(update_fields=["accepted_at"])
    if created:
        audit_record(
            organisation=invite.organisation,
            kind=AuditKind.MEMBER_JOINED,
            what=f"member_joined_{membership.role}",
            details={"email": user.email},
            actor=user,
        )
    return membership


@transaction.atomic
def colleague_invite_cancel(*, invite: ColleagueInvite, by: User | None = None) -> None:
    """Withdraw an invitation not yet accepted; cancelling it twice is harmless."""
    locked = ColleagueInvite.objects.select_for_update().get(pk=invite.pk)
    require_lead(user=by, organisation=locked.organisation_id)
    if locked.accepted_at is not None:
        raise ServiceError(
            gettext("%(email)s has already accepted the invitation.") % {"email": locked.email}
        )
    if locked.cancelled_at is None:
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at"])
    invite.cancelled_at = locked.cancelled_at


def _check_not_last_lead(membership: Membership) -> None:
    if not membership.is_lead:
        return
    leads = Membership.objects.select_for_update().filter(
        organisation_id=membership.organisation_id, role=Role.LEAD
    )
    if len(leads) <= 1:
        raise ServiceError(
            gettext("An organisation needs at least one lead. Make someone else a lead first.")
        )


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: str, by: User | None = None
) -> Membership:
    if role not in Role.values:
        raise ServiceError(gettext("Choose lead or member."))
    require_lead(user=by, organisation=membership.organisation_id)
    if role != membership.role:
        if role == Role.MEMBER:
            _check_not_last_lead(membership)
        membership.role = role
        membership.save(update_fields=["role"])
        audit_record(
            organisation=membership.organisation_id,
            kind=AuditKind.ROLE_CHANGED,
            what=f"role_{membership.role}",
            details={"email": membership.user.email},
            actor=by,
        )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User | None = None) -> None:
    """Remove someone from an organisation: a lead removes anyone, anyone may leave."""
    if by is None or by.pk != membership.user_id:
        require_lead(user=by, organisation=membership.organisation_id)
    _check_not_last_lead(membership)
    membership.delete()
    audit_record(
        organisation=membership.organisation_id,
        kind=AuditKind.MEMBER_REMOVED,
        what="member_left" if by is not None and by.pk == membership.user_id else "member_removed",
        details={"email": membership.user.email},
        actor=by,
    )


def user_language_set(*, user: User, language: str) -> None:
    """Keep the language ``user`` chose on their account, so the site opens in it wherever
    they sign in. ``language`` is one of settings.LANGUAGES."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Not a language of the site: {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
