"""Forms a lead uses to run a round: set it up, change its status, make and send links."""

from django import forms
from django.utils import timezone

from . import selectors
from .models import Perspective
from .services import MAX_BATCH

# A batch adds " 200" to the label, and the model keeps 80 characters.
LABEL_MAX = 72


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _check_closing_date(value, unchanged_from=None):
    """A closing date may not be in the past, unless the round already had it."""
    if value and value < timezone.localdate() and value != unchanged_from:
        raise forms.ValidationError(
            "The closing date cannot be in the past. Choose today or a later day, "
            "or leave it empty."
        )
    return value


class FrameworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RoundCreateForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=150,
        help_text="For example: Spring 2026 reflection. Everyone taking part sees it.",
        error_messages={"required": "Enter a title for the round."},
    )
    framework = FrameworkChoiceField(
        label="Which principles will you reflect on?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the principles you will reflect on."},
    )
    closes_on = forms.DateField(
        label="Closing date (optional)",
        required=False,
        widget=DateInput(),
        help_text="Answers are not taken after this day. You can also close the round yourself.",
        error_messages={"invalid": "Enter a real date, for example 30/06/2026."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = selectors.latest_frameworks()
        frameworks = list(self.fields["framework"].queryset)
        self.frameworks = frameworks
        if len(frameworks) == 1:
            self.fields["framework"].initial = frameworks[0].pk

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Enter a title for the round.")
        return title

    def clean_closes_on(self):
        return _check_closing_date(self.cleaned_data.get("closes_on"))


class RoundEditForm(forms.Form):
    title = RoundCreateForm.base_fields["title"]
    closes_on = RoundCreateForm.base_fields["closes_on"]

    def __init__(self, *args, round, **kwargs):
        kwargs.setdefault("initial", {"title": round.title, "closes_on": round.closes_on})
        super().__init__(*args, **kwargs)
        self.round = round

    clean_title = RoundCreateForm.clean_title

    def clean_closes_on(self):
        return _check_closing_date(self.cleaned_data.get("closes_on"), self.round.closes_on)


class InviteCreateForm(forms.Form):
    perspective = forms.ChoiceField(
        label="Who are these links for?",
        choices=Perspective.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the links are for."},
    )
    count = forms.IntegerField(
        label="How many links?",
        min_value=1,
        max_value=MAX_BATCH,
        initial=1,
        help_text=f"One for each person. Make a batch, up to {MAX_BATCH}, for a workshop.",
        error_messages={
            "required": "Enter how many links to make.",
            "invalid": "Enter a whole number, like 1 or 30.",
            "min_value": "Make at least 1 link.",
            "max_value": f"Make at most {MAX_BATCH} links at a time.",
        },
    )
    label = forms.CharField(
        label="Label (optional)",
        max_length=LABEL_MAX,
        required=False,
        help_text="For you to tell links apart, for example Workshop table. A batch is "
        "numbered: Workshop table 1, 2, 3. Never shown with answers.",
    )
    email = forms.EmailField(
        label="E-mail address (optional)",
        required=False,
        help_text="Only when making 1 link: we will e-mail it to this person for you.",
        error_messages={"invalid": "Enter an e-mail address like name@example.org."},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email") and (cleaned.get("count") or 1) > 1:
            self.add_error(
                "email",
                "An e-mail address can only be given when making 1 link. Leave it empty, "
                "or set how many links to 1.",
            )
        return cleaned


class InviteSendForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        error_messages={
            "required": "Enter the e-mail address to send the link to.",
            "invalid": "Enter an e-mail address like name@example.org.",
        },
    )


class RoundReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why are you reopening the round?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the round's record.",
        error_messages={"required": "Say why the round is being reopened."},
    )
