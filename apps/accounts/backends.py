"""Authentication backend: Django's ModelBackend whose ``get_user`` reads the membership too."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend

from .models import User
from .selectors import user_with_membership


class AccountBackend(ModelBackend):
    """ModelBackend (password login, permissions, is_active) with one change: the user of a session is
    read together with their first membership and its organization, one query instead of two on every
    dashboard request (docs/benchmarks.md, "Load"). Nothing about the user is cached between
    requests: a deactivated user, a changed password (the session hash, checked by
    django.contrib.auth.get_user) or a changed role takes effect on the next request."""

    def get_user(self, user_id) -> User | None:
        user = user_with_membership(user_id=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id) -> User | None:
        return await sync_to_async(self.get_user)(user_id)
