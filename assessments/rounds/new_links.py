"""Links just made, shown once: to the lead who made them, in the browser they made them
in, for 30 minutes.

The database keeps only a hash of each link's token (``models.token_hash``), so a link
cannot be shown again from what is stored. So that the lead can still copy, print or
e-mail new links for a little while, each batch of links gets a random 256-bit key.

Each link also has a short code, for people who are given it on paper and would struggle to
type a 43-character address: link n of the batch has the code made from
HMAC-SHA256(key, "code:n") (10 characters without look-alikes, see ``coprod.codes``), and
the token HMAC-SHA256(server secret, code) as URL-safe base64 (43 characters, like
``new_token``). Typing the code at /go (``code_token``) leads to the link; nobody without
the server's secret can go from a code to a token, so a code can only be tried at /go, which
limits wrong guesses per network address (``views.go``).

The batch's key lives only in a signed, HttpOnly cookie in the lead's browser, limited to
the round's links pages, for 30 minutes; its signature ties it to the round, the lead and
their signed-in session. The server keeps no token and no key, not even in the session
table: once the cookie has gone (30 minutes on, "Hide these links", signing out), nobody can
see those links again, the lead included. Someone who has lost their link gets a fresh one
instead (``services.invite_replace``).
"""

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from assessments.mail import with_mail_status
from assessments.rounds.models import Invite, Round, token_hash
from coprod import codes

LIFETIME = timedelta(minutes=30)
COOKIE = "new_links"
MAX_BATCHES = 10  # the newest ones, so that the cookie stays small
CODE_LENGTH = 10  # 20**10, about 2**43: see SECURITY.md for what guessing at /go can reach


def code_token(code: str) -> str:
    """The token of the link with this short code (normalised, see ``coprod.codes``)."""
    digest = salted_hmac("coprod.short-code", code, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode()[:43]


def _code(key: bytes, n: int) -> str:
    number = int.from_bytes(hmac.new(key, f"code:{n}".encode(), hashlib.sha256).digest())
    letters = []
    for _ in range(CODE_LENGTH):
        number, digit = divmod(number, len(codes.ALPHABET))
        letters.append(codes.ALPHABET[digit])
    return "".join(letters)


def _now() -> datetime:
    return timezone.now()


@dataclass(frozen=True)
class Batch:
    id: str
    key: bytes
    count: int
    made_at: datetime

    @property
    def expires_at(self) -> datetime:
        return self.made_at + LIFETIME

    @property
    def is_live(self) -> bool:
        return _now() < self.expires_at

    def codes(self) -> list[str]:
        """The batch's short codes, link 1 first."""
        return [_code(self.key, n) for n in range(1, self.count + 1)]

    def tokens(self) -> list[str]:
        """The batch's tokens, link 1 first."""
        return [code_token(code) for code in self.codes()]


def batch_new(count: int) -> Batch:
    return Batch(id=secrets.token_hex(4), key=secrets.token_bytes(32), count=count, made_at=_now())


def _salt(request, round_: Round) -> str | None:
    session_key = request.session.session_key
    if not request.user.is_authenticated or not session_key:
        return None
    return f"coprod.new-links:{round_.pk}:{request.user.pk}:{session_key}"


def _path(round_: Round) -> str:
    return reverse("assessments:invites", kwargs={"pk": round_.pk})


def batches(request, round_: Round) -> list[Batch]:
    """The live batches this browser made for the round, newest first."""
    salt = _salt(request, round_)
    raw = request.COOKIES.get(COOKIE)
    if salt is None or not raw:
        return []
    try:
        entries = signing.loads(raw, salt=salt, max_age=LIFETIME)
        found = [
            Batch(
                id=str(batch_id),
                key=base64.urlsafe_b64decode(key),
                count=int(count),
                made_at=datetime.fromtimestamp(made_at, tz=UTC),
            )
            for batch_id, key, count, made_at in entries
        ]
    except (signing.BadSignature, TypeError, ValueError):
        return []
    return sorted((b for b in found if b.is_live), key=lambda b: b.made_at, reverse=True)


def batch_get(request, round_: Round, batch_id: str) -> Batch | None:
    return next((b for b in batches(request, round_) if b.id == batch_id), None)


def _write(response, request, round_: Round, kept: list[Batch]) -> None:
    salt = _salt(request, round_)
    kept = [b for b in kept if b.is_live][:MAX_BATCHES]
    if salt is None or not kept:
        response.delete_cookie(COOKIE, path=_path(round_), samesite="Lax")
        return
    value = signing.dumps(
        [
            [b.id, base64.urlsafe_b64encode(b.key).decode(), b.count, b.made_at.timestamp()]
            for b in kept
        ],
        salt=salt,
        compress=True,
    )
    response.set_cookie(
        COOKIE,
        value,
        max_age=int((max(b.expires_at for b in kept) - _now()).total_seconds()) + 1,
        path=_path(round_),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def remember(response, request, round_: Round, batch: Batch) -> None:
    """Keep the batch's key in the lead's browser for 30 minutes."""
    _write(response, request, round_, [batch, *batches(request, round_)])


def forget(response, request, round_: Round, batch_id: str) -> None:
    """Hide a batch now: its key is dropped from the browser."""
    _write(response, request, round_, [b for b in batches(request, round_) if b.id != batch_id])


def invites(round_: Round, batch: Batch) -> list[Invite]:
    """The batch's links, with their ``raw_token`` and ``short_code``, in the order they
    were made."""
    by_token = {code_token(code): code for code in batch.codes()}
    found = _with_tokens(round_, list(by_token))
    for invite in found:
        invite.short_code = by_token[invite.raw_token]
    return found


def known_tokens(request, round_: Round) -> dict[int, str]:
    """The tokens this browser can still show, by invite: one query, or none."""
    tokens = [token for batch in batches(request, round_) for token in batch.tokens()]
    return {invite.pk: invite.raw_token for invite in _with_tokens(round_, tokens)}


def _with_tokens(round_: Round, tokens: list[str]) -> list[Invite]:
    if not tokens:
        return []
    by_hash = {token_hash(token): token for token in tokens}
    found = list(
        with_mail_status(Invite.objects.filter(round=round_, token_hash__in=by_hash)).order_by("pk")
    )
    for invite in found:
        invite.raw_token = by_hash[invite.token_hash]
        invite.round = round_
    return found
