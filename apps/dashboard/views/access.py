"""Who may see which dashboard page: login plus the membership role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.accounts.models import Role


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    """The readable 403 page, saying why in ``message`` (never a bare error)."""
    return render(request, "dashboard/forbidden.html", {"message": message}, status=403)


def role_required(*roles: str) -> Callable:
    """Require a logged-in user whose membership has one of ``roles``. Anonymous users go to the login
    page; a logged-in user with another role gets a readable 403 page, not a bare error."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            membership = request.user.membership
            if membership is None or membership.role not in roles:
                return forbidden(request, _("Your account does not have access to this page."))
            request.organization = membership.organization
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


recruiter_required = role_required(Role.RECRUITER)
seeker_required = role_required(Role.SEEKER)


def org_admin_required(view: Callable) -> Callable:
    """A recruiter who is an admin of their organization (Membership.is_admin): the organization's
    settings and its audit log. Other users get the readable 403 page."""

    @role_required(Role.RECRUITER)
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.membership.is_admin:
            return forbidden(request, _("Only an admin of your organization can open this page."))
        return view(request, *args, **kwargs)

    return wrapped
