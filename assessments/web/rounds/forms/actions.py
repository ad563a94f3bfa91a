"""Forms for a round's actions: making or changing one, and deciding what happens to the
last round's actions."""

from django import forms
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.rounds.models import STEP_MEANINGS, Action, ActionStatus, Step
from coprod.dates import DateBoxesField
from principles.models import PracticeStatement, Principle


class StatementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.to_text}"


class PrincipleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.order}. {obj.name}"


class ActionForm(forms.ModelForm):
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
            "owner",
            "co_owner",
            "due_on",
            "step",
            "status",
        ]
        labels = {
            "change_from": gettext_lazy("What happens now (from)"),
            "change_to": gettext_lazy("What will happen instead (to)"),
            "owner": gettext_lazy("Owner"),
            "co_owner": gettext_lazy("Co-owner (optional)"),
            "status": gettext_lazy("Status"),
        }
        help_texts = {
            "owner": gettext_lazy("The person in the team who makes sure it happens."),
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
            "owner": {"required": gettext_lazy("Name the person who owns this action.")},
            "status": {"required": gettext_lazy("Choose where the action stands.")},
        }

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
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
        return data


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
