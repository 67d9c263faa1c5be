"""Rate limits per API key (and per user for browser sessions).

The rate comes from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api_key"]`` (env TSUMIKI_API_RATE,
e.g. ``600/minute``) and is read on every request, so tests and operators can change it without a
restart of the class. Counters live in Django's default cache: configure a shared cache (Redis)
when several web processes serve the API, or each process counts on its own. Over the limit the
client gets a 429 problem+json with ``Retry-After`` (apps.api.errors keeps that header).
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .authentication import ApiKeyPrincipal


class ApiKeyRateThrottle(SimpleRateThrottle):
    scope = "api_key"

    def __init__(self) -> None:  # SimpleRateThrottle reads the rate at class definition; read it now
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return None if rate is None else str(rate)

    def get_cache_key(self, request, view) -> str | None:
        user = request.user
        if isinstance(user, ApiKeyPrincipal):
            ident = f"key:{user.key.prefix}"  # unique and random: never shared by two keys, even across resets
        elif user is not None and user.is_authenticated:
            ident = f"user:{user.pk}"
        else:
            return None  # anonymous requests are refused by the permission anyway
        return self.cache_format % {"scope": self.scope, "ident": ident}
