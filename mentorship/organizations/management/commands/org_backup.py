from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mentorship.organizations.backup import org_backup


def schema_for(name: str) -> str:
    """`acme`, `org_acme` → `org_acme` (the slug or the schema name)."""
    return name if name.startswith("org_") else "org_" + name.replace("-", "_")


class Command(BaseCommand):
    help = (
        "Back up one organization: its schema's rows, its public rows (organization, "
        "domains) and its uploaded files, into one .tar.gz for `org_restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("organization", help="its slug (acme) or schema (org_acme)")
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            default=None,
            help="archive path (default: <schema>-<UTC time>.tar.gz here)",
        )

    def handle(self, *args, organization, output, **options):
        schema_name = schema_for(organization)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        path = output or Path(f"{schema_name}-{stamp}.tar.gz")
        try:
            result = org_backup(schema_name, path)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        rows = sum(state.rows for state in result.tables.values())
        self.stdout.write(
            f"Backed up {schema_name}: {len(result.tables)} tables, {rows} rows, "
            f"{result.media_files} files → {result.path}"
        )
