from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django_tenants.utils import schema_context

from mentorship.accounts.services import user_create
from mentorship.organizations.services import org_create


class Command(BaseCommand):
    help = "Create an organization (cloned from the template schema) and its first HR admin."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-password", default=None)

    def handle(self, *args, slug, name, admin_email, admin_password, **options):
        try:
            validate_email(admin_email.strip())
            created = org_create(slug=slug, name=name)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        try:
            with schema_context(created.organization.schema_name):
                user_create(
                    email=admin_email,
                    password=admin_password,
                    full_name="",
                    role="hr_admin",
                    verified=True,
                )
        except Exception:
            # All or nothing: an organization without its admin is dropped again.
            created.organization.delete(force_drop=True)
            raise
        self.stdout.write(
            f"Created {created.organization.name} at {created.domain.domain} "
            f"in {created.seconds:.2f} s; HR admin {admin_email}."
        )
