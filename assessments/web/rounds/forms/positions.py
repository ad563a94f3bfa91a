"""Forms for the positions a group agrees after the answers are in: one statement's, or
every statement of a principle on one page."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.rounds.models import Level
from assessments.rounds.services import PositionDecision

AGREED_LEVELS = [(level.value, level.label) for level in Level if level != Level.NOT_SURE]


class AgreedPositionForm(forms.Form):
    level = forms.TypedChoiceField(
        label=gettext_lazy("Where does the group agree practice stands?"),
        choices=AGREED_LEVELS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the level the group agreed on.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Why did the group agree this?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "A sentence or two: what people said, and what would move it up a step."
        ),
        error_messages={
            "required": gettext_lazy("Say briefly why the group agreed this level."),
            "max_length": gettext_lazy(
                "Keep the reason to %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )


class PrincipleAgreedPositionsForm(forms.Form):
    """The agreed positions of every statement of a principle, on one page: for each, a
    level (or "not agreed yet") and the reason; a reason is needed with a level."""

    NOT_YET = gettext_lazy("Not agreed yet")

    def __init__(self, data=None, *, statements, existing: dict):
        initial: dict[str, object] = {}
        for statement in statements:
            position = existing.get(statement.pk)
            initial[f"level-{statement.pk}"] = position.level if position else ""
            initial[f"reason-{statement.pk}"] = position.reason if position else ""
        super().__init__(data, initial=initial)
        self.statements = list(statements)
        for statement in self.statements:
            self.fields[f"level-{statement.pk}"] = forms.TypedChoiceField(
                label=_("Where does the group agree practice stands on statement %(code)s?")
                % {"code": statement.code},
                choices=[("", self.NOT_YET), *AGREED_LEVELS],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"reason-{statement.pk}"] = forms.CharField(
                label=_("Why did the group agree this? (statement %(code)s)")
                % {"code": statement.code},
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": _(
                        "Keep the reason to %(limit_value)d characters (it has %(show_value)d)."
                    ),
                },
            )

    def clean(self):
        data = super().clean() or {}
        for statement in self.statements:
            level = data.get(f"level-{statement.pk}")
            reason = (data.get(f"reason-{statement.pk}") or "").strip()
            if level is not None and not reason and f"reason-{statement.pk}" not in self.errors:
                self.add_error(
                    f"reason-{statement.pk}",
                    _("Say briefly why the group agreed this level for statement %(code)s.")
                    % {"code": statement.code},
                )
            if level is None and reason:
                self.add_error(
                    f"level-{statement.pk}",
                    _(
                        "Choose the level the group agreed on for statement %(code)s, or "
                        "empty the reason."
                    )
                    % {"code": statement.code},
                )
        return data

    def rows(self):
        """Each statement with its two fields, for the template."""
        return [
            (statement, self[f"level-{statement.pk}"], self[f"reason-{statement.pk}"])
            for statement in self.statements
        ]

    def decisions(self) -> list[PositionDecision]:
        return [
            PositionDecision(
                statement=statement,
                level=self.cleaned_data[f"level-{statement.pk}"],
                reason=self.cleaned_data[f"reason-{statement.pk}"],
            )
            for statement in self.statements
        ]
