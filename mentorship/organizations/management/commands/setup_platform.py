from django.core.management import call_command
from django.core.management.base import BaseCommand

from mentorship.organizations.services import platform_ensure


class Command(BaseCommand):
    help = (
        "Create the platform site and the template schema if missing, then verify it."
    )

    def handle(self, *args, **options):
        platform_ensure()
        call_command("check_template", stdout=self.stdout)
