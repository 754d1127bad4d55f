from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "mentorship.organizations"
    label = "organizations"
    verbose_name = "Organizations"
