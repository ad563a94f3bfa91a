"""A lead's answer links for a round: making them, the new ones shown once (copied,
printed, downloaded, e-mailed), sending, fresh links and revoking.

A link is shown in full once: on the "new links" page (and its printed sheets) for 30
minutes after it is made, in the browser of the lead who made it (``new_links``). The
links page shows each link's label, perspective, e-mail and whether the lead revoked it;
someone who lost their link gets a fresh one. It never says whether anyone has answered or
finished through a link (``selectors.round_invites``): the round page counts them, in
steps of three.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments.accounts.models import AuditKind
from assessments.accounts.services import audit_record
from assessments.documents import exports
from assessments.errors import ServiceError, tell
from assessments.rounds import new_links, selectors, services
from assessments.rounds.models import PERSPECTIVE_LABELS, Invite, Round
from assessments.web.access import invite_in_round, round_for_user
from assessments.web.rounds.forms import InviteCreateForm, InviteSendForm
from assessments.web.rounds.views.answering import LEVEL_CHOICES
from coprod.http import attachment, safe_next


def _send(request, invite: Invite, email: str) -> bool:
    """E-mail a link; if the mail server fails, say so instead of showing an error page."""
    try:
        services.invite_send(invite=invite, email=email)
    except ServiceError as exc:  # MailNotSent among them
        messages.error(request, str(exc))
        return False
    return True


@dataclass(frozen=True)
class LinkRow:
    number: int
    invite: Invite
    shown: bool  # its address is still known in this browser (made in the last 30 minutes)

    @property
    def name(self) -> str:
        """How buttons and fields name this link for screen readers."""
        if self.invite.label:
            return _("link %(number)s (%(label)s)") % {
                "number": self.number,
                "label": self.invite.label,
            }
        return _("link %(number)s") % {"number": self.number}


def _numbers(round_: Round) -> dict[int, int]:
    """Each link's number: links are numbered in the order they were made."""
    ordered = Invite.objects.filter(round=round_).order_by("created_at", "pk")
    return {pk: n for n, pk in enumerate(ordered.values_list("pk", flat=True), start=1)}


def _invite_list_page(request, round_, access, form, *, send_error=None, status=200):
    # Numbered in the order they were made, so a link keeps its number; listed with the
    # working links first (sorted here: SQLite and PostgreSQL put NULLs at opposite ends).
    invites = sorted(selectors.round_invites(round_), key=lambda i: (i.created_at, i.pk))
    shown = new_links.known_tokens(request, round_)
    rows = sorted(
        (
            LinkRow(number=n, invite=invite, shown=invite.pk in shown)
            for n, invite in enumerate(invites, start=1)
        ),
        key=lambda row: row.invite.revoked_at is not None,
    )
    revoked = sum(row.invite.is_revoked for row in rows)
    return render(
        request,
        "assessments/rounds/invites.html",
        {
            "round": round_,
            "organisation": round_.organisation,
            "access": access,
            "form": form,
            "rows": rows,
            "counts": {"working": len(rows) - revoked, "revoked": revoked},
            "batches": new_links.batches(request, round_),
            "send_error": send_error,
            # for the error summary, which finds the page's forms
            "send_form": send_error["form"] if send_error else None,
        },
        status=status,
    )


