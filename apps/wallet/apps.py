from django.apps import AppConfig


class WalletConfig(AppConfig):
    """A seeker's profile shared with other organizations, with consent recorded per organization."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.wallet"
    label = "wallet"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - registers the signal receivers
