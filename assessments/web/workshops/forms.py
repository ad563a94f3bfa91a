"""Forms of a workshop: starting it, the lead's cap on people, and joining with a code."""

from django import forms

from assessments.workshops.models import MAX_CAPACITY
from coprod.codes import CodeInput


class WorkshopStartForm(forms.Form):
    capacity = forms.IntegerField(
        label="How many people can join?",
        min_value=1,
        max_value=MAX_CAPACITY,
        initial=40,
        help_text="Nobody can join once this many have. You can change it during the workshop.",
        error_messages={
            "required": "Say how many people can join.",
            "invalid": "Enter a whole number, like 40.",
            "min_value": "At least 1 person.",
            "max_value": f"At most {MAX_CAPACITY} people.",
        },
    )


class CapacityForm(WorkshopStartForm):
    pass


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label="Workshop code",
        max_length=20,
        help_text="It is on the screen at the front of the room, for example KX7M-9HPA. "
        "Capitals or small letters both work.",
        error_messages={"required": "Type the code from the screen."},
        widget=CodeInput("join-code-input"),
    )
