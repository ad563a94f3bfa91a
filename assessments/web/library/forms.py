"""A framework file, uploaded or written in a box."""

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.library.services import MAX_FILE_BYTES
from principles.content_files import PICTURES_DIR

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class FrameworkFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Upload a framework file (optional)"),
        required=False,
        help_text=gettext_lazy(
            "A .toml file, as the library's frameworks download. It takes the place of the "
            "text in the box below."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".toml,text/plain"}),
    )
    text = forms.CharField(
        label=gettext_lazy("The framework file"),
        required=False,
        strip=False,
        help_text=gettext_lazy(
            "Edit the words between the quotes. Each principle starts with [[principles]] "
            "and each of its statements with [[principles.statements]]."
        ),
        widget=forms.Textarea(
            attrs={"rows": 24, "spellcheck": "false", "class": "form-control font-monospace"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(kb)s kB. A framework file is far smaller.")
                % {"kb": MAX_FILE_BYTES // 1024}
            )
        if not upload.name.lower().endswith((".toml", ".txt")):
            raise forms.ValidationError(
                _("Choose a framework file ending in .toml, such as cahn.toml.")
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                _("The file is not UTF-8 text. Save it as UTF-8 in your editor, then upload it.")
            ) from exc

    def clean(self):
        cleaned = super().clean() or {}
        content = cleaned.get("file") or cleaned.get("text", "")
        if not self.errors and not content.strip():
            raise forms.ValidationError(_("Upload a framework file, or write one in the box."))
        cleaned["content"] = content.replace("\r\n", "\n")
        return cleaned


# Filling a form instead of writing the file: each form is one table of the file. --------


def _text(label: "StrOrPromise", *, long: bool = False, help_text: "StrOrPromise" = ""):
    widget = forms.Textarea(attrs={"rows": 3}) if long else forms.TextInput
    return forms.CharField(
        label=label, required=False, help_text=help_text, widget=widget, max_length=4000
    )


class FrameworkDetailsForm(forms.Form):
    slug = _text(
        gettext_lazy("Short name for addresses"),
        help_text=gettext_lazy(
            "Lowercase letters, digits and hyphens, such as our-charter. It cannot change "
            "once the framework is published."
        ),
    )
    name = _text(gettext_lazy("Name"), help_text=gettext_lazy("The name people will see."))
    source = _text(
        gettext_lazy("Where it comes from"),
        long=True,
        help_text=gettext_lazy("The works it draws on, each in full: author or body, title, year."),
    )
    summary = _text(
        gettext_lazy("Summary"),
        long=True,
        help_text=gettext_lazy("A sentence or two on what it is about."),
    )


def _pictures() -> list[tuple[str, "StrOrPromise"]]:
    return [("", gettext_lazy("No picture"))] + [
        (path.stem, path.stem) for path in sorted(PICTURES_DIR.glob("*.svg"))
    ]


class PrincipleForm(forms.Form):
    slug = _text(
        gettext_lazy("Short name for addresses"),
        help_text=gettext_lazy("Lowercase letters, digits and hyphens, such as listening."),
    )
    name = _text(gettext_lazy("Name of the principle"))
    summary = _text(gettext_lazy("What it means"), long=True)
    easy_read_name = _text(gettext_lazy("Name in easy read (optional)"))
    easy_read_summary = _text(gettext_lazy("What it means, in easy read (optional)"), long=True)
    picture = forms.ChoiceField(label=gettext_lazy("Easy-read picture (optional)"), required=False)
    picture_alt = _text(gettext_lazy("What the picture shows (optional)"))
    remove = forms.BooleanField(label=gettext_lazy("Take this principle out"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["picture"].choices = _pictures()  # type: ignore[attr-defined]


class StatementForm(forms.Form):
    from_text = _text(gettext_lazy("From: where practice often starts"), long=True)
    to_text = _text(gettext_lazy("To: where co-production takes it"), long=True)
    from_easy = _text(gettext_lazy("From, in easy read (optional)"), long=True)
    to_easy = _text(gettext_lazy("To, in easy read (optional)"), long=True)
    source_note = _text(gettext_lazy("Where the statement comes from"))


StatementFormSet = forms.formset_factory(StatementForm, extra=1, can_delete=True)
