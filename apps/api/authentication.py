"""API-key authentication: ``Authorization: Bearer <key>`` (keys from ``create_api_key``)."""

from __future__ import annotations

from rest_framework import authentication, exceptions

from apps.accounts.services import api_key_authenticate


class ApiKeyPrincipal:
    """The authenticated caller for a key: not a person, but it carries the organization and scopes."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, key):
        self.key = key
        self.organization = key.organization
        self.scopes = set(key.scopes)
        self.username = f"api-key:{key.prefix}"

    def __str__(self) -> str:
        return self.username


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if parts[0] != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Authorization header must be 'Bearer <key>'.")
        key = api_key_authenticate(raw=parts[1])
        if key is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked API key.")
        return ApiKeyPrincipal(key), key

    def authenticate_header(self, request) -> str:
        return self.keyword
