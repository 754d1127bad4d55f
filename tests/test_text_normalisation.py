"""Text people type is normalised before any check, at every entry (issue 13):
NFC, spaces trimmed (no-break and zero-width too), controls and bidi refused."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError

from mentorship.accounts.models import User
from mentorship.fields import (
    SingleLineFormField,
    normalize_email,
    normalize_text,
)

DECOMPOSED = unicodedata.normalize("NFD", "José García Muñoz")


def test_normalize_text_composes_and_trims():
    assert DECOMPOSED != "José García Muñoz"
    assert normalize_text(f"\u00a0 {DECOMPOSED}\u202f\ufeff") == "José García Muñoz"


def test_normalize_email_lower_cases():
    assert normalize_email(" Anh.Tran@Globex.example\u00a0") == "anh.tran@globex.example"


def test_form_field_normalises_before_checking():
    assert SingleLineFormField().clean(f"\u00a0{DECOMPOSED} ") == "José García Muñoz"
    with pytest.raises(ValidationError):
        SingleLineFormField().clean("Bob\u202eevil")


def test_a_decomposed_name_is_stored_composed_and_found_as_typed(alpha):
    user = User.objects.create(email="jose@alpha.example", full_name=DECOMPOSED)
    user.refresh_from_db()
    assert user.full_name == "José García Muñoz"
    assert User.objects.filter(full_name__icontains="García").exists()


def test_bulk_created_names_are_composed_too(alpha):
    User.objects.bulk_create(
        [User(email="Jose2@Alpha.example", full_name=f" {DECOMPOSED}\u00a0")]
    )
    user = User.objects.get(email="jose2@alpha.example")
    assert user.full_name == "José García Muñoz"
