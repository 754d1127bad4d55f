from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mentorship.organizations.backup import archive_schema_name, org_restore


class Command(BaseCommand):
    help = (
        "Restore one organization from an `org_backup` archive, touching no other "
        "organization: into a deployment without it, or over it with --replace. The "
        "code must have the same tenant migrations as the code that made the archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="overwrite the organization if it exists here (its data, domains, files)",
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask to confirm --replace",
        )

    def handle(self, *args, archive, replace, interactive, **options):
        try:
            if replace and interactive:
                schema_name = archive_schema_name(archive)
                answer = input(
                    f"This replaces everything of {schema_name} here with {archive}; "
                    "changes since the backup are lost. Type the schema name to go on: "
                )
                if answer.strip() != schema_name:
                    raise CommandError("Not confirmed; nothing was changed.")
            result = org_restore(archive, replace=replace)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        rows = sum(state.rows for state in result.tables.values())
        self.stdout.write(
            f"{'Replaced' if result.replaced else 'Restored'} {result.schema_name}: "
            f"{len(result.tables)} tables, {rows} rows (counts and checksums match), "
            f"{result.media_files} files."
        )
