from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.api"
    label = "api"

    def ready(self) -> None:
        # Registers the OpenAPI extension for ApiKeyAuthentication before any schema is generated.
        from . import schema  # noqa: F401
