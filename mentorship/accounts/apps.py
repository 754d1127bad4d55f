from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mentorship.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from mentorship.accounts.middleware import (
            mark_session_after_authenticator_added,
        )

        authenticator_added.connect(
            mark_session_after_authenticator_added,
            dispatch_uid="mentorship.accounts.mfa_set_up_in_session",
        )
