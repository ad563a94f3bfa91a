"""Two-step sign-in (allauth.mfa): whether someone has it, the organisations that require
it of their members, and the prompt facilitators see.

A lead can require two-step sign-in for their organisation. A member without it who opens
any of that organisation's pages (the access helpers in assessments.web.access ask
``require_two_step``) is sent to set it up first, and comes back afterwards.
"""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext

# A facilitator who said "not now" to the prompt is not asked again in this session.
PROMPT_DISMISSED = "two_step_prompt_dismissed"
# Where to go back to once two-step sign-in is on.
RETURN_TO = "two_step_return_to"


class TwoStepRequired(Exception):
    """The organisation requires two-step sign-in and this person has not turned it on."""

    def __init__(self, organisation_name: str):
        super().__init__(organisation_name)
        self.organisation_name = organisation_name


def has_two_step(user) -> bool:
    return (
        user.is_authenticated
        and Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


def require_two_step(user, organisation) -> None:
    if organisation.require_two_step and not has_two_step(user):
        raise TwoStepRequired(organisation.name)


class RequireTwoStep:
    """Turns TwoStepRequired into a visit to the set-up page; the recovery codes page shown
    after it offers the way back (RETURN_TO in the session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, TwoStepRequired):
            return None
        request.session[RETURN_TO] = request.get_full_path()
        messages.warning(
            request,
            gettext(
                "%(organisation)s asks everyone in it to use two-step sign-in. Set it up with "
                "an authenticator app on your phone to carry on."
            )
            % {"organisation": exception.organisation_name},
        )
        return redirect("mfa_activate_totp")
