"""Forms for a round's actions: making or changing one, and deciding what happens to the
last round's actions."""

from django import forms
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.accounts.models import User
from assessments.rounds.models import STEP_MEANINGS, Action, ActionStatus, Step
from coprod.dates import DateBoxesField
from principles.models import PracticeStatement, Principle


class StatementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.to_text}"


class PrincipleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.order}. {obj.name}"


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.full_name:
            return f"{obj.full_name} ({obj.email})"
        return obj.email


class ActionForm(forms.ModelForm):
    owner_user = ColleagueChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Owner from the team (optional)"),
        empty_label=gettext_lazy("Someone without an account here: name them below"),
        help_text=gettext_lazy(
            "A colleague with an account is e-mailed a reminder before the due date."
        ),
    )
    principle = PrincipleChoiceField(
        queryset=None,
        label=gettext_lazy("Principle"),
        empty_label=gettext_lazy("Choose a principle"),
        error_messages={"required": gettext_lazy("Choose the principle this action is about.")},
    )
    statement = StatementChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Statement (optional)"),
        empty_label=gettext_lazy("The principle as a whole"),
    )
    step = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Step (optional)"),
        choices=[
            ("", gettext_lazy("Not decided yet")),
            *(
                (
                    step.value,
                    format_lazy(
                        gettext_lazy("{step}: {meaning}"),
                        step=step.label,
                        meaning=STEP_MEANINGS[step],
                    ),
                )
                for step in Step
            ),
        ],
        widget=forms.RadioSelect,
        help_text=format_lazy(
            gettext_lazy(
                'Where this change is on the <a href="{url}#steps">five steps of co-production</a>.'
            ),
            url=reverse_lazy("glossary"),
        ),
    )
    due_on = DateBoxesField(
        noun=gettext_lazy("Due date"),
        label=gettext_lazy("Due date (optional)"),
        required=False,
        help_text=gettext_lazy("For example, 30 6 2026."),
    )

    class Meta:
        model = Action
        fields = [
            "principle",
            "statement",
            "change_from",
            "change_to",
            "owner_user",
            "owner",
            "co_owner",
            "due_on",
            "remind_days_before",
            "step",
            "status",
        ]
        labels = {
            "change_from": gettext_lazy("What happens now (from)"),
            "change_to": gettext_lazy("What will happen instead (to)"),
            "owner": gettext_lazy("Owner"),
            "remind_days_before": gettext_lazy("Days before the due date to remind the owner"),
            "co_owner": gettext_lazy("Co-owner (optional)"),
            "status": gettext_lazy("Status"),
        }
        help_texts = {
            "owner": gettext_lazy(
                "The person in the team who makes sure it happens. Filled in from the "
                "colleague chosen above when left empty."
            ),
            "remind_days_before": gettext_lazy(
                "The owner chosen from the team is e-mailed this many days before the due "
                "date, unless the action is done or dropped by then."
            ),
            "co_owner": gettext_lazy(
                "Someone who uses the service and shares ownership of this action."
            ),
        }
        widgets = {
            "change_from": forms.Textarea(attrs={"rows": 2}),
            "change_to": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "change_from": {"required": gettext_lazy("Say what happens now.")},
            "change_to": {"required": gettext_lazy("Say what will happen instead.")},
            "remind_days_before": {
                "invalid": gettext_lazy("Enter a whole number of days, such as 7."),
            },
            "status": {"required": gettext_lazy("Choose where the action stands.")},
        }

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        if self.instance.pk is not None:
            # Once made, an action's status changes through a progress note only.
            del self.fields["status"]
        owner_user = self.fields["owner_user"]
        assert isinstance(owner_user, forms.ModelChoiceField)
        owner_user.queryset = User.objects.filter(
            memberships__organisation_id=round.organisation_id
        ).order_by("full_name", "email")
        self.fields["owner"].required = False
        days = self.fields["remind_days_before"]
        assert isinstance(days, forms.IntegerField)
        days.required = False  # left empty: the usual number of days
        days.widget.attrs.update({"min": 0, "max": 365, "size": 4, "class": "w-auto"})
        principle, statement = self.fields["principle"], self.fields["statement"]
        assert isinstance(principle, forms.ModelChoiceField)
        assert isinstance(statement, forms.ModelChoiceField)
        principle.queryset = Principle.objects.filter(framework_id=round.framework_id).order_by(
            "order"
        )
        statement.queryset = (
            PracticeStatement.objects.filter(principle__framework_id=round.framework_id)
            .select_related("principle")
            .order_by("principle__order", "order")
        )
        for name in ("change_from", "change_to", "owner", "co_owner"):
            self.fields[name].widget.attrs.setdefault(
                "maxlength", 2000 if "change" in name else 120
            )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        principle, statement = data.get("principle"), data.get("statement")
        if principle and statement and statement.principle_id != principle.pk:
            self.add_error(
                "statement",
                _(
                    "Statement %(code)s belongs to another principle. Choose one of "
                    "principle %(number)s's statements, or the principle as a whole."
                )
                % {"code": statement.code, "number": principle.order},
            )
        for name in ("change_from", "change_to"):
            if len(data.get(name) or "") > 2000:
                self.add_error(name, _("Keep this to 2000 characters."))
        days = data.get("remind_days_before")
        if days is None and "remind_days_before" not in self.errors:
            data["remind_days_before"] = Action._meta.get_field("remind_days_before").default
        elif days is not None and not 0 <= days <= 365:
            self.add_error("remind_days_before", _("Choose between 0 and 365 days."))
        colleague = data.get("owner_user")
        if not (data.get("owner") or "").strip():
            if colleague is not None:
                data["owner"] = colleague.get_full_name()[:120]
                self.instance.owner = data["owner"]
            elif "owner" not in self.errors:
                self.add_error("owner", _("Name the person who owns this action."))
        return data


class ActionProgressForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Where does the action stand now?"),
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose where the action stands.")},
    )
    note = forms.CharField(
        label=gettext_lazy("What has happened (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For example: what was done, what got in the way, what is next."),
        error_messages={"max_length": gettext_lazy("Keep this to 2000 characters.")},
    )


class ActionReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("What happens to this action?"),
        choices=[
            ("carry", gettext_lazy("Carry it into this round: it is still open")),
            (ActionStatus.DONE, gettext_lazy("Mark it done")),
            (ActionStatus.DROPPED, gettext_lazy("Drop it: it is no longer needed")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose what happens to this action.")},
    )