@login_required
def invite_list(request, pk: int):
    round_, access = round_for_user(request.user, pk, lead=True)
    form = InviteCreateForm(
        request.POST if request.method == "POST" else None, framework=round_.framework
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        batch = new_links.batch_new(data["count"])
        try:
            invites = services.invites_create(
                round=round_,
                perspective=data["perspective"],
                count=data["count"],
                label=data["label"].strip(),
                email=data["email"] if data["count"] == 1 else "",
                by=request.user,
                tokens=batch.tokens(),
                easy_read=data["easy_read"],
                language=data["language"],
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            who = PERSPECTIVE_LABELS[data["perspective"]]
            if data["email"]:
                if _send(request, invites[0], data["email"]):
                    text = _(
                        "Link made (%(group)s). The e-mail to %(email)s will be sent in a moment."
                    ) % {"group": who, "email": data["email"]}
                else:
                    text = _("Link made (%(group)s).") % {"group": who}
            else:
                text = ngettext(
                    "%(count)s new link made (%(group)s).",
                    "%(count)s new links made (%(group)s).",
                    len(invites),
                ) % {"count": len(invites), "group": who}
            messages.success(request, text)
            response = redirect("assessments:invites-new", pk=round_.pk, batch=batch.id)
            new_links.remember(response, request, round_, batch)
            return response
    return _invite_list_page(
        request, round_, access, form, status=400 if request.method == "POST" else 200
    )


def _batch_context(request, round_, access, batch_id: str) -> dict:
    batch = new_links.batch_get(request, round_, batch_id)
    numbers = _numbers(round_) if batch else {}
    made = new_links.invites(round_, batch) if batch else []
    return {
        "round": round_,
        "organisation": round_.organisation,
        "access": access,
        "batch": batch,
        "go_url": request.build_absolute_uri(reverse("assessments:go")),
        "go_easy_url": request.build_absolute_uri(reverse("assessments:go-easy")),
        "links": [
            (numbers[invite.pk], invite, request.build_absolute_uri(invite.path))
            for invite in made
            if not invite.is_revoked
        ],
    }


@login_required
def invite_new(request, pk: int, batch: str):
    """The links just made, in full, with copy and e-mail buttons and their sheets."""
    round_, access = round_for_user(request.user, pk, lead=True)
    return render(
        request, "assessments/rounds/new.html", _batch_context(request, round_, access, batch)
    )


@login_required
@require_POST
def invite_new_hide(request, pk: int, batch: str):
    round_, _access = round_for_user(request.user, pk, lead=True)
    messages.success(request, _("Those links are hidden now. Nobody can see them again."))
    response = redirect("assessments:invites", pk=round_.pk)
    new_links.forget(response, request, round_, batch)
    return response


@login_required
def invite_print(request, pk: int, batch: str):
    """Invitation sheets in plain words, one per link, for links just made; a link that
    opens in easy read has an easy-read sheet, with the scale's pictures."""
    round_, access = round_for_user(request.user, pk, lead=True)
    context = _batch_context(request, round_, access, batch)
    context["levels"] = LEVEL_CHOICES
    return render(request, "assessments/rounds/print.html", context)


@login_required
def invite_new_csv(request, pk: int, batch: str):
    """The links just made as a CSV file, one row a link, for a mail merge: only a batch
    made in this browser in the last 30 minutes (its key is in this browser's cookie, never
    on the server), and the download is noted in the activity log."""
    round_, access = round_for_user(request.user, pk, lead=True)
    context = _batch_context(request, round_, access, batch)
    if not context["batch"] or not context["links"]:
        messages.error(
            request,
            _(
                "Those links can no longer be shown, so they cannot be downloaded: new links "
                "are shown only in the browser that made them, for 30 minutes."
            ),
        )
        return redirect("assessments:invites", pk=round_.pk)
    links = context["links"]
    audit_record(
        organisation=round_.organisation,
        kind=AuditKind.EXPORTED,
        what="exported_links",
        details={"count": len(links), "round": round_.title},
        actor=request.user,
        round=round_,
    )
    content = exports.new_links_csv(
        links, go_url=context["go_url"], go_easy_url=context["go_easy_url"]
    )
    filename = f"{round_.organisation.slug}-round-{round_.pk}-links-{batch}.csv"
    return attachment(content, filename, "text/csv; charset=utf-8")


@login_required
@require_POST
def invite_send(request, pk: int, invite: int):
    """E-mail a link. A link made in the last 30 minutes in this browser is sent as it is;
    any other link's address is no longer known, so a fresh link replaces it and is sent."""
    round_, access = round_for_user(request.user, pk, lead=True)
    target = invite_in_round(round_, invite)
    back = safe_next(request, reverse("assessments:invites", kwargs={"pk": round_.pk}))
    if round_.is_closed:
        messages.error(request, _("This round is closed, so its links no longer work."))
        return redirect(back)
    if target.is_revoked:
        messages.error(request, _("This link was revoked, so it cannot be sent."))
        return redirect(back)
    form = InviteSendForm(request.POST)
    form.fields["email"].widget.attrs["id"] = f"email-{target.pk}"  # its row's box
    if not form.is_valid():
        return _invite_list_page(
            request,
            round_,
            access,
            InviteCreateForm(framework=round_.framework),
            send_error={
                "pk": target.pk,
                "value": request.POST.get("email", ""),
                "errors": form.errors["email"],
                "form": form,
            },
            status=400,
        )
    email = form.cleaned_data["email"]
    token = new_links.known_tokens(request, round_).get(target.pk)
    if token is not None:
        target.raw_token = token
        if _send(request, target, email):
            messages.success(
                request,
                _("Link to %(email)s queued: it will be sent in a moment.") % {"email": email},
            )
        return redirect(back)
    batch = new_links.batch_new(1)
    try:
        fresh = services.invite_replace(
            invite=target, by=request.user, token=batch.tokens()[0], email=email
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if _send(request, fresh, email):
        messages.success(
            request,
            _(
                "Link to %(email)s queued, with a fresh link: it will be sent in a moment. The "
                "link made before no longer works."
            )
            % {"email": email},
        )
    response = redirect(back)
    new_links.remember(response, request, round_, batch)
    return response


@login_required
@require_POST
def invite_fresh(request, pk: int, invite: int):
    """A fresh link for someone who lost theirs; the old one stops working."""
    round_, _access = round_for_user(request.user, pk, lead=True)
    target = invite_in_round(round_, invite)
    batch = new_links.batch_new(1)
    try:
        services.invite_replace(invite=target, by=request.user, token=batch.tokens()[0])
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:invites", pk=round_.pk)
    messages.success(request, _("Fresh link made. The old link no longer works."))
    response = redirect("assessments:invites-new", pk=round_.pk, batch=batch.id)
    new_links.remember(response, request, round_, batch)
    return response


@login_required
@require_POST
def invite_revoke(request, pk: int, invite: int):
    round_, _access = round_for_user(request.user, pk, lead=True)
    target = invite_in_round(round_, invite)
    tell(
        request,
        lambda: services.invite_revoke(invite=target, by=request.user),
        done=_("Link revoked. It no longer works."),
    )
    return redirect("assessments:invites", pk=round_.pk)
