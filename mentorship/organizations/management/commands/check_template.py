from django.core.management.base import BaseCommand, CommandError

from mentorship.organizations.services import template_missing_migrations


class Command(BaseCommand):
    help = (
        "Fail when the template schema (which new organizations are cloned from) lags "
        "behind the code's migrations. Not a system check: `migrate` runs those before "
        "applying anything, when the template lags by design."
    )

    def handle(self, *args, **options):
        missing = template_missing_migrations()
        if missing:
            raise CommandError(
                f"The template schema is missing {len(missing)} migration(s): "
                + ", ".join(missing[:10])
                + ". Run `manage.py migrate_schemas` (it migrates the template too)."
            )
        self.stdout.write("Template schema is current.")
