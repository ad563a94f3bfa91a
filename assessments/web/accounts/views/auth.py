"""Pages around django-allauth's: asking someone to confirm their e-mail address before a
step that needs it, and the facilitators' prompt to turn on two-step sign-in."""

from allauth.account.internal.flows.email_verification import (
    send_verification_email_to_address,
)
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from assessments.accounts.selectors import email_verified
from assessments.accounts.two_step import PROMPT_DISMISSED
from coprod.http import safe_next


@login_required
def verify_email_first(request):
    """Accepting an invitation and creating an organisation need an e-mail address the
    person has shown is theirs. This page says so, and sends the link again."""
    if email_verified(request.user):
        return redirect(safe_next(request, reverse("assessments:organisations")))
    if request.method == "POST":
        address, _ = EmailAddress.objects.get_or_create(
            user=request.user,
            email=request.user.email,
            defaults={"primary": True, "verified": False},
        )
        # allauth's own sending, with its limit of one e-mail every three minutes
        # (ACCOUNT_RATE_LIMITS["confirm_email"]); it says on the page that it was sent.
        if not send_verification_email_to_address(request, address):
            messages.info(
                request,
                gettext(
                    "You asked for a link a moment ago: it has gone, or will in a moment. "
                    "Wait a few minutes before asking again."
                ),
            )
        return redirect(request.get_full_path())
    return render(
        request,
        "assessments/accounts/verify_email_first.html",
        {"next": safe_next(request, "")},
    )


@login_required
@require_POST
def two_step_not_now(request):
    request.session[PROMPT_DISMISSED] = True
    return redirect(safe_next(request, reverse("assessments:cohorts")))
