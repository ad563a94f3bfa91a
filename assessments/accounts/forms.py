"""Forms for accounts, organisations and people."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import UserCreationForm
from django.urls import reverse

from assessments import mail
from assessments.accounts.models import Role, User
from assessments.errors import MailNotSent


class SignupForm(UserCreationForm):
    full_name = forms.CharField(
        label="Your name", max_length=150, help_text="Shown to colleagues in your organisation."
    )

    class Meta:
        model = User
        fields = ["full_name", "email"]
        labels = {"email": "E-mail address"}
        help_texts = {"email": "You sign in with this address."}

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this e-mail address already exists. Sign in instead, or reset "
                "your password if you have forgotten it."
            )
        return email


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label="Name of your organisation or team",
        max_length=150,
        help_text="For example: Riverside Council adult social care team.",
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter a name.")
        return name


class ColleagueInviteForm(forms.Form):
    email = forms.EmailField(label="Colleague's e-mail address")
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        initial=Role.MEMBER,
        widget=forms.RadioSelect,
        help_text="Leads run rounds, make invite links and write actions. "
        "Members answer and see results.",
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices, widget=forms.RadioSelect)


class OrganisationDeleteForm(forms.Form):
    """Deleting an organisation is for good: the lead types its name to say they mean it."""

    name = forms.CharField(label="Type the organisation’s name to confirm", max_length=150)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["name"].help_text = f"Type: {organisation.name}"

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if name.casefold() != self.organisation.name.strip().casefold():
            raise forms.ValidationError(
                f"That is not the organisation’s name. Type {self.organisation.name} exactly "
                "to delete it."
            )
        return name


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="So that nobody else can delete your account from a computer you left.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's password reset, sending its e-mail like every other: through
    assessments.mail, with the link built from SITE_URL, and a mail server that fails
    noted on the form (``not_sent``) instead of only logged."""

    # Whether an e-mail was due (an account uses the address), and whether it failed.
    due = False
    not_sent = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "E-mail address"  # as on the sign-in page

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        self.due = True
        path = reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        try:
            mail.send(
                mail.Message.PASSWORD_RESET,
                to=to_email,
                context={"email": to_email, "url": mail.site_url(path)},
            )
        except MailNotSent:
            self.not_sent = True
