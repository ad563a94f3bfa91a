"""Forms for accounts, organisations and people."""

from typing import TYPE_CHECKING

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.accounts import selectors
from assessments.accounts import services as account_services
from assessments.accounts.models import KEEP_ANSWERS_LONGEST, KEEP_ANSWERS_SHORTEST, Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EMAIL_INVALID = _("Enter an e-mail address like name@example.org.")
CODE_REQUIRED = _("Enter the 6-digit code from your authenticator app.")


def say(form: forms.Form, name: str, **messages: "StrOrPromise") -> None:
    """Put messages that say what to do on field ``name`` (allauth's are Django's generic
    "This field is required.")."""
    form.fields[name].error_messages.update(messages)


class LoginForm(allauth_forms.LoginForm):
    """allauth's sign-in form in the site's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail address")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].label = _("Password")
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            del self.fields["remember"]
        say(self, "login", required=_("Enter your e-mail address."), invalid=EMAIL_INVALID)
        say(self, "password", required=_("Enter your password."))


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up form with the person's name. It never says whether an account
    already uses the address: that person is sent an e-mail instead
    (ACCOUNT_PREVENT_ENUMERATION)."""

    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("Shown to colleagues in your organisation."),
    )
    field_order = ["full_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        self.fields["email"].help_text = _(
            "You sign in with this address. We send a link to it to check it is yours."
        )
        self.fields["password1"].label = _("Password")
        self.fields["password1"].help_text = _(
            "At least 12 characters. Three or four words you will remember are easier to "
            "type than a jumble, and harder to guess."
        )
        self.fields["password2"].label = _("Password again")
        for name in ("email", "password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.order_fields(self.field_order)
        say(self, "full_name", required=_("Enter your name."))
        say(self, "email", required=_("Enter your e-mail address."), invalid=EMAIL_INVALID)
        say(self, "password1", required=_("Enter a password."))
        say(self, "password2", required=_("Enter the password again."))

    def validate_unique_email(self, value):
        # An address is an account's only once confirmed: one that another account typed
        # and never confirmed does not stop its owner signing up (selectors).
        self.account_already_exists = selectors.email_address_taken(value)
        return get_adapter().validate_unique_email(value)

    def save(self, request):
        with transaction.atomic():
            account_services.signup_unconfirmed_remove(email=self.cleaned_data["email"])
            return super().save(request)

    def custom_signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])


class ReauthenticateForm(allauth_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Your password")
        self.fields["password"].widget.attrs.pop("placeholder", None)
        say(self, "password", required=_("Enter your password."))


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")  # as on the sign-in page
        self.fields["email"].widget.attrs.pop("placeholder", None)
        say(self, "email", required=_("Enter your e-mail address."), invalid=EMAIL_INVALID)

    def clean_email(self):
        email = super().clean_email()
        # Only an account that confirmed the address: a link that reached the address's
        # owner must not reset the password of an account someone else made with it. With
        # none, the address is told that no account uses it (the page says the same).
        self.users = list(selectors.accounts_with_confirmed_address(email))
        return email


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say(self, "oldpassword", required=_("Enter your current password."))
        say(self, "password1", required=_("Enter a new password."))
        say(self, "password2", required=_("Enter the new password again."))


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say(self, "password1", required=_("Enter a new password."))
        say(self, "password2", required=_("Enter the new password again."))


class MFAAuthenticateForm(mfa_forms.AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say(self, "code", required=CODE_REQUIRED)


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say(self, "code", required=CODE_REQUIRED)


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label=_("Name of your organisation or team"),
        max_length=150,
        help_text=_("For example: Riverside Council adult social care team."),
        error_messages={"required": _("Enter the name of your organisation or team.")},
    )
    bilingual_emails = forms.BooleanField(
        label=_("Send e-mails in Welsh and English"),
        required=False,
        help_text=_("Every e-mail sent for the organisation is in Welsh first, then in English."),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the name of your organisation or team."))
        return name


class ColleagueInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Colleague's e-mail address"),
        error_messages={
            "required": _("Enter your colleague's e-mail address."),
            "invalid": _("Enter an e-mail address like name@example.org."),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        initial=Role.MEMBER,
        widget=forms.RadioSelect,
        help_text=_(
            "Leads run rounds, make invite links and write actions. Members answer and see results."
        ),
        error_messages={"required": _("Choose lead or member.")},
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose lead or member.")},
    )


class OrganisationDeleteForm(forms.Form):
    """Deleting an organisation is for good: the lead types its name to say they mean it."""

    name = forms.CharField(
        label=_("Type the organisation’s name to confirm"),
        max_length=150,
        error_messages={"required": _("Type the organisation’s name to delete it.")},
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["name"].help_text = gettext("Type: %(name)s") % {"name": organisation.name}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if name.casefold() != self.organisation.name.strip().casefold():
            raise forms.ValidationError(
                gettext("That is not the organisation’s name. Type %(name)s exactly to delete it.")
                % {"name": self.organisation.name}
            )
        return name


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("So that nobody else can delete your account from a computer you left."),
        error_messages={"required": _("Enter your password to delete your account.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class KeepingPeriodForm(forms.Form):
    """How many months a round's answers and notes are kept after it closes."""

    months = forms.IntegerField(
        label=_("Months to keep answers and notes after a round closes"),
        min_value=KEEP_ANSWERS_SHORTEST,
        max_value=KEEP_ANSWERS_LONGEST,
        help_text=_(
            "A whole number of months, from 1 to 120. After that, each person's answers, "
            "notes, link and progress are deleted; the published figures, agreed positions "
            "and actions are kept."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-short"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say(
            self,
            "months",
            required=_("Enter how many months to keep answers, from 1 to 120."),
            invalid=_("Enter a whole number of months, like 12."),
            min_value=_("Keep answers for at least 1 month."),
            max_value=_("Keep answers for at most 120 months (10 years)."),
        )
