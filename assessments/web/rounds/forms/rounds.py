"""Forms for a round itself: setting it up, editing it, reopening it, and when to send a
reminder."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.rounds.models import Round, RoundStatus
from coprod.dates import DateBoxesField
from principles import selectors


def _check_closing_date(value, unchanged_from=None):
    """A closing date may not be in the past, unless the round already had it."""
    if value and value < timezone.localdate() and value != unchanged_from:
        raise forms.ValidationError(
            _(
                "The closing date cannot be in the past. Choose today or a later day, "
                "or leave it empty."
            )
        )
    return value


class FrameworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RoundCreateForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=150,
        help_text=gettext_lazy(
            "For example: Spring 2026 reflection. Everyone taking part sees it."
        ),
        error_messages={"required": gettext_lazy("Enter a title for the round.")},
    )
    framework = FrameworkChoiceField(
        label=gettext_lazy("Which principles will you reflect on?"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": gettext_lazy("Choose the principles you will reflect on.")},
    )
    instrument = FrameworkChoiceField(
        label=gettext_lazy("Add a grid of questions after the principles? (optional)"),
        queryset=None,
        required=False,
        blank=True,  # so that the radio buttons offer "No" too
        widget=forms.RadioSelect,
        empty_label=gettext_lazy("No, only the principles"),
        help_text=gettext_lazy(
            "The four Co’s grid asks, for co-commissioning, co-design, co-delivery and "
            "co-assessment, how far people who use services are involved. Its results are "
            "shown as a grid beside the principles’ results, and do not change them."
        ),
    )
    closes_on = DateBoxesField(
        noun=gettext_lazy("Closing date"),
        label=gettext_lazy("Closing date (optional)"),
        required=False,
        help_text=gettext_lazy(
            "Answers are not taken after this day. You can also close the round "
            "yourself. For example, 30 6 2026."
        ),
    )
    figures_while_open = forms.BooleanField(
        label=gettext_lazy("Show figures while the round is open"),
        required=False,
        help_text=Round._meta.get_field("figures_while_open").help_text,
    )
    contact = forms.CharField(
        label=gettext_lazy("Who people can ask (optional)"),
        max_length=200,
        required=False,
        help_text=Round._meta.get_field("contact").help_text,
    )

    def __init__(self, *args, frameworks=None, **kwargs):
        """``frameworks``: those the organisation may use (the shared library if not given)."""
        super().__init__(*args, **kwargs)
        field = self.fields["framework"]
        assert isinstance(field, FrameworkChoiceField)
        if frameworks is None:
            frameworks = selectors.latest_frameworks().filter(shared=True)
        field.queryset = frameworks.principle_sets()
        frameworks = list(field.queryset)
        self.frameworks = frameworks
        if len(frameworks) == 1:
            field.initial = frameworks[0].pk
        instrument = self.fields["instrument"]
        assert isinstance(instrument, FrameworkChoiceField)
        instrument.queryset = selectors.latest_frameworks().instruments()
        self.instruments = list(instrument.queryset)
        instrument.initial = ""
        if not self.instruments:
            del self.fields["instrument"]

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Enter a title for the round."))
        return title

    def clean_closes_on(self):
        return _check_closing_date(self.cleaned_data.get("closes_on"))


class RoundEditForm(forms.Form):
    title = RoundCreateForm.base_fields["title"]
    closes_on = RoundCreateForm.base_fields["closes_on"]
    figures_while_open = RoundCreateForm.base_fields["figures_while_open"]
    contact = RoundCreateForm.base_fields["contact"]

    def __init__(self, *args, round, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": round.title,
                "closes_on": round.closes_on,
                "figures_while_open": round.figures_while_open,
                "contact": round.contact,
            },
        )
        super().__init__(*args, **kwargs)
        self.round = round
        # What the round asks can change only while it is a draft.
        instruments = list(selectors.latest_frameworks().instruments())
        if round.status == RoundStatus.DRAFT and instruments:
            field = FrameworkChoiceField(
                label=RoundCreateForm.base_fields["instrument"].label,
                help_text=RoundCreateForm.base_fields["instrument"].help_text,
                queryset=selectors.latest_frameworks().instruments(),
                required=False,
                blank=True,
                widget=forms.RadioSelect,
                empty_label=gettext_lazy("No, only the principles"),
                initial=round.instrument_id or "",
            )
            self.fields["instrument"] = field

    clean_title = RoundCreateForm.clean_title

    def clean_closes_on(self):
        return _check_closing_date(self.cleaned_data.get("closes_on"), self.round.closes_on)


class RoundReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why are you reopening the round?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept in the round's record."),
        error_messages={"required": gettext_lazy("Say why the round is being reopened.")},
    )


class ReminderScheduleForm(forms.Form):
    """When to send a reminder: a day and a time, in the site's time zone."""

    day = DateBoxesField(
        noun=gettext_lazy("The day to send it"),
        label=gettext_lazy("Day to send it"),
        help_text=gettext_lazy("For example, 3 3 2026."),
        error_messages={"required": gettext_lazy("Enter the day to send the reminder.")},
    )
    at = forms.TimeField(
        label=gettext_lazy("Time to send it"),
        initial="09:00",
        widget=forms.TimeInput(attrs={"type": "time", "class": "time-input"}, format="%H:%M"),
        error_messages={
            "required": gettext_lazy("Enter the time to send the reminder, like 09:00."),
            "invalid": gettext_lazy("Enter a real time, like 09:00 or 14:30."),
        },
    )

    def send_at(self):
        return timezone.make_aware(
            datetime.combine(self.cleaned_data["day"], self.cleaned_data["at"])
        )
