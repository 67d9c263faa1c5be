"""Writes for accounts: organizations, users with roles, API keys."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import ApiKey, Membership, Organization, Role, User

API_KEY_PREFIX = "tsk_"
VALID_SCOPES = ("read", "write")


def api_key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def organization_create(*, slug: str, name: str) -> Organization:
    org, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": name})
    return org


@transaction.atomic
def user_create(
    *, username: str, password: str, organization: Organization, role: str, is_admin: bool = False, **extra
) -> User:
    """A user with their membership; ``is_admin`` makes them an admin of the organization (its settings
    and audit log)."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(Role.values)}")
    user = User.objects.create_user(username=username, password=password, **extra)
    Membership.objects.create(user=user, organization=organization, role=role, is_admin=is_admin)
    return user


def api_key_create(*, organization: Organization, scopes: list[str], name: str = "") -> tuple[ApiKey, str]:
    """Create a key and return it with the raw secret, which is never stored or shown again."""
    bad = [s for s in scopes if s not in VALID_SCOPES]
    if bad or not scopes:
        raise ValueError(f"invalid scopes {bad or scopes!r}; use a comma list of {', '.join(VALID_SCOPES)}")
    prefix = secrets.token_hex(4)
    raw = f"{API_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        organization=organization, name=name, prefix=prefix, key_hash=api_key_hash(raw), scopes=sorted(set(scopes))
    )
    return key, raw


# last_used_at is for people ("is this key still in use?"): minute precision is plenty, and a write per
# API read would cost more than the read (docs/benchmarks.md, "Load").
LAST_USED_PRECISION = timedelta(seconds=60)


def api_key_authenticate(*, raw: str) -> ApiKey | None:
    """The active key matching ``raw``, or None. Its last-used time is touched when it is more than
    LAST_USED_PRECISION old."""
    if not raw.startswith(API_KEY_PREFIX):
        return None
    key = ApiKey.objects.select_related("organization").filter(key_hash=api_key_hash(raw), revoked_at=None).first()
    if key is not None:
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
            key.last_used_at = now
    return key


def api_key_revoke(*, key: ApiKey) -> None:
    ApiKey.objects.filter(pk=key.pk, revoked_at=None).update(revoked_at=timezone.now())


def login_lockout_clear(*, username: str) -> int:
    """Forget the failed logins recorded for ``username`` (every address), ending a lockout: called once
    its owner has set a new password through a reset link, which proves more than a password guess could.
    Returns how many records were removed."""
    from axes.utils import reset

    return reset(username=username)
