from django.core.management.base import BaseCommand, CommandError

from mentorship.organizations.migrating import (
    SchemaResult,
    default_jobs,
    migrate_schemas_fast,
)


class Command(BaseCommand):
    help = (
        "Migrate for a deploy: find the schemas that lag behind the code's migrations in "
        "one catalog query, then migrate only those - public first, then the "
        "organizations in --jobs worker processes (--jobs + 1 PostgreSQL connections). "
        "Each schema migrates in one transaction; a failing one is named, the others "
        "go on, and the command exits non-zero. Organizations still lagging answer 503."
    )
    # Like `migrate`, no system checks first: they import every URLconf and view
    # (seconds of start-up), and `manage.py check --deploy` is its own step.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="worker processes for organization schemas, one connection each "
            "(default: DEPLOY_MIGRATION_JOBS or the CPU count, at most 4)",
        )
        parser.add_argument(
            "--schema",
            action="append",
            dest="schemas",
            help="only this schema (repeatable); still skipped when current",
        )

    def handle(self, *args, jobs, schemas, verbosity, **options):
        jobs = jobs or default_jobs()

        def report(result: SchemaResult) -> None:
            if not result.ok:
                self.stderr.write(f"{result.schema_name}: FAILED {result.error}")
            elif verbosity >= 2:
                self.stdout.write(
                    f"{result.schema_name}: applied {', '.join(result.applied) or 'nothing'}"
                    f" ({result.seconds * 1000:.0f} ms)"
                )

        outcome = migrate_schemas_fast(jobs=jobs, schemas=schemas, on_result=report)
        migrated = len(outcome.migrated)
        if verbosity >= 1:
            self.stdout.write(
                f"{outcome.checked} schemas checked, {len(outcome.lagging)} lagging, "
                f"{migrated} migrated with {outcome.jobs} job(s) in "
                f"{outcome.seconds:.1f} s."
            )
        if outcome.failed:
            names = ", ".join(r.schema_name for r in outcome.failed)
            raise CommandError(
                f"{len(outcome.failed)} schema(s) failed to migrate and were left as "
                f"they were (their organizations answer 503 until fixed): {names}"
            )
