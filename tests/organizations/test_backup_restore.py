"""One organization backed up and restored alone (issue 16, item 4).

The demo seed gives Meridian data of every kind (people, programs, enrolments,
matching runs and matches, meetings, logs, pulses, goals, surveys and responses,
stories, notifications); a backup, a mistake, and a restore must bring back every
table's row count and checksum, its public rows and its files, and leave Bridges
(and every other organization) exactly as it was.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django_tenants.utils import get_public_schema_name, schema_context

from checkins.models import Meeting
from demo.seed import seed_demo
from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from mentorship.organizations.backup import org_backup, org_restore, schema_fingerprint
from mentorship.organizations.models import Domain, Organization

MERIDIAN, BRIDGES = "org_meridian", "org_bridges"
RESOURCE = "program-resources/mentoring-guide.txt"
KINDS = (
    "accounts_",
    "programs_",
    "matching_",
    "checkins_",
    "reporting_",
    "notifications_",
)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def _public_rows(schema_name: str) -> tuple[tuple, list[tuple]]:
    with schema_context(get_public_schema_name()):
        org = Organization.objects.get(schema_name=schema_name)
        return (
            (org.name, org.staff_two_factor, org.is_active, org.created_at),
            sorted(
                Domain.objects.filter(tenant=org).values_list("domain", "is_primary")
            ),
        )


def _make_a_mess() -> None:
    """What an operator's mistake or a bad import might do to Meridian."""
    with schema_context(MERIDIAN):
        Meeting.objects.all().delete()
        Notification.objects.all().delete()
        User.objects.update(full_name="Overwritten")
        default_storage.delete(RESOURCE)
    with schema_context(get_public_schema_name()):
        meridian = Organization.objects.get(schema_name=MERIDIAN)
        Organization.objects.filter(pk=meridian.pk).update(name="Renamed by mistake")
        Domain.objects.create(
            domain="stray.localhost", tenant=meridian, is_primary=False
        )


def test_an_organization_round_trips_alone(db, tmp_path, media_root):
    # given: the demo's two organizations, Meridian with an uploaded file
    seed_demo()
    with schema_context(MERIDIAN):
        default_storage.save(RESOURCE, ContentFile(b"How to run a first meeting\n"))
    meridian_before = schema_fingerprint(MERIDIAN)
    bridges_before = schema_fingerprint(BRIDGES)
    meridian_public = _public_rows(MERIDIAN)
    bridges_public = _public_rows(BRIDGES)
    for kind in KINDS:  # data of every kind, not a near-empty schema
        assert any(
            table.startswith(kind) and state.rows > 0
            for table, state in meridian_before.items()
        ), kind
    assert sum(1 for state in meridian_before.values() if state.rows) >= 30

    # when: backed up through the command
    archive = tmp_path / "meridian.tar.gz"
    call_command("org_backup", "meridian", "--output", str(archive))

    # then: the manifest holds every table's count and checksum, and the file
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert f"media/{RESOURCE}" in tar.getnames()
    assert {
        table: (info["rows"], info["sha256"])
        for table, info in manifest["tables"].items()
    } == {table: (s.rows, s.sha256) for table, s in meridian_before.items()}

    # when: a mistake, then a restore over it
    _make_a_mess()
    assert schema_fingerprint(MERIDIAN) != meridian_before
    with pytest.raises(ValidationError, match="--replace"):
        org_restore(archive)
    result = org_restore(archive, replace=True)

    # then: Meridian is back, table by table, with its public rows and its file
    assert result.replaced
    assert schema_fingerprint(MERIDIAN) == meridian_before
    assert _public_rows(MERIDIAN) == meridian_public
    assert (
        media_root / MERIDIAN / RESOURCE
    ).read_bytes() == b"How to run a first meeting\n"
    # ... and Bridges was not touched
    assert schema_fingerprint(BRIDGES) == bridges_before
    assert _public_rows(BRIDGES) == bridges_public

    # when: restored where Meridian does not exist (another deployment, or deleted)
    with schema_context(get_public_schema_name()):
        Organization.objects.get(schema_name=MERIDIAN).delete(force_drop=True)
    call_command("org_restore", str(archive))

    # then: the same again, and its sequences go on after the restored ids
    assert schema_fingerprint(MERIDIAN) == meridian_before
    assert _public_rows(MERIDIAN)[1] == meridian_public[1]
    assert schema_fingerprint(BRIDGES) == bridges_before
    with schema_context(MERIDIAN):
        newest = User.objects.order_by("-pk").first()
        added = User.objects.create_user(email="after-restore@example.com")
        assert added.pk > newest.pk


def _retar(archive: Path, target: Path, change) -> Path:
    """A copy of `archive` with its manifest changed by `change(manifest)`."""
    folder = target.parent / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    manifest = json.loads((folder / "manifest.json").read_text())
    change(manifest)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with tarfile.open(target, "w:gz") as tar:
        for path in folder.iterdir():
            tar.add(path, path.name)
    return target


def test_a_restore_refuses_other_code_and_taken_domains_and_changes_nothing(
    alpha, beta, tmp_path, media_root
):
    archive = tmp_path / "alpha.tar.gz"
    org_backup("org_alpha", archive)
    alpha_before = schema_fingerprint("org_alpha")

    newer = _retar(
        archive,
        tmp_path / "newer.tar.gz",
        lambda m: m["migrations"].append(["programs", "9999_from_the_future"]),
    )
    with pytest.raises(ValidationError, match=r"programs\.9999_from_the_future"):
        org_restore(newer, replace=True)

    stolen = _retar(
        archive,
        tmp_path / "stolen.tar.gz",
        lambda m: m["domains"].append(
            {"domain": "beta.localhost", "is_primary": False}
        ),
    )
    with pytest.raises(ValidationError, match=r"beta\.localhost"):
        org_restore(stolen, replace=True)

    assert schema_fingerprint("org_alpha") == alpha_before
    assert Domain.objects.get(domain="beta.localhost").tenant.schema_name == "org_beta"
    with pytest.raises(ValidationError, match="not organizations"):
        org_backup("org_template", tmp_path / "template.tar.gz")
