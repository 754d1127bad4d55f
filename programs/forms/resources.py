"""The resource library's form: shape only; programs.services.resources decides."""

from __future__ import annotations

from django import forms

from mentorship.fields import SingleLineFormField
from programs.models import AudienceRole
from programs.services.resources import ResourceData


class ResourceForm(forms.Form):
    title = SingleLineFormField(max_length=200)
    url = forms.URLField(
        label="Link",
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="A page or a shared document, or upload a file below.",
    )
    document = forms.FileField(
        label="Document",
        required=False,
        help_text="PDF, Word, PowerPoint, Excel, text or image; 10 MB at most.",
    )
    remove_document = forms.BooleanField(
        label="Remove the uploaded document", required=False
    )
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    for_role = forms.ChoiceField(
        label="Who sees it", choices=AudienceRole.choices, initial=AudienceRole.BOTH
    )

    def data_for_service(self) -> ResourceData:
        data = self.cleaned_data
        return ResourceData(
            title=data["title"],
            url=data["url"],
            description=data["description"].strip(),
            for_role=data["for_role"],
            document=data["document"] or None,
            remove_document=data["remove_document"],
        )
