"""Who may see which dashboard page: login plus the membership role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.accounts.models import Role


def role_required(*roles: str) -> Callable:
    """Require a logged-in user whose membership has one of ``roles``. Anonymous users go to the login
    page; a logged-in user with another role gets a readable 403 page, not a bare error."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            membership = request.user.membership
            if membership is None or membership.role not in roles:
                return render(
                    request,
                    "dashboard/forbidden.html",
                    {"message": _("Your account does not have access to this page.")},
                    status=403,
                )
            request.organization = membership.organization
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


recruiter_required = role_required(Role.RECRUITER)
seeker_required = role_required(Role.SEEKER)
