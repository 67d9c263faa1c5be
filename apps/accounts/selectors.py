"""Reads for accounts: the signed-in user with their membership; an organization's audit log."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from django.core.exceptions import ValidationError
from django.db import connections, router

from config.sqlrows import RowReader

from .audit import AUDIT_KINDS
from .models import AuditEvent, Membership, Organization, User


@cache
def _readers() -> tuple[RowReader[User], RowReader[Membership], RowReader[Organization]]:
    return RowReader(User), RowReader(Membership), RowReader(Organization)


@cache
def _user_sql(using: str) -> str:
    users, memberships, orgs = _readers()
    qn = connections[using].ops.quote_name
    # "first membership" as User.membership defines it (the lowest id): a plain join, ordered, one row (a
    # join, not a subquery per user: PostgreSQL plans it faster, and this runs on every request)
    return (
        f"SELECT {users.columns('u', using)}, {memberships.columns('m', using)}, {orgs.columns('o', using)} "  # noqa: S608 - model metadata
        f"FROM {qn(User._meta.db_table)} u "
        f"LEFT JOIN {qn(Membership._meta.db_table)} m ON m.user_id = u.id "
        f"LEFT JOIN {qn(Organization._meta.db_table)} o ON o.id = m.organization_id "
        "WHERE u.id = %s ORDER BY m.id LIMIT 1"
    )


def user_with_membership(*, user_id: object) -> User | None:
    """The user ``user_id`` with ``User.membership`` (and its organization) already filled in, in one
    query; None when there is no such user. Read afresh on every request by
    apps.accounts.backends.AccountBackend.get_user, so a role change or a removed membership counts on
    the next request in every process."""
    try:
        pk = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    using = router.db_for_read(User)
    users, memberships, orgs = _readers()
    with connections[using].cursor() as cur:
        cur.execute(_user_sql(using), [pk])
        row = cur.fetchone()
    if row is None:
        return None
    user = users.build(row, 0, using)
    assert user is not None  # the row is this user's: its id is never NULL
    membership = memberships.build(row, len(users), using)
    if membership is not None:
        organization = orgs.build(row, len(users) + len(memberships), using)
        Membership.organization.field.set_cached_value(membership, organization)
        Membership.user.field.set_cached_value(membership, user)
    user.set_membership_cache(membership)
    return user


def audit_events(
    *,
    organization: Organization,
    kind: str = "",
    actor: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
):
    """The organization's audit events, newest first, filtered by kind (apps.accounts.audit.AUDIT_KINDS),
    actor label (exact: a username or ``api-key:<prefix>``) and time (``since`` inclusive, ``until``
    exclusive). An unknown kind matches nothing."""
    qs = AuditEvent.objects.filter(organization=organization)
    if kind:
        qs = qs.filter(action__in=AUDIT_KINDS.get(kind, ()))
    if actor:
        qs = qs.filter(actor=actor)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    return qs.order_by("-created_at", "-id")


def audit_actors(*, organization: Organization) -> list[str]:
    """Everyone (people, API keys, "system") who appears in the organization's audit log, sorted."""
    return sorted(
        AuditEvent.objects.filter(organization=organization).values_list("actor", flat=True).distinct().order_by()
    )
