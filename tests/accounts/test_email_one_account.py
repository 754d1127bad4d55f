"""One account per email address, whatever its capitals (issue 13): the admin,
forms, the import and the database itself."""

import pytest
from django.db import IntegrityError, transaction

from mentorship.accounts.models import User
from mentorship.accounts.services import user_create
from programs import services
from tests.programs.factories import ProgramFactory
from tests.programs.importfiles import csv_bytes


def test_admin_add_user_stores_the_address_lower_cased(alpha):
    response = alpha.client("hradmin").post(
        "/admin/accounts/user/add/",
        {
            "email": " Anh.Tran@Globex.example\u00a0",
            "full_name": "Trần Thị Anh",
            "role": "member",
            "time_zone": "Asia/Ho_Chi_Minh",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="anh.tran@globex.example").count() == 1


def test_admin_change_form_lower_cases_and_refuses_a_case_twin(alpha, mentee, mentor):
    client = alpha.client("hradmin")
    page = client.get(f"/admin/accounts/user/{mentee.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update(
        email="Anh.Tran@Globex.example",
        full_name=mentee.full_name,
        role=mentee.role,
        time_zone=mentee.time_zone,
        language="en",
        digest_hour="09:00",
        is_active="on",
        _save="Save",
    )
    data.pop("password", None)
    data.pop("muted_kinds", None)
    data["muted_kinds"] = "[]"
    response = client.post(f"/admin/accounts/user/{mentee.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    mentee.refresh_from_db()
    assert mentee.email == "anh.tran@globex.example"
    data["email"] = "ANH.TRAN@globex.example"
    response = client.post(f"/admin/accounts/user/{mentor.pk}/change/", data)
    assert response.status_code == 200
    assert "email" in str(response.context["adminform"].form.errors) or (
        "already has an account" in response.content.decode()
    )


def test_the_database_refuses_a_second_account_differing_in_capitals(alpha, mentee):
    other = User.objects.create(email="someone@alpha.example")
    # .update() skips every Python check: only the index stands.
    same_but_capitals = User.objects.filter(pk=other.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        same_but_capitals.update(email=mentee.email.upper())


def test_import_after_admin_add_finds_the_same_account(alpha, coordinator):
    user_create(email="Anh.Tran@Globex.example", password=None, full_name="Trần Anh")
    program = ProgramFactory()
    program.coordinators.add(coordinator)
    content = csv_bytes(
        [{"email": "anh.tran@globex.example", "full_name": "Trần Anh", "role": "mentee"}]
    )
    batch = services.participant_import_preview(
        program=program, by=coordinator, filename="p.csv", content=content
    )
    assert batch.errors == []
    services.participant_import_commit(batch=batch, by=coordinator)
    assert User.objects.filter(email__iexact="anh.tran@globex.example").count() == 1
