"""Answer links: made in batches (only each token's hash is kept), e-mailed, replaced and
revoked."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments import mail
from assessments.accounts.models import AuditKind, User, new_token
from assessments.accounts.services import audit_record, require_lead
from assessments.errors import MailNotSent, ServiceError
from assessments.rounds.models import Invite, Perspective, Round, RoundStatus, token_hash
from assessments.rounds.services.lifecycle import _locked
from principles.models import Framework

MAX_BATCH = 200


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Whatever is written inside it in a link's language (``Invite.language``); a link
    without one, in the language already active."""
    if language:
        with translation.override(language):
            yield
    else:
        yield


MIN_TOKEN_LENGTH = 43  # 256 bits in URL-safe base64, as new_token() makes them


def _new_invites(
    *,
    round: Round,
    perspective: str,
    labels: list[str],
    email: str,
    by: User | None,
    tokens: Sequence[str] | None,
    easy_read: bool = False,
    language: str = "",
) -> list[Invite]:
    """Save one invite per label, keeping only the hash of each token; the invites come
    back with their ``raw_token`` for the page that shows them once."""
    tokens = list(tokens) if tokens is not None else [new_token() for _ in labels]
    if len(tokens) != len(labels) or len(set(tokens)) != len(tokens):
        raise ServiceError("Each new link needs a token of its own.")
    if any(len(token) < MIN_TOKEN_LENGTH for token in tokens):
        raise ServiceError("A link's token must be at least 256 bits.")
    by_hash = {token_hash(token): token for token in tokens}
    Invite.objects.bulk_create(
        [
            Invite(
                round=round,
                perspective=perspective,
                label=label,
                email=email,
                easy_read=easy_read,
                language=language,
                created_by=by,
                token_hash=hashed,
            )
            for label, hashed in zip(labels, by_hash, strict=True)
        ]
    )
    made = list(Invite.objects.filter(token_hash__in=by_hash).order_by("pk"))
    for invite in made:
        invite.raw_token = by_hash[invite.token_hash]
        invite.round = round
    return made


def invites_create(
    *,
    round: Round,
    perspective: str,
    count: int = 1,
    label: str = "",
    email: str = "",
    by: User | None,
    tokens: Sequence[str] | None = None,
    easy_read: bool = False,
    language: str = "",
) -> list[Invite]:
    """Make ``count`` links, with ``tokens`` if given (the page that shows them once
    derives them from a key it keeps; see ``rounds/new_links.py``), or new random ones.
    They open in ``language`` (one of settings.LANGUAGES; empty: in the visitor's own).
    Each invite returned carries its ``raw_token``; the database keeps only its hash. The
    links returned are exactly those made, whoever else is making links at the same moment."""
    with transaction.atomic():
        locked = _locked(round)
        require_lead(user=by, organisation=locked.organisation_id)
        if locked.is_closed:
            raise ServiceError(_("This round is closed. Reopen it before making new links."))
        if perspective not in Perspective.values:
            raise ServiceError(_("Choose the perspective of the people who will use these links."))
        if not 1 <= count <= MAX_BATCH:
            raise ServiceError(
                _("Make between 1 and %(max)s links at a time.") % {"max": MAX_BATCH}
            )
        if email and count != 1:
            raise ServiceError(_("An e-mail address can only be given when making 1 link."))
        if language and language not in dict(settings.LANGUAGES):
            raise ServiceError(_("Choose a language the site is offered in."))
        if easy_read:
            framework = Framework.objects.only("name", "has_easy_read").get(pk=locked.framework_id)
            if not framework.has_easy_read:
                raise ServiceError(
                    _(
                        "%(framework)s has no easy-read wording, so its links open in "
                        "standard words."
                    )
                    % {"framework": framework.name}
                )
        labels = [
            f"{label} {n}".strip() if count > 1 and label else label for n in range(1, count + 1)
        ]
        return _new_invites(
            round=round,
            perspective=perspective,
            labels=labels,
            email=email,
            by=by,
            tokens=tokens,
            easy_read=easy_read,
            language=language,
        )


