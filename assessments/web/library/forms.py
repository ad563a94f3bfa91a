"""A framework file, uploaded or written in a box."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.library.services import MAX_FILE_BYTES


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
