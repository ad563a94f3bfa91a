"""The form a lead writes a piece of evidence with: a few lines, a link, a document."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.errors import ServiceError
from assessments.rounds.evidence_files import KINDS, allowed_words, document_check
from assessments.rounds.services import TEXT_MAX
from assessments.rounds.services.evidence import filename_clean, url_clean


class EvidenceForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("What shows it"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "A few lines in your own words: what was done, when, and by whom. Evidence is "
            "the organisation’s, written by a lead: notes people wrote when answering stay "
            "anonymous and are never copied here."
        ),
        error_messages={
            "required": gettext_lazy(
                "Say in a few lines what shows that practice is where you agreed."
            ),
            "max_length": gettext_lazy(
                "Keep the evidence to %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    url = forms.CharField(
        label=gettext_lazy("Link (optional)"),
        required=False,
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "url"}),
        help_text=gettext_lazy(
            "The address of a page where the evidence is kept, starting with https://."
        ),
    )
    document = forms.FileField(
        label=gettext_lazy("Document (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ",".join(KINDS)}),
    )

    def __init__(self, *args, has_document: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = _(
            "Up to %(max)s MB: %(kinds)s. If the page shows an error, choose the file again."
        ) % {"max": settings.EVIDENCE_MAX_MB, "kinds": allowed_words()}
        if has_document:
            self.fields["document"].label = gettext_lazy("Replace the document (optional)")
            self.fields["remove_document"] = forms.BooleanField(
                label=gettext_lazy("Remove the document"), required=False
            )

    def clean_url(self) -> str:
        try:
            return url_clean(self.cleaned_data.get("url") or "")
        except ServiceError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            try:
                document_check(document, filename_clean(document.name or ""), document.size or 0)
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from None
        return document
