"""Forms for accounts, organisations and people."""

from django import forms
from django.contrib.auth.forms import UserCreationForm

from .models import Role, User


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
