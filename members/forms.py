"""Forms of the member organization pages: shape only; the views call the services."""

from __future__ import annotations

from typing import cast

from django import forms

from members.models import MemberOrganization
from members.services import EDITABLE_FIELDS
from mentorship import reference
from mentorship.accounts.timezones import zone_choices
from mentorship.fields import ListField

_BRIEF_HELP = "Markdown: **bold**, *italics*, lists with “- ”, [links](https://…)."


class MemberOrganizationForm(forms.ModelForm):
    website = forms.URLField(
        max_length=300,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    focus_areas = ListField(
        label="Focus areas",
        help_text="What the team wants a mentor's help with, one per line, e.g. "
        "advocacy. Matching looks for mentors with this expertise.",
        max_items=20,
    )
    languages = forms.MultipleChoiceField(
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        label="Languages the team can meet in",
        help_text="Tick every language the team can hold a meeting in.",
        required=False,
    )

    class Meta:
        model = MemberOrganization
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "context_economy": forms.Textarea(attrs={"rows": 6}),
            "context_needs": forms.Textarea(attrs={"rows": 6}),
            "context_tried": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "context_economy": "The market, the rules and the institutions the "
            "association deals with. " + _BRIEF_HELP,
            "context_needs": "What the association wants from a mentor. " + _BRIEF_HELP,
            "context_tried": "What it has tried already, and how that went. "
            + _BRIEF_HELP,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            ("", "—"),
            *reference.COUNTRY_CHOICES,
        ]
        cast(
            forms.ChoiceField, self.fields["languages"]
        ).choices = reference.language_choices_for(
            self.instance.languages if self.instance.pk else []
        )
        cast(forms.ChoiceField, self.fields["size"]).choices = [
            ("", "—"),
            *MemberOrganization.Size.choices,
        ]

    def member_organization_fields(self) -> dict:
        """The cleaned values, for ``member_organization_save``."""
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class MembershipAddForm(forms.Form):
    email = forms.EmailField(
        label="Email",
        help_text="Someone new to the organization gets an invitation to set a password.",
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        required=False,
        help_text="For someone new: people with an account keep their name and "
        "time zone.",
    )
    role_title = forms.CharField(
        label="Role",
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. President"}),
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=(),
        initial="UTC",
    )
    is_lead = forms.BooleanField(label="Lead contact", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = zone_choices()
