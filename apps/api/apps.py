from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.api"
    label = "api"

    def ready(self) -> None:
        # Registers the OpenAPI extension for ApiKeyAuthentication before any schema is generated.
        # ...and turns domain events (apps.api.signals) into webhook deliveries.
        from . import receivers, schema  # noqa: F401
