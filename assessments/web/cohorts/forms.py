"""Forms for cohorts: a facilitator sets one up and invites organisations; a lead answers
an invitation and chooses whether other organisations may see their name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.rounds.models import Perspective
from assessments.web.rounds.forms import FrameworkChoiceField
from coprod.dates import DateBoxesField
from principles import selectors


class CohortForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the cohort"),
        max_length=150,
        help_text=_(
            "For example: North West co-production network 2026. The organisations "
            "you invite see it."
        ),
        error_messages={"required": _("Enter a name for the cohort.")},
    )
    framework = FrameworkChoiceField(
        label=_("Which principles will the cohort reflect on?"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the principles the cohort will reflect on.")},
    )
    starts_on = DateBoxesField(
        noun=_("Start of the period"),
        label=_("Start of the period"),
        help_text=_(
            "Rounds opened on or after this day count for the cohort. For example, 1 9 2026."
        ),
        error_messages={"required": _("Enter the day the period starts.")},
    )
    ends_on = DateBoxesField(
        noun=_("End of the period"),
        label=_("End of the period"),
        help_text=_(
            "Rounds opened on or before this day count for the cohort. For example, 31 8 2027."
        ),
        error_messages={"required": _("Enter the day the period ends.")},
    )

    def __init__(self, *args, with_framework: bool = True, frameworks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.frameworks = []
        if with_framework:
            field = self.fields["framework"]
            assert isinstance(field, FrameworkChoiceField)
            if frameworks is None:  # the shared library
                frameworks = selectors.latest_frameworks().filter(shared=True)
            field.queryset = frameworks
            self.frameworks = list(field.queryset)
            if len(self.frameworks) == 1:
                field.initial = self.frameworks[0].pk
        else:
            del self.fields["framework"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a name for the cohort."))
        return name

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error(
                "ends_on",
                _("The end of the period must be on or after its start. Check both days."),
            )
        return cleaned


class CohortInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the organisation's lead"),
        help_text=_(
            "They get an e-mail with a link, and see the invitation on their "
            "organisation's page. Their organisation joins only if they accept."
        ),
        error_messages={
            "required": _("Enter the e-mail address of the organisation's lead."),
            "invalid": _("Enter an e-mail address like name@example.org."),
        },
    )


class AcceptForm(forms.Form):
    """Which of the lead's organisations accepts (when they lead more than one)."""

    organisation = forms.ChoiceField(
        label=_("Which organisation will join?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the organisation that will join.")},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(o.pk), o.name) for o in organisations]
        if len(organisations) == 1:
            self.fields["organisation"].initial = str(organisations[0].pk)

    def clean_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]


class ShowNameForm(forms.Form):
    show_name = forms.TypedChoiceField(
        label=_("May the other organisations in the cohort see your name?"),
        choices=[
            ("no", _("No, keep our name to the facilitator")),
            ("yes", _("Yes, show our name to the other organisations")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_(
            "The facilitator always sees your name and your scores. Other "
            "organisations never see your scores, only the cohort mean."
        ),
        error_messages={"required": _("Choose yes or no.")},
    )


class DashboardFilterForm(forms.Form):
    perspective = forms.ChoiceField(
        label=_("Whose answers?"),
        choices=[("", _("Everyone"))] + list(Perspective.choices),
        required=False,
    )

    def __init__(self, *args, offered: list[str] | None = None, **kwargs):
        """``offered``: the perspectives to offer (all when None), in their usual order."""
        super().__init__(*args, **kwargs)
        if offered is not None:
            field = self.fields["perspective"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("Everyone"))] + [
                (value, label) for value, label in Perspective.choices if value in offered
            ]


class ReminderForm(forms.Form):
    note = forms.CharField(
        label=_("A note from you (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Added to the e-mail, for example when you will next meet or who can help."),
        error_messages={
            "max_length": _("Keep the note to %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
