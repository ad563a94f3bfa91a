"""Forms for answer links: making them, e-mailing one, and the short code printed on a
link's sheet."""

from typing import cast

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessments.rounds.models import Perspective
from assessments.rounds.new_links import CODE_LENGTH
from assessments.rounds.services import MAX_BATCH
from assessments.workshops.services import CODE_LENGTH as WORKSHOP_CODE_LENGTH
from coprod import codes

# A batch adds " 200" to the label, and the model keeps 80 characters.
LABEL_MAX = 72


class InviteCreateForm(forms.Form):
    perspective = forms.ChoiceField(
        label=gettext_lazy("Who are these links for?"),
        choices=Perspective.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose who the links are for.")},
    )
    count = forms.IntegerField(
        label=gettext_lazy("How many links?"),
        min_value=1,
        max_value=MAX_BATCH,
        initial=1,
        help_text=format_lazy(
            gettext_lazy("One for each person. Make a batch, up to {max}, for a workshop."),
            max=MAX_BATCH,
        ),
        error_messages={
            "required": gettext_lazy("Enter how many links to make."),
            "invalid": gettext_lazy("Enter a whole number, like 1 or 30."),
            "min_value": gettext_lazy("Make at least 1 link."),
            "max_value": format_lazy(
                gettext_lazy("Make at most {max} links at a time."), max=MAX_BATCH
            ),
        },
    )
    label = forms.CharField(
        label=gettext_lazy("Label (optional)"),
        max_length=LABEL_MAX,
        required=False,
        help_text=gettext_lazy(
            "For you to tell links apart, for example Workshop table. A batch is "
            "numbered: Workshop table 1, 2, 3. Never shown with answers."
        ),
    )
    easy_read = forms.BooleanField(
        label=gettext_lazy("Open the links in easy read"),
        required=False,
        help_text=gettext_lazy(
            "For people who find easy read easier, and for easy-read sheets: the "
            "answering pages open in easy read, and the person can switch back."
        ),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the links"),
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "The answering pages and the printed sheets are in this language. The person "
            "can change it on the pages."
        ),
        error_messages={"invalid_choice": gettext_lazy("Choose one of the languages.")},
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail address (optional)"),
        required=False,
        help_text=gettext_lazy(
            "Only when making 1 link: we will e-mail it to this person for you."
        ),
        error_messages={"invalid": gettext_lazy("Enter an e-mail address like name@example.org.")},
    )

    def __init__(self, *args, framework=None, **kwargs):
        super().__init__(*args, **kwargs)
        if framework is not None and not framework.has_easy_read:
            # The choice is not offered, and the lead reads why beside it.
            easy = self.fields["easy_read"]
            easy.disabled = True
            easy.help_text = no_easy_read(framework)
        field = cast(forms.ChoiceField, self.fields["language"])
        field.choices = settings.LANGUAGES  # each named in itself
        field.initial = current_language()

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or current_language()

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("email") and (cleaned.get("count") or 1) > 1:
            self.add_error(
                "email",
                _(
                    "An e-mail address can only be given when making 1 link. Leave it empty, "
                    "or set how many links to 1."
                ),
            )
        return cleaned


def no_easy_read(framework) -> str:
    return _("%(framework)s has no easy-read wording, so its links open in standard words.") % {
        "framework": framework.name
    }


def current_language() -> str:
    """The language the lead is reading in, as one of settings.LANGUAGES."""
    try:
        return translation.get_supported_language_variant(translation.get_language() or "")
    except LookupError:
        return settings.LANGUAGE_CODE


class InviteSendForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        error_messages={
            "required": gettext_lazy("Enter the e-mail address to send the link to."),
            "invalid": gettext_lazy("Enter an e-mail address like name@example.org."),
        },
    )


class ShortCodeForm(forms.Form):
    """The short code printed on an answer-link sheet, as someone types it."""

    code = forms.CharField(
        label=gettext_lazy("Your code"),
        max_length=40,
        help_text=gettext_lazy(
            "It is printed on your sheet, next to the square. Capital or small letters both work."
        ),
        widget=codes.CodeInput("code-input"),
        error_messages={"required": gettext_lazy("Enter the code from your sheet.")},
    )

    def __init__(self, *args, easy_read: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.easy_read = easy_read
        if easy_read:
            field = self.fields["code"]
            field.label = _("The code on your sheet")
            field.help_text = _(
                "It is next to the black and white square. Big or small letters are both fine."
            )
            field.error_messages["required"] = _("Type the code from your sheet.")

    def clean_code(self):
        typed = self.cleaned_data["code"]
        code = codes.normalise(typed)
        if code is None:
            if self.easy_read:
                raise forms.ValidationError(
                    _("This is not a code from our sheets. Look at your sheet and try again.")
                )
            raise forms.ValidationError(
                _(
                    "That is not a code from one of our sheets. Codes use only these letters "
                    "and numbers: %(letters)s. Check it against your sheet."
                )
                % {"letters": " ".join(codes.ALPHABET)}
            )
        if len(code) not in (CODE_LENGTH, WORKSHOP_CODE_LENGTH):
            if self.easy_read:
                raise forms.ValidationError(
                    ngettext(
                        "The code has %(length)s letters and numbers. You typed %(count)s. "
                        "Look at your sheet and try again.",
                        "The code has %(length)s letters and numbers. You typed %(count)s. "
                        "Look at your sheet and try again.",
                        len(code),
                    )
                    % {"length": CODE_LENGTH, "count": len(code)}
                )
            raise forms.ValidationError(
                ngettext(
                    "A code has %(length)s letters and numbers; you typed %(count)s. "
                    "Check it against your sheet.",
                    "A code has %(length)s letters and numbers; you typed %(count)s. "
                    "Check it against your sheet.",
                    len(code),
                )
                % {"length": CODE_LENGTH, "count": len(code)}
            )
        return code
