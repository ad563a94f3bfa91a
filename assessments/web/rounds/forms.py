"""Forms of a round's life: setting it up, changing its status, making and sending links;
then agreed positions, actions and reviewing the last round's actions."""

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy

from assessments.rounds.models import (
    STEP_MEANINGS,
    Action,
    ActionStatus,
    Level,
    Perspective,
    Round,
    Step,
)
from assessments.rounds.services import MAX_BATCH
from coprod import codes
from principles import selectors
from principles.models import PracticeStatement, Principle

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
    figures_while_open = forms.BooleanField(
        label="Show figures while the round is open",
        required=False,
        help_text=Round._meta.get_field("figures_while_open").help_text,
    )
    contact = forms.CharField(
        label="Who people can ask (optional)",
        max_length=200,
        required=False,
        help_text=Round._meta.get_field("contact").help_text,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["framework"]
        assert isinstance(field, FrameworkChoiceField)
        field.queryset = selectors.latest_frameworks()
        frameworks = list(field.queryset)
        self.frameworks = frameworks
        if len(frameworks) == 1:
            field.initial = frameworks[0].pk

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
    easy_read = forms.BooleanField(
        label="Open the links in easy read",
        required=False,
        help_text="For people who find easy read easier, and for easy-read sheets: the "
        "answering pages open in easy read, and the person can switch back.",
    )
    email = forms.EmailField(
        label="E-mail address (optional)",
        required=False,
        help_text="Only when making 1 link: we will e-mail it to this person for you.",
        error_messages={"invalid": "Enter an e-mail address like name@example.org."},
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
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


class ReminderScheduleForm(forms.Form):
    """When to send a reminder: a day and a time, in the site's time zone."""

    day = forms.DateField(
        label="Day", widget=forms.DateInput(attrs={"type": "date"}), help_text="For example 3 March"
    )
    at = forms.TimeField(
        label="Time",
        initial="09:00",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def send_at(self):
        from datetime import datetime

        from django.utils import timezone

        return timezone.make_aware(
            datetime.combine(self.cleaned_data["day"], self.cleaned_data["at"])
        )


# After the answers are in ------------------------------------------------------------

AGREED_LEVELS = [(level.value, level.label) for level in Level if level != Level.NOT_SURE]


class AgreedPositionForm(forms.Form):
    level = forms.TypedChoiceField(
        label="Where does the group agree practice stands?",
        choices=AGREED_LEVELS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level the group agreed on."},
    )
    reason = forms.CharField(
        label="Why did the group agree this?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A sentence or two: what people said, and what would move it up a step.",
        error_messages={
            "required": "Say briefly why the group agreed this level.",
            "max_length": "Keep the reason to %(limit_value)d characters (it has %(show_value)d).",
        },
    )


class PrincipleAgreedPositionsForm(forms.Form):
    """The agreed positions of every statement of a principle, on one page: for each, a
    level (or "not agreed yet") and the reason; a reason is needed with a level."""

    NOT_YET = "Not agreed yet"

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
                label=f"Where does the group agree practice stands on statement {statement.code}?",
                choices=[("", self.NOT_YET), *AGREED_LEVELS],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"reason-{statement.pk}"] = forms.CharField(
                label=f"Why did the group agree this? (statement {statement.code})",
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": "Keep the reason to %(limit_value)d characters "
                    "(it has %(show_value)d).",
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
                    f"Say briefly why the group agreed this level for statement {statement.code}.",
                )
            if level is None and reason:
                self.add_error(
                    f"level-{statement.pk}",
                    f"Choose the level the group agreed on for statement {statement.code}, or "
                    "empty the reason.",
                )
        return data

    def rows(self):
        """Each statement with its two fields, for the template."""
        return [
            (statement, self[f"level-{statement.pk}"], self[f"reason-{statement.pk}"])
            for statement in self.statements
        ]

    def decisions(self) -> list:
        from assessments.rounds.services import PositionDecision

        return [
            PositionDecision(
                statement=statement,
                level=self.cleaned_data[f"level-{statement.pk}"],
                reason=self.cleaned_data[f"reason-{statement.pk}"],
            )
            for statement in self.statements
        ]


class StatementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.to_text}"


class PrincipleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.order}. {obj.name}"


class ActionForm(forms.ModelForm):
    principle = PrincipleChoiceField(
        queryset=None,
        label="Principle",
        empty_label="Choose a principle",
        error_messages={"required": "Choose the principle this action is about."},
    )
    statement = StatementChoiceField(
        queryset=None,
        required=False,
        label="Statement (optional)",
        empty_label="The principle as a whole",
    )
    step = forms.ChoiceField(
        required=False,
        label="Step (optional)",
        choices=[
            ("", "Not decided yet"),
            *((step.value, f"{step.label}: {STEP_MEANINGS[step]}") for step in Step),
        ],
        widget=forms.RadioSelect,
        help_text=format_lazy(
            'Where this change is on the <a href="{}#steps">five steps of co-production</a>.',
            reverse_lazy("glossary"),
        ),
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
            "change_from": "What happens now (from)",
            "change_to": "What will happen instead (to)",
            "owner": "Owner",
            "co_owner": "Co-owner (optional)",
            "due_on": "Due date (optional)",
            "status": "Status",
        }
        help_texts = {
            "owner": "The person in the team who makes sure it happens.",
            "co_owner": "Someone who uses the service and shares ownership of this action.",
        }
        widgets = {
            "change_from": forms.Textarea(attrs={"rows": 2}),
            "change_to": forms.Textarea(attrs={"rows": 2}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "change_from": {"required": "Say what happens now."},
            "change_to": {"required": "Say what will happen instead."},
            "owner": {"required": "Name the person who owns this action."},
            "due_on": {"invalid": "Enter a real date, for example 30/06/2026."},
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
                f"Statement {statement.code} belongs to another principle. Choose one of "
                f"principle {principle.order}'s statements, or the principle as a whole.",
            )
        for name in ("change_from", "change_to"):
            if len(data.get(name) or "") > 2000:
                self.add_error(name, "Keep this to 2000 characters.")
        return data


class ActionReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="What happens to this action?",
        choices=[
            ("carry", "Carry it into this round: it is still open"),
            (ActionStatus.DONE, "Mark it done"),
            (ActionStatus.DROPPED, "Drop it: it is no longer needed"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happens to this action."},
    )


class ShortCodeForm(forms.Form):
    """The short code printed on an answer-link sheet, as someone types it."""

    code = forms.CharField(
        label="Your code",
        max_length=40,
        help_text="It is printed on your sheet, next to the square. Capital or small letters "
        "both work.",
        widget=codes.CodeInput("code-input"),
    )

    def clean_code(self):
        from assessments.rounds.new_links import CODE_LENGTH
        from assessments.workshops.services import CODE_LENGTH as WORKSHOP_CODE_LENGTH

        typed = self.cleaned_data["code"]
        code = codes.normalise(typed)
        if code is None:
            raise forms.ValidationError(
                "That is not a code from one of our sheets. Codes use only these letters "
                f"and numbers: {' '.join(codes.ALPHABET)}. Check it against your sheet."
            )
        if len(code) not in (CODE_LENGTH, WORKSHOP_CODE_LENGTH):
            raise forms.ValidationError(
                f"A code has {CODE_LENGTH} letters and numbers; you typed {len(code)}. "
                "Check it against your sheet."
            )
        return code
