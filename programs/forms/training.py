"""Forms of the coordinator's training page: shape only; programs.services.training decides."""

from __future__ import annotations

from django import forms

from mentorship.fields import SingleLineFormField
from programs.models import TrainingModule


class TrainingMarkForm(forms.Form):
    """Mark training done for the ticked people: one module, or all they need."""

    enrollment = forms.TypedMultipleChoiceField(
        coerce=int, error_messages={"required": "Tick at least one person first."}
    )
    module = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, modules: list[TrainingModule], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Any integer passes shape validation; the service keeps this program's rows.
        values = (
            self.data.getlist("enrollment") if hasattr(self.data, "getlist") else []
        )
        self.fields["enrollment"].choices = [  # type: ignore[attr-defined]
            (value, value) for value in values if str(value).isdigit()
        ]
        self.fields["module"].choices = [("", "Everything they need")] + [  # type: ignore[attr-defined]
            (module.pk, module.title) for module in modules
        ]


class TrainingWaiverForm(forms.Form):
    action = forms.ChoiceField(choices=[("waive", "Waive"), ("remove", "Remove")])
    reason = SingleLineFormField(max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == "waive" and not data.get("reason"):
            self.add_error("reason", "Say why the training is waived.")
        return data
