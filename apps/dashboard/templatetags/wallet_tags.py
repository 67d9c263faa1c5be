"""The apply link a recruiter hands out for an open job (apps.wallet)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from apps.wallet.services import apply_token

register = template.Library()


@register.simple_tag(takes_context=True)
def apply_url(context, job) -> str:
    """The absolute URL a seeker of any organization opens to apply to ``job`` with their profile."""
    path = reverse("dashboard:apply", args=[apply_token(job=job)])
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path
