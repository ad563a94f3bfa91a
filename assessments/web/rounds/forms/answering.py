"""What a person answering chooses before the questions: their group."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.rounds.models import EASY_PERSPECTIVE_LABELS, Perspective


class PerspectiveForm(forms.Form):
    perspective = forms.ChoiceField(
        label=gettext_lazy("Which of these best describes you in this round?"),
        choices=Perspective.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the one that fits you best.")},
        help_text=gettext_lazy(
            "It is used only to show how different groups see things; nobody sees "
            "what you said. You can change it later if you chose the wrong one."
        ),
    )

    def __init__(self, *args, easy_read: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if easy_read:
            field = self.fields["perspective"]
            assert isinstance(field, forms.ChoiceField)
            field.label = _("Which group are you in?")
            field.help_text = _(
                "We only use this to see how different groups see things. Nobody sees your "
                "answers. You can change it later."
            )
            field.choices = [(value, EASY_PERSPECTIVE_LABELS[value]) for value in Perspective]
            field.error_messages["required"] = _("Choose your group.")
