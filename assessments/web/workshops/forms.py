"""Forms of a workshop: starting it, the lead's cap on people, and joining with a code."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assessments.workshops.models import MAX_CAPACITY
from coprod.codes import CodeInput


class WorkshopStartForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("How many people can join?"),
        min_value=1,
        max_value=MAX_CAPACITY,
        initial=40,
        help_text=_("Nobody can join once this many have. You can change it during the workshop."),
        error_messages={
            "required": _("Say how many people can join."),
            "invalid": _("Enter a whole number, like 40."),
            "min_value": _("At least 1 person."),
            "max_value": format_lazy(_("At most {max} people."), max=MAX_CAPACITY),
        },
    )


class CapacityForm(WorkshopStartForm):
    pass


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Workshop code"),
        max_length=20,
        help_text=_(
            "It is on the screen at the front of the room, for example KX7M-9HPA. "
            "Capitals or small letters both work."
        ),
        error_messages={"required": _("Type the code from the screen.")},
        widget=CodeInput("join-code-input"),
    )
