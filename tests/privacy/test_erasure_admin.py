"""Erasure from the HR admin: a confirmation page first, then the erasure."""

from __future__ import annotations

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from mentorship.accounts.models import User

URL = "/admin/privacy/person/"


def _post(client, *people, **extra):
    return client.post(
        URL,
        {
            "action": "erase_personal_data",
            ACTION_CHECKBOX_NAME: [str(p.pk) for p in people],
            **extra,
        },
    )


def test_asks_first_then_erases(alpha, hr_admin, mentee):
    client = alpha.client("hradmin")
    # when: the action is chosen
    page = _post(client, mentee, hr_admin)
    # then: a page says what goes and what stays; nothing is erased yet
    assert page.status_code == 200
    text = page.content.decode()
    assert "Erase the personal data of 1 person?" in text
    assert "You can't erase your own account" in text
    assert "What stays" in text
    assert User.objects.get(pk=mentee.pk).is_active
    # when: confirmed
    done = _post(client, mentee, confirm="erase")
    # then
    assert done.status_code == 302
    assert not User.objects.get(pk=mentee.pk).is_active
    assert User.objects.get(pk=hr_admin.pk).is_active


def test_list_is_for_hr_admins(alpha, mentee, django_assert_max_num_queries):
    client = alpha.client("hradmin")
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
    for persona in ("coordinator", "mentor"):
        assert _post(alpha.client(persona), mentee, confirm="erase").status_code == 302
    assert User.objects.get(pk=mentee.pk).is_active
