from django.core.management.base import BaseCommand

from demo.seed import seed_demo
from mentorship.organizations.services import platform_ensure


class Command(BaseCommand):
    help = "Create the demo organizations, people and programs if absent (idempotent)."

    def handle(self, *args, **options):
        platform_ensure()
        created = seed_demo()
        self.stdout.write(
            f"Demo seeded: created {len(created)} records."
            if created
            else "Demo already present."
        )
