from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.credentials"
    label = "credentials"

    def ready(self) -> None:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from . import levels

        # Operator level-referencing tables (TSUMIKI_LEVEL_REFERENCING): read through the setting, so
        # override_settings works; each distinct value is parsed once. A bad table stops start-up here.
        levels.configure(lambda: getattr(settings, levels.SETTING, None))
        try:
            levels.operator_tables()
        except levels.LevelReferencingError as exc:
            raise ImproperlyConfigured(str(exc)) from exc
