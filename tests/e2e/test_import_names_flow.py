"""Imports as HR departments send them, and names as people have them (issue 13), in
Chromium: a coordinator imports an Excel-on-Windows CSV (Windows-1252, "First Name",
"Last Name", "E-mail Address"…), maps the one column the import doesn't know, and
confirms; a Vietnamese participant is greeted by her whole name, never "Hello,
Nguyễn", then by the name she chose. Screenshots of the mapping step at 1280 and
390 px (copied to $SHOTS_DIR, default /tmp/shots/i13).

The server is another process, so people and the program are COMMITTED to the test
database (throwaway addresses) and removed afterwards."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from mentorship.accounts.models import User
from programs.models import ImportBatch, ImportColumnMapping, Program
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.people import people_create, people_remove
from tests.e2e.test_checkins_flow import sign_in

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots/i13"))  # noqa: S108


def _excel_windows_csv(tag: str) -> bytes:
    """What Excel on Windows saves as "CSV (Comma delimited)": Windows-1252, CRLF."""
    rows = [
        "First Name,Last Name,E-mail Address,Role,Time Zone,Workplace",
        f"José,García Muñoz,Jose.Garcia.{tag}@Import.example,mentor,Romance Standard Time,Madrid",
        f"Zoë,Müller,zoe.muller.{tag}@import.example,mentee,Berlin,Hamburg",
    ]
    return ("\r\n".join(rows) + "\r\n").encode("cp1252")


@pytest.fixture
def world(django_db_setup, django_db_blocker, tmp_path):
    tag = uuid.uuid4().hex[:6]
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        people = people_create(
            tag,
            (
                ("coordinator", "Carla Ruiz", User.Role.COORDINATOR, "Europe/Madrid"),
                ("lan", "Nguyễn Thị Lan", User.Role.MEMBER, "Asia/Ho_Chi_Minh"),
            ),
        )
        program = Program.objects.create(
            name=f"Cross-border mentoring {tag}", status=Program.Status.ENROLLING
        )
        program.coordinators.add(people["coordinator"])
    upload = tmp_path / "people.csv"
    upload.write_bytes(_excel_windows_csv(tag))
    yield {"people": people, "program": program, "upload": upload, "tag": tag}
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        ImportBatch.objects.filter(program=program).delete()
        program.delete()
        ImportColumnMapping.objects.filter(key="workplace").delete()
        User.objects.filter(email__endswith=f".{tag}@import.example").delete()
        people_remove(tag, people)


def _keep(names: list[str]) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name in names:
        for label in ("desktop", "phone"):
            source = SCREENSHOTS / f"{name}-{label}.png"
            if source.exists():
                shutil.copy(source, SHOTS / source.name)


def test_coordinator_imports_an_excel_windows_file_and_maps_a_column(
    page, site, shoot, world, django_db_blocker
):
    program, tag = world["program"], world["tag"]
    sign_in(page, site, world["people"]["coordinator"])
    page.goto(site("alpha", f"/manage/programs/{program.pk}/import/"))
    page.get_by_label("Participant file").set_input_files(str(world["upload"]))
    page.get_by_role("button", name="Check the file").click()

    # The preview says how it read the file, and asks about the unknown column.
    expect(
        page.get_by_text("Read as Windows-1252, separated by commas (detected).")
    ).to_be_visible()
    expect(page.locator(".problem-table")).to_contain_text("Unknown column")
    column = page.get_by_label("Column “Workplace”")
    expect(column).to_be_visible()
    shoot("import-mapping")
    column.select_option("city")
    page.get_by_role("button", name="Read the file again").click()

    # Names intact, the given name as the preferred one, zones understood.
    expect(page.get_by_role("heading", name="2 people ready to import")).to_be_visible()
    table = page.locator("table")
    expect(table).to_contain_text("José García Muñoz")
    expect(table).to_contain_text("Zoë Müller")
    expect(table).to_contain_text("Europe/Paris")
    shoot("import-ready")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_text("Invited 2 people by email")).to_be_visible()
    _keep(["import-mapping", "import-ready"])

    with django_db_blocker.unblock(), schema_context("org_alpha"):
        jose = User.objects.get(email=f"jose.garcia.{tag}@import.example")
        assert (jose.full_name, jose.greeting_name) == ("José García Muñoz", "José")
        assert jose.participant.city == "Madrid"
        # remembered for the organization's next file
        assert ImportColumnMapping.objects.get(key="workplace").field == "city"


def test_a_vietnamese_participant_is_greeted_by_the_name_she_chose(
    page, site, shoot, world
):
    sign_in(page, site, world["people"]["lan"])
    expect(page).to_have_url(site("alpha", "/"))
    heading = page.get_by_role("heading", level=1)
    # Never the first word of her name (her family name).
    expect(heading).to_have_text("Hello, Nguyễn Thị Lan")
    page.goto(site("alpha", "/profile/"))
    page.get_by_label("What should we call you?").fill("Lan")
    page.get_by_role("button", name="Save").first.click()
    expect(page).to_have_url(site("alpha", "/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Lan")
    shoot("greeting-chosen-name")
    _keep(["greeting-chosen-name"])
