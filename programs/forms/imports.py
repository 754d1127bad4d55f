"""The participant import's forms: the upload, and the preview's choice of how to
read the file and what unknown columns hold."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from programs import importing


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Participant file (.csv or .xlsx)",
        help_text="Up to 5 MB and 5,000 people. Download the template for the columns.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Checked on the size the upload handler counted, before reading a byte.
        if upload.size > importing.MAX_BYTES:
            raise ValidationError(
                f"The file is larger than {importing.MAX_BYTES // (1024 * 1024)} MB; "
                "split it into smaller files."
            )
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise ValidationError("Upload a .csv or .xlsx file.")
        return upload


IGNORE = "ignore"


class ImportReadingForm(forms.Form):
    """Encoding and delimiter (empty: detect), and one choice per column the
    import did not recognise (or that this organization mapped or ignored
    before): a field, or "ignore". ``mapping()`` gives header_key -> field name
    ("" to ignore), as ``services.participant_import_reread`` takes it."""

    encoding = forms.ChoiceField(
        label="Encoding",
        required=False,
        choices=[("", "Detect"), *importing.ENCODINGS.items()],
    )
    delimiter = forms.ChoiceField(
        label="Separator",
        required=False,
        choices=[("", "Detect"), (",", "Commas"), (";", "Semicolons"), ("\t", "Tabs")],
    )

    def __init__(self, *args, reading: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.is_text = bool(reading.get("encoding"))
        if reading.get("chosen"):
            self.initial.setdefault(
                "encoding",
                "utf-8" if reading["encoding"] == "utf-8-sig" else reading["encoding"],
            )
            self.initial.setdefault("delimiter", reading.get("delimiter") or "")
        choices = [
            ("", "Choose…"),
            (IGNORE, "Ignore this column"),
            *importing.FIELD_LABELS.items(),
        ]
        self.column_keys: dict[str, str] = {}
        for index, column in enumerate(reading.get("columns", [])):
            if (
                column["how"] not in ("unknown", "mapped", "ignored")
                or not column["key"]
            ):
                continue
            name = f"column_{index}"
            self.column_keys[name] = column["key"]
            self.fields[name] = forms.ChoiceField(
                label=column["header"],
                choices=choices,
                required=True,
                error_messages={"required": "Choose a field, or ignore the column."},
                help_text=(
                    "e.g. " + ", ".join(column["samples"])
                    if column.get("samples")
                    else "empty in this file"
                ),
                initial=(
                    column["field"]
                    if column["how"] == "mapped"
                    else IGNORE
                    if column["how"] == "ignored"
                    else ""
                ),
            )

    @property
    def column_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.column_keys]

    def mapping(self) -> dict[str, str]:
        return {
            key: "" if self.cleaned_data[name] == IGNORE else self.cleaned_data[name]
            for name, key in self.column_keys.items()
        }
