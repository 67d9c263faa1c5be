from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        # turns the lower apps' events (matching, credentials) into webhook deliveries
        from . import receivers  # noqa: F401 - receivers connect on import
