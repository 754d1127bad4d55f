from django.core.management import call_command
from django.core.management.base import BaseCommand

from mentorship.organizations.services import platform_ensure, spare_pool_fill


class Command(BaseCommand):
    help = (
        "Create the platform site and the template schema if missing, then verify it."
    )

    def handle(self, *args, **options):
        platform_ensure()
        call_command("check_template", stdout=self.stdout)
        cloned = spare_pool_fill()
        if cloned:
            self.stdout.write(f"Cloned {cloned} spare schema(s) for new organizations.")
