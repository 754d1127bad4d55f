from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Organizations are closed: people are invited or imported, never self-signed."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_hr_admin:
            return reverse("admin:index")
        if user.is_coordinator:
            return reverse("programs:manage-home")
        return reverse("home")
