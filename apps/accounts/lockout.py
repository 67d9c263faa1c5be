"""The page a login refused by the throttle answers (django-axes calls :func:`lockout_response` through
``AXES_LOCKOUT_CALLABLE``): the site's layout, in the visitor's language, saying how long to wait and
how to get back in without waiting (a password reset), with 429 Too Many Requests."""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def cooloff_minutes() -> int:
    """The cool-off as whole minutes (rounded up, at least 1), for the page's wording."""
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    if not cooloff:
        return 0
    return max(1, math.ceil(cooloff.total_seconds() / 60))


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """Render registration/locked.html (extends the site's base.html) with status 429."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": cooloff_minutes(),
    }
    response = render(request, "registration/locked.html", context, status=429)
    response["Retry-After"] = str(cooloff_minutes() * 60)
    return response
