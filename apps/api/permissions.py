"""Who may call the API: an API key (scopes read/write) or a logged-in recruiter/integration member."""

from __future__ import annotations

from rest_framework import permissions

from apps.accounts.models import Role

from .authentication import ApiKeyPrincipal


def request_organization(request):
    """The organization every query of this request is scoped to, or None."""
    user = request.user
    if isinstance(user, ApiKeyPrincipal):
        return user.organization
    if user and user.is_authenticated:
        m = user.membership
        if m is not None and m.role in (Role.RECRUITER, Role.INTEGRATION):
            return m.organization
    return None


class HasOrganization(permissions.BasePermission):
    """Authenticated, inside an organization, and holding the scope the method needs."""

    message = "Authenticate with an API key of your organization (Authorization: Bearer <key>)."

    def has_permission(self, request, view) -> bool:
        org = request_organization(request)
        if org is None:
            return False
        if isinstance(request.user, ApiKeyPrincipal):
            needed = "read" if request.method in permissions.SAFE_METHODS else "write"
            if needed not in request.user.scopes:
                self.message = f"This API key lacks the '{needed}' scope."
                return False
        request.organization = org
        return True
