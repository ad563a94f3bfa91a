"""Forms for answer links: making them, e-mailing one, and the short code printed on a
link's sheet."""

from django import forms

from assessments.rounds.models import Perspective
from assessments.rounds.new_links import CODE_LENGTH
from assessments.rounds.services import MAX_BATCH
from assessments.workshops.services import CODE_LENGTH as WORKSHOP_CODE_LENGTH
from coprod import codes

# A batch adds " 200" to the label, and the model keeps 80 characters.
LABEL_MAX = 72


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


class ShortCodeForm(forms.Form):
    """The short code printed on an answer-link sheet, as someone types it."""

    code = forms.CharField(
        label="Your code",
        max_length=40,
        help_text="It is printed on your sheet, next to the square. Capital or small letters "
        "both work.",
        widget=codes.CodeInput("code-input"),
        error_messages={"required": "Enter the code from your sheet."},
    )

    def __init__(self, *args, easy_read: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.easy_read = easy_read
        if easy_read:
            field = self.fields["code"]
            field.label = "The code on your sheet"
            field.help_text = (
                "It is next to the black and white square. Big or small letters are both fine."
            )
            field.error_messages["required"] = "Type the code from your sheet."

    def clean_code(self):
        typed = self.cleaned_data["code"]
        code = codes.normalise(typed)
        if code is None:
            if self.easy_read:
                raise forms.ValidationError(
                    "This is not a code from our sheets. Look at your sheet and try again."
                )
            raise forms.ValidationError(
                "That is not a code from one of our sheets. Codes use only these letters "
                f"and numbers: {' '.join(codes.ALPHABET)}. Check it against your sheet."
            )
        if len(code) not in (CODE_LENGTH, WORKSHOP_CODE_LENGTH):
            if self.easy_read:
                raise forms.ValidationError(
                    f"The code has {CODE_LENGTH} letters and numbers. You typed {len(code)}. "
                    "Look at your sheet and try again."
                )
            raise forms.ValidationError(
                f"A code has {CODE_LENGTH} letters and numbers; you typed {len(code)}. "
                "Check it against your sheet."
            )
        return code