def invite_send(*, invite: Invite, email: str) -> Invite:
    """E-mail a link just made (its ``raw_token`` is known only then) to the person it is
    for. Their address is kept only to show it was sent. If the mail server fails, the link
    is as it was and MailNotSent says so."""
    revoked_at, status = (
        Invite.objects.filter(pk=invite.pk).values_list("revoked_at", "round__status").get()
    )
    if status == RoundStatus.CLOSED:
        raise ServiceError(_("This round is closed, so its links no longer work."))
    if revoked_at is not None:
        raise ServiceError(_("This link was revoked, so it cannot be sent."))
    if not invite.raw_token or token_hash(invite.raw_token) != invite.token_hash:
        raise ServiceError(
            _(
                "This link's address is no longer known (only a fingerprint of it is kept), "
                "so it cannot be sent. Make a fresh link for this person instead."
            )
        )
    context = {
        "invite": invite,
        "round": invite.round,
        "url": mail.site_url(invite.path),
    }
    invite.email = email
    Invite.objects.filter(pk=invite.pk).update(email=email)
    try:
        with in_language(invite.language):  # the e-mail in the link's language
            mail.send(mail.Message.ANSWER_LINK, to=email, context=context, about=invite)
    except MailNotSent as exc:
        raise MailNotSent(
            _(
                "The e-mail to %(email)s could not be sent just now. Try sending it again, or "
                "copy the link and send it yourself."
            )
            % {"email": email}
        ) from exc
    # Set by the worker once the e-mail has gone (at once when tasks run at once).
    invite.sent_at = Invite.objects.values_list("sent_at", flat=True).get(pk=invite.pk)
    return invite


def invite_replace(
    *, invite: Invite, by: User, token: str | None = None, email: str = ""
) -> Invite:
    """A fresh link for someone who lost theirs: the old link is revoked and a new one made
    with the same perspective and label (and the address it is about to be e-mailed to,
    if any). The new link starts empty: it never opens the old link's answers (they stay
    in the results, unseen)."""
    with transaction.atomic():
        old = Invite.objects.select_for_update().get(pk=invite.pk)
        if invite.round.is_closed:
            raise ServiceError(_("This round is closed. Reopen it before making new links."))
        if old.revoked_at is not None:
            raise ServiceError(_("This link was revoked already. Make a new link instead."))
        old.revoked_at = timezone.now()
        old.save(update_fields=["revoked_at"])
        (fresh,) = _new_invites(
            round=invite.round,
            perspective=old.perspective,
            labels=[old.label],
            email=email,
            by=by,
            tokens=None if token is None else [token],
            easy_read=old.easy_read,
            language=old.language,
        )
        _audit_link_revoked(old, invite.round, by, replaced=True)
    invite.revoked_at = old.revoked_at
    return fresh


def _audit_link_revoked(invite: Invite, round: Round, by: User | None, *, replaced: bool) -> None:
    """The activity log's line for a revoked link: its label or number and perspective,
    never who it was for beyond the label, nor anything answered through it."""
    how = "replaced" if replaced else "revoked"
    audit_record(
        organisation=round.organisation_id,
        kind=AuditKind.LINK_REVOKED,
        what=f"link_{how}_label" if invite.label else f"link_{how}_number",
        details={
            "label": invite.label,
            "number": invite.pk,
            "perspective": invite.perspective,
            "round": round.title,
        },
        actor=by,
        round=round,
    )


def invite_revoke(*, invite: Invite, by: User | None = None) -> None:
    """Stop a link working, noted in the activity log; revoking it again changes nothing."""
    with transaction.atomic():
        locked = (
            Invite.objects.select_for_update(of=("self",)).select_related("round").get(pk=invite.pk)
        )
        require_lead(user=by, organisation=locked.round.organisation_id)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            _audit_link_revoked(locked, locked.round, by, replaced=False)
    invite.revoked_at = locked.revoked_at
