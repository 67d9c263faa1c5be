from django.apps import AppConfig


class MatchingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.matching"
    label = "matching"

    def ready(self) -> None:
        from . import receivers, shortlist_cache  # noqa: F401 - receivers connect on import

        shortlist_cache.connect()  # invalidation of cached shortlists (decisions, rescores, erasure, ...)
